"""Adding an action is one declaration: it shows in `available_actions`, the API, the staff page's
buttons and the history, and other apps hear its event."""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.utils.translation import gettext_lazy

from motcua.api.auth import token_create
from motcua.core.errors import Conflict, DomainError
from motcua.dossiers import events, lifecycle, services
from motcua.dossiers.models import DossierEvent, State
from tests.staff.support import birth_registration, receive, signed_in, staffed

pytestmark = pytest.mark.django_db


def _mark_urgent(ctx):
    return {"urgent": True, "note": ctx.reason}


@pytest.fixture
def urgent_action():
    """A throw-away action declared once, the way an app would in its AppConfig.ready()."""
    action = lifecycle.register(
        lifecycle.Action(
            name="flag_urgent",
            sources=frozenset({State.RECEIVED, State.IN_PROGRESS}),
            target=None,
            roles=frozenset({lifecycle.DESK}),
            event=gettext_lazy("Flagged as urgent"),
            slip="Đánh dấu khẩn",
            button=gettext_lazy("Flag as urgent"),
            inputs=("reason",),
            needs_reason=True,
            side=lifecycle.RECEPTION,
            apply=_mark_urgent,
        )
    )
    yield action
    lifecycle.unregister(action.name)


@pytest.fixture
def noted_event():
    action = lifecycle.register(
        lifecycle.Action(
            name="test_noted",
            sources=frozenset(),
            target=None,
            roles=frozenset(),
            event=gettext_lazy("Noted by a system"),
            slip="Ghi nhận",
        )
    )
    yield action
    lifecycle.unregister(action.name)


def test_a_declared_action_is_offered_taken_and_worded_everywhere(urgent_action):
    c = staffed()
    dossier = receive(c, birth_registration())
    # available_actions
    assert "flag_urgent" in services.available_actions(dossier, c.desk)
    assert "flag_urgent" not in services.available_actions(dossier, c.specialist)  # role
    # the API lists it and takes it
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=c.desk, name='t')}")
    assert "flag_urgent" in api.get(f"/api/v1/dossiers/{dossier.code}").json()["actions"]
    missing_reason = api.post(
        f"/api/v1/dossiers/{dossier.code}/actions/flag_urgent", data="{}", content_type="application/json"
    )
    assert missing_reason.status_code == 422 and missing_reason.json()["field"] == "reason"
    # the staff page shows its button, with the declared reason input
    page = signed_in(c.desk).get(f"/ho-so/{dossier.code}/")
    html = page.content.decode()
    assert "Flag as urgent" in html and 'id="flag_urgent-reason"' in html
    # taking it from the page records the declared event, worded by the declaration
    taken = signed_in(c.desk).post(f"/ho-so/{dossier.code}/xu-ly/flag_urgent/", {"reason": "Người cao tuổi"})
    assert taken.status_code == 303, taken.content.decode()[:500]
    event = DossierEvent.objects.get(dossier=dossier, action="flag_urgent")
    assert event.payload == {"urgent": True, "note": "Người cao tuổi"}
    assert event.from_state == event.to_state == State.RECEIVED
    history = signed_in(c.desk).get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Flagged as urgent" in history
    tracked = api.get(f"/api/v1/dossiers/{dossier.code}/events").json()
    assert tracked[-1]["action"] == "flag_urgent"
    assert lifecycle.slip_label("flag_urgent") == "Đánh dấu khẩn"


def test_an_undeclared_action_is_refused_with_no_change():
    c = staffed()
    dossier = receive(c, birth_registration())
    with pytest.raises(Conflict):
        services.dossier_act(actor=c.desk, dossier=dossier, action="flag_urgent")
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_listeners_hear_events_inside_the_transaction_and_after_commit(noted_event):
    c = staffed()
    dossier = receive(c, birth_registration())
    inside, after = [], []

    def in_tx(event, d):
        inside.append((event.action, transaction.get_connection().in_atomic_block))

    def on_commit(event, d):
        after.append(event.action)

    events.listen(in_tx, actions={"test_noted"})
    events.listen(on_commit, actions={"test_noted"}, after_commit=True)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.dossier_record(actor=None, dossier=dossier, action="test_noted", payload={"n": 1})
            raise RuntimeError("rolled back")
        assert inside == [("test_noted", True)]
        assert after == []  # never heard for a rolled-back event
        assert not DossierEvent.objects.filter(action="test_noted").exists()
        event = services.dossier_record(actor=None, dossier=dossier, action="test_noted", payload={"n": 2})
    finally:
        events.unlisten(in_tx)
        events.unlisten(on_commit)
    assert event.payload == {"n": 2} and event.seq == 2
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and dossier.event_count == 2 and dossier.last_hash == event.hash


def test_a_failing_exact_listener_rolls_the_action_back():
    c = staffed()
    dossier = receive(c, birth_registration())

    def broken(event, d):
        raise DomainError("listener failed")

    events.listen(broken, actions={"transfer"})
    try:
        with pytest.raises(DomainError):
            services.dossier_act(actor=c.desk, dossier=dossier, action="transfer")
    finally:
        events.unlisten(broken)
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and dossier.event_count == 1


def test_offered_actions_cannot_be_recorded_as_system_events():
    c = staffed()
    dossier = receive(c, birth_registration())
    with pytest.raises(DomainError):
        services.dossier_record(actor=c.desk, dossier=dossier, action="transfer")
    assert json.dumps(lifecycle.INPUTS and sorted(lifecycle.INPUTS))
