"""Report pages: scoping, the query budget, every number linking to the list it counts, exports."""

import io
import re
from datetime import date

import pytest
from django.test import Client

from motcua.reports import selectors
from motcua.reports.models import Export, ExportStatus
from motcua.reports.periods import Kind, containing
from motcua.units.models import Role
from tests import factories
from tests.staff.support import verified_client

pytestmark = pytest.mark.django_db
Q1 = "period=quarter&on=2026-02-01"


def pages(w) -> list[str]:
    center, commune = w.centers[0].center.pk, w.centers[0].center.commune_id
    field = w.versions[0].procedure.field_id
    return [
        f"/bao-cao/tinh/{w.province.pk}/?{Q1}",
        f"/bao-cao/xa/{commune}/?{Q1}",
        f"/bao-cao/trung-tam/{center}/?{Q1}",
        f"/bao-cao/trung-tam/{center}/phan-tich/?{Q1}",
        f"/bao-cao/trung-tam/{center}/phan-tich/?{Q1}&field={field}",
        f"/bao-cao/trung-tam/{center}/phan-tich/?{Q1}&procedure={w.versions[0].procedure_id}",
        f"/bao-cao/tinh/{w.province.pk}/phan-tich/?{Q1}",
        f"/bao-cao/tinh/{w.province.pk}/phan-tich/?{Q1}&by=commune",
        f"/bao-cao/trung-tam/{center}/ho-so/?{Q1}&measure=late",
        f"/bao-cao/tinh/{w.province.pk}/ho-so/?{Q1}&measure=supplement_requests",
        f"/bao-cao/trung-tam/{center}/can-bo/?{Q1}",
        f"/bao-cao/tinh/{w.province.pk}/can-bo/?{Q1}",
        f"/bao-cao/trung-tam/{center}/dinh-ky/?{Q1}",
        "/bao-cao/tep-xuat/",
    ]


def test_every_page_answers_within_the_query_budget(lived, django_assert_max_num_queries):
    client = verified_client(lived.admin)
    for url in pages(lived):
        with django_assert_max_num_queries(22):  # +1 a period: dossiers paid online
            response = client.get(url)
        assert response.status_code == 200, url


def test_a_leader_sees_their_own_center_only(lived):
    a, b = lived.centers[0], lived.centers[1]
    client = verified_client(a.leader)
    assert client.get(f"/bao-cao/trung-tam/{a.center.pk}/?{Q1}").status_code == 200
    assert client.get(f"/bao-cao/xa/{a.center.commune_id}/?{Q1}").status_code == 200
    for url in (
        f"/bao-cao/trung-tam/{b.center.pk}/",
        f"/bao-cao/xa/{b.center.commune_id}/",
        f"/bao-cao/tinh/{lived.province.pk}/",
        f"/bao-cao/trung-tam/{b.center.pk}/ho-so/?measure=received",
        f"/bao-cao/trung-tam/{b.center.pk}/can-bo/",
        f"/bao-cao/trung-tam/{b.center.pk}/dinh-ky/?export=pdf",
        f"/bao-cao/trung-tam/{b.center.pk}/phan-tich/",
        "/bao-cao/quoc-gia/1/",
    ):
        assert client.get(url).status_code == 404, url
    # the home page leads to their own center, and the dashboard shows their rank, not others' rows
    assert client.get("/bao-cao/").url.startswith(f"/bao-cao/trung-tam/{a.center.pk}/")
    page = client.get(f"/bao-cao/trung-tam/{a.center.pk}/?{Q1}")
    assert page.context["own_rank"].commune_code == a.center.commune_id
    assert b.center.commune.name not in page.content.decode()


def test_a_province_administrator_sees_only_their_province(lived):
    an_giang = factories.province("87", "An Giang")
    factories.center(factories.commune(province_obj=an_giang), agency_code="H87.1")
    other = factories.user(Role.PROVINCE_ADMIN, province_obj=an_giang)
    assert verified_client(other).get("/bao-cao/tinh/87/").status_code == 200
    client = verified_client(other)
    assert client.get(f"/bao-cao/tinh/{lived.province.pk}/").status_code == 404
    assert client.get(f"/bao-cao/trung-tam/{lived.centers[0].center.pk}/").status_code == 404
    assert (
        verified_client(lived.admin).get(f"/bao-cao/trung-tam/{lived.centers[2].center.pk}/").status_code
        == 200
    )


