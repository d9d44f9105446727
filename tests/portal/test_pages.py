"""Public pages: home, accent-insensitive search, the procedure page with its QR code."""

from datetime import date
from decimal import Decimal

import pytest
import segno
from django.test import Client

from motcua.catalog import services
from motcua.catalog.specs import FeeSpec, StepSpec
from motcua.portal import qr
from motcua.workdays.core import TimeLimit
from tests import factories
from tests.language import english_client

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture
def client() -> Client:
    # English msgids: the Vietnamese catalog is produced later and must not break these tests.
    return english_client()


@pytest.fixture
def demo():
    services.catalog_load_demo()


def test_home_has_a_search_box_and_the_fields(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert 'type="search"' in page and 'name="q"' in page
    assert "Hộ tịch" in page and "Chứng thực" in page
    assert '<main id="main"' in page
    assert 'action="/i18n/setlang/"' in page


def test_search_without_accents_finds_the_procedure(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/thu-tuc/", {"q": "dang ky khai sinh"})
    page = response.content.decode()
    assert "Đăng ký khai sinh" in page
    assert "Đăng ký lại khai sinh" not in page or "Đăng ký khai sinh" in page
    assert "Đăng ký thường trú" not in page


@pytest.mark.parametrize(
    "query", ["Đăng ký KHAI SINH", "khai sinh dang ky", "1.001193", "  đăng   ký khai sinh "]
)
def test_search_ignores_case_accents_order_and_spaces(client, demo, query):
    assert "/thu-tuc/1.001193/" in client.get("/thu-tuc/", {"q": query}).content.decode()


def test_the_list_filters_by_field(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get("/thu-tuc/", {"field": "CUTRU"}).content.decode()
    assert "Đăng ký thường trú" in page
    assert "Đăng ký khai sinh" not in page


def test_the_list_shows_all_procedures_in_force_with_their_limits(client, demo):
    page = client.get("/thu-tuc/").content.decode()
    assert "procedures in force on" in page
    assert "Same day (after 15:00: the next working day)" in page
    assert "3 working days" in page


def test_the_procedure_page_shows_everything_a_citizen_needs(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/thu-tuc/2.000815/")
    page = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Chứng thực bản sao từ bản chính",
        "Chứng thực",  # field
        "Commune",  # level
        "Ủy ban nhân dân cấp xã",
        "Same day (after 15:00: the next working day)",
        "At the counter",
        "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao",
        "Copy",  # paper form
        "If applicable",
        "2,000 VND per page; 1,000 VND per page from page 3; at most 200,000 VND per copy",
        "Nghị định số 23/2015/NĐ-CP",
        "Bản sao được chứng thực từ bản chính",
        "Accepted at any center of the province",
        "in force from 01/07/2025",
    ):
        assert expected in page, expected


def test_the_procedure_page_carries_a_segno_qr_of_its_public_address(client, demo, settings):
    settings.PUBLIC_URL = "https://motcua.dongthap.gov.vn"
    page = client.get("/thu-tuc/1.001193/").content.decode()
    url = "https://motcua.dongthap.gov.vn/thu-tuc/1.001193/"
    expected = segno.make(url, error="m").svg_inline(**qr.SVG_OPTIONS)
    # The page adds an accessible title; the drawing itself is segno's for that exact URL.
    drawing = expected[expected.index("<path") :]
    assert drawing in page
    assert 'class="qr-code"' in page
    assert url in page


@pytest.mark.parametrize(
    ("suffix", "content_type", "magic"),
    [("svg", "image/svg+xml", b"<?xml"), ("png", "image/png", b"\x89PNG")],
)
def test_the_qr_code_downloads(client, demo, suffix, content_type, magic, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(f"/thu-tuc/1.001193/qr.{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)


def test_unknown_procedures_are_404(client, db):
    assert client.get("/thu-tuc/9.999999/").status_code == 404
    assert client.get("/thu-tuc/9.999999/qr.svg").status_code == 404


def test_the_page_shows_the_version_in_force_on_the_date_asked(client, django_assert_max_num_queries):
    # given two versions of a procedure, the second from 01/01/2026
    first = factories.catalog_version(national_code="1.004194", name="Đăng ký thường trú (cũ)")
    services.procedure_version_create(
        national_code="1.004194",
        field=first.procedure.field,
        spec=factories.version_spec(
            effective_from=date(2026, 1, 1),
            name="Đăng ký thường trú (mới)",
            limit=TimeLimit.parse("7 working days"),
            fees=(
                FeeSpec("Lệ phí", "fixed", amount=20000),
                FeeSpec("Lệ phí", "fixed", channel="online_full", amount=10000),
            ),
        ),
    )
    # when the page is asked for dates on each side
    with django_assert_max_num_queries(MAX_QUERIES):
        old = client.get("/thu-tuc/1.004194/", {"on": "2025-12-31"}).content.decode()
    new = client.get("/thu-tuc/1.004194/", {"on": "2026-01-01"}).content.decode()
    # then each shows its own version and links the other
    assert "Đăng ký thường trú (cũ)" in old and "3 working days" in old
    assert "Đăng ký thường trú (mới)" in new and "7 working days" in new
    assert "20,000 VND" in new and "Full online" in new and "Other channels" in new
    assert "?on=2026-01-01" in old
    # and a date before any version is a 404 that lists the versions
    before = client.get("/thu-tuc/1.004194/", {"on": "2020-01-01"})
    assert before.status_code == 404
    assert "not in force on 01/01/2020" in before.content.decode()


def test_an_unreadable_date_falls_back_to_today_with_a_notice(client, demo):
    page = client.get("/thu-tuc/1.001193/", {"on": "hôm qua"}).content.decode()
    assert "is not a date" in page
    assert "Đăng ký khai sinh" in page


def test_working_hours_and_calendar_days_read_naturally(client, db):
    factories.catalog_version(
        national_code="1.000010",
        limit=TimeLimit.parse("4 working hours"),
        steps=(StepSpec("Xử lý", "specialist", Decimal("0.5")),),
    )
    factories.catalog_version(
        national_code="1.000011", limit=TimeLimit.parse("15 calendar days"), effective_from=date(2025, 1, 1)
    )
    assert "4 working hours" in client.get("/thu-tuc/1.000010/").content.decode()
    assert "15 days" in client.get("/thu-tuc/1.000011/").content.decode()


def test_the_vietnamese_page_says_vietnamese_and_dates_are_dd_mm_yyyy(db):
    factories.catalog_version(national_code="1.000012")
    page = Client(HTTP_ACCEPT_LANGUAGE="en,vi;q=0.5").get("/thu-tuc/1.000012/").content.decode()
    assert '<html lang="vi">' in page
    assert "01/07/2025" in page


def test_the_list_pages_without_running_more_queries(client, django_assert_max_num_queries):
    for i in range(45):
        factories.catalog_version(national_code=f"3.{i:06d}", name=f"Thủ tục thử {i}")
    with django_assert_max_num_queries(MAX_QUERIES):
        first = client.get("/thu-tuc/").content.decode()
    assert "Page 1 of 2" in first
    second = client.get("/thu-tuc/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
