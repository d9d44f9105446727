"""The kiosk: scanner-driven, big buttons, never keeps the previous citizen's data."""

import pytest

from motcua.core.models import IdempotencyRecord
from motcua.dossiers.models import Dossier, State
from motcua.portal.kiosk_views import CENTER_COOKIE, parse_tracking

from .support import CARD, online_version, staffed_center
from .test_tracking import received_dossier

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


@pytest.fixture
def env():
    s = staffed_center()
    return s, online_version()


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_the_kiosk_start_page_is_its_own_full_screen_layout(en, env, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = en.get("/kiosk/")
    page = response.content.decode()
    assert response.status_code == 200
    assert_private(response)
    assert 'class="kiosk"' in page and "site-header" not in page
    assert 'id="scan"' in page and "autofocus" in page
    assert 'data-idle-seconds="60"' in page
    assert "Hộ tịch" in page  # the fields to browse
    assert "Set-Cookie" not in str(response.headers.get("Set-Cookie", ""))


def test_the_idle_time_can_be_shortened_for_tests(en, env):
    page = en.get("/kiosk/", {"idle": "3"}).content.decode()
    assert 'data-idle-seconds="3"' in page and "/kiosk/quet/?idle=3" in page
    assert 'data-idle-seconds="2"' in en.get("/kiosk/", {"idle": "0"}).content.decode()
    assert 'data-idle-seconds="60"' in en.get("/kiosk/", {"idle": "x"}).content.decode()


def test_browsing_a_field_and_a_procedure(en, env, django_assert_max_num_queries):
    _s, v = env
    with django_assert_max_num_queries(MAX_QUERIES):
        field = en.get("/kiosk/linh-vuc/HOTICH/")
    assert_private(field)
    assert f"/kiosk/thu-tuc/{v.procedure.national_code}/" in field.content.decode()
    with django_assert_max_num_queries(MAX_QUERIES):
        procedure = en.get(f"/kiosk/thu-tuc/{v.procedure.national_code}/")
    page = procedure.content.decode()
    assert "Giấy chứng sinh" in page and "3 working days" in page
    assert f'name="procedure" value="{v.procedure.national_code}"' in page  # a scan here files this one
    assert en.get("/kiosk/linh-vuc/NOPE/").status_code == 404


def test_scanning_an_id_card_lists_the_procedures_with_the_card_in_the_page_only(
    en, env, django_assert_max_num_queries
):
    _s, v = env
    with django_assert_max_num_queries(MAX_QUERIES):
        response = en.post("/kiosk/quet/", {"scan": CARD + "\r\n"})
    page = response.content.decode()
    assert response.status_code == 200
    assert_private(response)
    assert "Trần Thị Ánh Nguyệt" in page
    assert f'name="procedure" value="{v.procedure.national_code}"' in page
    assert 'name="card" value="087190001234|' in page
    assert dict(en.session) == {}


def test_choosing_then_confirming_files_a_kiosk_dossier_once(en, env, django_assert_max_num_queries):
    s, v = env
    code = v.procedure.national_code
    with django_assert_max_num_queries(MAX_QUERIES):
        confirm = en.post("/kiosk/xac-nhan/", {"card": CARD, "procedure": code})
    page = confirm.content.decode()
    assert_private(confirm)
    assert "Trần Thị Ánh Nguyệt" in page and "15/04/1990" in page
    assert "••••••••1234" in page and "087190001234</dd>" not in page  # the ID is masked on screen
    assert s.center.name in page  # the only active center is the kiosk's
    nonce = page.split('name="nonce" value="')[1].split('"')[0]
    form = {"card": CARD, "procedure": code, "nonce": nonce, "phone": "0909 123 456"}
    with django_assert_max_num_queries(40):  # the filing itself: code counter, dossier, event, record
        done = en.post("/kiosk/nop/", form)
    again = en.post("/kiosk/nop/", form)  # a double tap or a reload
    dossier = Dossier.objects.get()
    assert dossier.channel == "kiosk" and dossier.state == State.SUBMITTED
    assert dossier.applicant_name == "Trần Thị Ánh Nguyệt" and dossier.applicant_id_number == "087190001234"
    assert (
        dossier.applicant_birth_date.isoformat() == "1990-04-15" and dossier.applicant_phone == "0909123456"
    )
    assert dossier.receiving_center == s.center and dossier.result_delivery == "counter"
    for response in (done, again):
        assert_private(response)
        text = response.content.decode()
        assert dossier.code in text and dossier.secret[:5] in text
    assert IdempotencyRecord.objects.filter(scope="kiosk").count() == 1


def test_a_bad_phone_number_is_explained_on_the_confirm_page(en, env):
    _s, v = env
    response = en.post("/kiosk/nop/", {"card": CARD, "procedure": v.procedure.national_code, "phone": "12"})
    assert response.status_code == 422
    assert "Enter a Vietnamese phone number" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_kiosk_center_is_a_device_setting(en, env):
    s, v = env
    other = staffed_center()
    response = en.get("/kiosk/", {"trung-tam": other.center.agency_code.lower()})
    assert response.status_code == 302 and response.cookies[CENTER_COOKIE].value == other.center.agency_code
    assert other.center.name in en.get("/kiosk/").content.decode()
    page = en.post(
        "/kiosk/xac-nhan/", {"card": CARD, "procedure": v.procedure.national_code}
    ).content.decode()
    nonce = page.split('name="nonce" value="')[1].split('"')[0]
    en.post("/kiosk/nop/", {"card": CARD, "procedure": v.procedure.national_code, "nonce": nonce})
    assert Dossier.objects.get().receiving_center == other.center


def test_without_a_setting_and_with_several_centers_the_citizen_picks_one(en, env):
    s, v = env
    staffed_center()
    page = en.post(
        "/kiosk/xac-nhan/", {"card": CARD, "procedure": v.procedure.national_code}
    ).content.decode()
    assert 'name="center"' in page
    refused = en.post("/kiosk/nop/", {"card": CARD, "procedure": v.procedure.national_code})
    assert refused.status_code == 422 and not Dossier.objects.exists()
    en.post("/kiosk/nop/", {"card": CARD, "procedure": v.procedure.national_code, "center": s.center.pk})
    assert Dossier.objects.get().receiving_center == s.center


def test_scanning_on_a_procedure_page_goes_straight_to_confirmation(en, env):
    _s, v = env
    response = en.post("/kiosk/quet/", {"scan": CARD, "procedure": v.procedure.national_code})
    assert "Confirm and file" in response.content.decode()


def test_scanning_a_slip_shows_the_dossier(en, env, settings, django_assert_max_num_queries):
    settings.PUBLIC_URL = "https://motcua.dongthap.gov.vn"
    s, v = env
    dossier = received_dossier(s, v)
    scanned = f"https://motcua.dongthap.gov.vn/tra-cuu/{dossier.code}/?s={dossier.secret}"
    response = en.post("/kiosk/quet/", {"scan": scanned, "idle": "5"})
    assert response.status_code == 302
    assert response["Location"] == f"/kiosk/tra-cuu/{dossier.code}/?s={dossier.secret}&idle=5"
    with django_assert_max_num_queries(MAX_QUERIES):
        status = en.get(response["Location"])
    page = status.content.decode()
    assert_private(status)
    assert dossier.code in page and "In progress" in page and "T. T. Á. N." in page
    assert "Trần Thị Ánh Nguyệt" not in page


def test_an_unreadable_scan_is_explained(en, env):
    response = en.post("/kiosk/quet/", {"scan": "xin chao"})
    assert response.status_code == 422
    assert "This code could not be read." in response.content.decode()


def test_the_kiosk_pages_need_post_for_personal_data(en, env):
    assert en.get("/kiosk/quet/").status_code == 405
    assert en.get("/kiosk/nop/").status_code == 405
    # a confirm or submit without a valid card goes back to the start
    assert en.post("/kiosk/nop/", {"card": "rubbish"})["Location"] == "/kiosk/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "http://127.0.0.1:8000/tra-cuu/H82.29536-260302-0001/?s=ABCDE23456",
            ("H82.29536-260302-0001", "ABCDE23456"),
        ),
        ("https://x.gov.vn/tra-cuu/h82.1-260302-0001?s=abc\n", ("H82.1-260302-0001", "abc")),
        ("/tra-cuu/H82.1-260302-0001/", ("H82.1-260302-0001", "")),
        ("https://x.gov.vn/thu-tuc/1.001193/", None),
        ("087190001234||A|01011990|Nam|X|01012020", None),
    ],
)
def test_slip_urls_are_recognized(text, expected):
    assert parse_tracking(text) == expected
