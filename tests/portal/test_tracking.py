"""Public tracking: by code and secret or from a slip's QR; initials only; rate-limited."""

import pytest
from django.utils import timezone

from motcua.dossiers import services as dossier_services
from tests.dossiers.support import APPLICANT, all_provided, at, receive

from .support import online_version, staffed_center

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def received_dossier(s, v):
    """Received at the counter on 02/03/2026 09:00 and transferred to the specialist's step."""
    dossier = receive(s, v, when=at("2026-03-02 09:00"))
    return dossier_services.dossier_act(
        actor=s.desk, dossier=dossier, action="transfer", at=at("2026-03-02 10:30")
    )


@pytest.fixture
def env():
    return staffed_center(), online_version()


def test_tracking_by_code_and_secret_shows_progress_but_only_initials(en, env, django_assert_max_num_queries):
    s, v = env
    dossier = received_dossier(s, v)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = en.get("/tra-cuu/", {"code": dossier.code.lower(), "s": dossier.secret})
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Đăng ký khai sinh" in page and dossier.code in page
    assert "In progress" in page and "Thẩm định hồ sơ" in page  # the state and the current step
    local_due = timezone.localtime(dossier.due_at)
    assert local_due.strftime("%d/%m/%Y %H:%M") in page
    assert "02/03/2026 09:00" in page
    assert "Reception at the counter" in page and "Transferred for processing" in page
    assert "02/03/2026 10:30" in page
    assert "T. T. Á. N." in page
    assert APPLICANT.name not in page and APPLICANT.id_number not in page and APPLICANT.phone not in page
    assert 'aria-current="step"' in page


def test_tracking_straight_from_the_slip_qr(en, env):
    s, v = env
    dossier = received_dossier(s, v)
    response = en.get(f"/tra-cuu/{dossier.code}/", {"s": dossier.secret})
    assert response.status_code == 200 and dossier.code in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"


def test_an_online_submission_is_trackable_at_once(en, env):
    s, v = env
    dossier = dossier_services.dossier_submit_online(
        center=s.center, procedure_version=v, applicant=APPLICANT, components=all_provided(v)
    )
    page = en.get(f"/tra-cuu/{dossier.code}/", {"s": dossier.secret}).content.decode()
    assert "Submitted online, awaiting reception" in page
    assert "A desk officer will check the papers and receive the dossier." in page


def test_a_wrong_secret_looks_like_a_missing_code_and_is_rate_limited(en, env):
    s, v = env
    dossier = received_dossier(s, v)
    wrong = en.get(f"/tra-cuu/{dossier.code}/", {"s": "AAAAAAAAAA"})
    unknown = en.get("/tra-cuu/H82.00000-260101-0001/", {"s": "AAAAAAAAAA"})
    assert wrong.status_code == unknown.status_code == 404
    assert "No dossier matches this code and lookup secret." in wrong.content.decode()
    statuses = [en.get(f"/tra-cuu/{dossier.code}/", {"s": "BBBBBBBBBB"}).status_code for _ in range(25)]
    assert 429 in statuses
    assert (
        "Too many failed lookups"
        in en.get(f"/tra-cuu/{dossier.code}/", {"s": dossier.secret}).content.decode()
    )


def test_the_form_asks_for_the_secret(en, env):
    s, v = env
    dossier = received_dossier(s, v)
    page = en.get("/tra-cuu/", {"code": dossier.code}).content.decode()
    assert "Enter the lookup secret printed on your receipt." in page
    assert f'value="{dossier.code}"' in page
    assert en.get("/tra-cuu/").status_code == 200


def test_the_tracking_page_speaks_vietnamese(vi, env):
    s, v = env
    dossier = received_dossier(s, v)
    page = vi.get(f"/tra-cuu/{dossier.code}/", {"s": dossier.secret}).content.decode()
    assert "Tra cứu hồ sơ" in page and "Mã hồ sơ" in page and "Lịch sử xử lý" in page
