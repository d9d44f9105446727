"""The service index (pure): the partial-credit rule, scores, exclusions and the ranking."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.reports import index
from motcua.reports.index import NO_DATA, NOT_COMPUTABLE, OK, Inputs

ratios = st.floats(min_value=0, max_value=1, allow_nan=False)
thresholds = st.floats(min_value=0.05, max_value=1, allow_nan=False)
points = st.floats(min_value=0, max_value=50, allow_nan=False)


@given(ratios, points, thresholds)
def test_partial_credit_is_full_at_the_threshold_and_proportional_below(ratio, max_points, threshold):
    got = index.partial_credit(ratio, max_points, threshold)
    if ratio >= threshold:
        assert got == max_points
    else:
        assert got == pytest.approx(ratio * max_points / threshold)
    assert 0 <= got <= max_points + 1e-9


@given(ratios, ratios, points, thresholds)
def test_partial_credit_never_decreases_with_the_ratio(a, b, max_points, threshold):
    low, high = sorted((a, b))
    assert index.partial_credit(low, max_points, threshold) <= index.partial_credit(
        high, max_points, threshold
    )


def test_the_thresholds_of_the_national_index():
    cfg = index.config({})
    digitized = next(i for i in cfg.indicators if i.key == "digitized")
    online = next(i for i in cfg.indicators if i.key == "dossiers_online")
    procedures = next(i for i in cfg.indicators if i.key == "procedures_online")
    # 40 % digitized against full marks at 80 %: half the points; 60 % online against 50 %: full.
    assert index.partial_credit(0.4, cfg.points(digitized), digitized.threshold) == pytest.approx(4.0)
    assert index.partial_credit(0.6, cfg.points(online), online.threshold) == cfg.points(online) == 6
    assert index.partial_credit(0.8, cfg.points(procedures), procedures.threshold) == 6
    assert cfg.max_points == 100
    assert {g.key: g.max_points for g in cfg.groups} == {
        "transparency": 18,
        "progress": 20,
        "online_service": 12,
        "online_payment": 10,
        "digitization": 22,
        "satisfaction": 18,
    }


def test_groups_and_thresholds_are_configurable():
    cfg = index.config(
        {"groups": {"progress": 30}, "indicators": {"digitized": {"threshold": 0.5, "weight": 16}}}
    )
    assert cfg.group("progress").max_points == 30 and cfg.max_points == 110
    digitized = next(i for i in cfg.indicators if i.key == "digitized")
    assert digitized.threshold == 0.5 and cfg.points(digitized) == pytest.approx(22 * 16 / 30)
    with pytest.raises(ValueError):
        index.config({"indicators": {"digitized": {"threshold": 0}}})


counts = st.integers(min_value=0, max_value=500)


@st.composite
def inputs(draw):
    received = draw(counts)
    handled = draw(counts)
    returned = draw(st.integers(0, handled))
    with_ratings = draw(st.booleans())
    return Inputs(
        received=received,
        received_online=draw(st.integers(0, received)),
        handled=handled,
        index_late=draw(st.integers(0, handled)),
        returned=returned,
        returned_electronic=draw(st.integers(0, returned)),
        digitized=draw(st.integers(0, received)),
        reused_dossiers=draw(st.integers(0, received)),
        processing_mdays=draw(st.integers(0, 10**6)),
        limit_mdays=draw(st.integers(0, 10**6)),
        procedures_total=draw(st.integers(0, 40)),
        procedures_online=0,
        complaint_dossiers=draw(st.one_of(st.none(), st.integers(0, handled))),
        ratings={"very_satisfied": draw(counts), "satisfied": draw(counts), "not_satisfied": draw(counts)}
        if with_ratings
        else None,
    )


@given(inputs())
def test_a_score_is_out_of_100_and_adds_up(i):
    score = index.score(i)
    for group in score.groups:
        assert 0 <= group.points <= group.computable + 1e-9 <= group.spec.max_points + 1e-9
        assert group.points == pytest.approx(sum(x.points for x in group.indicators if x.points is not None))
    assert score.earned == pytest.approx(sum(g.points for g in score.groups))
    assert score.coverage == pytest.approx(
        sum(x.max_points for x in score.indicators if x.points is not None)
    )
    if score.coverage:
        # excluded indicators are left out and the total re-scaled to 100
        assert 0 <= score.total <= 100
        assert score.total == pytest.approx(score.earned / score.coverage * 100, abs=0.006)
    else:
        assert score.total is None
    # what cannot be computed never earns or loses points
    for item in score.indicators:
        assert (item.points is None) == (item.value.status != OK)


def test_what_the_system_cannot_compute_is_marked_and_excluded():
    score = index.score(Inputs(received=10, handled=10, returned=4, procedures_total=5))
    status = {i.spec.key: i.value.status for i in score.indicators}
    assert status["procedures_published"] == NOT_COMPUTABLE
    assert status["paid_online"] == NO_DATA  # no payments module yet
    assert status["status_public"] == OK  # every dossier is trackable from reception on
    assert score.coverage == pytest.approx(100 - 8 - 10 - 12 - 6)  # and satisfaction, ratings: no feedback


def test_a_dossier_supplemented_more_than_once_counts_as_late():
    # 10 handled, 1 late, 2 others supplemented twice: 7 of 10 count as in time for the index
    values = index.values(Inputs(received=10, handled=10, index_late=3, complaint_dossiers=1))
    assert values["in_time"].ratio == pytest.approx(0.7)
    # satisfaction = 100 % − (late % + % with complaints) = 1 − (0.3 + 0.1)
    assert values["satisfaction"].ratio == pytest.approx(0.6)


@given(
    st.dictionaries(st.integers(0, 30), st.one_of(st.none(), st.floats(0, 100, allow_nan=False)), max_size=25)
)
def test_competition_ranking(scores):
    ranks = index.competition_ranks(scores)
    shown = {k: round(v, 2) for k, v in scores.items() if v is not None}
    for key, value in shown.items():
        # rank = 1 + how many score strictly more; equal scores share the rank
        assert ranks[key] == 1 + sum(1 for other in shown.values() if other > value)
    for key, value in scores.items():
        if value is None:
            assert ranks[key] is None
    ordered = sorted(ranks[k] for k in shown)
    assert not ordered or ordered[0] == 1


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    assert index.competition_ranks({"a": 90.0, "b": 80.0, "c": 80.004, "d": 70.0, "e": None}) == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
        "e": None,
    }


def test_ranking_reports_the_change_since_the_previous_period():
    strong = Inputs(
        received=10,
        received_online=10,
        handled=10,
        procedures_total=1,
        procedures_online=1,
        digitized=10,
        returned=10,
        returned_electronic=10,
    )
    weak = Inputs(received=10, handled=10, index_late=5, procedures_total=1)
    now = {"a": weak, "b": strong, "c": Inputs()}
    before = {"a": strong, "b": weak, "c": Inputs()}
    rows = {r.key: r for r in index.ranking(now, index.totals(before))}
    assert (rows["b"].rank, rows["a"].rank, rows["c"].rank) == (1, 2, None)  # no dossiers: not ranked
    assert rows["b"].rank_change == 1 and rows["a"].rank_change == -1
    assert rows["b"].score_change == pytest.approx(rows["b"].score.total - rows["a"].score.total, abs=0.01)
    assert [r.key for r in index.ranking(now, index.totals(before))] == ["b", "a", "c"]


def test_one_total_checked_against_a_score_computed_by_hand():
    """Each indicator worked out on paper with the default points and thresholds:
    transparency 10 of 10 computable (status public; the national database part is excluded);
    progress 12.6 (14 × 72/80) + 6 (average time within the limit) = 18.6 of 20;
    online service 0.5 × 6 / 0.8 = 3.75 and 0.3 × 6 / 0.5 = 3.6 → 7.35 of 12;
    online payment excluded (no data);
    digitization 0.2 × 8 = 1.6, 0.6 × 8 / 0.8 = 6.0, 0.2 × 6 = 1.2 → 8.8 of 22;
    satisfaction (1 − 0.1 − 0.05) × 12 = 10.2 and 0.9 × 6 = 5.4 → 15.6 of 18.
    Earned 60.35 of the 82 computable points → 60.35 / 82 × 100 = 73.60."""
    inputs = Inputs(
        received=100,
        received_online=30,
        handled=80,
        index_late=8,
        returned=50,
        returned_electronic=10,
        digitized=60,
        reused_dossiers=20,
        processing_mdays=900,
        limit_mdays=1000,
        procedures_total=40,
        procedures_online=20,
        paid_online=None,
        complaint_dossiers=4,
        ratings={"very_satisfied": 6, "satisfied": 3, "not_satisfied": 1},
    )
    result = index.score(inputs, index.DEFAULT)
    by_group = {g.spec.key: (round(g.points, 4), g.computable) for g in result.groups}
    assert by_group == {
        "transparency": (10.0, 10.0),
        "progress": (18.6, 20.0),
        "online_service": (7.35, 12.0),
        "online_payment": (0.0, 0.0),
        "digitization": (8.8, 22.0),
        "satisfaction": (15.6, 18.0),
    }
    assert round(result.earned, 4) == 60.35 and result.coverage == 82.0
    assert result.total == 73.6
