"""Fee formulas and step budgets: pure rules, checked by example and by property."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.rules import (
    BudgetProblem,
    FeeRule,
    check_step_budgets,
    duplicate_positions,
    fee_amount,
    fees_for_channel,
    total_fee,
)
from motcua.workdays.core import LimitKind, TimeLimit

CERTIFIED_COPY = FeeRule("per_page", amount=2000, pages_at_first_rate=2, later_page_amount=1000, cap=200_000)
RESIDENCE = [
    FeeRule("fixed", amount=20_000),
    FeeRule("fixed", amount=10_000, channel="online_full"),
]


# -- examples from the fee circulars ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pages", "copies", "expected"),
    [
        (1, 1, 2000),
        (2, 1, 4000),
        (3, 1, 5000),  # the third page costs 1,000
        (10, 1, 12_000),
        (10, 3, 36_000),
        (500, 1, 200_000),  # 4,000 + 498,000 capped at 200,000 per copy
        (500, 2, 400_000),
        (0, 1, 0),
    ],
)
def test_certified_copy_is_priced_per_page_with_a_cheaper_rate_from_page_3_and_a_cap_per_copy(
    pages, copies, expected
):
    assert fee_amount(CERTIFIED_COPY, pages=pages, copies=copies) == expected


def test_a_fixed_fee_is_per_result_and_ignores_pages():
    signature = FeeRule("fixed", amount=10_000)
    assert fee_amount(signature, pages=40) == 10_000
    assert fee_amount(signature, copies=2) == 20_000


def test_free_is_zero_and_set_by_province_has_no_amount():
    assert fee_amount(FeeRule("free"), pages=9, copies=9) == 0
    assert fee_amount(FeeRule("set_by_province")) is None
    assert total_fee([FeeRule("fixed", amount=5), FeeRule("set_by_province")], channel="counter") is None


def test_permanent_residence_costs_20000_at_the_counter_and_10000_online():
    assert total_fee(RESIDENCE, channel="counter") == 20_000
    assert total_fee(RESIDENCE, channel="post") == 20_000
    assert total_fee(RESIDENCE, channel="online_full") == 10_000


def test_a_per_page_fee_without_later_rate_charges_every_page_alike():
    assert fee_amount(FeeRule("per_page", amount=500), pages=7) == 3500


def test_negative_pages_are_refused():
    with pytest.raises(ValueError):
        fee_amount(CERTIFIED_COPY, pages=-1)


# -- properties ------------------------------------------------------------------------------------------
amounts = st.integers(min_value=0, max_value=50_000)
per_page_rules = st.builds(
    lambda amount, first, later, cap, staged: FeeRule(
        "per_page",
        amount=amount,
        pages_at_first_rate=first if staged else None,
        later_page_amount=later if staged else None,
        cap=cap,
    ),
    amounts,
    st.integers(min_value=1, max_value=20),
    amounts,
    st.one_of(st.none(), st.integers(min_value=0, max_value=1_000_000)),
    st.booleans(),
)
pages = st.integers(min_value=0, max_value=2000)
copies = st.integers(min_value=0, max_value=50)


@given(rule=per_page_rules, pages=pages, copies=copies)
def test_per_page_fee_never_exceeds_the_cap_times_copies(rule, pages, copies):
    amount = fee_amount(rule, pages=pages, copies=copies)
    assert amount >= 0
    if rule.cap is not None:
        assert amount <= rule.cap * copies


@given(rule=per_page_rules, pages=pages, copies=copies)
def test_per_page_fee_is_monotone_in_pages(rule, pages, copies):
    assert fee_amount(rule, pages=pages, copies=copies) <= fee_amount(rule, pages=pages + 1, copies=copies)


@given(rule=per_page_rules, pages=pages, copies=copies)
def test_fee_is_linear_in_copies(rule, pages, copies):
    assert fee_amount(rule, pages=pages, copies=copies) == copies * fee_amount(rule, pages=pages, copies=1)


@given(pages=st.integers(min_value=0, max_value=2), copies=copies)
def test_certified_copy_first_pages_cost_the_first_rate(pages, copies):
    assert fee_amount(CERTIFIED_COPY, pages=pages, copies=copies) == 2000 * pages * copies


@given(pages=pages)
def test_certified_copy_never_costs_more_than_2000_a_page_nor_less_than_1000(pages):
    amount = fee_amount(CERTIFIED_COPY, pages=pages)
    assert amount <= 2000 * pages
    assert amount >= min(1000 * pages, 200_000)


@given(
    rules=st.lists(
        st.builds(
            FeeRule,
            kind=st.sampled_from(["fixed", "free"]),
            amount=amounts,
            channel=st.sampled_from(["", "counter", "online_full"]),
        ),
        max_size=5,
    ),
    channel=st.sampled_from(["counter", "post", "online_full", "online_partial"]),
)
def test_a_channel_gets_its_own_rows_or_else_the_general_ones(rules, channel):
    chosen = fees_for_channel(rules, channel)
    own = [r for r in rules if r.channel == channel]
    assert chosen == (own or [r for r in rules if not r.channel])


# -- step budgets ------------------------------------------------------------------------------------------
def test_budgets_that_fit_the_limit_are_fine():
    assert (
        check_step_budgets(TimeLimit.parse("3 working days"), [Decimal("1.5"), Decimal("1"), Decimal("0.5")])
        is None
    )


def test_budgets_beyond_the_limit_report_the_figures():
    problem = check_step_budgets(TimeLimit.parse("3 working days"), [Decimal("2"), Decimal("1.5")])
    assert problem == BudgetProblem(
        total=Decimal("3.5"), allowed=Decimal(3), limit=TimeLimit.parse("3 working days")
    )


def test_a_same_day_limit_allows_one_day_of_fractional_steps():
    same_day = TimeLimit(LimitKind.SAME_DAY)
    assert check_step_budgets(same_day, [Decimal("0.25")] * 4) is None
    assert check_step_budgets(same_day, [Decimal("0.25")] * 5) is not None


def test_calendar_days_allow_only_the_working_days_they_surely_contain():
    fifteen_days = TimeLimit.parse("15 calendar days")  # at least 9 working days
    assert check_step_budgets(fifteen_days, [Decimal(9)]) is None
    assert check_step_budgets(fifteen_days, [Decimal("9.5")]).allowed == Decimal(9)


def test_working_hours_are_turned_into_days_with_the_daily_hours():
    four_hours = TimeLimit.parse("4 working hours")
    assert check_step_budgets(four_hours, [Decimal("0.5")]) is None
    assert check_step_budgets(four_hours, [Decimal("0.5")], daily_hours=Decimal(4)) is None
    assert check_step_budgets(four_hours, [Decimal("0.75")]) is not None


@given(
    days=st.integers(min_value=1, max_value=60),
    budgets=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(30), places=2), max_size=8),
)
def test_a_problem_is_reported_exactly_when_the_sum_exceeds_the_limit(days, budgets):
    problem = check_step_budgets(TimeLimit(LimitKind.WORKING_DAYS, Decimal(days)), budgets)
    assert (problem is not None) == (sum(budgets, Decimal(0)) > days)


def test_duplicate_positions_are_listed_once_in_order():
    assert duplicate_positions([1, 2, 2, 3, 1, 2, None, None]) == [2, 1]
