"""Every write of the queue: services and counters, taking a ticket, and the officer's console
(call next, recall, no-show, start, finish, transfer, pause). One keyword-only function per action,
each in one transaction; every ticket step writes a TicketEvent that the boards follow.

Concurrency: ticket numbers come from a TicketBook row locked per service and day (gap-free);
"call next" locks the counter's state row, then every service the counter calls in id order (a
fixed order, so two counters with crossed preferences cannot deadlock), then reads the waiting
tickets: two counters pressing at the same instant are served one after the other and never get the
same ticket. A repeated press with the same request key returns the ticket already called.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.units.models import Counter, ServiceCenter
from motcua.workdays.core import VN_TZ

from . import live, rules
from .models import (
    CallRequest,
    CounterService,
    CounterState,
    CounterStatus,
    Priority,
    QueueService,
    Ticket,
    TicketBook,
    TicketChannel,
    TicketEvent,
    TicketStatus,
)

WAITING_SCAN = 500  # tickets looked at per service when choosing (a day rarely has more waiting)
NEAR_AHEAD = 3


def local_today(at: datetime | None = None):
    return (at or timezone.now()).astimezone(VN_TZ).date()


# -- configuration ---------------------------------------------------------------------------------
@transaction.atomic
def service_create(
    *, center: ServiceCenter, prefix: str, name: str, field=None, procedures: Sequence = (), **options
) -> QueueService:
    prefix = (prefix or "").strip().upper()
    if not rules.PREFIX_RE.match(prefix):
        raise ValidationFailed(_("The letter of a service is one or two letters A-Z."), field="prefix")
    if QueueService.objects.filter(center=center, prefix=prefix).exists():
        raise ValidationFailed(
            _("Another service of this center uses the letter %(p)s.") % {"p": prefix}, field="prefix"
        )
    service = QueueService.objects.create(center=center, prefix=prefix, name=name, field=field, **options)
    if procedures:
        service.procedures.set(procedures)
    return service


@transaction.atomic
def counter_services_set(*, counter: Counter, services: Sequence[QueueService]) -> None:
    """The services `counter` calls, first preferred first."""
    for service in services:
        if service.center_id != counter.center_id:
            raise ValidationFailed(_("A counter serves only services of its own center."), field="services")
    CounterService.objects.filter(counter=counter).delete()
    CounterService.objects.bulk_create(
        CounterService(counter=counter, service=s, preference=i) for i, s in enumerate(services, start=1)
    )


def _state(counter: Counter, *, lock: bool = True) -> CounterState:
    CounterState.objects.get_or_create(counter=counter)
    qs = CounterState.objects.select_for_update() if lock else CounterState.objects
    return qs.get(counter=counter)


@transaction.atomic
def counter_open(*, counter: Counter, officer) -> CounterState:
    """The officer signs in at the counter (taking it over from whoever had it) and calls."""
    if not CounterService.objects.filter(counter=counter).exists():
        raise ValidationFailed(_("This counter serves no queue service yet: ask the center administrator."))
    state = _state(counter)
    state.status, state.officer = CounterStatus.OPEN, officer
    state.save()
    live.publish(counter.center_id)
    return state


@transaction.atomic
def counter_pause(*, counter: Counter, officer, resume: bool = False) -> CounterState:
    state = _held(counter, officer)
    state.status = CounterStatus.OPEN if resume else CounterStatus.PAUSED
    state.save()
    live.publish(counter.center_id)
    return state


@transaction.atomic
def counter_close(*, counter: Counter, officer) -> CounterState:
    state = _held(counter, officer)
    state.status, state.officer = CounterStatus.CLOSED, None
    state.save()
    live.publish(counter.center_id)
    return state


def _held(counter: Counter, officer) -> CounterState:
    state = _state(counter)
    if state.status == CounterStatus.CLOSED or state.officer_id != officer.pk:
        raise Conflict(
            _("Open counter %(n)s first: another officer or nobody holds it.") % {"n": counter.number}
        )
    return state


# -- taking a ticket -------------------------------------------------------------------------------
def _record(
    ticket: Ticket, action: str, *, at: datetime, counter=None, officer=None, **payload
) -> TicketEvent:
    event = TicketEvent.objects.create(
        center_id=ticket.center_id,
        ticket=ticket,
        action=action,
        at=at,
        counter=counter,
        officer=officer,
        payload={"code": ticket.code, "service": ticket.service_id, **payload},
    )
    live.publish(ticket.center_id, event.pk)
    return event


@transaction.atomic
def ticket_take(
    *,
    service: QueueService,
    channel: str = TicketChannel.KIOSK,
    priority: str = "",
    phone: str = "",
    at: datetime | None = None,
    not_before: datetime | None = None,
) -> Ticket:
    """Issue the next number of `service` today. Errors: closed service, full day, bad phone."""
    at = at or timezone.now()
    if channel not in TicketChannel.values:
        raise ValidationFailed(_("Unknown way of taking a ticket."), field="channel")
    if priority not in Priority.values:
        raise ValidationFailed(_("Unknown priority category."), field="priority")
    if phone or channel == TicketChannel.ONLINE:
        normalized = rules.vn_mobile(phone)
        if normalized is None:
            raise ValidationFailed(
                _("%(phone)s is not a Vietnamese mobile number (10 digits, e.g. 0912 345 678).")
                % {"phone": phone or "…"},
                field="phone",
            )
        phone = normalized
    service = QueueService.objects.select_related("center").get(pk=service.pk)
    if not service.is_open or not service.center.is_active:
        raise ValidationFailed(
            _("The service “%(name)s” is not taking tickets now.") % {"name": service.name}, field="service"
        )
    day = local_today(at)
    TicketBook.objects.get_or_create(service=service, day=day)
    book = TicketBook.objects.select_for_update().get(service=service, day=day)
    if book.last_number >= service.daily_capacity:
        raise ValidationFailed(
            _(
                "All %(n)d numbers of “%(name)s” for today are taken. "  # noqa: ISC001
                "Please come back on the next working day."
            )
            % {"n": service.daily_capacity, "name": service.name},
            field="service",
            code="day_full",
        )
    book.last_number += 1
    book.save(update_fields=["last_number"])
    ticket = Ticket.objects.create(
        center_id=service.center_id,
        service=service,
        issued_service=service,
        day=day,
        number=book.last_number,
        code=rules.ticket_code(service.prefix, book.last_number),
        channel=channel,
        priority=priority,
        phone=phone,
        arrived_at=at,
        not_before=not_before,
    )
    _record(ticket, "take", at=at, channel=channel, priority=priority)
    return ticket


# -- the console -----------------------------------------------------------------------------------
def _counter_services(counter: Counter) -> list[QueueService]:
    """The counter's services locked in id order, returned in preference order."""
    links = list(CounterService.objects.filter(counter=counter).values_list("service_id", "preference"))
    locked = {
        s.pk: s
        for s in QueueService.objects.select_for_update().filter(pk__in=[s for s, _p in links]).order_by("pk")
    }
    return [locked[s] for s, _p in sorted(links, key=lambda row: (row[1], row[0])) if s in locked]


