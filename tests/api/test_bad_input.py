"""Bad input is answered with a clear error, never a 500, on SQLite and PostgreSQL alike (issue 10,
defects 2 and 11): texts bounded by their columns, control characters stripped, ASCII-only digits,
JSON errors with a code, 401 for a missing token, Django's e-mail validation."""

import json

import pytest
from django.test import Client

from motcua.api.auth import token_create
from motcua.core.errors import ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.units.models import User
from tests.dossiers.support import APPLICANT, at, receive, staffed_center, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def env():
    return staffed_center(), version(name="Đăng ký khai sinh")


def client_for(user) -> Client:
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='test')}",
        HTTP_ACCEPT_LANGUAGE="vi",
        raise_request_exception=False,
    )


def intake_body(v, **applicant):
    return {
        "procedure": v.procedure.national_code,
        "applicant": {"name": "Trần Thị Ánh Nguyệt", "id_number": "087190001234", **applicant},
        "components": [{"component": c.id, "provided": True} for c in v.components.all()],
    }


def post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize(
    "where, value, field, limit",
    [
        ("applicant", {"name": "N" * 201}, "applicant.name", 200),
        ("applicant", {"phone": "0" * 21}, "applicant.phone", 20),
        ("applicant", {"address": "A" * 301}, "applicant.address", 300),
        ("applicant", {"representative_name": "R" * 201}, "applicant.representative_name", 200),
        ("applicant", {"representative_id_number": "1" * 21}, "applicant.representative_id_number", 20),
        ("applicant", {"representative_phone": "0" * 21}, "applicant.representative_phone", 20),
        ("body", {"postal_tracking_number": "P" * 41}, "postal_tracking_number", 40),
        ("body", {"reason": "x" * 2001}, "reason", 2000),
    ],
)
def test_a_text_longer_than_its_column_is_a_422_naming_the_field(env, where, value, field, limit):
    s, v = env
    body = intake_body(v, **value) if where == "applicant" else intake_body(v) | value
    response = post(client_for(s.desk), "/api/v1/dossiers", body)
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["code"] == "invalid" and answer["field"] == field
    assert f"tối đa {limit} ký tự" in answer["detail"]
    assert not Dossier.objects.exists()


def test_an_action_reason_and_problems_are_bounded(env):
    s, v = env
    dossier = receive(s, v, when=at("2026-03-02 09:00"))
    desk = client_for(s.desk)
    url = f"/api/v1/dossiers/{dossier.code}/actions/withdraw"
    assert post(desk, url, {"reason": "x" * 2001}).json()["field"] == "reason"
    assert post(desk, url, {"problems": ["x" * 2001]}).json()["field"] == "problems.0"
    assert post(desk, url, {"problems": ["x"] * 51}).status_code == 422


def test_nul_bytes_and_control_characters_are_stripped_from_json(env):
    s, v = env
    response = post(client_for(s.desk), "/api/v1/dossiers", intake_body(v, name="Trần\x00 Thị\x1b Nguyệt"))
    assert response.status_code == 201, response.content
    assert Dossier.objects.get().applicant_name == "Trần Thị Nguyệt"


def test_the_anonymous_searches_survive_a_nul_byte(env):
    anonymous = Client(raise_request_exception=False)
    assert anonymous.get("/api/v1/procedures?q=a%00b").status_code == 200
    assert anonymous.get("/thu-tuc/?q=a%00b").status_code == 200
    assert anonymous.get("/api/v1/track/%00?secret=%00").status_code == 404


@pytest.mark.parametrize("ref", ["%C2%B3", "%E2%91%A2", "%D9%A3", "%00"])
def test_only_ascii_digits_are_an_id(env, ref):
    # "³" (superscript), "③" (circled), "٣" (Arabic-Indic three, which int() reads as 3), NUL
    s, v = env
    for _ in range(3):
        receive(s, v, when=at("2026-03-02 09:00"))
    api = client_for(s.desk).get(f"/api/v1/dossiers/{ref}")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    page = Client(raise_request_exception=False)
    page.force_login(s.desk)
    assert page.get(f"/ho-so/{ref}/").status_code == 404


def test_an_id_too_big_for_the_database_is_refused_not_a_500(env):
    s, _v = env
    desk = client_for(s.desk)
    assert desk.get("/api/v1/documents/99999999999999999999999/file").status_code == 422
    assert desk.get("/api/v1/dossiers?offset=99999999999999999999999").status_code == 422


def test_the_last_guard_refuses_what_no_edge_checked(env):
    # Given a service call (as the CLI or an import makes) with a name longer than the column
    s, v = env
    too_long = services.Applicant(name="N" * 201, id_number="087190001234")
    with pytest.raises(ValidationFailed) as refused:
        receive(s, v, when=at("2026-03-02 09:00"), applicant=too_long)
    assert refused.value.field == "applicant_name"
    assert not Dossier.objects.exists()


XSS_EMAIL = 'a@b.c"><script>alert(5)</script>'


def test_an_e_mail_is_what_djangos_validator_accepts(env):
    s, v = env
    response = post(client_for(s.desk), "/api/v1/dossiers", intake_body(v, email=XSS_EMAIL))
    assert response.status_code == 422 and response.json()["field"] == "applicant.email"
    with pytest.raises(ValidationFailed):
        receive(s, v, when=at("2026-03-02 09:00"), applicant=services.Applicant(name="A", email=XSS_EMAIL))
    with pytest.raises(ValidationFailed):
        User.objects.create(username="x", email=XSS_EMAIL)
    ok = post(client_for(s.desk), "/api/v1/dossiers", intake_body(v, email="nguyet@example.vn"))
    assert ok.status_code == 201


def test_an_unexpected_error_is_answered_in_json(env, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("motcua.catalog.api.procedure_versions_in_force", broken)
    response = Client(raise_request_exception=False).get("/api/v1/procedures")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error" and "boom" not in response.json()["detail"]


def test_a_body_that_is_not_json_gets_a_code(env):
    s, _v = env
    response = client_for(s.desk).post("/api/v1/dossiers", data="{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_body" and response.json()["detail"]


def test_a_write_without_a_token_is_a_401_asking_for_one(env):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/dossiers", data="{}", content_type="application/json"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


def test_a_signed_in_page_without_its_csrf_token_is_still_refused(env):
    s, v = env
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(s.desk)
    response = post(browser, "/api/v1/dossiers", intake_body(v))
    assert response.status_code == 403 and response.json()["code"] == "csrf"
    assert APPLICANT.name  # the applicant used elsewhere is untouched


def test_an_idempotency_key_over_the_limit_is_refused_never_cut(env):
    # Given two keys that share their first 120 characters (defect 9: they used to collide)
    s, v = env
    desk = client_for(s.desk)
    first, second = "k" * 120 + "-first", "k" * 120 + "-second"
    for key in (first, second):
        response = post(desk, "/api/v1/dossiers", intake_body(v), HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 422, response.content
        assert response.json()["field"] == "Idempotency-Key" and "120" in response.json()["detail"]
    assert not Dossier.objects.exists()
    # A key at the limit still works, once
    at_limit = "k" * 120
    for _ in range(2):
        created = post(desk, "/api/v1/dossiers", intake_body(v), HTTP_IDEMPOTENCY_KEY=at_limit)
        assert created.status_code == 201
    assert Dossier.objects.count() == 1
