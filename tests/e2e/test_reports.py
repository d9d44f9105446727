"""The report pages in Chromium: the province dashboard (ranking, charts, drill-down links) and a
center's dashboard, with no serious or critical axe-core violation; screenshots for the docs."""

import pytest

from tests.reports.support import make_world, simulate
from tests.staff.support import verified_client

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser
PERIOD = "period=quarter&on=2026-02-01"


def _sign_in(page, live_server, user) -> None:
    """The session of a signed-in, TOTP-verified client, handed to the browser."""
    client = verified_client(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_province_and_center_dashboards(page, live_server):
    world = make_world(n_centers=4)
    simulate(world, 90, seed=21)
    _sign_in(page, live_server, world.admin)

    page.goto(f"/bao-cao/tinh/{world.province.pk}/?{PERIOD}")
    assert page.locator("h1").inner_text().startswith("Bảng điều khiển")
    ranking = page.locator("#ranking-title").locator("xpath=ancestor::section")
    assert ranking.locator("tbody tr").count() == 4
    assert page.locator("svg.chart").count() == 3
    assert axe_violations(page) == []
    screenshot(page, "reports-province")

    # Drill down: a commune of the ranking, then a field, then the dossiers behind a number.
    ranking.locator("tbody tr th a").first.click()
    page.wait_for_load_state()
    assert "/bao-cao/xa/" in page.url
    page.locator("#fields-title").locator("xpath=ancestor::section").locator("tbody th a").first.click()
    page.wait_for_load_state()
    assert "/phan-tich/" in page.url and "field=" in page.url
    number = page.locator("table.kpi tbody td.n a").first
    expected = int(number.inner_text().replace(".", "") or 0)
    number.click()
    page.wait_for_load_state()
    assert "/ho-so/" in page.url
    assert page.locator("table.kpi tbody tr").count() == min(expected, 50)
    assert axe_violations(page) == []

    leader = world.centers[0].leader
    page.context.clear_cookies()
    _sign_in(page, live_server, leader)
    page.goto(f"/bao-cao/?{PERIOD}")
    page.goto(f"/bao-cao/trung-tam/{world.centers[0].center.pk}/?{PERIOD}")
    assert page.locator(".rank-badge").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "reports-center")
    # on paper: no navigation or forms, the charts and tables as they are
    page.emulate_media(media="print")
    assert not page.locator(".period-form").is_visible() and page.locator("svg.chart").first.is_visible()
    screenshot(page, "reports-center-print")
