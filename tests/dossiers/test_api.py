import json
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.core.models import IdempotencyRecord
from motcua.dossiers.models import Dossier, DossierEvent
from tests import factories

from .support import staffed_center, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def env():
    cache.clear()
    s, v = staffed_center(), version(name="Đăng ký khai sinh")
    return s, v


def client_for(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(user)}")


def intake_body(v, **overrides):
    body = {
        "procedure": v.procedure.national_code,
        "channel": "counter",
        "applicant": {"name": "Trần Thị Ánh Nguyệt", "id_number": "087190001234", "phone": "0909123456"},
        "components": [{"component": c.id, "provided": True} for c in v.components.all()],
    }
    body.update(overrides)
    return body


def post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def test_create_read_act_and_list_through_the_api(env):
    s, v = env
    desk = client_for(s.desk)
    created = post(desk, "/api/v1/dossiers", intake_body(v))
    assert created.status_code == 201, created.content
    body = created.json()
    code = body["code"]
    assert body["state"] == "received" and body["secret"] and body["due_at"].endswith("+07:00")

    got = desk.get(f"/api/v1/dossiers/{code}").json()
    assert got["actions"] == ["transfer", "reappoint", "withdraw"]
    moved = post(desk, f"/api/v1/dossiers/{code}/actions/transfer", {})
    assert moved.status_code == 200 and moved.json()["state"] == "in_progress"

    inbox = client_for(s.specialist).get("/api/v1/dossiers?state=in_progress").json()
    assert [d["code"] for d in inbox["results"]] == [code]
    events = desk.get(f"/api/v1/dossiers/{code}/events").json()
    assert [e["action"] for e in events] == ["intake", "transfer"]


