"""The JSON API: the public check by id, and the staff's result endpoints (422/409 with detail,
code and field; nothing changed)."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.results.models import ResultDocument
from tests import factories

from .support import approve, receive, to_leader

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token(user)}"}


def test_the_public_check_answers_in_json_and_unknown_ids_are_404(env):
    dossier = approve(env, to_leader(env, receive(env)))
    result = ResultDocument.objects.get(dossier=dossier)
    answer = Client().get(f"/api/v1/results/check/{result.check_id}").json()
    assert answer["status"] == "valid" and answer["dossier_code"] == dossier.code
    assert answer["holder_initials"] == "T. T. Á. N."
    missing = Client().get("/api/v1/results/check/khong-co")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_render_sign_and_revoke_through_the_api(env):
    dossier = approve(env, to_leader(env, receive(env)), leader=env.other_leader)
    client = Client()
    made = client.post(f"/api/v1/dossiers/{dossier.code}/result/render", **bearer(env.specialist))
    assert made.status_code == 201 and made.json()["result"]["signed"] is False
    signed = client.post(f"/api/v1/dossiers/{dossier.code}/result/sign", **bearer(env.leader))
    assert signed.status_code == 200 and signed.json()["result"]["signers"][0]["name"] == "Võ Thành Nhân"
    result_id = signed.json()["result"]["id"]
    empty = client.post(
        f"/api/v1/results/{result_id}/revoke",
        {"reason": " "},
        content_type="application/json",
        **bearer(env.leader),
    )
    assert empty.status_code == 422 and empty.json()["field"] == "reason"
    assert ResultDocument.objects.get(pk=result_id).revoked_at is None
    done = client.post(
        f"/api/v1/results/{result_id}/revoke",
        {"reason": "Cấp nhầm"},
        content_type="application/json",
        **bearer(env.leader),
    )
    assert done.status_code == 200 and done.json()["result"]["revoke_reason"] == "Cấp nhầm"


def test_signing_without_a_key_is_a_clear_conflict(env):
    dossier = approve(env, to_leader(env, receive(env)), leader=env.other_leader)
    Client().post(f"/api/v1/dossiers/{dossier.code}/result/render", **bearer(env.specialist))
    refused = Client().post(f"/api/v1/dossiers/{dossier.code}/result/sign", **bearer(env.other_leader))
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_signing_key"
