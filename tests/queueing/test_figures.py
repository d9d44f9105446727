"""Queue figures and the staffing planner, checked against a discrete-event simulation."""

from datetime import timedelta

import pytest

from motcua.queueing import figures, rules, services
from motcua.queueing.models import Ticket

from .support import at, queue_center


@pytest.mark.parametrize(
    "rate,minutes",
    [(20, 10), (45, 12), (8, 20), (30, 6)],
)
def test_the_recommended_staffing_meets_the_target_in_a_simulation_and_one_fewer_does_not(rate, minutes):
    needed = rules.counters_needed(
        arrivals_per_hour=rate, service_minutes=minutes, wait_minutes=15, share=0.9
    )
    met = rules.simulate_share_within(
        arrivals_per_hour=rate, service_minutes=minutes, counters=needed, wait_minutes=15, hours=3000, seed=7
    )
    short = rules.simulate_share_within(
        arrivals_per_hour=rate,
        service_minutes=minutes,
        counters=needed - 1,
        wait_minutes=15,
        hours=3000,
        seed=7,
    )
    print(f"{rate}/h × {minutes} min: {needed} counters → {met:.3f}; {needed - 1} → {short:.3f}")
    assert met >= 0.9 > short


def test_the_simulation_agrees_with_erlang_c():
    share = rules.share_served_within(3, arrivals_per_hour=15, service_minutes=10, wait_minutes=5)
    simulated = rules.simulate_share_within(
        arrivals_per_hour=15, service_minutes=10, counters=3, wait_minutes=5, hours=5000, seed=3
    )
    assert simulated == pytest.approx(share, abs=0.02)


def _serve(s, counter, officer, *, arrive, call, start, finish, service=None):
    ticket = services.ticket_take(service=service or s.a, at=at(arrive))
    Ticket.objects.filter(pk=ticket.pk).update(arrived_at=at(arrive))
    called = services.ticket_call_next(counter=counter, officer=officer, at=at(call))
    assert called.pk == ticket.pk
    services.ticket_start(ticket_id=ticket.pk, counter=counter, officer=officer, at=at(start))
    services.ticket_finish(ticket_id=ticket.pk, counter=counter, officer=officer, at=at(finish))
    return ticket


@pytest.mark.django_db
def test_figures_per_service_counter_officer_and_hour():
    s = queue_center(max_recalls=0)
    _serve(s, s.c1, s.officer, arrive="2026-03-02 08:00", call="2026-03-02 08:10", start="2026-03-02 08:11",
           finish="2026-03-02 08:21")  # fmt: skip
    _serve(s, s.c1, s.officer, arrive="2026-03-02 08:05", call="2026-03-02 08:35", start="2026-03-02 08:35",
           finish="2026-03-02 08:55")  # fmt: skip
    missed = services.ticket_take(service=s.b, at=at("2026-03-02 09:00"))
    services.ticket_call_next(counter=s.c2, officer=s.officer2, at=at("2026-03-02 09:02"))
    services.ticket_miss(ticket_id=missed.pk, counter=s.c2, officer=s.officer2)
    day = at("2026-03-02 00:00").date()
    by_service = {
        r["label"]: r for r in figures.queue_figures(centers=[s.center], start=day, end=day, by="service")
    }
    a = by_service["A · Tư pháp - Hộ tịch"]
    assert (a["tickets"], a["served"], a["missed"]) == (2, 2, 0)
    assert a["wait_p50"] == 10 and a["wait_p90"] == 30 and a["service_mean"] == 15
    assert by_service["B · Đất đai"]["missed"] == 1
    by_hour = figures.queue_figures(centers=[s.center], start=day, end=day, by="hour")
    assert [(r["label"], r["tickets"]) for r in by_hour] == [("08:00", 2), ("09:00", 1)]
    by_officer = figures.queue_figures(centers=[s.center], start=day, end=day, by="officer")
    assert sorted(r["tickets"] for r in by_officer) == [1, 2]
    with pytest.raises(ValueError):
        figures.queue_figures(centers=[s.center], start=day, end=day, by="colour")


@pytest.mark.django_db
def test_the_staffing_plan_uses_the_arrivals_per_weekday_hour_and_measured_service_time():
    s = queue_center()
    monday = at("2026-03-02 08:00")
    for week in range(2):
        for i in range(12):  # 12 arrivals between 08:00 and 09:00 each Monday, served in 20 minutes
            base = monday + timedelta(days=7 * week, minutes=5 * i)
            ticket = services.ticket_take(service=s.a, at=base)
            Ticket.objects.filter(pk=ticket.pk).update(
                serving_at=base, finished_at=base + timedelta(minutes=20)
            )
    plan = figures.staffing_plan(center=s.center, today=at("2026-03-16 00:00").date(), weeks=4)
    assert plan["service_minutes"] == 20
    (cell,) = plan["cells"]
    assert (cell.weekday, cell.hour, cell.arrivals_per_hour) == (0, 8, 12)
    assert cell.recommended == rules.counters_needed(arrivals_per_hour=12, service_minutes=20)
