"""Satisfaction ratings through the services: once per returned dossier, follow-ups for "not
satisfied", the officer chosen among those who served, the survey after the rating."""

import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from motcua.core.errors import Conflict, PermissionDenied, ValidationFailed
from motcua.feedback import services
from motcua.feedback.models import FollowUp, FollowUpStatus, Rating, Survey
from motcua.units.models import Role
from tests import factories

from .support import at, in_progress, refused, returned, staffed_center, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return staffed_center()


@pytest.fixture
def v():
    return version()


def test_a_returned_dossier_is_rated_once_and_a_second_rating_changes_nothing(s, v):
    # given a dossier returned at the counter
    dossier = returned(s, v)
    # when the applicant rates it
    rating = services.rating_create(
        dossier=dossier, value="very_satisfied", channel="web", comment="Nhanh, chu đáo"
    )
    # then the rating is stored against the handling center, with its channel
    assert (rating.center_id, rating.value, rating.channel) == (s.center.pk, "very_satisfied", "web")
    # when a second rating arrives
    with pytest.raises(Conflict) as refused_again:
        services.rating_create(dossier=dossier, value="not_satisfied", channel="kiosk")
    # then it is refused with a clear message and nothing changed
    assert refused_again.value.code == "already_rated"
    assert "only once" in refused_again.value.message or "một lần" in refused_again.value.message
    assert list(Rating.objects.values_list("value", "channel")) == [("very_satisfied", "web")]
    assert not FollowUp.objects.exists()


def test_a_refused_dossier_may_be_rated_but_not_one_in_progress(s, v):
    assert (
        services.rating_create(dossier=refused(s, v), value="satisfied", channel="web").value == "satisfied"
    )
    with pytest.raises(Conflict) as excinfo:
        services.rating_create(dossier=in_progress(s, v), value="satisfied", channel="web")
    assert excinfo.value.code == "not_rateable"


def test_not_satisfied_opens_a_follow_up_for_the_handling_center(s, v):
    dossier = returned(s, v)
    rating = services.rating_create(dossier=dossier, value="not_satisfied", channel="web", comment="Chờ lâu")
    followup = FollowUp.objects.get()
    assert (followup.rating, followup.center_id, followup.status) == (
        rating,
        s.center.pk,
        FollowUpStatus.OPEN,
    )


def test_a_not_satisfied_rating_of_the_officer_alone_also_opens_a_follow_up(s, v):
    dossier = returned(s, v)
    services.rating_create(
        dossier=dossier, value="satisfied", channel="web", officer_id=s.desk.pk, officer_value="not_satisfied"
    )
    assert FollowUp.objects.count() == 1


def test_the_officer_is_one_of_those_who_received_or_returned_the_dossier(s, v):
    dossier = returned(s, v)
    # the desk officer did the intake and the return; the specialist and leader did not serve the citizen
    assert [(o.id, o.name) for o in services.officers_for(dossier)] == [(s.desk.pk, "Nguyễn Thị Hồng")]
    with pytest.raises(ValidationFailed) as excinfo:
        services.rating_create(dossier=dossier, value="satisfied", channel="web", officer_id=s.specialist.pk)
    assert excinfo.value.field == "officer"
    assert not Rating.objects.exists()
    # without a separate value, the overall rating applies to the officer
    rating = services.rating_create(dossier=dossier, value="satisfied", channel="web", officer_id=s.desk.pk)
    assert (rating.officer_id, rating.officer_value, rating.officer_center_id) == (
        s.desk.pk,
        "satisfied",
        s.center.pk,
    )


def test_comment_is_nfc_and_limited(s, v):
    dossier = returned(s, v)
    with pytest.raises(ValidationFailed) as excinfo:
        services.rating_create(dossier=dossier, value="satisfied", channel="web", comment="x" * 1001)
    assert excinfo.value.field == "comment"
    nfd = unicodedata.normalize("NFD", "  Cán bộ rất nhiệt tình  ")
    rating = services.rating_create(dossier=dossier, value="satisfied", channel="web", comment=nfd)
    assert rating.comment == "Cán bộ rất nhiệt tình" and unicodedata.is_normalized("NFC", rating.comment)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("value", {"value": "happy"}),
        ("channel", {"channel": "fax"}),
        ("officer", {"officer_value": "satisfied"}),
    ],
)
def test_invalid_input_is_refused_with_its_field(s, v, field, kwargs):
    dossier = returned(s, v)
    with pytest.raises(ValidationFailed) as excinfo:
        services.rating_create(dossier=dossier, **({"value": "satisfied", "channel": "web"} | kwargs))
    assert excinfo.value.field == field


def test_the_counter_channel_needs_a_desk_officer_of_the_center(s, v):
    dossier = returned(s, v)
    other = staffed_center()
    with pytest.raises(PermissionDenied):
        services.rating_create(dossier=dossier, value="satisfied", channel="counter", recorded_by=other.desk)
    with pytest.raises(PermissionDenied):
        services.rating_create(dossier=dossier, value="satisfied", channel="counter", recorded_by=s.leader)
    rating = services.rating_create(dossier=dossier, value="satisfied", channel="counter", recorded_by=s.desk)
    assert rating.recorded_by == s.desk


