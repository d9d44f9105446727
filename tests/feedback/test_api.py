"""The feedback API: public rating, survey and complaints by code and secret; staff lists, scoped."""

import pytest
from django.test import Client

from motcua.feedback import services
from motcua.feedback.models import Complaint, FollowUp, Rating, Survey
from tests import factories

from .support import in_progress, post_json, returned, staffed_center, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return staffed_center()


@pytest.fixture
def v():
    return version()


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(user)}", HTTP_ACCEPT_LANGUAGE="en")


def test_rate_through_the_api_once(s, v):
    dossier = returned(s, v)
    api = Client(HTTP_ACCEPT_LANGUAGE="en")
    options = api.get(f"/api/v1/feedback/dossiers/{dossier.code}", {"secret": dossier.secret}).json()
    assert options["rateable"] and not options["rated"]
    assert options["officers"] == [{"id": s.desk.pk, "name": "Nguyễn Thị Hồng"}]
    body = {
        "code": dossier.code,
        "secret": dossier.secret,
        "value": "not_satisfied",
        "comment": "Chờ lâu",
        "officer": s.desk.pk,
        "officer_value": "satisfied",
    }
    created = post_json(api, "/api/v1/feedback/ratings", body)
    assert created.status_code == 201, created.content
    assert created.json() | {"id": 0, "created_at": ""} == {
        "id": 0,
        "dossier": dossier.code,
        "center": s.center.pk,
        "value": "not_satisfied",
        "comment": "Chờ lâu",
        "officer": s.desk.pk,
        "officer_value": "satisfied",
        "channel": "web",
        "created_at": "",
        "follow_up": True,
    }
    again = post_json(api, "/api/v1/feedback/ratings", body | {"value": "satisfied"})
    assert again.status_code == 409
    assert again.json() == {
        "detail": "This dossier has already been rated. A dossier can be rated only once.",
        "code": "already_rated",
    }
    assert Rating.objects.count() == 1 and FollowUp.objects.count() == 1


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(s, v):
    dossier = returned(s, v)
    body = {"code": dossier.code, "secret": dossier.secret, "value": "satisfied"}
    first = post_json(Client(), "/api/v1/feedback/ratings", body, HTTP_IDEMPOTENCY_KEY="k-1")
    retry = post_json(Client(), "/api/v1/feedback/ratings", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == retry.status_code == 201 and first.json() == retry.json()
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"secret": "WRONGWRONG"}, 404, "not_found"),
        ({"value": "happy"}, 422, "invalid"),
        ({"channel": "counter"}, 422, "invalid"),
        ({"officer": 999999}, 422, "invalid"),
    ],
)
def test_errors_are_json_with_detail_and_code(s, v, body, status, code):
    dossier = returned(s, v)
    response = post_json(
        Client(HTTP_ACCEPT_LANGUAGE="en"),
        "/api/v1/feedback/ratings",
        {"code": dossier.code, "secret": dossier.secret, "value": "satisfied"} | body,
    )
    assert response.status_code == status and response.json()["code"] == code and response.json()["detail"]
    assert not Rating.objects.exists()


def test_wrong_secrets_are_rate_limited(s, v):
    dossier = returned(s, v)
    api = Client()
    body = {"code": dossier.code, "secret": "WRONGWRONG", "value": "satisfied"}
    statuses = [post_json(api, "/api/v1/feedback/ratings", body).status_code for _ in range(25)]
    assert statuses[0] == 404 and statuses[-1] == 429
    assert post_json(api, "/api/v1/feedback/ratings", body | {"secret": dossier.secret}).status_code == 429


def test_not_returned_yet_is_a_conflict(s, v):
    dossier = in_progress(s, v)
    response = post_json(
        Client(),
        "/api/v1/feedback/ratings",
        {"code": dossier.code, "secret": dossier.secret, "value": "satisfied"},
    )
    assert response.status_code == 409 and response.json()["code"] == "not_rateable"


def test_the_survey_through_the_api(s, v):
    dossier = returned(s, v)
    api = Client()
    survey = {"code": dossier.code, "secret": dossier.secret, "scores": [2, 2, 2, 2, 2, 2, 2, None, None]}
    assert post_json(api, "/api/v1/feedback/surveys", survey).json()["code"] == "not_rated"
    post_json(
        api,
        "/api/v1/feedback/ratings",
        {"code": dossier.code, "secret": dossier.secret, "value": "satisfied"},
    )
    created = post_json(api, "/api/v1/feedback/surveys", survey)
    assert created.status_code == 201 and (created.json()["points"], created.json()["max_points"]) == (14, 14)
    assert post_json(api, "/api/v1/feedback/surveys", survey | {"scores": [5] * 9}).status_code == 422
    assert post_json(api, "/api/v1/feedback/surveys", survey).status_code == 409
    assert Survey.objects.count() == 1