def test_signed_out_visitors_go_to_the_sign_in_page(lived):
    response = Client().get(f"/bao-cao/tinh/{lived.province.pk}/")
    assert response.status_code == 302 and response.url.startswith("/dang-nhap/")


LINK = re.compile(r'<a href="(/bao-cao/[^"]+/ho-so/\?[^"]+)"[^>]*>([\d.]+)</a>')


@pytest.mark.parametrize("which", ["center", "province", "field", "communes"])
def test_every_number_links_to_the_list_it_counts(lived, which):
    client = verified_client(lived.admin)
    url = {
        "center": f"/bao-cao/trung-tam/{lived.centers[0].center.pk}/?{Q1}",
        "province": f"/bao-cao/tinh/{lived.province.pk}/?{Q1}",
        "communes": f"/bao-cao/tinh/{lived.province.pk}/phan-tich/?{Q1}&by=commune",
        "field": f"/bao-cao/tinh/{lived.province.pk}/phan-tich/?{Q1}"
        f"&field={lived.versions[0].procedure.field_id}",
    }[which]
    html = client.get(url).content.decode()
    links = {(href.replace("&amp;", "&"), int(text.replace(".", ""))) for href, text in LINK.findall(html)}
    assert len(links) > 20
    for href, number in sorted(links):
        listing = client.get(href)
        assert listing.status_code == 200, href
        assert listing.context["page"].paginator.count == number, href


