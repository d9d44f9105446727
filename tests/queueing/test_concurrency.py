"""Real concurrent callers on PostgreSQL: counters never share a ticket, numbers never repeat."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.queueing import services
from motcua.queueing.models import Ticket, TicketStatus
from motcua.units.models import Counter, Role
from tests import factories

from .support import at

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
)
T = at("2026-03-02 08:00")


def _center_with_counters(n):
    center = factories.center()
    a = services.service_create(center=center, prefix="A", name="Hộ tịch")
    b = services.service_create(center=center, prefix="B", name="Đất đai")
    desks = []
    for number in range(1, n + 1):
        counter = Counter.objects.create(center=center, number=number, name=f"Quầy {number}")
        # crossed preferences: a wrong lock order would deadlock here
        services.counter_services_set(counter=counter, services=[a, b] if number % 2 else [b, a])
        officer = factories.user(Role.DESK_OFFICER, center_obj=center)
        services.counter_open(counter=counter, officer=officer)
        desks.append((counter, officer))
    return a, b, desks


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_ten_counters_calling_at_once_never_get_the_same_ticket():
    a, b, desks = _center_with_counters(10)
    for i in range(60):
        services.ticket_take(service=a if i % 3 else b, at=T)
    start = threading.Barrier(len(desks))

    def work(desk):
        counter, officer = desk
        got = []
        try:
            start.wait()
            while True:
                ticket = services.ticket_call_next(counter=counter, officer=officer, at=T)
                if ticket is None:
                    return got
                got.append(ticket.pk)
                services.ticket_start(ticket_id=ticket.pk, counter=counter, officer=officer, at=T)
                services.ticket_finish(ticket_id=ticket.pk, counter=counter, officer=officer, at=T)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(desks)) as pool:
        results = list(pool.map(work, desks))
    called = [pk for got in results for pk in got]
    assert len(called) == 60 and len(set(called)) == 60
    assert Ticket.objects.filter(status=TicketStatus.FINISHED).count() == 60


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_kiosks_get_distinct_gap_free_numbers_and_a_repeated_press_calls_once():
    a, _b, desks = _center_with_counters(1)
    start = threading.Barrier(20)

    def kiosk(_):
        try:
            start.wait()
            return services.ticket_take(service=a, at=T).code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(kiosk, range(20)))
    assert sorted(codes) == [f"A{n:03d}" for n in range(1, 21)]

    counter, officer = desks[0]
    press = threading.Barrier(5)

    def click(_):
        try:
            press.wait()
            return services.ticket_call_next(
                counter=counter, officer=officer, request_key="same-click", at=T
            ).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=5) as pool:
        picked = set(pool.map(click, range(5)))
    assert len(picked) == 1
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 1
    assert Ticket.objects.filter(status=TicketStatus.QUEUED).count() == 19
