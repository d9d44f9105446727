"""The officer's queue console on the counter desk page (/quay/): the `{% queue_console %}` tag
renders it, and `console_action` answers its buttons (htmx swaps the fragment; without
JavaScript the form posts and the desk page is shown again)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError, NotFound
from motcua.staff.access import staff_required
from motcua.units.models import Role

from . import selectors, services
from .models import CounterState, CounterStatus, Priority, QueueService, TicketStatus

COUNTER_COOKIE = "motcua_queue_counter"


def _counter(request: HttpRequest, counters: list, wanted=None):
    wanted = (
        wanted
        or request.POST.get("counter")
        or request.GET.get("counter")
        or request.COOKIES.get(COUNTER_COOKIE)
    )
    held = [
        c for c in counters if getattr(getattr(c, "queue_state", None), "officer_id", None) == request.user.pk
    ]
    for counter in counters:
        if wanted and str(counter.pk) == str(wanted):
            return counter
    return held[0] if held else (counters[0] if counters else None)


def console_context(request: HttpRequest, *, message: str = "", error: str = "", counter_id=None) -> dict:
    counters = list(selectors.counters_for_user(request.user).select_related("queue_state"))
    counter = _counter(request, counters, counter_id)
    if counter is None:
        return {"queue_counters": []}
    state = CounterState.objects.filter(counter=counter).select_related("officer").first()
    ticket = services.current_ticket(counter)
    served = selectors.counter_services(counter)
    board = selectors.board(counter.center_id)
    waiting = {s["prefix"]: s["waiting"] for s in board["services"]}
    return {
        "queue_counters": counters,
        "queue_counter": counter,
        "queue_state": state,
        "queue_holds": bool(
            state and state.officer_id == request.user.pk and state.status != CounterStatus.CLOSED
        ),
        "queue_paused": bool(state and state.status == CounterStatus.PAUSED),
        "queue_ticket": ticket,
        "queue_served": [{"service": s, "waiting": waiting.get(s.prefix, 0)} for s in served],
        "queue_all_services": list(QueueService.objects.filter(center_id=counter.center_id, is_open=True)),
        "queue_other_counters": [
            c for c in counters if c.center_id == counter.center_id and c.pk != counter.pk
        ],
        "queue_key": uuid.uuid4().hex,
        "queue_message": message,
        "queue_error": error,
        "queue_priorities": Priority.choices[1:],
        "queue_called": bool(ticket and ticket.status == TicketStatus.CALLED),
        "queue_serving": bool(ticket and ticket.status == TicketStatus.SERVING),
    }


def render_console(request: HttpRequest, **kwargs) -> str:
    return render_to_string("queueing/_console.html", console_context(request, **kwargs), request=request)


def _run(request: HttpRequest, counter) -> str:
    """Apply the pressed button; the message to show."""
    action = request.POST.get("action", "")
    user = request.user
    ticket_id = request.POST.get("ticket", "")
    if action == "open":
        services.counter_open(counter=counter, officer=user)
        return _("Counter %(n)s is open: you can call.") % {"n": counter.number}
    if action in ("pause", "resume"):
        services.counter_pause(counter=counter, officer=user, resume=action == "resume")
        return _("Counter resumed.") if action == "resume" else _("Counter paused: nobody is called to it.")
    if action == "close":
        services.counter_close(counter=counter, officer=user)
        return _("Counter closed.")
    if action == "call":
        ticket = services.ticket_call_next(
            counter=counter, officer=user, request_key=request.POST.get("key", "")
        )
        return _("Called %(code)s.") % {"code": ticket.code} if ticket else _("Nobody is waiting.")
    if action == "take":
        service = _service(counter, request.POST.get("service"))
        ticket = services.ticket_take(
            service=service, channel="counter", priority=request.POST.get("priority", "")
        )
        return _("Ticket %(code)s issued.") % {"code": ticket.code}
    steps = {
        "recall": services.ticket_recall,
        "miss": services.ticket_miss,
        "start": services.ticket_start,
        "finish": services.ticket_finish,
    }
    if not ticket_id.isdigit():
        raise NotFound(_("Ticket not found."))
    if action in steps:
        ticket = steps[action](ticket_id=int(ticket_id), counter=counter, officer=user)
        return {
            "recall": _("Called %(code)s again."),
            "miss": _("%(code)s marked as not present."),
            "start": _("Serving %(code)s: receive the dossier below, it is linked to this ticket."),
            "finish": _("%(code)s finished."),
        }[action] % {"code": ticket.code}
    if action == "transfer":
        to_service = (
            _service(counter, request.POST.get("to_service")) if request.POST.get("to_service") else None
        )
        to_counter = None
        if request.POST.get("to_counter"):
            to_counter = selectors.counter_get_for_user_any(
                user, counter.center_id, request.POST["to_counter"]
            )
        ticket = services.ticket_transfer(
            ticket_id=int(ticket_id),
            counter=counter,
            officer=user,
            to_service=to_service,
            to_counter=to_counter,
        )
        return _("%(code)s transferred; it keeps its place by arrival time.") % {"code": ticket.code}
    raise NotFound(_("Unknown action."))


def _service(counter, service_id) -> QueueService:
    service = (
        QueueService.objects.filter(center_id=counter.center_id, pk=service_id).first()
        if str(service_id or "").isdigit()
        else None
    )
    if service is None:
        raise NotFound(_("Queue service not found."))
    return service


@staff_required(Role.DESK_OFFICER)
@require_http_methods(["GET", "POST"])
def console_action(request: HttpRequest) -> HttpResponse:
    """GET: the console fragment (refresh). POST: one button; answers the fragment again."""
    message, error, status, counter_id = "", "", 200, None
    if request.method == "POST":
        try:
            counter = selectors.counter_get_for_user(request.user, request.POST.get("counter"))
            counter_id = counter.pk
            message = _run(request, counter)
        except DomainError as exc:
            error, status = exc.message or _("Not found."), exc.status
    html = render_console(request, message=message, error=error, counter_id=counter_id)
    if request.method == "POST" and not request.headers.get("HX-Request"):
        response = HttpResponseRedirect(reverse("staff:counter"), status=303)
    else:
        response = HttpResponse(html, status=200 if request.headers.get("HX-Request") else status)
    if counter_id:
        response.set_cookie(COUNTER_COOKIE, str(counter_id), samesite="Lax", httponly=True)
    return response
