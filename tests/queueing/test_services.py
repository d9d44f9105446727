"""Tickets, the console's steps, and bad input that changes nothing."""

import pytest

from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.queueing import selectors, services
from motcua.queueing.models import Priority, Ticket, TicketBook, TicketEvent, TicketStatus
from motcua.units.models import Counter
from tests import factories

from .support import at, queue_center

pytestmark = pytest.mark.django_db
T = at("2026-03-02 08:00")


def take(service, n=1, **kwargs):
    return [services.ticket_take(service=service, at=T, **kwargs) for _ in range(n)]


def test_numbers_are_gap_free_per_service_and_day_and_restart_the_next_day():
    s = queue_center()
    a = take(s.a, 3)
    b = take(s.b, 2)
    assert [t.code for t in a] == ["A001", "A002", "A003"]
    assert [t.code for t in b] == ["B001", "B002"]
    tomorrow = services.ticket_take(service=s.a, at=at("2026-03-03 07:31"))
    assert tomorrow.code == "A001"
    assert TicketBook.objects.get(service=s.a, day=T.date()).last_number == 3


def test_closed_service_full_day_and_bad_phone_are_refused_and_change_nothing():
    s = queue_center(daily_capacity=2)
    take(s.a, 2)
    with pytest.raises(ValidationFailed, match="Đã hết 2 số") as full:
        services.ticket_take(service=s.a, at=T)
    assert full.value.code == "day_full"
    s.b.is_open = False
    s.b.save()
    with pytest.raises(ValidationFailed, match="hiện không cấp số"):
        services.ticket_take(service=s.b, at=T)
    with pytest.raises(ValidationFailed, match="không phải số điện thoại di động Việt Nam") as phone:
        services.ticket_take(service=s.a, channel="online", phone="0287 123 456", at=T)
    assert phone.value.field == "phone"
    assert Ticket.objects.count() == 2
    assert TicketBook.objects.get(service=s.a).last_number == 2


def test_life_of_a_ticket_called_recalled_served_finished():
    s = queue_center()
    (t,) = take(s.a)
    called = services.ticket_call_next(counter=s.c1, officer=s.officer, at=at("2026-03-02 08:05"))
    assert called.pk == t.pk and called.status == TicketStatus.CALLED and called.counter == s.c1
    services.ticket_recall(ticket_id=t.pk, counter=s.c1, officer=s.officer)
    services.ticket_start(ticket_id=t.pk, counter=s.c1, officer=s.officer, at=at("2026-03-02 08:06"))
    done = services.ticket_finish(ticket_id=t.pk, counter=s.c1, officer=s.officer, at=at("2026-03-02 08:20"))
    assert done.status == TicketStatus.FINISHED
    assert list(TicketEvent.objects.filter(ticket=t).values_list("action", flat=True)) == [
        "take", "call", "recall", "start", "finish",
    ]  # fmt: skip


def test_no_show_only_after_the_configured_recalls():
    s = queue_center(max_recalls=1)
    (t,) = take(s.a)
    services.ticket_call_next(counter=s.c1, officer=s.officer, at=T)
    with pytest.raises(Conflict, match="Hãy gọi lại số A001 trước"):
        services.ticket_miss(ticket_id=t.pk, counter=s.c1, officer=s.officer)
    services.ticket_recall(ticket_id=t.pk, counter=s.c1, officer=s.officer)
    with pytest.raises(Conflict, match="đã được gọi lại 1 lần"):
        services.ticket_recall(ticket_id=t.pk, counter=s.c1, officer=s.officer)
    assert services.ticket_miss(ticket_id=t.pk, counter=s.c1, officer=s.officer).status == TicketStatus.MISSED


def test_counters_call_their_preferred_service_first_and_priority_within_a_service():
    s = queue_center()
    a1, a2 = take(s.a, 2)
    (b1,) = take(s.b)
    (a3,) = take(s.a, priority=Priority.ELDERLY)
    assert services.ticket_call_next(counter=s.c2, officer=s.officer2, at=T).pk == b1.pk  # prefers B
    assert services.ticket_call_next(counter=s.c1, officer=s.officer, at=T).pk == a3.pk  # priority first
    services.ticket_start(ticket_id=a3.pk, counter=s.c1, officer=s.officer)
    services.ticket_finish(ticket_id=a3.pk, counter=s.c1, officer=s.officer)
    services.ticket_start(ticket_id=b1.pk, counter=s.c2, officer=s.officer2)
    services.ticket_finish(ticket_id=b1.pk, counter=s.c2, officer=s.officer2)
    assert services.ticket_call_next(counter=s.c2, officer=s.officer2, at=T).pk == a1.pk  # B empty: A
    assert services.ticket_call_next(counter=s.c1, officer=s.officer, at=T).pk == a2.pk


