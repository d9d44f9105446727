"""The selectors the reports use: exact counts per centre, officer and period; cheap queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.feedback import selectors, services

from .support import at, returned, staffed_center, version

pytestmark = pytest.mark.django_db

MARCH = {"start": at("2026-03-01 00:00"), "end": at("2026-04-01 00:00")}


@pytest.fixture
def world():
    """Two centers; ratings in and around March 2026 (a boundary-free dossier included)."""
    a, b, v = staffed_center(), staffed_center(), version()
    v.boundary_free = True
    v.save(update_fields=["boundary_free"])

    def rate(center, value, when, officer=None, officer_value="", **kwargs):
        dossier = returned(center, v, **kwargs)
        return services.rating_create(
            dossier=dossier,
            value=value,
            channel="web",
            at=at(when),
            officer_id=officer.pk if officer else None,
            officer_value=officer_value,
        )

    rate(a, "very_satisfied", "2026-03-01 00:00", officer=a.desk)  # first instant: in
    rate(a, "very_satisfied", "2026-03-15 10:00", officer=a.desk, officer_value="satisfied")
    rate(a, "not_satisfied", "2026-03-31 23:59")  # last minute: in
    rate(a, "satisfied", "2026-04-01 00:00", officer=a.desk)  # end is excluded
    rate(a, "satisfied", "2026-02-28 23:59")  # before: out
    rate(b, "satisfied", "2026-03-10 09:00", officer=b.desk, officer_value="not_satisfied")
    # received at a's counter, handled by b: it counts for b; its officer is a's desk officer
    rate(a, "satisfied", "2026-03-20 09:00", officer=a.desk, handler=b)
    return a, b, v


def test_rating_counts_are_exact_per_center_and_half_open_period(world):
    a, b, _v = world
    assert selectors.rating_counts(center_ids=[a.center.pk], **MARCH) == {
        "very_satisfied": 2,
        "satisfied": 0,
        "not_satisfied": 1,
    }
    assert selectors.rating_counts(center_ids=[b.center.pk], **MARCH) == {
        "very_satisfied": 0,
        "satisfied": 2,
        "not_satisfied": 0,
    }
    assert selectors.rating_counts(center_ids=[a.center.pk, b.center.pk], **MARCH) == {
        "very_satisfied": 2,
        "satisfied": 2,
        "not_satisfied": 1,
    }
    assert selectors.rating_counts(center_ids=[], **MARCH) == {
        "very_satisfied": 0,
        "satisfied": 0,
        "not_satisfied": 0,
    }
    assert (
        sum(
            selectors.rating_counts(
                center_ids=None, start=at("2026-01-01 00:00"), end=at("2027-01-01 00:00")
            ).values()
        )
        == 7
    )
    # by center: each centre's own counts, in one query
    ids = [a.center.pk, b.center.pk]
    assert selectors.rating_counts_by_center(center_ids=ids, **MARCH) == {
        c: selectors.rating_counts(center_ids=[c], **MARCH) for c in ids
    }


def test_counts_by_officer_use_the_center_where_the_officer_served(world):
    a, b, _v = world
    assert selectors.rating_counts_by_officer(center_ids=[a.center.pk], **MARCH) == {
        a.desk.pk: {"very_satisfied": 1, "satisfied": 2, "not_satisfied": 0}
    }
    assert selectors.rating_counts_by_officer(center_ids=[b.center.pk], **MARCH) == {
        b.desk.pk: {"very_satisfied": 0, "satisfied": 0, "not_satisfied": 1}
    }


def test_naive_datetimes_are_refused():
    from datetime import datetime

    with pytest.raises(ValueError):
        selectors.rating_counts(center_ids=None, start=datetime(2026, 3, 1), end=datetime(2026, 4, 1))


def test_complaint_dossier_count_counts_distinct_dossiers_in_the_period():
    a, b, v = staffed_center(), staffed_center(), version()
    first, second, elsewhere = returned(a, v), returned(a, v), returned(b, v)
    services.complaint_file(dossier=first, text="Chậm", channel="web", at=at("2026-03-02 10:00"))
    services.complaint_file(dossier=first, text="Vẫn chậm", channel="web", at=at("2026-03-05 10:00"))
    services.complaint_file(dossier=second, text="Sai tên", channel="web", at=at("2026-04-01 00:00"))  # April
    services.complaint_file(dossier=elsewhere, text="Thái độ", channel="web", at=at("2026-03-03 10:00"))
    services.complaint_file(
        center=a.center, name="Lê Văn Tám", text="Chỗ ngồi chờ ít", channel="web", at=at("2026-03-04 10:00")
    )  # about the center, no dossier
    assert selectors.complaint_dossier_count(center_ids=[a.center.pk], **MARCH) == 1
    assert selectors.complaint_dossier_count(center_ids=[a.center.pk, b.center.pk], **MARCH) == 2
    assert selectors.complaint_dossier_count_by_center(center_ids=[a.center.pk, b.center.pk], **MARCH) == {
        a.center.pk: 1,
        b.center.pk: 1,
    }
    assert (
        selectors.complaint_dossier_count(
            center_ids=None, start=MARCH["start"], end=MARCH["end"] + timedelta(days=1)
        )
        == 3
    )
    assert selectors.dossier_has_complaint(first.pk) and not selectors.dossier_has_complaint(
        returned(a, v).pk
    )


def test_survey_scores_follow_the_documented_formula():
    a, b, v = staffed_center(), staffed_center(), version()

    def surveyed(center, scores, when, officer=None):
        dossier = returned(center, v)
        services.rating_create(
            dossier=dossier,
            value="satisfied",
            channel="web",
            at=at(when),
            officer_id=officer.pk if officer else None,
        )
        services.survey_submit(dossier=dossier, scores=scores, channel="web", at=at(when))

    surveyed(a, [2] * 9, "2026-03-02 10:00", officer=a.desk)  # 18/18, officer 4/4
    surveyed(
        a, [1, 1, 0, None, None, None, 1, None, None], "2026-03-03 10:00", officer=a.desk
    )  # 3/8, officer 1/4
    surveyed(a, [0] * 9, "2026-03-04 10:00")  # 0/18, no officer
    surveyed(a, [2] * 9, "2026-04-02 10:00", officer=a.desk)  # April: out
    surveyed(b, [2, 2, 2, 2, 2, 2, 2, 2, 0], "2026-03-05 10:00", officer=b.desk)  # 16/18
    result = selectors.survey_scores(center_ids=[a.center.pk], **MARCH)
    assert result == {
        "count": 3,
        "points": 21,
        "max_points": 44,
        "center_score": round(100 * 21 / 44, 2),
        "centers": {a.center.pk: {"count": 3, "points": 21, "max_points": 44, "score": 47.73}},
        "officers": {a.desk.pk: {"count": 2, "points": 5, "max_points": 8, "score": 62.5}},
    }
    both = selectors.survey_scores(center_ids=[a.center.pk, b.center.pk], **MARCH)
    assert (both["count"], both["points"], both["max_points"]) == (4, 37, 62)
    assert both["centers"][b.center.pk]["score"] == 88.89
    assert set(both["officers"]) == {a.desk.pk, b.desk.pk}
    empty = selectors.survey_scores(
        center_ids=[a.center.pk], start=at("2025-01-01 00:00"), end=at("2025-02-01 00:00")
    )
    assert empty == {
        "count": 0,
        "points": 0,
        "max_points": 0,
        "center_score": None,
        "centers": {},
        "officers": {},
    }


def test_the_report_selectors_read_only_feedback_tables_with_few_queries(world):
    a, b, _v = world
    ids = [a.center.pk, b.center.pk]
    with CaptureQueriesContext(connection) as queries:
        selectors.rating_counts(center_ids=ids, **MARCH)
        selectors.rating_counts_by_officer(center_ids=ids, **MARCH)
        selectors.complaint_dossier_count(center_ids=ids, **MARCH)
        selectors.survey_scores(center_ids=ids, **MARCH)
    assert len(queries) == 5
    for query in queries.captured_queries:
        assert "dossiers_dossier" not in query["sql"], query["sql"]
