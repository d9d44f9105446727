"""Queue API (`/api/v1/queue/...`). Public: a center's board, taking a virtual ticket, a ticket's
place, booking and cancelling. Staff (token or session): the queue figures and the staffing plan."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from motcua.api.auth import staff_auth
from motcua.core.errors import NotFound, ValidationFailed
from motcua.units.scoping import center_get_for_user, centers_for_user
from motcua.workdays.core import VN_TZ

from . import appointments, figures, selectors, services
from .models import QueueService, TicketChannel

router = Router(tags=["queue"])
staff_router = Router(tags=["queue"], auth=staff_auth)


class TicketIn(Schema):
    service: int
    phone: str
    priority: str = ""


class BookingIn(Schema):
    service: int
    starts_at: datetime
    name: str
    id_number: str
    phone: str


class CancelIn(Schema):
    id_number: str


def _service(center_id: int, service_id: int) -> QueueService:
    center = selectors.center_public(center_id)
    service = QueueService.objects.filter(center=center, pk=service_id).first()
    if service is None:
        raise NotFound(_("Queue service not found."))
    return service


def _ticket_out(ticket) -> dict:
    return {"token": str(ticket.token), **selectors.ticket_position(ticket)}


@router.get("/centers/{center_id}/board")
def board(request: HttpRequest, center_id: int, after: int | None = None):
    """The display board: counters with their tickets, last calls, waiting per service."""
    return selectors.message(selectors.center_public(center_id).pk, after)


@router.post("/centers/{center_id}/tickets", response={201: dict})
def take_ticket(request: HttpRequest, center_id: int, body: TicketIn):
    """A virtual ticket (phone number required: a Vietnamese mobile)."""
    ticket = services.ticket_take(
        service=_service(center_id, body.service),
        channel=TicketChannel.ONLINE,
        phone=body.phone,
        priority=body.priority,
    )
    return Status(201, _ticket_out(ticket))


@router.get("/tickets/{token}")
def ticket(request: HttpRequest, token: str):
    return _ticket_out(selectors.ticket_by_token(token))


@router.get("/centers/{center_id}/slots")
def slots(request: HttpRequest, center_id: int, service: int, day: date):
    free = appointments.free_slots(_service(center_id, service), day)
    return [{"starts_at": slot.isoformat(), "places": left} for slot, left in free]


@router.post("/centers/{center_id}/bookings", response={201: dict})
def book(request: HttpRequest, center_id: int, body: BookingIn):
    starts_at = body.starts_at if body.starts_at.tzinfo else body.starts_at.replace(tzinfo=VN_TZ)
    booking = appointments.appointment_book(
        service=_service(center_id, body.service),
        starts_at=starts_at,
        name=body.name,
        id_number=body.id_number,
        phone=body.phone,
    )
    return Status(
        201, {"code": booking.code, "starts_at": booking.starts_at.isoformat(), "status": booking.status}
    )


@router.post("/bookings/{code}/cancel")
def cancel(request: HttpRequest, code: str, body: CancelIn):
    booking = appointments.appointment_cancel(code=code, id_number=body.id_number)
    return {"code": booking.code, "status": booking.status}


class FiguresQuery(Schema):
    center: int | None = None
    start: date | None = None
    end: date | None = None
    by: str = "service"  # center, service, counter, officer or hour


@staff_router.get("/figures")
def queue_figures(request: HttpRequest, q: Query[FiguresQuery]):
    """Tickets, waits p50/p90 (minutes from arrival to the first call), service time, no-shows."""
    if q.by not in figures.DIMENSIONS:
        raise ValidationFailed(
            _("Group by one of: %(list)s.") % {"list": ", ".join(figures.DIMENSIONS)}, field="by"
        )
    today = timezone.now().astimezone(VN_TZ).date()
    end = q.end or today
    start = q.start or end - timedelta(days=27)
    if start > end:
        raise ValidationFailed(_("The start is after the end."), field="start")
    centers = (
        [center_get_for_user(request.user, q.center)] if q.center else list(centers_for_user(request.user))
    )
    return {
        "start": start,
        "end": end,
        "by": q.by,
        "rows": figures.queue_figures(centers=centers, start=start, end=end, by=q.by),
        "appointments": figures.appointment_figures(centers=centers, start=start, end=end),
    }


@staff_router.get("/staffing")
def staffing(request: HttpRequest, center: int, weeks: int = 4, wait_minutes: float = 15, share: float = 0.9):
    """Counters needed per weekday × hour so that `share` wait at most `wait_minutes` (Erlang C)."""
    if not (0 < share < 1 and 0 < wait_minutes <= 240 and 1 <= weeks <= 26):
        raise ValidationFailed(_("Use 0 < share < 1, 0 < wait ≤ 240 minutes and 1-26 weeks."), field="share")
    plan = figures.staffing_plan(
        center=center_get_for_user(request.user, center),
        today=timezone.now().astimezone(VN_TZ).date(),
        weeks=weeks,
        wait_minutes=wait_minutes,
        share=share,
    )
    plan["cells"] = [cell.__dict__ for cell in plan["cells"]]
    return plan
