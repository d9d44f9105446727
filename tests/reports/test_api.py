"""The reports API: KPIs, the index and the ranking, scoped like the pages."""

from datetime import date

import pytest
from django.test import Client

from motcua.reports import selectors
from motcua.reports.periods import Kind, containing
from tests import factories
from tests.staff.support import signed_in

pytestmark = pytest.mark.django_db
Q1 = "period=quarter&on=2026-02-01"


def test_kpis_of_a_unit_and_by_field(lived):
    client = signed_in(lived.admin)
    body = client.get(f"/api/v1/reports/kpis?unit=province:{lived.province.pk}&{Q1}&by=field").json()
    period = containing(Kind.QUARTER, date(2026, 2, 1))
    ids = [s.center.pk for s in lived.centers]
    counts = selectors.counts(ids, period.start, period.end)
    assert body["period"]["start"] == "2026-01-01" and body["period"]["end"] == "2026-03-31"
    assert body["counts"]["received"] == counts["received"] and body["counts"]["late"] == counts["late"]
    assert body["counts"]["in_progress"] == selectors.gauges(ids)["in_progress"]
    assert sum(r["counts"]["received"] for r in body["rows"]) == counts["received"]
    assert (
        body["paid_online"] is None
        and body["figures"]["median"] is None
        or "low" in body["figures"]["median"]
    )


def test_a_commune_sees_itself_and_its_rank_only(lived):
    a, b = lived.centers[0], lived.centers[1]
    client = signed_in(a.leader)
    assert client.get(f"/api/v1/reports/kpis?unit=center:{a.center.pk}&{Q1}").status_code == 200
    assert client.get(f"/api/v1/reports/kpis?unit=commune:{a.center.commune_id}&{Q1}").status_code == 200
    for unit in (f"center:{b.center.pk}", f"commune:{b.center.commune_id}", f"province:{lived.province.pk}"):
        response = client.get(f"/api/v1/reports/kpis?unit={unit}&{Q1}")
        assert response.status_code == 404, unit
    ranking = client.get(f"/api/v1/reports/ranking?province={lived.province.pk}&{Q1}").json()
    assert ranking["complete"] is False and [r["commune"] for r in ranking["rows"]] == [a.center.commune_id]
    assert ranking["ranked_communes"] >= 1
    index = client.get(f"/api/v1/reports/index?unit=center:{a.center.pk}&{Q1}").json()
    assert index["rank"] == ranking["rows"][0]["rank"]
    assert index["score"]["total"] == ranking["rows"][0]["score"]["total"]
    assert client.get(f"/api/v1/reports/ranking?province=01&{Q1}").status_code == 404


def test_the_province_administrator_sees_every_commune(lived):
    token = factories.api_token(lived.admin, "báo cáo")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    ranking = client.get(f"/api/v1/reports/ranking?province={lived.province.pk}&{Q1}").json()
    assert ranking["complete"] is True and len(ranking["rows"]) == len(lived.centers)
    ranks = [r["rank"] for r in ranking["rows"] if r["rank"] is not None]
    assert ranks == sorted(ranks) and ranks[0] == 1
    groups = ranking["rows"][0]["score"]["groups"]
    assert [g["key"] for g in groups] == [
        "transparency",
        "progress",
        "online_service",
        "online_payment",
        "digitization",
        "satisfaction",
    ]
    indicators = {i["key"]: i for i in ranking["rows"][0]["score"]["indicators"]}
    assert indicators["procedures_published"]["status"] == "not_computable"
    # online payments are recorded (the payments app): none yet in these dossiers scores 0, not "no data"
    assert indicators["paid_online"]["status"] == "ok" and indicators["paid_online"]["points"] == 0
    # labels, points and thresholds are said once; a row's indicator carries a note only when it
    # could not be scored, and the legend's points add up to 100
    legend = {i["key"]: i for i in ranking["indicators"]}
    assert legend["digitized"]["threshold"] == 0.8 and legend["dossiers_online"]["threshold"] == 0.5
    assert legend["paid_online"]["label"] and "label" not in indicators["paid_online"]
    assert sum(g["max_points"] for g in ranking["groups"]) == 100
    assert round(sum(i["max_points"] for i in ranking["indicators"]), 6) == 100
    assert indicators["procedures_published"]["note"] and all(
        "note" not in i for i in indicators.values() if i["status"] == "ok"
    )
    officers = client.get(f"/api/v1/reports/officers?unit=province:{lived.province.pk}&{Q1}").json()
    assert {r["user"] for r in officers["rows"] if r["desk_officer"]} == {s.desk.pk for s in lived.centers}
    periodic = client.get(f"/api/v1/reports/periodic?unit=province:{lived.province.pk}&{Q1}").json()
    total = periodic["total"]
    assert total["carried"] + total["received"] == total["handled"] + total["withdrawn"] + total["pending"]
    trend = client.get(f"/api/v1/reports/trend?unit=province:{lived.province.pk}&{Q1}&weeks=4").json()
    assert len(trend["weeks"]) == 4


def test_errors_are_clear(lived):
    client = signed_in(lived.admin)
    assert client.get("/api/v1/reports/kpis?unit=nowhere").status_code == 422
    bad = client.get(f"/api/v1/reports/kpis?unit=province:{lived.province.pk}&period=decade")
    assert bad.status_code == 422 and bad.json()["field"] == "period"
    assert Client().get(f"/api/v1/reports/kpis?unit=province:{lived.province.pk}").status_code == 401
