"""Issue 11, defect 5: paper dossiers no longer stall at "received": whatever the desk has not
transferred by its time (the 15:00 rule) is transferred by the scheduled task, once."""

import pytest
from django.core.management import call_command

from motcua.dossiers.models import State
from motcua.dossiers.tasks import transfer_due_dossiers
from motcua.dossiers.transfers import dossiers_transfer_due

from .support import at, receive, staffed_center, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return staffed_center()


@pytest.fixture
def v():
    return version()


def test_a_paper_dossier_received_before_the_cutoff_is_transferred_at_the_close_of_the_day(s, v):
    d = receive(s, v, when=at("2026-03-02 09:00"))  # a Monday
    assert d.state == State.RECEIVED
    # not before its time
    assert dossiers_transfer_due(now=at("2026-03-02 14:00")).transferred == []
    d.refresh_from_db()
    assert d.state == State.RECEIVED
    # at its time: transferred, in the name of the officer who received it
    run = dossiers_transfer_due(now=at("2026-03-02 17:00"))
    assert run.transferred == [d.code] and run.failed == []
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS and d.step_position is not None
    event = d.events.order_by("seq").last()
    assert event.action == "transfer" and event.actor == s.desk
    # running again changes nothing (idempotent)
    assert dossiers_transfer_due(now=at("2026-03-02 18:00")).transferred == []
    assert d.events.filter(action="transfer").count() == 1


def test_after_the_cutoff_the_transfer_waits_for_the_next_morning(s, v):
    d = receive(s, v, when=at("2026-03-02 15:30"))
    assert dossiers_transfer_due(now=at("2026-03-02 17:30")).transferred == []
    assert dossiers_transfer_due(now=at("2026-03-03 11:30")).transferred == [d.code]


def test_electronic_and_already_transferred_dossiers_are_left_alone(s, v):
    online = receive(s, v, when=at("2026-03-02 09:00"), channel="kiosk")
    assert online.state == State.IN_PROGRESS  # transferred at reception
    assert dossiers_transfer_due(now=at("2026-03-05 09:00")).transferred == []


def test_the_task_and_the_command_run_the_same_service(s, v, capsys):
    d = receive(s, v, when=at("2026-03-02 09:00"))
    call_command("transfer_due")  # now is long after 2026-03-02 17:00
    assert f"transferred {d.code}" in capsys.readouterr().out
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS
    assert transfer_due_dossiers.call() == 0
