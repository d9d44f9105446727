"""The queue API: public board, virtual tickets, bookings; staff figures and staffing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from motcua.queueing import appointments, services
from motcua.queueing.models import Appointment, Ticket
from motcua.units.models import Role
from motcua.workdays.selectors import calendar_for_center
from tests import factories

from .support import queue_center

pytestmark = pytest.mark.django_db


def test_virtual_ticket_board_and_position():
    s = queue_center()
    client = Client()
    bad = client.post(
        f"/api/v1/queue/centers/{s.center.pk}/tickets",
        {"service": s.a.pk, "phone": "0287123456"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "phone" and "di động Việt Nam" in bad.json()["detail"]
    assert not Ticket.objects.exists()
    made = client.post(
        f"/api/v1/queue/centers/{s.center.pk}/tickets",
        {"service": s.a.pk, "phone": "+84912345678"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["code"] == "A001" and made.json()["ahead"] == 0
    assert client.get(f"/api/v1/queue/tickets/{made.json()['token']}").json()["status"] == "queued"
    assert client.get("/api/v1/queue/tickets/not-a-token").status_code == 404
    s.b.daily_capacity = 0
    s.b.save()
    full = client.post(
        f"/api/v1/queue/centers/{s.center.pk}/tickets",
        {"service": s.b.pk, "phone": "0912345678"},
        content_type="application/json",
    )
    assert full.status_code == 422 and full.json()["code"] == "day_full"
    board = client.get(f"/api/v1/queue/centers/{s.center.pk}/board").json()
    assert board["board"]["services"][0] == {"prefix": "A", "name": "Tư pháp - Hộ tịch", "waiting": 1}


def test_booking_on_a_holiday_is_refused_and_a_free_slot_is_booked_and_cancelled():
    s = queue_center()
    client = Client()
    holiday = client.post(
        f"/api/v1/queue/centers/{s.center.pk}/bookings",
        {"service": s.a.pk, "starts_at": "2026-09-02T08:00:00+07:00", "name": "Lê Mai",
         "id_number": "087190001234", "phone": "0912345678"},
        content_type="application/json",
    )  # fmt: skip
    assert holiday.status_code == 422 and holiday.json()["code"] == "not_a_working_day"
    day = calendar_for_center(s.center).next_working_day(timezone.localdate() + timedelta(days=1))
    free = client.get(
        f"/api/v1/queue/centers/{s.center.pk}/slots", {"service": s.a.pk, "day": day.isoformat()}
    )
    slot = free.json()[0]["starts_at"]
    assert slot == appointments.slots(s.a, day)[0].isoformat()
    made = client.post(
        f"/api/v1/queue/centers/{s.center.pk}/bookings",
        {
            "service": s.a.pk,
            "starts_at": slot,
            "name": "Lê Mai",
            "id_number": "087190001234",
            "phone": "0912345678",
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    code = made.json()["code"]
    gone = client.post(
        f"/api/v1/queue/bookings/{code}/cancel", {"id_number": "087190001234"}, "application/json"
    )
    assert gone.json()["status"] == "cancelled" and Appointment.objects.get().status == "cancelled"


def test_figures_and_staffing_need_staff_and_stay_in_scope():
    s = queue_center()
    services.ticket_take(service=s.a)
    leader = factories.user(Role.LEADER, center_obj=s.center)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token(leader)}"}
    client = Client()
    assert client.get("/api/v1/queue/figures").status_code == 401
    rows = client.get("/api/v1/queue/figures", {"by": "service"}, **auth).json()["rows"]
    assert rows[0]["tickets"] == 1
    assert client.get("/api/v1/queue/figures", {"by": "colour"}, **auth).status_code == 422
    other = factories.center()
    assert client.get("/api/v1/queue/staffing", {"center": other.pk}, **auth).status_code == 404
    plan = client.get("/api/v1/queue/staffing", {"center": s.center.pk}, **auth).json()
    assert plan["share"] == 0.9 and plan["wait_minutes"] == 15
    assert (
        client.get("/api/v1/queue/staffing", {"center": s.center.pk, "share": 2}, **auth).status_code == 422
    )
