"""Overdue and due soon: a dossier paused for supplements is neither (its clock is stopped)."""

import pytest

from motcua.dossiers import selectors, services
from motcua.dossiers.models import State
from motcua.workdays.selectors import calendar_for_center

from .support import at, receive, staffed_center, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def paused():
    s, v = staffed_center(), version()
    d = receive(s, v, when=at("2026-03-02 09:00"))  # due Thu 5 Mar 17:00
    d = services.dossier_act(actor=s.desk, dossier=d, action="transfer", at=at("2026-03-02 09:30"))
    d = services.dossier_act(
        actor=s.specialist,
        dossier=d,
        action="request_supplement",
        problems=["Thiếu giấy chứng sinh"],
        at=at("2026-03-03 10:00"),
    )
    assert d.state == State.SUPPLEMENT_REQUESTED and d.paused_at is not None
    return s, d


def test_a_paused_dossier_is_neither_overdue_nor_due_soon(paused):
    s, d = paused
    calendar = calendar_for_center(d.center)
    assert selectors.deadline_status(d, calendar, now=at("2026-03-04 16:00")) == ""  # due soon if running
    assert selectors.deadline_status(d, calendar, now=at("2026-03-10 09:00")) == ""  # overdue if running


def test_the_overdue_inbox_leaves_paused_dossiers_out(paused, settings):
    s, d = paused
    running = receive(s, version(), when=at("2026-03-02 09:00"))
    calendar = calendar_for_center(d.center)
    assert selectors.deadline_status(running, calendar, now=at("2026-03-10 09:00")) == "overdue"
    overdue = selectors.inbox(s.desk, overdue=True, now=at("2026-03-10 09:00"))
    assert list(overdue) == [running]


def test_running_dossiers_are_due_soon_then_overdue():
    s, v = staffed_center(), version()
    d = receive(s, v, when=at("2026-03-02 09:00"))
    calendar = calendar_for_center(d.center)
    assert selectors.deadline_status(d, calendar, now=at("2026-03-02 10:00")) == ""
    assert selectors.deadline_status(d, calendar, now=at("2026-03-04 16:00")) == "due_soon"
    assert (
        selectors.deadline_status(d, calendar, now=at("2026-03-05 17:00")) == "due_soon"
    )  # the instant itself
    assert selectors.deadline_status(d, calendar, now=at("2026-03-05 17:01")) == "overdue"
