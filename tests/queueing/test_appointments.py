"""Booked slots inside the working calendar, check-in at the kiosk, cancellation, no-shows."""

import pytest

from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.queueing import appointments, services
from motcua.queueing.models import Appointment, AppointmentStatus, Ticket

from .support import at, queue_center

pytestmark = pytest.mark.django_db
NOW = at("2026-03-02 07:00")  # a Monday
PERSON = {"name": "Lê Thị Mai", "id_number": "087190001234", "phone": "0912345678"}


def book(s, when, **overrides):
    return appointments.appointment_book(service=s.a, starts_at=at(when), now=NOW, **{**PERSON, **overrides})


def test_slots_follow_office_hours_and_none_on_weekends_holidays_make_up_saturdays_have_slots():
    s = queue_center()
    monday = appointments.slots(s.a, at("2026-03-02 00:00").date())
    assert [t.strftime("%H:%M") for t in monday[:3]] == ["07:30", "08:00", "08:30"]
    assert monday[-1].strftime("%H:%M") == "16:30" and len(monday) == 16
    assert appointments.slots(s.a, at("2026-03-07 00:00").date()) == []  # Saturday
    assert appointments.slots(s.a, at("2026-04-30 00:00").date()) == []  # Reunification Day
    assert len(appointments.slots(s.a, at("2026-01-10 00:00").date())) == 16  # make-up Saturday


def test_booking_a_slot_until_it_is_full():
    s = queue_center(slot_capacity=2)
    first = book(s, "2026-03-03 08:00")
    book(s, "2026-03-03 08:00", id_number="087190009999")
    assert len(first.code) == 8 and first.status == AppointmentStatus.BOOKED
    with pytest.raises(ValidationFailed, match="Khung giờ 08:00 03/03/2026 đã kín") as full:
        book(s, "2026-03-03 08:00", id_number="087190008888")
    assert full.value.code == "slot_full"
    free = appointments.free_slots(s.a, at("2026-03-03 00:00").date(), now=NOW)
    assert at("2026-03-03 08:00") not in [slot for slot, _left in free]


@pytest.mark.parametrize(
    "when,overrides,message",
    [
        ("2026-04-30 08:00", {}, "không làm việc"),  # holiday
        ("2026-03-07 08:00", {}, "không làm việc"),  # Saturday
        ("2026-03-03 17:00", {}, "không phải khung giờ"),  # after hours
        ("2026-03-03 12:00", {}, "không phải khung giờ"),  # lunch
        ("2026-03-03 08:00", {"phone": "0287123456"}, "không phải số điện thoại di động"),
        ("2026-03-03 08:00", {"id_number": "12345"}, "12 chữ số"),
        ("2026-03-02 06:30", {}, "không phải khung giờ"),
    ],
)
def test_bad_bookings_are_refused_in_vietnamese_and_nothing_is_saved(when, overrides, message):
    s = queue_center()
    with pytest.raises(ValidationFailed, match=message):
        book(s, when, **overrides)
    assert not Appointment.objects.exists()


def test_check_in_by_code_or_id_gives_a_ticket_called_at_the_booked_time_before_walk_ins():
    s = queue_center()
    booking = book(s, "2026-03-02 09:00")
    walk_in = services.ticket_take(service=s.a, at=at("2026-03-02 08:40"))
    ticket = appointments.appointment_check_in(
        center=s.center, code_or_id=booking.code.lower(), at=at("2026-03-02 08:50")
    )
    assert ticket.channel == "appointment" and ticket.not_before == at("2026-03-02 09:00")
    # before the booked time the walk-in is called; at the booked time the booking goes first
    later_walk_in = services.ticket_take(service=s.a, at=at("2026-03-02 08:55"))
    assert (
        services.ticket_call_next(counter=s.c1, officer=s.officer, at=at("2026-03-02 08:56")).pk == walk_in.pk
    )
    assert (
        services.ticket_call_next(counter=s.c2, officer=s.officer2, at=at("2026-03-02 09:00")).pk == ticket.pk
    )
    assert Ticket.objects.get(pk=later_walk_in.pk).status == "queued"
    with pytest.raises(Conflict, match="đã được sử dụng hoặc đã hủy"):
        appointments.appointment_check_in(center=s.center, code_or_id=booking.code, at=at("2026-03-02 08:58"))


def test_check_in_by_id_number_on_another_day_or_too_late_is_refused():
    s = queue_center()
    book(s, "2026-03-03 09:00")
    with pytest.raises(Conflict, match="09:00 03/03/2026"):
        appointments.appointment_check_in(
            center=s.center, code_or_id="087190001234", at=at("2026-03-02 09:00")
        )
    with pytest.raises(Conflict, match="Đã quá giờ hẹn"):
        appointments.appointment_check_in(
            center=s.center, code_or_id="0871 9000 1234", at=at("2026-03-03 09:45")
        )
    with pytest.raises(NotFound):
        appointments.appointment_check_in(center=s.center, code_or_id="NOPE2345", at=at("2026-03-03 09:00"))
    assert not Ticket.objects.exists()


def test_cancel_needs_the_id_number_and_no_shows_are_counted():
    s = queue_center()
    keep = book(s, "2026-03-02 09:00")
    drop = book(s, "2026-03-02 09:30", id_number="087190009999")
    with pytest.raises(NotFound):
        appointments.appointment_cancel(code=drop.code, id_number="087190001234")
    assert appointments.appointment_cancel(code=drop.code, id_number="087190009999").status == "cancelled"
    assert appointments.appointments_mark_missed(now=at("2026-03-02 10:00")) == 1
    keep.refresh_from_db()
    assert keep.status == AppointmentStatus.MISSED
