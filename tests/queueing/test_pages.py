"""The queue pages: kiosk, ticket, online ticket, board and its stream, the spoken call, the console,
and the intake that links the ticket being served to the new dossier."""

import json
import wave

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.queueing import live, services
from motcua.queueing.models import CounterService, Ticket, TicketStatus
from motcua.units.models import Counter
from tests.staff.support import birth_registration, signed_in, staffed
from tests.staff.test_counter import intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def env():
    c = staffed()
    a = services.service_create(center=c.center, prefix="A", name="Tư pháp - Hộ tịch")
    counter = Counter.objects.create(center=c.center, number=2, name="Quầy Tư pháp")
    services.counter_services_set(counter=counter, services=[a])
    return c, a, counter


def test_the_kiosk_issues_a_ticket_and_opens_its_printable_page(env):
    c, a, _counter = env
    client = Client()
    page = client.get(f"/hang-cho/{c.center.pk}/lay-so/")
    assert page.status_code == 200 and "Tư pháp - Hộ tịch" in page.content.decode()
    response = client.post(f"/hang-cho/{c.center.pk}/lay-so/", {"service": a.pk, "priority": "elderly"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hang-cho/ve/{ticket.token}/?in=1"
    assert ticket.code == "A001" and ticket.priority == "elderly" and ticket.channel == "kiosk"
    html = client.get(response["Location"]).content.decode()
    assert (
        "A001" in html
        and "<svg" in html
        and "size: 80mm" in client.get("/static/queueing/queue.css").getvalue().decode()
    )
    status = client.get(f"/hang-cho/ve/{ticket.token}/trang-thai.json").json()
    assert status["ahead"] == 0 and status["status"] == "queued"


def test_a_closed_service_is_refused_in_vietnamese(env):
    c, a, _counter = env
    a.is_open = False
    a.save()
    response = Client().post(f"/hang-cho/{c.center.pk}/lay-so/", {"service": a.pk})
    assert response.status_code == 422
    assert "Chọn một dịch vụ đang cấp số" in response.content.decode()
    assert not Ticket.objects.exists()


def test_an_online_ticket_needs_a_vietnamese_mobile_number(env):
    c, a, _counter = env
    client = Client()
    bad = client.post(f"/hang-cho/{c.center.pk}/truc-tuyen/", {"service": a.pk, "phone": "0287 123 456"})
    assert bad.status_code == 422 and "không phải số điện thoại di động Việt Nam" in bad.content.decode()
    assert not Ticket.objects.exists()
    good = client.post(f"/hang-cho/{c.center.pk}/truc-tuyen/", {"service": a.pk, "phone": "0912 345 678"})
    ticket = Ticket.objects.get()
    assert good.status_code == 302 and ticket.phone == "0912345678" and ticket.channel == "online"


def test_the_board_and_its_stream_show_a_call_and_catch_up_after_a_reconnect(env):
    c, a, counter = env
    services.counter_open(counter=counter, officer=c.desk)
    first = services.ticket_take(service=a)
    board = Client().get(f"/hang-cho/{c.center.pk}/man-hinh/")
    assert board.status_code == 200 and "Quầy Tư pháp" in board.content.decode()
    before = Client().get(f"/hang-cho/{c.center.pk}/man-hinh.json").json()
    services.ticket_call_next(counter=counter, officer=c.desk)
    # a board that was connected up to `before` reconnects: it gets the call it missed
    chunks = list(live.stream(c.center.pk, before["id"], seconds=0.3))
    assert chunks[0].startswith(b"retry:")
    event = chunks[1].decode()
    data = json.loads(event.split("data: ", 1)[1])
    assert data["calls"][0]["text"] == "Mời số A001 đến quầy số 2"
    assert data["board"]["counters"][0]["ticket"] == first.code
    assert f"id: {data['id']}" in event
    # a fresh board gets the state without announcing old calls again
    fresh = json.loads(list(live.stream(c.center.pk, None, seconds=0))[1].decode().split("data: ", 1)[1])
    assert fresh["calls"] == [] and fresh["board"]["last_called"][0]["code"] == "A001"


def test_the_events_url_streams_server_sent_events(env):
    c, _a, _counter = env
    response = Client().get(f"/hang-cho/{c.center.pk}/su-kien/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Type"] == "text/event-stream" and response.streaming
    first = next(iter(response.streaming_content))
    assert first.startswith(b"retry:")
    response.close()


def test_the_call_is_spoken_in_vietnamese_by_espeak_and_cached(env, settings):
    c, _a, _counter = env
    url = f"/hang-cho/{c.center.pk}/loa/A015-2.wav"
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    data = b"".join(response.streaming_content)
    assert data[:4] == b"RIFF"
    path = next((settings.MEDIA_ROOT / "queue-audio").glob("*.wav"))
    with wave.open(str(path)) as wav:
        assert wav.getnframes() / wav.getframerate() > 1.5  # a whole sentence, not a beep
    assert Client().get(f"/hang-cho/{c.center.pk}/loa/A015-9.wav").status_code == 404  # no counter 9
    assert Client().get(f"/hang-cho/{c.center.pk}/loa/xx-2.wav").status_code == 404


def test_console_open_call_start_then_the_intake_links_the_ticket(env):
    c, a, counter = env
    v = birth_registration()
    ticket = services.ticket_take(service=a)
    client = signed_in(c.desk)
    desk = client.get("/quay/").content.decode()
    assert 'id="queue-console"' in desk and "Mở quầy 2" in desk

    def post(**data):
        return client.post("/quay/hang-cho/", {"counter": counter.pk, **data}, HTTP_HX_REQUEST="true")  # noqa: E731

    assert "đang mở" in post(action="open").content.decode().lower()
    called = post(action="call", key="k-1").content.decode()
    assert "A001" in called
    assert post(action="call", key="k-1").status_code == 200  # a double click: still A001, nothing skipped
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.CALLED
    post(action="start", ticket=ticket.pk)
    response = client.post("/quay/", intake(c, v))
    assert response.status_code == 303
    dossier = Dossier.objects.get()
    linked = Ticket.objects.get(pk=ticket.pk)
    assert linked.dossier == dossier and linked.serving_at and linked.first_called_at <= linked.serving_at
    assert "xong" in post(action="finish", ticket=ticket.pk).content.decode()


def test_console_errors_are_shown_and_change_nothing(env):
    c, a, counter = env
    empty = Counter.objects.create(center=c.center, number=5, name="Quầy trống")
    ticket = services.ticket_take(service=a)
    client = signed_in(c.desk)

    def post(**data):
        return client.post("/quay/hang-cho/", {"counter": counter.pk, **data}, HTTP_HX_REQUEST="true")  # noqa: E731

    assert "Mở quầy 2 trước" in post(action="call").content.decode()
    post(action="open")
    post(action="call", key="x")
    html = post(action="transfer", ticket=ticket.pk, to_counter=empty.pk).content.decode()
    assert "Quầy 5 không phục vụ dịch vụ xếp hàng nào" in html
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.CALLED
    assert not CounterService.objects.filter(counter=empty).exists()


def test_booking_pages_book_show_cancel_and_the_kiosk_checks_in(env):
    from datetime import timedelta

    from django.utils import timezone

    from motcua.queueing import appointments
    from motcua.queueing.models import Appointment
    from motcua.workdays.selectors import calendar_for_center

    c, a, _counter = env
    client = Client()
    calendar = calendar_for_center(c.center)
    day = calendar.next_working_day(timezone.localdate() + timedelta(days=1))
    page = client.get(f"/hang-cho/{c.center.pk}/dat-lich/", {"service": a.pk, "day": day.isoformat()})
    assert page.status_code == 200 and "07:30" in page.content.decode()
    slot = appointments.slots(a, day)[0]
    person = {"name": "Lê Thị Mai", "id_number": "087190001234", "phone": "0912345678"}
    bad = client.post(
        f"/hang-cho/{c.center.pk}/dat-lich/",
        {"service": a.pk, "slot": slot.isoformat(), **person, "phone": "0287123456"},
    )
    assert bad.status_code == 422 and "không phải số điện thoại di động" in bad.content.decode()
    done = client.post(
        f"/hang-cho/{c.center.pk}/dat-lich/", {"service": a.pk, "slot": slot.isoformat(), **person}
    )
    booking = Appointment.objects.get()
    assert done.status_code == 302 and booking.code in done["Location"]
    assert booking.code in client.get(done["Location"]).content.decode()
    # the kiosk: a wrong code is explained; the right day's check-in gives a ticket
    wrong = client.post(f"/hang-cho/{c.center.pk}/den-hen/", {"booking": "ZZZZ9999"})
    assert wrong.status_code == 422 and "Không tìm thấy lịch hẹn" in wrong.content.decode()
    client.post(f"/hang-cho/lich-hen/{booking.code}/huy/", {"id_number": "000000000000"})
    assert Appointment.objects.get().status == "booked"
    client.post(f"/hang-cho/lich-hen/{booking.code}/huy/", {"id_number": "087190001234"})
    assert Appointment.objects.get().status == "cancelled"


def test_the_figures_page_draws_the_chart_and_the_staffing_plan(env):
    c, a, counter = env
    services.counter_open(counter=counter, officer=c.desk)
    ticket = services.ticket_take(service=a)
    services.ticket_call_next(counter=counter, officer=c.desk)
    services.ticket_start(ticket_id=ticket.pk, counter=counter, officer=c.desk)
    services.ticket_finish(ticket_id=ticket.pk, counter=counter, officer=c.desk)
    html = signed_in(c.desk).get("/quay/hang-cho/so-lieu/").content.decode()
    assert "<svg" in html and "Số liệu xếp hàng" in html and "A · Tư pháp - Hộ tịch" in html
    assert "Quầy 2" not in html or "2. Quầy Tư pháp" in html
    assert Client().get("/quay/hang-cho/so-lieu/").status_code == 302  # staff only


def test_the_admin_lists_services_tickets_and_bookings(env, django_user_model):
    c, a, _counter = env
    services.ticket_take(service=a)
    admin_client = Client()
    admin_client.force_login(django_user_model.objects.create_superuser("root", "", "pw-12345-test"))
    for url in ("/admin/queueing/queueservice/", "/admin/queueing/ticket/", "/admin/queueing/appointment/"):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get(f"/admin/queueing/queueservice/{a.pk}/change/").status_code == 200