def test_a_double_click_never_skips_a_ticket():
    s = queue_center()
    first, second = take(s.a, 2)
    one = services.ticket_call_next(counter=s.c1, officer=s.officer, request_key="k1", at=T)
    again = services.ticket_call_next(counter=s.c1, officer=s.officer, request_key="k1", at=T)
    assert one.pk == again.pk == first.pk
    # without a key, the second press is refused while the first ticket is at the counter
    with pytest.raises(Conflict, match="Số A001 vẫn đang ở quầy"):
        services.ticket_call_next(counter=s.c1, officer=s.officer, at=T)
    assert Ticket.objects.get(pk=second.pk).status == TicketStatus.QUEUED


def test_transfer_keeps_the_arrival_time_and_refuses_a_counter_that_serves_nothing():
    s = queue_center()
    (t,) = take(s.a)
    later = services.ticket_take(service=s.b, at=at("2026-03-02 08:30"))
    services.ticket_call_next(counter=s.c1, officer=s.officer, at=at("2026-03-02 09:00"))
    with pytest.raises(ValidationFailed, match="Quầy 3 không phục vụ dịch vụ xếp hàng nào"):
        services.ticket_transfer(ticket_id=t.pk, counter=s.c1, officer=s.officer, to_counter=s.c3)
    assert Ticket.objects.get(pk=t.pk).status == TicketStatus.CALLED
    moved = services.ticket_transfer(ticket_id=t.pk, counter=s.c1, officer=s.officer, to_service=s.b)
    assert moved.status == TicketStatus.QUEUED and moved.arrived_at == T and moved.code == "A001"
    # it arrived before B001, so counter 2 (B first) calls it first
    assert services.ticket_call_next(counter=s.c2, officer=s.officer2, at=at("2026-03-02 09:01")).pk == t.pk
    assert later.status == TicketStatus.QUEUED


def test_transfer_to_one_counter_is_called_only_there():
    s = queue_center()
    (t,) = take(s.a)
    services.ticket_call_next(counter=s.c1, officer=s.officer, at=T)
    services.ticket_transfer(ticket_id=t.pk, counter=s.c1, officer=s.officer, to_counter=s.c2)
    assert services.ticket_call_next(counter=s.c1, officer=s.officer, at=T) is None
    assert services.ticket_call_next(counter=s.c2, officer=s.officer2, at=T).pk == t.pk


def test_steps_need_the_officer_holding_the_counter_and_an_open_counter():
    s = queue_center()
    (t,) = take(s.a)
    with pytest.raises(Conflict, match="Mở quầy 1 trước"):
        services.ticket_call_next(counter=s.c1, officer=s.officer2, at=T)
    services.counter_pause(counter=s.c1, officer=s.officer)
    with pytest.raises(Conflict, match="đang tạm dừng"):
        services.ticket_call_next(counter=s.c1, officer=s.officer, at=T)
    services.counter_pause(counter=s.c1, officer=s.officer, resume=True)
    assert services.ticket_call_next(counter=s.c1, officer=s.officer, at=T).pk == t.pk
    with pytest.raises(ValidationFailed, match="chưa phục vụ dịch vụ xếp hàng nào"):
        services.counter_open(counter=s.c3, officer=s.officer3)
    other = Counter.objects.create(center=factories.center(), number=1, name="x")
    with pytest.raises(NotFound):
        services.ticket_transfer(ticket_id=t.pk, counter=s.c1, officer=s.officer, to_counter=other)


def test_people_ahead_and_estimated_wait():
    s = queue_center()
    tickets = take(s.a, 4)
    position = selectors.ticket_position(tickets[3])
    # 3 ahead, 10 minutes each, two open counters call A
    assert position["ahead"] == 3 and position["wait_minutes"] == 15


def test_three_ahead_hook_fires_once(django_capture_on_commit_callbacks):
    from motcua.queueing.signals import ticket_near

    s = queue_center()
    take(s.a, 2)
    virtual = services.ticket_take(service=s.a, channel="online", phone="0912345678", at=T)
    take(s.a, 2)
    heard = []

    def listener(sender, ticket, ahead, **kwargs):
        heard.append((ticket.code, ahead))

    ticket_near.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_call_next(counter=s.c1, officer=s.officer, at=T)
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_call_next(counter=s.c2, officer=s.officer2, at=T)
    finally:
        ticket_near.disconnect(listener)
    assert heard == [(virtual.code, 1)]


def test_the_demo_sets_up_services_and_counters_once():
    from motcua.queueing.demo import queue_demo_load
    from motcua.queueing.models import CounterService, QueueService

    center = factories.center()
    for number in (1, 2, 3):
        Counter.objects.create(center=center, number=number, name=f"Quầy {number}")
    assert queue_demo_load([center]) == 1
    assert queue_demo_load([center]) == 0
    assert list(QueueService.objects.filter(center=center).values_list("prefix", flat=True)) == [
        "A",
        "B",
        "C",
    ]
    first = CounterService.objects.filter(counter__center=center, counter__number=1).order_by("preference")
    assert [link.service.prefix for link in first] == ["A", "C"]
