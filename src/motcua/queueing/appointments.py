"""Booked appointments (lịch hẹn): a slot of a service inside the center's working calendar,
checked in at the kiosk for a ticket that is called at the booked time before walk-ins."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.core.text import nfc
from motcua.identity.cccd import CCCDError, parse_cccd_qr
from motcua.workdays.core import VN_TZ
from motcua.workdays.selectors import calendar_for_center

from . import rules, services
from .models import Appointment, AppointmentStatus, QueueService, Ticket, TicketChannel

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed at a kiosk
ID_RE = re.compile(r"^\d{12}$")
BOOK_AHEAD_DAYS = 30
TAKEN = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


def no_show_grace() -> timedelta:
    """How long after its slot's end a booking may still check in (then it is a no-show)."""
    return timedelta(minutes=settings.MOTCUA_QUEUE_NO_SHOW_GRACE_MINUTES)


def check_in_deadline(appointment: Appointment, grace: timedelta | None = None) -> datetime:
    slot_end = appointment.starts_at + timedelta(minutes=appointment.service.slot_minutes)
    return slot_end + (no_show_grace() if grace is None else grace)


def slots(service: QueueService, day: date) -> list[datetime]:
    """The service's slots on `day` (aware instants), whatever their bookings."""
    calendar = calendar_for_center(service.center)
    return [
        datetime.combine(day, t, VN_TZ) for t in rules.day_slots(calendar.sessions(day), service.slot_minutes)
    ]


def free_slots(
    service: QueueService, day: date, *, now: datetime | None = None
) -> list[tuple[datetime, int]]:
    """(slot, places left) for slots in the future with a place left."""
    now = now or timezone.now()
    taken: dict[datetime, int] = {}
    for starts_at in Appointment.objects.filter(
        service=service, status__in=TAKEN, starts_at__date__gte=day - timedelta(days=1),
        starts_at__date__lte=day + timedelta(days=1),
    ).values_list("starts_at", flat=True):  # fmt: skip
        taken[starts_at] = taken.get(starts_at, 0) + 1
    return [
        (slot, service.slot_capacity - taken.get(slot, 0))
        for slot in slots(service, day)
        if slot > now and taken.get(slot, 0) < service.slot_capacity
    ]


@transaction.atomic
def appointment_book(
    *,
    service: QueueService,
    starts_at: datetime,
    name: str,
    id_number: str,
    phone: str,
    now: datetime | None = None,
) -> Appointment:
    now = now or timezone.now()
    service = QueueService.objects.select_for_update().select_related("center").get(pk=service.pk)
    if not service.is_open:
        raise ValidationFailed(
            _("The service “%(name)s” is not taking bookings now.") % {"name": service.name}, field="service"
        )
    name = nfc(name).strip()[:200]
    if not name:
        raise ValidationFailed(_("Enter the full name."), field="name")
    id_number = re.sub(r"\s", "", id_number or "")
    if not ID_RE.match(id_number):
        raise ValidationFailed(_("The ID number has 12 digits."), field="id_number")
    mobile = rules.vn_mobile(phone)
    if mobile is None:
        raise ValidationFailed(
            _("%(phone)s is not a Vietnamese mobile number (10 digits, e.g. 0912 345 678).")
            % {"phone": phone or "…"},
            field="phone",
        )
    local = starts_at.astimezone(VN_TZ)
    calendar = calendar_for_center(service.center)
    if not calendar.is_working_day(local.date()):
        raise ValidationFailed(
            _("The center does not work on %(day)s (weekend or holiday): choose another day.")
            % {"day": local.strftime("%d/%m/%Y")},
            field="starts_at",
            code="not_a_working_day",
        )
    if local not in slots(service, local.date()):
        raise ValidationFailed(
            _("%(time)s is not a booking slot within office hours.")
            % {"time": local.strftime("%H:%M %d/%m/%Y")},
            field="starts_at",
        )
    if local <= now or local.date() > (now.astimezone(VN_TZ) + timedelta(days=BOOK_AHEAD_DAYS)).date():
        raise ValidationFailed(
            _("Bookings are for a time from now to %(n)d days ahead.") % {"n": BOOK_AHEAD_DAYS},
            field="starts_at",
        )
    if (
        Appointment.objects.filter(service=service, starts_at=local, status__in=TAKEN).count()
        >= service.slot_capacity
    ):
        raise ValidationFailed(
            _("The slot %(time)s is full: choose another time.") % {"time": local.strftime("%H:%M %d/%m/%Y")},
            field="starts_at",
            code="slot_full",
        )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return Appointment.objects.create(
        center=service.center, service=service, starts_at=local, code=code,
        name=name, id_number=id_number, phone=mobile,
    )  # fmt: skip