def current_ticket(counter: Counter) -> Ticket | None:
    return (
        Ticket.objects.filter(counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .select_related("service")
        .order_by("-called_at")
        .first()
    )


@transaction.atomic
def ticket_call_next(
    *, counter: Counter, officer, request_key: str = "", at: datetime | None = None
) -> Ticket | None:
    """Call the next ticket to `counter` by the priority rule over the services it calls, in its
    order of preference. None when nobody waits."""
    at = at or timezone.now()
    state = _held(counter, officer)
    if request_key:
        done = CallRequest.objects.filter(key=request_key[:64]).select_related("ticket").first()
        if done is not None:
            return done.ticket
    if state.status == CounterStatus.PAUSED:
        raise Conflict(_("Counter %(n)s is paused: resume it to call.") % {"n": counter.number})
    busy = current_ticket(counter)
    if busy is not None:
        raise Conflict(
            _("Ticket %(code)s is still at this counter: finish it, transfer it or mark it missed first.")
            % {"code": busy.code}
        )
    chosen = None
    for service in _counter_services(counter):
        chosen = _choose(service, counter, at)
        if chosen is not None:
            break
    if request_key:
        CallRequest.objects.create(key=request_key[:64], counter=counter, ticket_id=chosen)
    if chosen is None:
        return None
    ticket = Ticket.objects.select_for_update().get(pk=chosen)
    ticket.status, ticket.counter, ticket.officer = TicketStatus.CALLED, counter, officer
    ticket.called_at, ticket.recalls = at, 0
    ticket.first_called_at = ticket.first_called_at or at
    ticket.target_counter = None
    ticket.save()
    _record(ticket, "call", at=at, counter=counter, officer=officer, counter_number=counter.number)
    transaction.on_commit(lambda: _near(ticket.service_id, ticket.day))
    return ticket


def _choose(service: QueueService, counter: Counter, at: datetime) -> int | None:
    rows = list(
        Ticket.objects.filter(service=service, day=local_today(at), status=TicketStatus.QUEUED)
        .order_by("arrived_at", "id")
        .values_list("id", "priority", "not_before", "target_counter_id")[:WAITING_SCAN]
    )
    waiting = [
        rules.Waiting(id=pk, priority=bool(priority), due_appointment=bool(not_before and not_before <= at))
        for pk, priority, not_before, target in rows
        if (target is None or target == counter.pk) and not (not_before and not_before > at)
    ]
    choice = rules.choose_next(waiting, streak=service.priority_streak, limit=service.priority_streak_limit)
    if choice is None:
        return None
    if choice.streak != service.priority_streak:
        service.priority_streak = choice.streak
        service.save(update_fields=["priority_streak"])
    return choice.id


def _locked_ticket(ticket_id: int, counter: Counter, officer, *statuses: str) -> Ticket:
    _held(counter, officer)
    ticket = Ticket.objects.select_for_update().select_related("service").filter(pk=ticket_id).first()
    if ticket is None or ticket.counter_id != counter.pk or ticket.status not in statuses:
        raise Conflict(_("This ticket is not at your counter in a state that allows this."))
    return ticket


@transaction.atomic
def ticket_recall(*, ticket_id: int, counter: Counter, officer, at: datetime | None = None) -> Ticket:
    at = at or timezone.now()
    ticket = _locked_ticket(ticket_id, counter, officer, TicketStatus.CALLED)
    if ticket.recalls >= ticket.service.max_recalls:
        raise Conflict(
            _("%(code)s was called again %(n)d times already: mark it missed.")
            % {"code": ticket.code, "n": ticket.recalls}
        )
    ticket.recalls += 1
    ticket.called_at = at
    ticket.save(update_fields=["recalls", "called_at"])
    _record(ticket, "recall", at=at, counter=counter, officer=officer, counter_number=counter.number)
    return ticket


@transaction.atomic
def ticket_miss(*, ticket_id: int, counter: Counter, officer, at: datetime | None = None) -> Ticket:
    at = at or timezone.now()
    ticket = _locked_ticket(ticket_id, counter, officer, TicketStatus.CALLED)
    if ticket.recalls < ticket.service.max_recalls:
        raise Conflict(
            _("Call %(code)s again first: a no-show is marked after %(n)d recalls.")
            % {"code": ticket.code, "n": ticket.service.max_recalls}
        )
    ticket.status, ticket.finished_at = TicketStatus.MISSED, at
    ticket.save(update_fields=["status", "finished_at"])
    _record(ticket, "miss", at=at, counter=counter, officer=officer)
    return ticket


@transaction.atomic
def ticket_start(*, ticket_id: int, counter: Counter, officer, at: datetime | None = None) -> Ticket:
    at = at or timezone.now()
    ticket = _locked_ticket(ticket_id, counter, officer, TicketStatus.CALLED)
    ticket.status, ticket.serving_at, ticket.officer = TicketStatus.SERVING, at, officer
    ticket.save(update_fields=["status", "serving_at", "officer"])
    _record(ticket, "start", at=at, counter=counter, officer=officer, counter_number=counter.number)
    return ticket


@transaction.atomic
def ticket_finish(*, ticket_id: int, counter: Counter, officer, at: datetime | None = None) -> Ticket:
    at = at or timezone.now()
    ticket = _locked_ticket(ticket_id, counter, officer, TicketStatus.SERVING)
    ticket.status, ticket.finished_at = TicketStatus.FINISHED, at
    ticket.save(update_fields=["status", "finished_at"])
    _record(ticket, "finish", at=at, counter=counter, officer=officer)
    return ticket


@transaction.atomic
def ticket_transfer(
    *,
    ticket_id: int,
    counter: Counter,
    officer,
    to_service: QueueService | None = None,
    to_counter: Counter | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Send the ticket back to the queue of another service, or of one counter; it keeps its
    arrival time, so it is called before those who came after it."""
    at = at or timezone.now()
    ticket = _locked_ticket(ticket_id, counter, officer, TicketStatus.CALLED, TicketStatus.SERVING)
    if to_service is None and to_counter is None:
        raise ValidationFailed(_("Choose the service or the counter to transfer to."), field="to")
    if to_service is not None and to_service.center_id != ticket.center_id:
        raise NotFound(_("Queue service not found."))
    if to_counter is not None:
        if to_counter.center_id != ticket.center_id:
            raise NotFound(_("Counter not found."))
        served = list(
            CounterService.objects.filter(counter=to_counter)
            .order_by("preference")
            .values_list("service_id", flat=True)
        )
        if not served:
            raise ValidationFailed(
                _("Counter %(n)s serves no queue service: the ticket cannot go there.")
                % {"n": to_counter.number},
                field="to_counter",
            )
        if to_service is not None and to_service.pk not in served:
            raise ValidationFailed(
                _("Counter %(n)s does not serve “%(s)s”.") % {"n": to_counter.number, "s": to_service.name},
                field="to_service",
            )
        if to_service is None:
            to_service = (
                ticket.service if ticket.service_id in served else QueueService.objects.get(pk=served[0])
            )
    if to_service.pk == ticket.service_id and to_counter is None:
        raise ValidationFailed(_("The ticket is already in this service's queue."), field="to_service")
    ticket.status, ticket.service, ticket.target_counter = TicketStatus.QUEUED, to_service, to_counter
    ticket.counter, ticket.serving_at, ticket.called_at, ticket.recalls = None, None, None, 0
    ticket.transfers += 1
    ticket.save()
    _record(
        ticket, "transfer", at=at, counter=counter, officer=officer,
        to_service=to_service.pk, to_counter=to_counter.number if to_counter else None,
    )  # fmt: skip
    return ticket


def link_intake_event(event, dossier) -> None:
    """Dossier-event listener (registered in QueueingConfig.ready, run inside the intake's own
    transaction, so no savepoint of its own): a dossier taken in at the counter links the ticket
    its officer is serving. One statement when the officer serves none."""
    if event.actor_id is None or (event.payload or {}).get("channel") != "counter":
        return
    _link_intake(actor_id=event.actor_id, center_id=event.center_id, dossier=dossier)


def _link_intake(*, actor_id: int, center_id: int, dossier) -> Ticket | None:
    """Link the ticket this officer is serving at the center to the dossier just taken in; None
    when the officer serves no ticket."""
    ticket = (
        Ticket.objects.select_for_update()
        .filter(center_id=center_id, officer_id=actor_id, status=TicketStatus.SERVING, dossier__isnull=True)
        .order_by("-serving_at")
        .first()
    )
    if ticket is None:
        return None
    ticket.dossier = dossier
    ticket.save(update_fields=["dossier"])
    TicketEvent.objects.create(
        center_id=ticket.center_id, ticket=ticket, action="intake", at=timezone.now(),
        counter_id=ticket.counter_id, officer_id=actor_id,
        payload={"code": ticket.code, "dossier": dossier.pk},
    )  # fmt: skip
    return ticket


def _near(service_id: int, day) -> None:
    """After a call: tickets with a phone that now have NEAR_AHEAD people ahead get the signal
    once (the notifications app listens; see signals.ticket_near)."""
    from .selectors import people_ahead
    from .signals import ticket_near

    candidates = (
        Ticket.objects.filter(
            service_id=service_id, day=day, status=TicketStatus.QUEUED, near_notified_at__isnull=True
        )
        .exclude(phone="")
        .order_by("arrived_at", "id")[: NEAR_AHEAD + 1]
    )
    for ticket in candidates:
        ahead = people_ahead(ticket)
        if ahead <= NEAR_AHEAD and Ticket.objects.filter(pk=ticket.pk, near_notified_at__isnull=True).update(
            near_notified_at=timezone.now()
        ):
            ticket_near.send(sender=Ticket, ticket=ticket, ahead=ahead)
