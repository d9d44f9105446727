"""Reads of the queue: the board's snapshot, a ticket's position, the console's view. Public
reads (boards, ticket pages) are keyed by a center id or a ticket's unguessable token; staff reads
go through the user's scope."""

from __future__ import annotations

import uuid

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.units.models import Counter, ServiceCenter
from motcua.units.scoping import scope_queryset

from . import rules
from .models import (
    CounterService,
    CounterState,
    CounterStatus,
    QueueService,
    Ticket,
    TicketEvent,
    TicketStatus,
)

ANNOUNCED = ("call", "recall")


def local_today():
    from .services import local_today as today

    return today()


def center_public(center_id) -> ServiceCenter:
    center = (
        ServiceCenter.objects.filter(pk=center_id, is_active=True).select_related("commune").first()
        if str(center_id).isdigit()
        else None
    )
    if center is None:
        raise NotFound(_("Service center not found."))
    return center


def open_services(center: ServiceCenter):
    return QueueService.objects.filter(center=center, is_open=True).order_by("prefix")


def ticket_by_token(token) -> Ticket:
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        raise NotFound(_("Ticket not found.")) from None
    ticket = Ticket.objects.select_related("service", "center", "counter").filter(token=token).first()
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same service that arrived before this one (priority aside)."""
    if ticket.status != TicketStatus.QUEUED:
        return 0
    return (
        Ticket.objects.filter(service_id=ticket.service_id, day=ticket.day, status=TicketStatus.QUEUED)
        .filter(Q(arrived_at__lt=ticket.arrived_at) | Q(arrived_at=ticket.arrived_at, id__lt=ticket.pk))
        .count()
    )


def serving_counters(service_id: int) -> int:
    return CounterState.objects.filter(
        counter__queue_links__service_id=service_id, status=CounterStatus.OPEN
    ).count()


def ticket_position(ticket: Ticket) -> dict:
    ahead = people_ahead(ticket)
    wait = rules.estimated_wait_minutes(
        ahead=ahead,
        service_minutes=ticket.service.service_minutes,
        counters=serving_counters(ticket.service_id),
    )
    return {
        "code": ticket.code,
        "status": ticket.status,
        "status_label": str(TicketStatus(ticket.status).label),
        "service": ticket.service.name,
        "ahead": ahead,
        "wait_minutes": wait,
        "counter": ticket.counter.number
        if ticket.counter_id and ticket.status != TicketStatus.QUEUED
        else None,
    }


def board(center_id: int) -> dict:
    """What a display board shows: each counter with its ticket, the last calls, the waiting."""
    today = local_today()
    states = {s.counter_id: s.status for s in CounterState.objects.filter(counter__center_id=center_id)}
    at_counter = {
        t.counter_id: t.code
        for t in Ticket.objects.filter(
            center_id=center_id, day=today, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        ).only("counter_id", "code")
    }
    counters = [
        {
            "number": c.number,
            "name": c.name,
            "status": states.get(c.pk, CounterStatus.CLOSED),
            "ticket": at_counter.get(c.pk),
        }
        for c in Counter.objects.filter(center_id=center_id, is_active=True, queue_links__isnull=False)
        .distinct()
        .order_by("number")
    ]
    waiting = {
        row["service_id"]: row["n"]
        for row in Ticket.objects.filter(center_id=center_id, day=today, status=TicketStatus.QUEUED)
        .values("service_id")
        .annotate(n=Count("id"))
    }
    services = [
        {"prefix": s.prefix, "name": s.name, "waiting": waiting.get(s.pk, 0)}
        for s in QueueService.objects.filter(center_id=center_id).order_by("prefix")
    ]
    since = timezone.now() - timezone.timedelta(hours=12)
    last = [
        {
            "id": e.pk,
            "code": e.payload.get("code"),
            "counter": e.payload.get("counter_number"),
            "action": e.action,
            "text": rules.call_text(e.payload.get("code", ""), e.payload.get("counter_number") or 0),
        }
        for e in TicketEvent.objects.filter(
            center_id=center_id, action__in=ANNOUNCED, at__gte=since
        ).order_by("-id")[:6]
    ]
    return {"counters": counters, "services": services, "last_called": last}


def message(center_id: int, after_id: int | None) -> dict:
    """One live message for boards and pages: the new calls after `after_id` (to announce) and the
    current board. The id is the last event's id, for catching up after a reconnect."""
    last_id = (
        TicketEvent.objects.filter(center_id=center_id).order_by("-id").values_list("id", flat=True).first()
        or 0
    )
    calls = []
    if after_id is not None and last_id > after_id:
        recent = timezone.now() - timezone.timedelta(minutes=2)  # older calls are not announced again
        calls = [
            {
                "id": e.pk,
                "code": e.payload.get("code"),
                "counter": e.payload.get("counter_number"),
                "text": rules.call_text(e.payload.get("code", ""), e.payload.get("counter_number") or 0),
            }
            for e in TicketEvent.objects.filter(
                center_id=center_id, id__gt=after_id, action__in=ANNOUNCED, at__gte=recent
            ).order_by("id")[:10]
        ]
    return {"id": last_id, "calls": calls, "board": board(center_id)}


# -- staff ----------------------------------------------------------------------------------------
def counters_for_user(user):
    return (
        scope_queryset(Counter.objects.select_related("center"), user)
        .filter(is_active=True, queue_links__isnull=False)
        .distinct()
        .order_by("center_id", "number")
    )


def counter_get_for_user(user, counter_id) -> Counter:
    try:
        return counters_for_user(user).get(pk=int(counter_id))
    except (Counter.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Counter not found.")) from None


def counter_services(counter: Counter) -> list[QueueService]:
    return [link.service for link in CounterService.objects.filter(counter=counter).select_related("service")]


def ticket_for_counter(counter: Counter, ticket_id) -> Ticket:
    ticket = (
        Ticket.objects.filter(pk=ticket_id, counter=counter).first() if str(ticket_id).isdigit() else None
    )
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket


def counter_get_for_user_any(user, center_id: int, counter_id) -> Counter:
    """Any active counter of the user's center (a transfer may go to a counter serving nothing:
    the service refuses it with a clear message)."""
    counter = (
        scope_queryset(Counter.objects.filter(center_id=center_id, is_active=True), user)
        .filter(pk=int(counter_id) if str(counter_id).isdigit() else -1)
        .first()
    )
    if counter is None:
        raise NotFound(_("Counter not found."))
    return counter