def test_complaints_through_the_api(s, v):
    dossier = returned(s, v)
    api = Client(HTTP_ACCEPT_LANGUAGE="en")
    about_dossier = post_json(
        api, "/api/v1/feedback/complaints", {"code": dossier.code, "secret": dossier.secret, "text": "Chậm"}
    )
    assert about_dossier.status_code == 201 and about_dossier.json()["dossier"] == dossier.code
    assert "phone" not in about_dossier.json()
    general = post_json(
        api,
        "/api/v1/feedback/complaints",
        {"center": s.center.agency_code, "name": "Lê Văn Tám", "text": "Thiếu ghế"},
        HTTP_IDEMPOTENCY_KEY="c-1",
    )
    retry = post_json(
        api,
        "/api/v1/feedback/complaints",
        {"center": s.center.agency_code, "name": "Lê Văn Tám", "text": "Thiếu ghế"},
        HTTP_IDEMPOTENCY_KEY="c-1",
    )
    assert general.status_code == retry.status_code == 201 and general.json()["id"] == retry.json()["id"]
    unknown = post_json(api, "/api/v1/feedback/complaints", {"center": "NOPE", "name": "A", "text": "B"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "center"
    assert Complaint.objects.count() == 2


def test_staff_lists_are_scoped_and_leaders_act(s, v):
    other = staffed_center()
    mine = services.rating_create(dossier=returned(s, v), value="not_satisfied", channel="web")
    services.rating_create(dossier=returned(other, v), value="not_satisfied", channel="web")
    complaint = services.complaint_file(
        center=s.center, name="Bà Lan", phone="0909123456", text="Ồn", channel="web"
    )
    services.complaint_file(center=other.center, name="Ông Tư", text="Thiếu ghế", channel="web")
    leader = bearer(s.leader)
    assert Client().get("/api/v1/feedback/ratings").status_code == 401
    ratings = leader.get("/api/v1/feedback/ratings").json()
    assert ratings["count"] == 1 and ratings["results"][0]["id"] == mine.pk
    followups = leader.get("/api/v1/feedback/followups").json()
    assert [f["id"] for f in followups["results"]] == [mine.followup.pk]
    complaints = leader.get("/api/v1/feedback/complaints").json()
    assert [c["id"] for c in complaints["results"]] == [complaint.pk]
    assert complaints["results"][0]["phone"] == "0909123456"
    assert bearer(s.desk).get("/api/v1/feedback/complaints").json()["count"] == 0
    # another center's leader cannot close this follow-up: it does not exist for them
    stranger = bearer(other.leader)
    closed = post_json(stranger, f"/api/v1/feedback/followups/{mine.followup.pk}/done", {"action_taken": "x"})
    assert closed.status_code == 404 and closed.json()["code"] == "not_found"
    done = post_json(
        leader,
        f"/api/v1/feedback/followups/{mine.followup.pk}/done",
        {"action_taken": "Đã xin lỗi công dân"},
        HTTP_IDEMPOTENCY_KEY="d-1",
    )
    assert (
        done.status_code == 200 and done.json()["status"] == "done" and done.json()["done_by"] == s.leader.pk
    )
    replay = post_json(
        leader,
        f"/api/v1/feedback/followups/{mine.followup.pk}/done",
        {"action_taken": "Đã xin lỗi công dân"},
        HTTP_IDEMPOTENCY_KEY="d-1",
    )
    assert replay.status_code == 200 and replay.json() == done.json()
    twice = post_json(leader, f"/api/v1/feedback/followups/{mine.followup.pk}/done", {"action_taken": "Lại"})
    assert twice.status_code == 409
    answered = post_json(leader, f"/api/v1/feedback/complaints/{complaint.pk}/answer", {"answer": "Đã xử lý"})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert leader.get("/api/v1/feedback/followups", {"status": "all"}).json()["count"] == 1


def test_the_endpoints_are_in_the_openapi_document():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/feedback/ratings",
        "/api/v1/feedback/surveys",
        "/api/v1/feedback/complaints",
        "/api/v1/feedback/followups",
        "/api/v1/feedback/dossiers/{code}",
    } <= set(paths)
    assert set(paths["/api/v1/feedback/ratings"]) == {"get", "post"}
