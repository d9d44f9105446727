"""The queue on the reports app's center dashboard: a panel the queue registers with
`reports.panels` (reports never imports the queue), drawn from the same figures as the queue's own
page, with a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.queueing import dashboard, services
from motcua.reports import panels, periods
from motcua.reports.selectors import Unit
from motcua.units.models import Role
from tests import factories
from tests.staff.support import verified_client

from .support import at, queue_center
from .test_figures import _serve

pytestmark = pytest.mark.django_db
DAY = "period=day&on=2026-03-02"


def test_the_center_dashboard_shows_arrivals_and_waits_by_hour_and_the_figures_per_service():
    s = queue_center(max_recalls=0)
    _serve(s, s.c1, s.officer, arrive="2026-03-02 08:00", call="2026-03-02 08:10", start="2026-03-02 08:11",
           finish="2026-03-02 08:21")  # fmt: skip
    _serve(s, s.c1, s.officer, arrive="2026-03-02 09:05", call="2026-03-02 09:35", start="2026-03-02 09:35",
           finish="2026-03-02 09:55")  # fmt: skip
    leader = factories.user(Role.LEADER, center_obj=s.center)
    html = verified_client(leader).get(f"/bao-cao/trung-tam/{s.center.pk}/?{DAY}").content.decode()
    assert 'id="queue-title"' in html and "Lượt đến và thời gian chờ theo giờ, " in html
    assert "<svg" in html and "08h" in html and "09h" in html
    row = html[html.index("A · Tư pháp - Hộ tịch") :]
    cells = [c.split("</td>")[0] for c in row.split('<td class="n">')[1:7]]
    assert cells == ["2", "2", "0", "10,0", "30,0", "15,0"]  # tickets, served, no-shows, p50, p90, service
    assert f"/quay/hang-cho/so-lieu/?center={s.center.pk}" in html


def test_a_center_without_a_queue_has_no_queue_panel():
    center = factories.center()
    leader = factories.user(Role.LEADER, center_obj=center)
    html = verified_client(leader).get(f"/bao-cao/trung-tam/{center.pk}/?{DAY}").content.decode()
    assert 'id="queue-title"' not in html


def test_the_panel_is_registered_and_costs_the_same_queries_for_one_ticket_or_many(rf):
    assert panels.UNIT.renders["queue"] is dashboard.unit_panel
    s = queue_center()
    unit = Unit("center", str(s.center.pk), s.center.name, (s.center.pk,), "82")
    period = periods.parse({"period": "day", "on": "2026-03-02"}, today=date(2026, 3, 2))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            dashboard.unit_panel(rf.get("/"), unit, period)
        return len(captured)

    services.ticket_take(service=s.a, at=at("2026-03-02 08:00"))
    one = queries()
    for minute in range(20):
        services.ticket_take(service=s.b, at=at(f"2026-03-02 10:{minute:02d}"))
    assert queries() == one <= 4


def test_the_api_gives_the_same_figures_per_hour_within_the_users_centers_only():
    from django.test import Client

    s = queue_center(max_recalls=0)
    _serve(s, s.c1, s.officer, arrive="2026-03-02 08:00", call="2026-03-02 08:10", start="2026-03-02 08:11",
           finish="2026-03-02 08:21")  # fmt: skip
    other = queue_center()
    services.ticket_take(service=other.a, at=at("2026-03-02 08:30"))
    leader = factories.user(Role.LEADER, center_obj=s.center)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token(leader)}"}
    query = {"start": "2026-03-02", "end": "2026-03-02", "by": "hour"}
    answer = Client().get("/api/v1/queue/figures", query, **auth).json()
    assert [(r["label"], r["tickets"], r["wait_p90"]) for r in answer["rows"]] == [("08:00", 1, 10.0)]
    assert (
        Client().get("/api/v1/queue/figures", {**query, "center": other.center.pk}, **auth).status_code == 404
    )
