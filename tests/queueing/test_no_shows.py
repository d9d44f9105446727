"""Bookings never checked in become no-shows at the end of their slot plus a grace, by a scheduled
job of the worker: idempotent, configurable, and counted in the queue figures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.errors import Conflict
from motcua.ops import schedule
from motcua.ops.models import ScheduledRun
from motcua.queueing import appointments, figures
from motcua.queueing.models import Appointment, AppointmentStatus

from .support import at, queue_center

pytestmark = pytest.mark.django_db
NOW = at("2026-03-02 07:00")  # a Monday
PERSON = {"name": "Lê Thị Mai", "id_number": "087190001234", "phone": "0912345678"}


def book(s, when, **overrides):
    return appointments.appointment_book(service=s.a, starts_at=at(when), now=NOW, **{**PERSON, **overrides})


def status(booking) -> str:
    booking.refresh_from_db()
    return booking.status


def test_a_booking_is_a_no_show_only_after_its_slot_and_the_grace(settings):
    settings.MOTCUA_QUEUE_NO_SHOW_GRACE_MINUTES = 10
    s = queue_center()  # 30-minute slots
    booking = book(s, "2026-03-02 09:00")
    assert appointments.appointments_mark_missed(now=at("2026-03-02 09:39:59")) == 0
    assert status(booking) == AppointmentStatus.BOOKED
    assert appointments.appointments_mark_missed(now=at("2026-03-02 09:40:01")) == 1
    assert status(booking) == AppointmentStatus.MISSED
    # idempotent: a second run (or a second worker) marks nothing more
    assert appointments.appointments_mark_missed(now=at("2026-03-02 09:45")) == 0
    assert status(booking) == AppointmentStatus.MISSED


def test_the_grace_is_configurable_and_check_in_is_allowed_until_it_ends(settings):
    s = queue_center()
    settings.MOTCUA_QUEUE_NO_SHOW_GRACE_MINUTES = 20
    late = book(s, "2026-03-02 09:00")
    ticket = appointments.appointment_check_in(
        center=s.center, code_or_id=late.code, at=at("2026-03-02 09:45")
    )
    assert ticket.channel == "appointment" and status(late) == AppointmentStatus.CHECKED_IN
    settings.MOTCUA_QUEUE_NO_SHOW_GRACE_MINUTES = 0
    gone = book(s, "2026-03-02 10:00", id_number="087190009999")
    with pytest.raises(Conflict):
        appointments.appointment_check_in(center=s.center, code_or_id=gone.code, at=at("2026-03-02 10:30:01"))
    assert appointments.appointments_mark_missed(now=at("2026-03-02 10:30:01")) == 1
    assert (status(late), status(gone)) == (AppointmentStatus.CHECKED_IN, AppointmentStatus.MISSED)


def test_checked_in_and_cancelled_bookings_are_never_marked_and_no_shows_are_counted():
    s = queue_center()
    came = book(s, "2026-03-02 08:00")
    appointments.appointment_check_in(center=s.center, code_or_id=came.code, at=at("2026-03-02 07:55"))
    cancelled = book(s, "2026-03-02 08:30", id_number="087190009999")
    appointments.appointment_cancel(code=cancelled.code, id_number="087190009999")
    missed = book(s, "2026-03-02 09:00", id_number="087190008888")
    assert appointments.appointments_mark_missed(now=at("2026-03-02 18:00")) == 1
    assert status(missed) == AppointmentStatus.MISSED
    day = at("2026-03-02 00:00").date()
    counted = figures.appointment_figures(centers=[s.center], start=day, end=day)
    assert counted == {"booked": 3, "pending": 0, "checked_in": 1, "cancelled": 1, "missed": 1}


def test_the_worker_runs_the_no_show_job_on_its_schedule(monkeypatch):
    job = schedule.JOBS["queue-no-show-bookings"]
    assert job.every <= timedelta(minutes=15)
    monkeypatch.setattr(schedule, "JOBS", {job.name: job})
    s = queue_center()
    long_ago = timezone.now() - timedelta(days=1)
    booking = Appointment.objects.create(
        center=s.center, service=s.a, starts_at=long_ago, code="PAST2345", name="Lê Thị Mai",
        id_number="087190001234", phone="0912345678",
    )  # fmt: skip
    assert schedule.run_due() == ["queue-no-show-bookings"]
    assert status(booking) == AppointmentStatus.MISSED
    assert ScheduledRun.objects.get(name=job.name).result == "1"
    assert job.run() == 0  # idempotent