def test_a_race_lost_on_the_unique_constraint_is_the_same_clear_refusal(s, v, monkeypatch):
    # given a rating already stored, and the pre-check fooled as if a concurrent request had not committed yet
    dossier = returned(s, v)
    services.rating_create(dossier=dossier, value="satisfied", channel="web")
    real_filter = Rating.objects.filter

    class Blind:
        def __init__(self, qs):
            self.qs = qs

        def exists(self):
            return False

        def __getattr__(self, name):
            return getattr(self.qs, name)

    monkeypatch.setattr(Rating.objects, "filter", lambda *a, **k: Blind(real_filter(*a, **k)))
    # when the second insert hits the unique constraint
    with pytest.raises(Conflict) as excinfo:
        services.rating_create(dossier=dossier, value="not_satisfied", channel="web")
    monkeypatch.undo()
    # then it is the same refusal, and nothing changed (no follow-up either)
    assert excinfo.value.code == "already_rated"
    assert Rating.objects.get().value == "satisfied" and not FollowUp.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_ratings_of_one_dossier_store_one():
    s, v = staffed_center(), version()
    dossier = returned(s, v)
    start = threading.Barrier(10)

    def attempt(i):
        try:
            start.wait()
            services.rating_create(
                dossier=dossier, value="not_satisfied" if i % 2 else "satisfied", channel="web"
            )
            return "ok"
        except Conflict as exc:
            return exc.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(attempt, range(10)))
    assert sorted(outcomes) == ["already_rated"] * 9 + ["ok"]
    assert Rating.objects.count() == 1
    assert FollowUp.objects.count() == (1 if Rating.objects.get().value == "not_satisfied" else 0)


def test_the_survey_comes_after_the_rating_once_and_carries_the_officer(s, v):
    dossier = returned(s, v)
    scores = [2, 2, 1, 0, 2, 2, 1, None, None]
    with pytest.raises(Conflict) as excinfo:
        services.survey_submit(dossier=dossier, scores=scores, channel="web")
    assert excinfo.value.code == "not_rated"
    services.rating_create(dossier=dossier, value="satisfied", channel="web", officer_id=s.desk.pk)
    survey = services.survey_submit(dossier=dossier, scores=scores, channel="web")
    assert survey.scores() == tuple(scores)
    assert (survey.points, survey.max_points, survey.officer_points, survey.officer_max_points) == (
        10,
        14,
        2,
        4,
    )
    assert (survey.officer_id, survey.officer_center_id, survey.center_id) == (
        s.desk.pk,
        s.center.pk,
        s.center.pk,
    )
    with pytest.raises(Conflict) as again:
        services.survey_submit(dossier=dossier, scores=[0] * 9, channel="web")
    assert again.value.code == "already_surveyed" and Survey.objects.get().points == 10


@pytest.mark.parametrize("scores", [[None] * 9, [2] * 8, [3] + [2] * 8])
def test_an_empty_or_invalid_survey_is_refused(s, v, scores):
    dossier = returned(s, v)
    services.rating_create(dossier=dossier, value="satisfied", channel="web")
    with pytest.raises(ValidationFailed):
        services.survey_submit(dossier=dossier, scores=scores, channel="web")
    assert not Survey.objects.exists()


def test_a_survey_without_a_named_officer_scores_no_officer(s, v):
    dossier = returned(s, v)
    services.rating_create(dossier=dossier, value="satisfied", channel="web")
    survey = services.survey_submit(dossier=dossier, scores=[2] * 9, channel="web")
    assert (survey.officer_id, survey.officer_points, survey.officer_max_points) == (None, 0, 0)


def test_a_leader_records_what_was_done_once(s, v):
    rating = services.rating_create(dossier=returned(s, v), value="not_satisfied", channel="web")
    followup = rating.followup
    # another center's leader, a desk officer: refused
    with pytest.raises(PermissionDenied):
        services.followup_complete(
            actor=staffed_center().leader, followup=followup, action_taken="Đã gọi điện"
        )
    with pytest.raises(PermissionDenied):
        services.followup_complete(actor=s.desk, followup=followup, action_taken="Đã gọi điện")
    with pytest.raises(ValidationFailed):
        services.followup_complete(actor=s.leader, followup=followup, action_taken="   ")
    done = services.followup_complete(
        actor=s.leader, followup=followup, action_taken="Đã gọi điện xin lỗi", at=at("2026-03-09 10:00")
    )
    assert (done.status, done.done_by, done.done_at, done.done_by_name) == (
        "done",
        s.leader,
        at("2026-03-09 10:00"),
        str(s.leader),
    )
    with pytest.raises(Conflict):
        services.followup_complete(actor=s.leader, followup=followup, action_taken="Lần hai")
    assert FollowUp.objects.get().action_taken == "Đã gọi điện xin lỗi"


def test_a_follow_up_is_assigned_to_a_leader_of_its_center(s, v):
    followup = services.rating_create(dossier=returned(s, v), value="not_satisfied", channel="web").followup
    second = factories.user(Role.LEADER, center_obj=s.center)
    with pytest.raises(ValidationFailed):
        services.followup_assign(actor=s.leader, followup=followup, assignee_id=s.desk.pk)
    assigned = services.followup_assign(actor=s.leader, followup=followup, assignee_id=second.pk)
    assert assigned.assigned_to == second and assigned.assigned_at is not None
