"""The kiosk by ID card and procedure: the procedure's service (listed, or its field) gives the
queue; a scanned card suggests the elderly priority and checks in today's booking; bad input is
refused in Vietnamese and changes nothing."""

import pytest
from django.test import Client

from motcua.core.errors import ValidationFailed
from motcua.queueing import appointments, kiosk
from motcua.queueing.models import AppointmentStatus, Ticket, TicketBook
from tests import factories

from .support import at, queue_center

pytestmark = pytest.mark.django_db
NOW = at("2026-03-02 07:00")  # a Monday


def card(id_number="087190001234", name="Trần Thị Ánh Nguyệt", birth="15081990") -> str:
    return f"{id_number}|341234567|{name}|{birth}|Nữ|Ấp 3, Xã Mỹ An Hưng, Tỉnh Đồng Tháp|01072021"


@pytest.fixture
def catalog():
    """A (hộ tịch) covers its field; B (đất đai) lists one procedure of another field by itself."""
    s = queue_center()
    civil = factories.field("HOTICH", "Hộ tịch")
    land = factories.field("DATDAI", "Đất đai")
    other = factories.field("KHAC", "Khác")
    birth = factories.procedure_version(name="Đăng ký khai sinh", field_obj=civil)
    listed = factories.procedure_version(name="Cấp bản sao trích lục", field_obj=other)
    nobody = factories.procedure_version(name="Thủ tục không có quầy", field_obj=other)
    s.a.field = civil
    s.a.save()
    s.b.field = land
    s.b.save()
    s.b.procedures.set([listed.procedure])
    return s, birth, listed, nobody


def test_the_procedure_sets_the_service(catalog):
    s, birth, listed, _nobody = catalog
    first = kiosk.ticket_take_for_procedure(center=s.center, procedure=birth.procedure_id, at=NOW)
    second = kiosk.ticket_take_for_procedure(center=s.center, procedure=str(listed.procedure_id), at=NOW)
    assert (first.code, first.service_id, first.channel) == ("A001", s.a.pk, "kiosk")
    assert (second.code, second.service_id) == ("B001", s.b.pk)
    groups = {
        service.prefix: [v.name for v in versions]
        for service, versions in kiosk.kiosk_procedures(s.center, at=NOW)
    }
    assert groups == {"A": ["Đăng ký khai sinh"], "B": ["Cấp bản sao trích lục"]}


@pytest.mark.parametrize("procedure", ["", "abc", "999999"])
def test_an_unknown_procedure_is_refused_and_nothing_changes(catalog, procedure):
    s, *_ = catalog
    with pytest.raises(ValidationFailed, match="Thủ tục này hiện không được tiếp nhận"):
        kiosk.ticket_take_for_procedure(center=s.center, procedure=procedure, at=NOW)
    assert not Ticket.objects.exists() and not TicketBook.objects.exists()


def test_a_procedure_no_service_covers_a_closed_service_or_a_full_day_are_refused(catalog):
    s, birth, listed, nobody = catalog
    with pytest.raises(ValidationFailed, match="Chưa có dịch vụ xếp hàng nào") as none:
        kiosk.ticket_take_for_procedure(center=s.center, procedure=nobody.procedure_id, at=NOW)
    assert none.value.code == "not_served"
    s.b.is_open = False
    s.b.save()
    with pytest.raises(ValidationFailed, match="không cấp số"):
        kiosk.ticket_take_for_procedure(center=s.center, procedure=listed.procedure_id, at=NOW)
    s.a.daily_capacity = 1
    s.a.save()
    kiosk.ticket_take_for_procedure(center=s.center, procedure=birth.procedure_id, at=NOW)
    with pytest.raises(ValidationFailed) as full:
        kiosk.ticket_take_for_procedure(center=s.center, procedure=birth.procedure_id, at=NOW)
    assert full.value.code == "day_full"
    assert list(Ticket.objects.values_list("code", flat=True)) == ["A001"]


def test_a_card_suggests_the_elderly_priority_and_a_bad_card_is_refused(catalog):
    s, *_ = catalog
    ticket, scan = kiosk.kiosk_scan(center=s.center, text=card(birth="01031966"), at=NOW)  # 60 on 1 March
    assert ticket is None and scan == kiosk.Scan("Trần Thị Ánh Nguyệt", "elderly")
    assert kiosk.kiosk_scan(center=s.center, text=card(birth="03031966"), at=NOW)[1].priority == ""
    with pytest.raises(ValidationFailed, match="7 trường"):
        kiosk.kiosk_scan(center=s.center, text="087190001234|Nguyễn Văn A", at=NOW)
    assert not Ticket.objects.exists()


def test_a_card_of_a_citizen_booked_today_checks_the_booking_in(catalog):
    s, *_ = catalog
    booking = appointments.appointment_book(
        service=s.a, starts_at=at("2026-03-02 09:00"), name="Trần Thị Ánh Nguyệt",
        id_number="087190001234", phone="0912345678", now=NOW,
    )  # fmt: skip
    ticket, _scan = kiosk.kiosk_scan(center=s.center, text=card(), at=at("2026-03-02 08:50"))
    booking.refresh_from_db()
    assert ticket.channel == "appointment" and booking.status == AppointmentStatus.CHECKED_IN
    assert booking.ticket == ticket
    # the check-in form takes the scanned card too (a second scan: already used)
    other = appointments.appointment_book(
        service=s.a, starts_at=at("2026-03-02 10:00"), name="Lê Văn Nam",
        id_number="087190009999", phone="0912345679", now=NOW,
    )  # fmt: skip
    by_form = appointments.appointment_check_in(
        center=s.center, code_or_id=card("087190009999", "Lê Văn Nam"), at=at("2026-03-02 09:55")
    )
    other.refresh_from_db()
    assert other.ticket == by_form


def test_the_kiosk_pages_scan_then_procedure_then_ticket(catalog):
    s, birth, _listed, nobody = catalog
    client = Client()
    url = f"/hang-cho/{s.center.pk}/lay-so/"
    assert "Chưa biết chọn dịch vụ nào" in client.get(url).content.decode()
    scanned = client.post(url, {"card": card(birth="01011950")})
    html = scanned.content.decode()
    assert scanned.status_code == 200 and "Xin chào Trần Thị Ánh Nguyệt" in html
    assert 'value="elderly" checked' in html and "Đăng ký khai sinh" in html
    assert "087190001234" not in html  # nothing of the card is carried on
    refused = client.post(url, {"procedure": nobody.procedure_id, "priority": ""})
    assert refused.status_code == 422 and "Chưa có dịch vụ xếp hàng nào" in refused.content.decode()
    taken = client.post(url, {"procedure": birth.procedure_id, "priority": "elderly"})
    ticket = Ticket.objects.get()
    assert taken["Location"] == f"/hang-cho/ve/{ticket.token}/?in=1"
    assert (ticket.code, ticket.priority) == ("A001", "elderly")
    bad = client.post(url, {"card": "not a card"})
    assert bad.status_code == 422 and Ticket.objects.count() == 1
    by_procedure = client.get(url + "?thu-tuc=1").content.decode()
    assert "Chọn thủ tục" in by_procedure and "Cấp bản sao trích lục" in by_procedure