def test_the_periodic_report_adds_up_and_prints(lived):
    client = verified_client(lived.admin)
    unit = f"/bao-cao/tinh/{lived.province.pk}/dinh-ky/"
    report = client.get(f"{unit}?period=year&on=2026-01-01").context["report"]
    for row in [*report.rows, report.total]:
        assert row.carried + row.received == row.handled + row.withdrawn + row.pending
    # a period that reaches today leaves pending exactly what is in progress now
    ids = [s.center.pk for s in lived.centers]
    assert report.total.pending == selectors.gauges(ids)["in_progress"]
    quarter = client.get(f"{unit}?period=quarter&on=2026-04-01").context["report"]
    assert (
        quarter.total.carried
        == client.get(f"{unit}?period=quarter&on=2026-01-01").context["report"].total.pending
    )
    pdf = client.get(f"{unit}?period=month&on=2026-02-01&export=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "BÁO CÁO TÌNH HÌNH" in text and "Tháng 02/2026" in text
    xlsx = client.get(f"{unit}?period=quarter&on=2026-02-01&export=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "Báo cáo tình hình, kết quả giải quyết thủ tục hành chính"


def test_tables_export_to_csv_and_excel(lived):
    client = verified_client(lived.admin)
    base = f"/bao-cao/tinh/{lived.province.pk}/?{Q1}"
    csv = client.get(f"/bao-cao/tinh/{lived.province.pk}/phan-tich/?{Q1}&by=commune&export=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8")
    assert text.startswith('\ufeff"Xã, phường",Đã tiếp nhận')
    assert len(text.strip().splitlines()) == 1 + len(lived.centers) + 1  # header, communes, total
    ranking = client.get(f"{base}&table=ranking&export=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(ranking.content)).active
    assert [c.value for c in sheet[3]][:3] == ["Xếp hạng", "Xã, phường", "Điểm (trên 100)"]
    assert client.get(f"{base}&table=nothing&export=csv").status_code == 404


def test_a_long_list_is_exported_in_the_background(lived, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = verified_client(lived.admin)
    unit = f"/bao-cao/tinh/{lived.province.pk}"
    data = {"period": "quarter", "on": "2026-02-01", "measure": "received", "fmt": "csv"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{unit}/ho-so/xuat/", data)
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE
    period = containing(Kind.QUARTER, date(2026, 2, 1))
    expected = selectors.counts([s.center.pk for s in lived.centers], period.start, period.end)["received"]
    assert export.rows == expected
    download = client.get(f"/bao-cao/tep-xuat/{export.pk}/")
    content = b"".join(download.streaming_content).decode("utf-8")
    assert len(content.strip().splitlines()) == expected + 1
    # asking again answers the same export; nobody else can download it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{unit}/ho-so/xuat/", data)
    assert Export.objects.count() == 1
    assert verified_client(lived.centers[0].leader).get(f"/bao-cao/tep-xuat/{export.pk}/").status_code == 404
    # the exports page lists it with its link
    assert f"/bao-cao/tep-xuat/{export.pk}/" in client.get("/bao-cao/tep-xuat/").content.decode()


def test_the_database_worker_builds_a_queued_export(
    lived, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.management import call_command

    # The worker recycles database connections between tasks; inside a test's transaction that
    # would close the test's own connection (on PostgreSQL), so it keeps it here.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = verified_client(lived.centers[0].leader)
    data = {"period": "quarter", "on": "2026-02-01", "measure": "handled", "fmt": "xlsx"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bao-cao/trung-tam/{lived.centers[0].center.pk}/ho-so/xuat/", data)
    export = Export.objects.get()
    assert export.status == ExportStatus.PENDING  # queued, not built in the request
    assert "Đang chuẩn bị" in client.get("/bao-cao/tep-xuat/").content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.file.name.endswith(".xlsx")
    from openpyxl import load_workbook

    download = client.get(f"/bao-cao/tep-xuat/{export.pk}/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 2 + export.rows


def test_the_province_dashboard_is_computed_once_a_minute_and_says_when(lived, monkeypatch):
    # Given the province dashboard just computed for the province administrator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.reports import dashboards

    computed = []
    real = dashboards.province_ranking
    monkeypatch.setattr(dashboards, "province_ranking", lambda *a, **k: computed.append(1) or real(*a, **k))
    client = verified_client(lived.admin)
    url = f"/bao-cao/tinh/{lived.province.pk}/?{Q1}"
    first = client.get(url)
    assert first.status_code == 200 and "Số liệu tính lúc" in first.content.decode() and computed == [1]
    # When it is loaded again within the minute, then nothing is recomputed: the same body, with no
    # report query (the page's own queries are the session, the user and the scope)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 200 and computed == [1]
    assert not any("reports_" in q["sql"] for q in queries.captured_queries)
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(again.content.decode()).group() == main.search(first.content.decode()).group()
    # and another period is a page of its own, and an export is always computed
    assert client.get(f"/bao-cao/tinh/{lived.province.pk}/?period=quarter&on=2026-05-01").status_code == 200
    assert computed == [1, 1]
    assert client.get(f"{url}&table=ranking&export=csv").status_code == 200 and computed == [1, 1, 1]


def test_the_ranking_is_kept_a_minute_per_province_period_and_weights(
    lived, django_assert_num_queries, monkeypatch
):
    # Given the province's ranking of a quarter, just computed
    from django.core.cache import cache

    from motcua.reports import dashboards

    q1 = containing(Kind.QUARTER, date(2026, 2, 1))
    first = dashboards.province_ranking(lived.province.pk, q1)
    # When a commune's dashboard or the API asks again within the minute, then no query is made
    with django_assert_num_queries(0):
        again = dashboards.province_ranking(lived.province.pk, q1)
    assert [(r.commune_code, r.ranked.rank) for r in again.rows] == [
        (r.commune_code, r.ranked.rank) for r in first.rows
    ]
    # and a rollup rebuild (a new generation) computes it afresh
    cache.set(dashboards.ROLLUPS_GENERATION_KEY, "rebuilt")
    computed = []
    real = dashboards._province_ranking
    monkeypatch.setattr(dashboards, "_province_ranking", lambda *a: computed.append(1) or real(*a))
    dashboards.province_ranking(lived.province.pk, q1)
    assert computed == [1]
