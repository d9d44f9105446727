"""Public queue pages: the kiosk's ticket screen, the printed/phone ticket, the online virtual
ticket, the display board, its live stream and its spoken calls. No sign-in: a center is public,
a ticket is reached only by its unguessable token."""

from __future__ import annotations

import re

import segno
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.core.errors import DomainError, NotFound
from motcua.core.ratelimit import client_ip, hit

from . import audio, live, rules, selectors, services
from .kiosk import kiosk_procedures, kiosk_scan, ticket_take_for_procedure
from .models import Priority, TicketChannel

CODE_RE = re.compile(r"^[A-Z]{1,2}\d{3,4}$")
ONLINE_TICKETS_PER_HOUR = 10  # per address: a virtual ticket costs the center a place in the queue


def _center(center_id: int):
    try:
        return selectors.center_public(center_id)
    except NotFound:
        raise Http404(_("Service center not found.")) from None


def _ticket_url(ticket) -> str:
    return settings.PUBLIC_URL + reverse("queueing:ticket", args=[ticket.token])


def _take(request: HttpRequest, center, channel: str):
    service = (
        selectors.open_services(center).filter(pk=request.POST.get("service") or 0).first()
        if (request.POST.get("service", "").isdigit())
        else None
    )
    if service is None:
        raise DomainError(_("Choose a service that is taking tickets now."), field="service")
    return services.ticket_take(
        service=service,
        channel=channel,
        priority=request.POST.get("priority", ""),
        phone=request.POST.get("phone", ""),
    )


def kiosk_context(center, *, error: str = "", by_procedure: bool = False, scan=None) -> dict:
    """The kiosk screen: the services' buttons, or (after a card scan, or when asked) the
    procedures grouped by the service whose queue they join."""
    return {
        "center": center,
        "services": selectors.open_services(center),
        "priorities": Priority.choices[1:],
        "error": error,
        "by_procedure": by_procedure,
        "groups": kiosk_procedures(center) if by_procedure else [],
        "scan": scan,
        "priority": scan.priority if scan else "",
    }


def _kiosk_post(request: HttpRequest, center):
    """The ticket the pressed button asks for, or the scan when a card was read without a booking."""
    if request.POST.get("card"):
        ticket, scan = kiosk_scan(center=center, text=request.POST["card"][:1000])
        return ticket, scan
    if "procedure" in request.POST:
        return ticket_take_for_procedure(
            center=center, procedure=request.POST["procedure"], priority=request.POST.get("priority", "")
        ), None
    return _take(request, center, TicketChannel.KIOSK), None


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, center_id: int) -> HttpResponse:
    """The kiosk's ticket screen: the priority asked first, then one big button per service; or
    the ID card scanned and the procedure chosen (the procedure sets the service)."""
    center = _center(center_id)
    by_procedure = request.GET.get("thu-tuc") == "1" or "procedure" in request.POST
    if request.method == "POST":
        try:
            ticket, scan = _kiosk_post(request, center)
        except DomainError as exc:
            context = kiosk_context(center, error=exc.message, by_procedure=by_procedure)
            return render(request, "queueing/kiosk.html", context, status=422)
        if ticket is None:  # a card without a booking today: now the procedure
            return render(request, "queueing/kiosk.html", kiosk_context(center, by_procedure=True, scan=scan))
        return redirect(reverse("queueing:ticket", args=[ticket.token]) + "?in=1")
    return render(request, "queueing/kiosk.html", kiosk_context(center, by_procedure=by_procedure))


@never_cache
@require_http_methods(["GET", "POST"])
def online(request: HttpRequest, center_id: int) -> HttpResponse:
    """A virtual ticket from home: the phone number is asked so that the citizen can be told when
    three people are ahead."""
    center = _center(center_id)
    error, phone = "", ""
    if request.method == "POST":
        phone = request.POST.get("phone", "")[:20]
        if not hit("queue-online", client_ip(request), limit=ONLINE_TICKETS_PER_HOUR, window_seconds=3600):
            error = _("Too many tickets from this connection. Please try again later.")
        else:
            try:
                ticket = _take(request, center, TicketChannel.ONLINE)
            except DomainError as exc:
                error = exc.message
            else:
                return redirect("queueing:ticket", token=ticket.token)
    context = {"center": center, "services": selectors.open_services(center), "error": error, "phone": phone}
    return render(request, "queueing/online.html", context, status=422 if error else 200)


@never_cache
@require_safe
def ticket(request: HttpRequest, token) -> HttpResponse:
    try:
        t = selectors.ticket_by_token(token)
    except NotFound:
        raise Http404(_("Ticket not found.")) from None
    url = _ticket_url(t)
    context = {
        "ticket": t,
        "center": t.center,
        "position": selectors.ticket_position(t),
        "qr": segno.make(url, error="m").svg_inline(
            scale=3, border=2, omitsize=True, svgclass="qr-code", title=url
        ),
        "print": request.GET.get("in") == "1",
        "url": url,
    }
    return render(request, "queueing/ticket.html", context)


@never_cache
@require_safe
def ticket_status(request: HttpRequest, token) -> JsonResponse:
    try:
        t = selectors.ticket_by_token(token)
    except NotFound:
        return JsonResponse({"detail": _("Ticket not found."), "code": "not_found"}, status=404)
    return JsonResponse(selectors.ticket_position(t))


@require_safe
def board(request: HttpRequest, center_id: int) -> HttpResponse:
    center = _center(center_id)
    snapshot = selectors.message(center.pk, None)
    return render(request, "queueing/board.html", {"center": center, "snapshot": snapshot})


@never_cache
@require_safe
def board_json(request: HttpRequest, center_id: int) -> JsonResponse:
    """The board as JSON: for the polling fallback and for catching up (`?after=<event id>`)."""
    center = _center(center_id)
    after = request.GET.get("after", "")
    return JsonResponse(selectors.message(center.pk, int(after) if after.isdigit() else None))


class EventStream(StreamingHttpResponse):
    """A stream counted while it is open (tests wait for their streams to end; ops can watch)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        live.streams_open(+1)

    def close(self):
        try:
            super().close()
        finally:
            live.streams_open(-1)


@require_safe
def events(request: HttpRequest, center_id: int) -> StreamingHttpResponse:
    """The center's server-sent events (see live.py)."""
    with live.db_slot(close=bool(live.redis_url())):
        center = _center(center_id)
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after", "")
    last = int(raw) if raw.isdigit() else None
    response = EventStream(live.stream(center.pk, last), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    # gzip would hold events back until its buffer fills: the stream is sent as it is.
    response["Content-Encoding"] = "identity"
    return response


@require_safe
def speech(request: HttpRequest, center_id: int, code: str, counter: int) -> HttpResponse:
    """The spoken call "Mời số A015 đến quầy số 2" as WAV (generated once, then cached)."""
    center = _center(center_id)
    if not CODE_RE.match(code) or not center.counters.filter(number=counter).exists():
        raise Http404(_("No such call."))
    try:
        path = audio.speech_wav(rules.call_speech(code, counter))
    except (audio.SpeechUnavailable, OSError) as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = FileResponse(path.open("rb"), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response