def test_a_retry_with_the_same_idempotency_key_returns_the_first_result(env):
    s, v = env
    desk = client_for(s.desk)
    key = str(uuid.uuid4())
    first = post(desk, "/api/v1/dossiers", intake_body(v), HTTP_IDEMPOTENCY_KEY=key)
    second = post(desk, "/api/v1/dossiers", intake_body(v), HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Dossier.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
    other = post(desk, "/api/v1/dossiers", intake_body(v, channel="post"), HTTP_IDEMPOTENCY_KEY=key)
    assert other.status_code == 400 and other.json()["code"] == "idempotency_conflict"


def test_the_same_idempotency_key_from_another_user_is_a_new_request(env):
    """Keys are scoped by sender: a colleague who happens to send the same key gets their own
    dossier, never the first user's answer (which would leak it)."""
    s, v = env
    colleague = factories.user("desk_officer", center_obj=s.center)
    key = str(uuid.uuid4())
    first = post(client_for(s.desk), "/api/v1/dossiers", intake_body(v), HTTP_IDEMPOTENCY_KEY=key)
    second = post(client_for(colleague), "/api/v1/dossiers", intake_body(v), HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == second.status_code == 201
    assert first.json()["code"] != second.json()["code"]
    assert Dossier.objects.count() == 2 and IdempotencyRecord.objects.filter(key=key).count() == 2


def test_an_action_retried_with_its_key_is_applied_once(env):
    s, v = env
    desk = client_for(s.desk)
    code = post(desk, "/api/v1/dossiers", intake_body(v)).json()["code"]
    for _ in range(2):
        response = post(desk, f"/api/v1/dossiers/{code}/actions/transfer", {}, HTTP_IDEMPOTENCY_KEY="t-1")
        assert response.status_code == 200
    assert DossierEvent.objects.filter(dossier__code=code, action="transfer").count() == 1


def test_errors_are_json_with_detail_and_code_in_the_users_language(env):
    s, v = env
    desk = client_for(s.desk)
    code = post(desk, "/api/v1/dossiers", intake_body(v)).json()["code"]
    illegal = post(desk, f"/api/v1/dossiers/{code}/actions/return", {"method": "counter"})
    assert illegal.status_code == 409
    assert illegal.json()["code"] == "action_not_allowed" and illegal.json()["detail"]
    bad = post(desk, "/api/v1/dossiers", {"procedure": v.procedure.national_code})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    missing = post(desk, "/api/v1/dossiers", intake_body(v, procedure="9.999999"))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    en = post(
        desk, f"/api/v1/dossiers/{code}/actions/return", {"method": "counter"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert en.json()["detail"].startswith("This action is not possible")


def test_no_token_no_access_and_other_communes_see_nothing(env):
    s, v = env
    code = post(client_for(s.desk), "/api/v1/dossiers", intake_body(v)).json()["code"]
    assert Client().get(f"/api/v1/dossiers/{code}").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer nope").get(f"/api/v1/dossiers/{code}").status_code == 401
    other = client_for(staffed_center().desk)
    assert other.get(f"/api/v1/dossiers/{code}").status_code == 404
    assert other.get("/api/v1/dossiers").json()["count"] == 0
    assert post(other, f"/api/v1/dossiers/{code}/actions/withdraw", {"reason": "x"}).status_code == 404
    assert client_for(s.province_admin).get(f"/api/v1/dossiers/{code}").status_code == 200


def test_public_tracking_shows_progress_but_only_initials(env):
    s, v = env
    body = post(client_for(s.desk), "/api/v1/dossiers", intake_body(v)).json()
    public = Client()
    tracked = public.get(f"/api/v1/track/{body['code']}?secret={body['secret']}")
    assert tracked.status_code == 200
    data = tracked.json()
    assert data["applicant_initials"] == "T. T. Á. N."
    assert data["procedure"]["name"] == "Đăng ký khai sinh" and data["due_at"] == body["due_at"]
    assert [h["action"] for h in data["history"]] == ["intake"]
    text = json.dumps(data, ensure_ascii=False)
    assert "Nguyệt" not in text and "0909123456" not in text and "087190001234" not in text


def test_tracking_with_a_wrong_secret_looks_like_a_missing_code_and_is_rate_limited(env):
    s, v = env
    body = post(client_for(s.desk), "/api/v1/dossiers", intake_body(v)).json()
    public = Client()
    wrong = public.get(f"/api/v1/track/{body['code']}?secret=AAAAAAAAAA")
    unknown = public.get("/api/v1/track/H82.00000-260101-0001?secret=AAAAAAAAAA")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    statuses = [public.get(f"/api/v1/track/{body['code']}?secret=BBBBBBBBBB").status_code for _ in range(25)]
    assert statuses[-1] == 429
    # once blocked, even the right secret waits: guessing cannot continue
    assert public.get(f"/api/v1/track/{body['code']}?secret={body['secret']}").status_code == 429


def _pdf_bytes() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 750, "Giay chung sinh")
    page.save()
    return buffer.getvalue()


def test_documents_upload_list_view_and_reuse_through_the_api(env):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s, v = env
    desk = client_for(s.desk)
    first = post(desk, "/api/v1/dossiers", intake_body(v)).json()["code"]
    component = v.components.first().id
    content = _pdf_bytes()
    uploaded = desk.post(
        f"/api/v1/dossiers/{first}/documents",
        {"component": component, "file": SimpleUploadedFile("chung sinh.pdf", content)},
    )
    assert uploaded.status_code == 201, uploaded.content
    doc = uploaded.json()
    assert doc["content_type"] == "application/pdf" and doc["name"] == "chung sinh.pdf"
    assert [d["id"] for d in desk.get(f"/api/v1/dossiers/{first}/documents").json()] == [doc["id"]]
    viewed = desk.get(doc["url"])
    assert viewed.status_code == 200 and b"".join(viewed.streaming_content) == content
    assert client_for(staffed_center().desk).get(doc["url"]).status_code == 404

    fake = desk.post(
        f"/api/v1/dossiers/{first}/documents",
        {"component": component, "file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert fake.status_code in (400, 422) and "virus.pdf" in fake.json()["detail"]

    second = post(desk, "/api/v1/dossiers", intake_body(v)).json()["code"]
    [candidate] = desk.get(f"/api/v1/dossiers/{second}/reusable-documents").json()
    reused = post(
        desk,
        f"/api/v1/dossiers/{second}/documents/reuse",
        {"source_document": candidate["id"], "component": component},
    )
    assert reused.status_code == 201 and reused.json()["reused_from"] == doc["id"]
    assert reused.json()["sha256"] == doc["sha256"]


def test_slips_are_served_as_pdf_also_for_intakes_without_a_code(env):
    s, v = env
    desk = client_for(s.desk)
    received = post(desk, "/api/v1/dossiers", intake_body(v)).json()
    assert "01" in received["slips"]
    pdf = desk.get(f"/api/v1/dossiers/{received['code']}/slips/01.pdf")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    assert desk.get(f"/api/v1/dossiers/{received['code']}/slips/04.pdf").status_code == 409

    incomplete = post(desk, "/api/v1/dossiers", intake_body(v, components=[])).json()
    assert incomplete["code"] is None and incomplete["state"] == "reception_supplement"
    assert [m["name"] for m in incomplete["missing"]] == [c.name for c in v.components.all()]
    slip = desk.get(f"/api/v1/dossiers/{incomplete['id']}/slips/02")
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")
    assert (
        client_for(staffed_center().desk).get(f"/api/v1/dossiers/{incomplete['id']}/slips/02").status_code
        == 404
    )


def test_procedures_are_readable_without_login(env):
    _s, v = env
    public = Client()
    listed = public.get("/api/v1/procedures?q=dang ky khai sinh").json()
    assert [p["code"] for p in listed["results"]] == [v.procedure.national_code]
    detail = public.get(f"/api/v1/procedures/{v.procedure.national_code}").json()
    assert detail["name"] == "Đăng ký khai sinh"
    assert detail["component_ids"] == [c.id for c in v.components.all()]
    assert public.get("/api/v1/procedures/9.999999").status_code == 404


def test_the_pages_and_copies_a_fee_counts_go_through_the_api(env):
    s, v = env
    desk = client_for(s.desk)
    created = post(desk, "/api/v1/dossiers", intake_body(v, pages=12, copies=2))
    assert created.status_code == 201 and (created.json()["pages"], created.json()["copies"]) == (12, 2)
    for bad in ({"pages": 0}, {"copies": 1001}, {"pages": "mười"}):
        refused = post(desk, "/api/v1/dossiers", intake_body(v, **bad))
        assert refused.status_code == 422, bad
    assert Dossier.objects.count() == 1
