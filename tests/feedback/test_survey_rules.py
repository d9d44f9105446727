"""The 9-indicator survey of Circular 01/2018 (pure): validation, tallies and scores."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.feedback import survey

answer = st.one_of(st.none(), st.sampled_from(survey.POINTS))
answers = st.lists(answer, min_size=9, max_size=9)


def test_there_are_nine_indicators_each_scored_2_1_0():
    assert [i.number for i in survey.INDICATORS] == list(range(1, 10))
    for indicator in survey.INDICATORS:
        assert [points for points, _label in indicator.levels] == [2, 1, 0]
        assert str(indicator.title) and all(str(label) for _p, label in indicator.levels)
    assert {i.number for i in survey.INDICATORS if i.about_officer} == survey.OFFICER_INDICATORS == {3, 7}


def test_a_full_survey_at_the_top_scores_100_and_at_the_bottom_0():
    assert survey.tally([2] * 9).score == 100.0
    assert survey.tally([0] * 9).score == 0.0
    assert survey.tally([2] * 9).max_points == 18


def test_a_worked_example():
    # given answers 2,2,1,0,2,2,1,skip,skip
    result = survey.tally([2, 2, 1, 0, 2, 2, 1, None, None])
    # then 10 points out of 7 answered x 2 = 14; the officer's indicators 3 and 7 give 2 of 4
    assert (result.points, result.max_points) == (10, 14)
    assert result.score == 71.43
    assert (result.officer_points, result.officer_max_points, result.officer_score) == (2, 4, 50.0)


def test_skipped_indicators_count_for_nothing():
    assert survey.tally([None] * 9) == survey.Tally(0, 0, 0, 0)
    assert survey.tally([None] * 9).score is None
    assert survey.tally([2, None, None, None, None, None, None, None, None]).score == 100.0


@pytest.mark.parametrize(
    "bad",
    [
        [2] * 8,
        [2] * 10,
        [3] + [2] * 8,
        [-1] + [2] * 8,
        ["2"] + [2] * 8,
        [True] + [2] * 8,
        [1.0] + [2] * 8,
        "222222222",
    ],
)
def test_anything_but_nine_answers_of_2_1_0_or_empty_is_refused(bad):
    with pytest.raises(survey.SurveyError):
        survey.tally(bad)


@given(answers)
def test_points_and_maximum_follow_the_answers(scores):
    result = survey.tally(scores)
    answered = [s for s in scores if s is not None]
    assert result.points == sum(answered)
    assert result.max_points == 2 * len(answered)
    assert 0 <= result.points <= result.max_points <= 18
    officer = [s for n, s in enumerate(scores, start=1) if n in survey.OFFICER_INDICATORS and s is not None]
    assert (result.officer_points, result.officer_max_points) == (sum(officer), 2 * len(officer))


@given(answers)
def test_the_score_is_a_percentage_or_none(scores):
    value = survey.tally(scores).score
    if all(s is None for s in scores):
        assert value is None
    else:
        assert 0 <= value <= 100


@given(answers, st.integers(0, 8), st.sampled_from([0, 1]))
def test_raising_one_answer_never_lowers_the_score(scores, index, worse):
    # given an answered indicator, when it gets one point more, the score does not go down
    low = list(scores)
    low[index] = worse
    high = list(low)
    high[index] = worse + 1
    assert survey.tally(high).score >= survey.tally(low).score


@given(st.lists(answers, min_size=1, max_size=20))
def test_the_center_score_is_a_ratio_of_sums_independent_of_order(surveys):
    tallies = [survey.tally(s) for s in surveys]
    total = survey.combine(tallies)
    assert total == survey.combine(reversed(tallies))
    assert total.points == sum(t.points for t in tallies)
    assert total.max_points == sum(t.max_points for t in tallies)
    expected = None if total.max_points == 0 else round(100 * total.points / total.max_points, 2)
    assert total.score == expected


@given(answers)
def test_one_survey_combined_alone_is_itself(scores):
    assert survey.combine([survey.tally(scores)]) == survey.tally(scores)


@given(st.integers(0, 1000), st.integers(1, 1000))
def test_score_formula(points, max_points):
    if points > max_points:
        with pytest.raises(survey.SurveyError):
            survey.score(points, max_points)
    else:
        assert survey.score(points, max_points) == round(100 * points / max_points, 2)
