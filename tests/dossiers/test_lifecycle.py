from datetime import date

import pytest

from motcua.core.errors import DomainError, ValidationFailed
from motcua.dossiers import lifecycle, services
from motcua.dossiers.models import DossierEvent, Outcome, State

from .support import at, receive, staffed_center, version

pytestmark = pytest.mark.django_db


def act(dossier, actor, action, when, **kwargs):
    return services.dossier_act(actor=actor, dossier=dossier, action=action, at=at(when), **kwargs)


@pytest.fixture
def s():
    return staffed_center()


@pytest.fixture
def v():
    return version()


def in_progress(s, v, when="2026-03-02 09:00"):
    d = receive(s, v, when=at(when))
    return act(d, s.desk, "transfer", when)


def test_the_whole_internal_process_to_return_on_time(s, v):
    d = receive(s, v, when=at("2026-03-02 09:00"))  # due Thu 5 Mar 17:00
    assert services.available_actions(d, s.desk) == ["transfer", "reappoint", "withdraw"]
    d = act(d, s.desk, "transfer", "2026-03-02 09:30")
    assert (d.state, d.step_position) == (State.IN_PROGRESS, 2)
    assert d.step_due_at == at("2026-03-03 09:30")  # one working day of office time
    d = act(d, s.leader, "assign", "2026-03-02 10:00", assignee_id=s.specialist.id)
    assert d.assignee == s.specialist
    d = act(d, s.specialist, "forward", "2026-03-03 10:00")
    assert d.step_position == 3
    assert "approve" in services.available_actions(d, s.leader)
    assert "forward" not in services.available_actions(d, s.leader)
    d = act(d, s.leader, "approve", "2026-03-04 09:00")
    assert d.step_position == 4
    d = act(d, s.specialist, "forward", "2026-03-05 16:00")  # the last step: sign and issue
    assert d.state == State.RESULT_READY and d.outcome == Outcome.ON_TIME
    d = act(d, s.desk, "return", "2026-03-06 08:00", method="counter")
    assert d.state == State.RETURNED and d.return_method == "counter"
    actions = list(DossierEvent.objects.filter(dossier=d).values_list("action", flat=True))
    assert actions == ["intake", "transfer", "assign", "forward", "approve", "forward", "return"]
    assert services.available_actions(d, s.desk) == []


@pytest.mark.parametrize(
    ("finished", "outcome"),
    [
        ("2026-03-04 16:00", Outcome.EARLY),
        ("2026-03-05 17:00", Outcome.ON_TIME),
        ("2026-03-05 17:01", Outcome.LATE),
    ],
)
def test_outcome_is_against_the_appointment(s, v, finished, outcome):
    d = in_progress(s, v)
    d = act(d, s.specialist, "forward", "2026-03-02 10:00")
    d = act(d, s.leader, "approve", "2026-03-02 11:00")
    d = act(d, s.specialist, "forward", finished)
    assert d.outcome == outcome


def test_send_back_returns_to_an_earlier_step_with_a_reason(s, v):
    d = in_progress(s, v)
    d = act(d, s.specialist, "forward", "2026-03-02 10:00")
    with pytest.raises(ValidationFailed):
        act(d, s.leader, "send_back", "2026-03-02 11:00")
    d = act(d, s.leader, "send_back", "2026-03-02 11:00", reason="Thẩm định lại giấy chứng sinh")
    assert d.step_position == 2
    assert d.events.last().payload == {"step": 2, "from_step": 3}


def test_send_back_from_the_first_step_is_refused(s, v):
    d = in_progress(s, v)
    assert "send_back" not in services.available_actions(d, s.specialist)


def test_supplement_during_processing_pauses_then_restarts_the_clock_from_zero(s, v):
    d = in_progress(s, v)  # received Mon 2 Mar 09:00, due Thu 5 Mar 17:00
    d = act(d, s.specialist, "request_supplement", "2026-03-03 10:00", problems=["Bản sao giấy chứng sinh"])
    assert d.state == State.SUPPLEMENT_REQUESTED and d.paused_at == at("2026-03-03 10:00")
    assert d.supplement_count == 1 and d.events.last().payload["within_window"] is True
    assert services.available_actions(d, s.desk) == ["supplement", "withdraw"]
    # the citizen comes back on Tuesday 10 March: the full 3 working days start again
    d = act(d, s.desk, "supplement", "2026-03-10 14:00")
    assert d.state == State.IN_PROGRESS and d.paused_at is None
    assert d.due_at == at("2026-03-13 17:00")
    assert d.step_position == 2
    d = act(d, s.specialist, "request_supplement", "2026-03-11 10:00", reason="Thiếu chữ ký")
    assert d.supplement_count == 2


def test_a_late_supplement_request_is_flagged(s, v):
    d = in_progress(s, v)
    d = act(d, s.specialist, "request_supplement", "2026-03-09 10:00", reason="Thiếu giấy tờ")
    assert d.events.last().payload["within_window"] is False


def test_reappointment_is_allowed_once_at_least_a_working_day_before_due(s, v):
    d = in_progress(s, v)  # due Thu 5 Mar 17:00
    d = act(
        d, s.leader, "reappoint", "2026-03-04 10:00", reason="Cần xác minh thêm", new_due=date(2026, 3, 10)
    )
    assert d.due_at == at("2026-03-10 17:00") and d.reappointed
    assert d.original_due_at == at("2026-03-05 17:00")
    assert "reappoint" not in services.available_actions(d, s.leader)
    with pytest.raises(DomainError) as excinfo:
        act(d, s.leader, "reappoint", "2026-03-05 10:00", reason="Lần hai", new_due=date(2026, 3, 12))
    assert "once" in excinfo.value.message or "một lần" in excinfo.value.message
    assert d.events.filter(action="reappoint").count() == 1


