"""Public booking pages: choose a service and day, pick a free slot, get a booking code; look a
booking up and cancel it; check in at the kiosk (the form lives on the kiosk's ticket screen)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError
from motcua.core.ratelimit import client_ip, hit
from motcua.workdays.core import VN_TZ

from . import appointments, selectors
from .models import Appointment
from .views import _center, kiosk_context

BOOKINGS_PER_HOUR = 10


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, center_id: int) -> HttpResponse:
    center = _center(center_id)
    services = list(selectors.open_services(center))
    data = request.POST if request.method == "POST" else request.GET
    service = next(
        (s for s in services if str(s.pk) == data.get("service")), services[0] if services else None
    )
    today = timezone.now().astimezone(VN_TZ).date()
    day = _day(data.get("day", "")) or today
    error = ""
    if request.method == "POST":
        if not hit("queue-book", client_ip(request), limit=BOOKINGS_PER_HOUR, window_seconds=3600):
            error = _("Too many bookings from this connection. Please try again later.")
        else:
            try:
                starts_at = datetime.fromisoformat(data.get("slot", ""))
                if starts_at.tzinfo is None:
                    starts_at = starts_at.replace(tzinfo=VN_TZ)
            except ValueError:
                error = _("Choose a time.")
            else:
                try:
                    booking = appointments.appointment_book(
                        service=service, starts_at=starts_at, name=data.get("name", ""),
                        id_number=data.get("id_number", ""), phone=data.get("phone", ""),
                    )  # fmt: skip
                except DomainError as exc:
                    error = exc.message
                else:
                    return redirect("queueing:booking", code=booking.code)
    free = appointments.free_slots(service, day) if service else []
    context = {
        "center": center, "services": services, "service": service, "day": day, "free": free,
        "days": [today + timedelta(days=n) for n in range(0, 14)], "error": error, "data": data,
        "closed_day": service is not None and not appointments.slots(service, day),
    }  # fmt: skip
    return render(request, "queueing/book.html", context, status=422 if error else 200)


@never_cache
@require_http_methods(["GET"])
def booking(request: HttpRequest, code: str) -> HttpResponse:
    found = Appointment.objects.select_related("service", "center").filter(code=code.upper()[:12]).first()
    if found is None:
        raise Http404(_("No booking with this code."))
    return render(
        request, "queueing/booking.html", {"booking": found, "error": request.GET.get("loi") == "1"}
    )


@require_POST
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    try:
        appointments.appointment_cancel(code=code, id_number=request.POST.get("id_number", ""))
    except DomainError:
        return redirect(reverse("queueing:booking", args=[code]) + "?loi=1")
    return redirect("queueing:booking", code=code)


@require_POST
def check_in(request: HttpRequest, center_id: int) -> HttpResponse:
    center = _center(center_id)
    try:  # the booking code, the ID number, or the ID card's QR from a scanner
        ticket = appointments.appointment_check_in(
            center=center, code_or_id=request.POST.get("booking", "")[:1000]
        )
    except DomainError as exc:
        return render(request, "queueing/kiosk.html", kiosk_context(center, error=exc.message), status=422)
    return redirect(reverse("queueing:ticket", args=[ticket.token]) + "?in=1")
