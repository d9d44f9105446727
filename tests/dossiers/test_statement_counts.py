"""The statements the hot requests cost, pinned: an intake, a tracking lookup, an action.

Each count is what the request needs today; a change that adds a statement must say why here.
"""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.api.auth import token_create
from motcua.dossiers import events, services, tracking
from motcua.dossiers.models import Dossier, State

from .support import staffed_center, version

pytestmark = pytest.mark.django_db

# An intake over the API: token, idempotency read, savepoint, scope roles, receiving center,
# procedure version (with its procedure), components, steps, savepoint, code sequence
# (insert-or-ignore, lock, update), calendar token, dossier insert, event insert, 4 report rollups,
# the dossier's chain head update, release, idempotency insert, release: 23 (26 before the lifecycle
# core's second version: the version read three times, the calendar token twice). Then 4 for the
# payments app's listener that freezes what the dossier owes (an existence check, the fees read in
# a savepoint and their insert, none here: the version has no fee; 6 before, the lines read again
# and a second savepoint), and 3 for the
# notifications listener that writes the outbox rows (the province's integration, read once for
# the citizen and the portal, the templates of the event's kind in one read, the webhook
# subscriptions: 9 before, six template reads and the integration read twice). Then 1 for the
# queue's listener of counter intakes: the ticket this officer is serving, if any, to link to it.
INTAKE = 31
TRACK_FIRST, TRACK_CACHED = 3, 1
TRANSFER = 13  # 11 before the hardening merge (API token bookkeeping and the read audit add two)


def _api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')}")


def _body(v) -> str:
    return json.dumps(
        {
            "procedure": v.procedure.national_code,
            "channel": "counter",
            "applicant": {"name": "Trần Thị Ánh Nguyệt", "id_number": "087190001234"},
            "components": [{"component": c.id, "provided": True} for c in v.components.all()],
        }
    )


def _count(run) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = run()
    return result, len(captured.captured_queries)


def test_intake_tracking_and_an_action_cost_what_is_pinned():
    s, v = staffed_center(), version(name="Đăng ký khai sinh")
    desk = _api(s.desk)
    body = _body(v)
    desk.post("/api/v1/dossiers", data=body, content_type="application/json")  # warm caches

    created, statements = _count(
        lambda: desk.post(
            "/api/v1/dossiers", data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
    )
    assert created.status_code == 201 and statements == INTAKE
    code, secret = created.json()["code"], created.json()["secret"]

    public = Client()
    first, statements = _count(lambda: public.get(f"/api/v1/track/{code}?secret={secret}"))
    assert first.status_code == 200 and statements == TRACK_FIRST
    again, statements = _count(lambda: public.get(f"/api/v1/track/{code}?secret={secret}"))
    assert again.json() == first.json() and statements == TRACK_CACHED

    moved, statements = _count(
        lambda: desk.post(
            f"/api/v1/dossiers/{code}/actions/transfer", data="{}", content_type="application/json"
        )
    )
    assert moved.status_code == 200 and statements == TRANSFER


def test_a_cached_answer_never_lags_an_event_committed_elsewhere():
    """Another process's commit does not reach this process's memory: the answer must still be new,
    because its key is the dossier's current chain head."""
    s, v = staffed_center(), version()
    received = services.dossier_intake(
        actor=s.desk,
        center=s.center,
        procedure_version=v,
        channel="counter",
        applicant=services.Applicant(name="Lê Văn Tám"),
        components=[services.ComponentCheck(c.id, True) for c in v.components.all()],
    ).dossier
    before = tracking.track(code=received.code, secret=received.secret, client="1.2.3.4")
    assert before["state"] == State.RECEIVED
    events.unlisten(tracking.forget_previous_answer)  # as in another process: no one drops this one's copy
    try:
        services.dossier_act(actor=s.desk, dossier=received, action="transfer")
    finally:
        events.listen(tracking.forget_previous_answer, after_commit=True)
    after = tracking.track(code=received.code, secret=received.secret, client="1.2.3.4")
    assert after["state"] == State.IN_PROGRESS and len(after["history"]) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_a_cached_answer_never_shows_an_older_state():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database two processes share")
    s, v = staffed_center(), version()
    dossier = services.dossier_intake(
        actor=s.desk,
        center=s.center,
        procedure_version=v,
        channel="counter",
        applicant=services.Applicant(name="Lê Văn Tám"),
        components=[services.ComponentCheck(c.id, True) for c in v.components.all()],
    ).dossier
    assert tracking.track(code=dossier.code, secret=dossier.secret, client="x")["state"] == State.RECEIVED
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    script = (
        "import django; django.setup();"
        "from motcua.dossiers import services; from motcua.dossiers.models import Dossier;"
        "from motcua.units.models import User;"
        f"d = Dossier.objects.get(pk={dossier.pk}); u = User.objects.get(pk={s.desk.pk});"
        "services.dossier_act(actor=u, dossier=d, action='transfer')"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)
    assert Dossier.objects.get(pk=dossier.pk).state == State.IN_PROGRESS
    assert tracking.track(code=dossier.code, secret=dossier.secret, client="x")["state"] == State.IN_PROGRESS