def _key(code_or_id: str) -> str:
    """A booking code, an ID number, or the ID card's QR as a scanner types it (its ID number)."""
    if "|" in (code_or_id or ""):
        try:
            return parse_cccd_qr(code_or_id).id_number
        except CCCDError as exc:
            raise ValidationFailed(str(exc), field="booking") from None
    return re.sub(r"\s", "", code_or_id or "").upper()


def _find(center, code_or_id: str, *, day: date, lock: bool = False) -> Appointment | None:
    key = _key(code_or_id)
    qs = Appointment.objects.select_related("service")
    if lock:
        qs = qs.select_for_update()
    if ID_RE.match(key):
        found = list(
            qs.filter(center=center, id_number=key, status=AppointmentStatus.BOOKED).order_by("starts_at")
        )
        # today's booking first; else the earliest (its check-in is refused with its date)
        today = (a for a in found if a.starts_at.astimezone(VN_TZ).date() == day)
        return next(today, found[0] if found else None)
    return qs.filter(center=center, code=key).first() if key else None


@transaction.atomic
def appointment_cancel(*, code: str, id_number: str) -> Appointment:
    """The citizen cancels with the booking code and their ID number (both needed)."""
    appointment = Appointment.objects.select_for_update().filter(code=(code or "").upper().strip()).first()
    if appointment is None or appointment.id_number != re.sub(r"\s", "", id_number or ""):
        raise NotFound(_("No booking with this code and ID number."))
    if appointment.status != AppointmentStatus.BOOKED:
        raise Conflict(_("This booking can no longer be cancelled."))
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status"])
    return appointment


@transaction.atomic
def appointment_check_in(*, center, code_or_id: str, at: datetime | None = None) -> Ticket:
    """At the kiosk, by booking code, ID number or the ID card's QR: a ticket called at the booked
    time before walk-ins. Allowed up to the slot's end plus the no-show grace."""
    at = at or timezone.now()
    appointment = _find(center, code_or_id, day=at.astimezone(VN_TZ).date(), lock=True)
    if appointment is None:
        raise NotFound(_("No booking found for this code or ID number at this center."))
    if appointment.status != AppointmentStatus.BOOKED:
        raise Conflict(_("This booking was already used or cancelled."))
    local_day = at.astimezone(VN_TZ).date()
    if appointment.starts_at.astimezone(VN_TZ).date() != local_day:
        raise Conflict(
            _("This booking is for %(when)s.")
            % {"when": appointment.starts_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")}
        )
    if at > check_in_deadline(appointment):
        raise Conflict(_("The booked time has passed: please take an ordinary number."))
    ticket = services.ticket_take(
        service=appointment.service, channel=TicketChannel.APPOINTMENT, phone=appointment.phone, at=at,
        not_before=appointment.starts_at,
    )  # fmt: skip
    appointment.status, appointment.ticket = AppointmentStatus.CHECKED_IN, ticket
    appointment.save(update_fields=["status", "ticket"])
    return ticket


@transaction.atomic
def appointments_mark_missed(*, now: datetime | None = None, grace: timedelta | None = None) -> int:
    """Bookings not checked in by the end of their slot plus `grace` (default: the setting
    MOTCUA_QUEUE_NO_SHOW_GRACE_MINUTES) become no-shows, counted in the queue figures. Idempotent:
    a booking is marked once; checked-in and cancelled ones are never touched. The scheduled job
    `queue-no-show-bookings` (ops/jobs.py) runs it every few minutes."""
    now = now or timezone.now()
    grace = no_show_grace() if grace is None else grace
    due = [
        appointment.pk
        for appointment in Appointment.objects.select_related("service").filter(
            status=AppointmentStatus.BOOKED, starts_at__lt=now - grace
        )
        if check_in_deadline(appointment, grace) < now
    ]
    # No row lock: the update's own condition skips a booking checked in meanwhile (PostgreSQL
    # re-checks it after the check-in's lock is released).
    return Appointment.objects.filter(pk__in=due, status=AppointmentStatus.BOOKED).update(
        status=AppointmentStatus.MISSED
    )