def test_reappointment_too_close_to_the_due_instant_is_refused(s, v):
    d = in_progress(s, v)  # due Thu 5 Mar 17:00
    with pytest.raises(DomainError) as excinfo:
        act(d, s.leader, "reappoint", "2026-03-05 08:00", reason="Muộn", new_due=date(2026, 3, 10))
    assert excinfo.value.code == "too_late_to_reappoint"


@pytest.mark.parametrize("new_due", [date(2026, 3, 5), date(2026, 3, 7)])
def test_reappointment_must_be_later_and_on_a_working_day(s, v, new_due):
    d = in_progress(s, v)
    with pytest.raises(ValidationFailed):
        act(d, s.leader, "reappoint", "2026-03-03 10:00", reason="Xác minh", new_due=new_due)


def test_interagency_transfer_and_return(s, v):
    d = in_progress(s, v)
    with pytest.raises(ValidationFailed):
        act(d, s.specialist, "interagency_transfer", "2026-03-02 10:00", reason="Xác minh", agency="")
    d = act(
        d,
        s.specialist,
        "interagency_transfer",
        "2026-03-02 10:00",
        reason="Xác minh nơi cư trú",
        agency="Công an xã Mỹ An Hưng",
        budget_days=2,
    )
    assert d.state == State.INTERAGENCY and d.step_due_at == at("2026-03-04 10:00")
    d = act(d, s.desk, "interagency_return", "2026-03-03 15:00")
    assert d.state == State.IN_PROGRESS and d.step_position == 2


def test_refusal_during_processing(s, v):
    d = in_progress(s, v)
    d = act(d, s.leader, "refuse", "2026-03-03 10:00", reason="Không đủ điều kiện theo quy định")
    assert d.state == State.REFUSED and d.finished_at == at("2026-03-03 10:00")


def test_withdrawal_on_the_applicants_request(s, v):
    d = in_progress(s, v)
    d = act(d, s.desk, "withdraw", "2026-03-03 10:00", reason="Công dân xin rút hồ sơ")
    assert d.state == State.WITHDRAWN


@pytest.mark.parametrize(
    ("actor", "action", "kwargs"),
    [
        ("desk", "forward", {}),
        ("specialist", "approve", {}),
        ("specialist", "return", {"method": "counter"}),
        ("leader", "forward", {}),
        ("specialist", "refuse", {"reason": "x"}),
        ("desk", "receive", {}),
        ("desk", "transfer", {}),
        ("specialist", "supplement", {}),
        ("desk", "interagency_return", {}),
        ("desk", "no_such_action", {}),
    ],
)
def test_illegal_moves_are_refused_clearly_and_change_nothing(s, v, actor, action, kwargs):
    d = in_progress(s, v)
    before = (d.state, d.step_position, d.event_count, d.last_hash)
    with pytest.raises(DomainError) as excinfo:
        act(d, getattr(s, actor), action, "2026-03-02 10:00", **kwargs)
    assert excinfo.value.code == "action_not_allowed" and excinfo.value.message
    d.refresh_from_db()
    assert (d.state, d.step_position, d.event_count, d.last_hash) == before


def test_staff_of_another_commune_can_do_nothing(s, v):
    other = staffed_center()
    d = in_progress(s, v)
    for user in (other.desk, other.specialist, other.leader):
        assert services.available_actions(d, user) == []


def test_every_transition_in_the_table_is_exercised_by_these_tests():
    covered = {
        "receive",
        "reception_supplement",
        "reception_refuse",
        "transfer",
        "assign",
        "forward",
        "approve",
        "send_back",
        "request_supplement",
        "supplement",
        "interagency_transfer",
        "interagency_return",
        "refuse",
        "reappoint",
        "return",
        "withdraw",
    }
    assert {a.name for a in lifecycle.offered()} == covered


def test_online_submission_can_be_refused_or_sent_back_for_supplements_at_reception(s, v):
    from .support import APPLICANT, all_provided

    a = services.dossier_submit_online(
        center=s.center, procedure_version=v, applicant=APPLICANT, components=all_provided(v)
    )
    b = services.dossier_submit_online(
        center=s.center, procedure_version=v, applicant=APPLICANT, components=all_provided(v)
    )
    a = services.dossier_act(
        actor=s.desk, dossier=a, action="reception_supplement", problems=["Giấy chứng sinh bị mờ"]
    )
    b = services.dossier_act(actor=s.desk, dossier=b, action="reception_refuse", reason="Sai thẩm quyền")
    assert (a.state, a.counted, b.state, b.counted) == (
        State.RECEPTION_SUPPLEMENT,
        False,
        State.RECEPTION_REFUSED,
        False,
    )


def test_a_procedure_without_an_internal_process_is_issued_in_one_step(s):
    v = version(steps=())
    d = in_progress(s, v)
    assert d.step_position is None
    assert "forward" in services.available_actions(d, s.specialist)
    d = act(d, s.specialist, "forward", "2026-03-03 10:00")
    assert d.state == State.RESULT_READY and d.outcome == Outcome.EARLY
