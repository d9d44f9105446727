"""The pure rules: who is called next (with the anti-starvation property), codes, phones, Erlang C."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.queueing import rules
from motcua.queueing.rules import Waiting, choose_next


def test_priority_goes_first_then_a_normal_ticket_after_three_priority_calls():
    waiting = [Waiting(1), *(Waiting(i, priority=True) for i in range(2, 7))]
    calls, streak = [], 0
    for _ in range(6):
        choice = choose_next(waiting, streak=streak, limit=3)
        calls.append(choice.id)
        streak = choice.streak
        waiting = [w for w in waiting if w.id != choice.id]
    assert calls == [2, 3, 4, 1, 5, 6]


def test_due_appointments_come_before_everybody_and_limit_zero_is_arrival_order():
    waiting = [Waiting(1, priority=True), Waiting(2), Waiting(3, due_appointment=True)]
    assert choose_next(waiting, streak=0).id == 3
    assert choose_next(waiting[:2], streak=0, limit=0).id == 1
    assert choose_next([Waiting(2), Waiting(1, priority=True)], streak=0, limit=0).id == 2
    assert choose_next([], streak=0) is None


def test_priority_calls_with_no_normal_ticket_waiting_do_not_count():
    choice = choose_next([Waiting(1, priority=True)], streak=2, limit=3)
    assert choice == rules.Choice(1, 0)


# Operations: ("arrive", priority?) or ("call", None). The property: while a normal ticket waits,
# it never sees more than `limit` priority calls in a row, and nobody is called twice or lost.
operations = st.lists(
    st.one_of(st.tuples(st.just("arrive"), st.booleans()), st.tuples(st.just("call"), st.none())),
    max_size=120,
)


@given(operations, st.integers(min_value=1, max_value=6))
def test_no_normal_ticket_waits_more_than_limit_priority_calls_in_a_row(ops, limit):
    waiting: list[Waiting] = []
    streak, next_id, called = 0, 1, []
    in_a_row: dict[int, int] = {}  # normal ticket id -> priority calls in a row seen while waiting
    for op, priority in ops:
        if op == "arrive":
            waiting.append(Waiting(next_id, priority=priority))
            next_id += 1
            continue
        choice = choose_next(waiting, streak=streak, limit=limit)
        if choice is None:
            assert not waiting
            continue
        ticket = next(w for w in waiting if w.id == choice.id)
        waiting.remove(ticket)
        called.append(ticket.id)
        streak = choice.streak
        for w in waiting:
            if not w.priority:
                in_a_row[w.id] = in_a_row.get(w.id, 0) + 1 if ticket.priority else 0
                assert in_a_row[w.id] <= limit
    assert len(called) == len(set(called))


@given(st.lists(st.booleans(), min_size=1, max_size=50), st.integers(min_value=0, max_value=5))
def test_within_each_class_arrival_order_is_kept(priorities, limit):
    waiting = [Waiting(i, priority=p) for i, p in enumerate(priorities)]
    order, streak = [], 0
    while waiting:
        choice = choose_next(waiting, streak=streak, limit=limit)
        streak = choice.streak
        order.append(choice.id)
        waiting = [w for w in waiting if w.id != choice.id]
    for flag in (True, False):
        same = [i for i in order if priorities[i] is flag]
        assert same == sorted(same)


def test_ticket_codes_and_the_spoken_call():
    assert rules.ticket_code("A", 15) == "A015"
    assert rules.ticket_code("B", 1000) == "B1000"
    assert rules.call_text("A015", 2) == "Mời số A015 đến quầy số 2"
    assert rules.call_speech("B015", 2) == "Mời số Bê, không một năm, đến quầy số 2."


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("0912 345 678", "0912345678"),
        ("+84 912-345-678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0389.123.456", "0389123456"),
        ("0287 123 456", None),  # Hồ Chí Minh City landline
        ("0212345678", None),
        ("091234567", None),
        ("09123456789", None),
        ("0112345678", None),
        ("abc", None),
        ("", None),
    ],
)
def test_vietnamese_mobile_numbers(raw, expected):
    assert rules.vn_mobile(raw) == expected


@given(st.text(max_size=20))
def test_mobile_parser_never_crashes_and_answers_ten_digits(raw):
    value = rules.vn_mobile(raw)
    assert value is None or (len(value) == 10 and value[:3] in rules.MOBILE_PREFIXES)


def test_erlang_c_matches_a_textbook_value_and_counters_needed_is_the_smallest():
    # 2 Erlangs on 3 agents: P(wait) = 4/9 (textbook M/M/3 example)
    assert rules.erlang_c(3, 2.0) == pytest.approx(4 / 9, abs=1e-9)
    n = rules.counters_needed(arrivals_per_hour=20, service_minutes=10, wait_minutes=15, share=0.9)
    assert rules.share_served_within(n, arrivals_per_hour=20, service_minutes=10, wait_minutes=15) >= 0.9
    assert rules.share_served_within(n - 1, arrivals_per_hour=20, service_minutes=10, wait_minutes=15) < 0.9
    assert rules.counters_needed(arrivals_per_hour=0, service_minutes=10) == 0


@given(st.floats(min_value=0.5, max_value=120), st.floats(min_value=2, max_value=45))
def test_more_counters_never_make_the_wait_worse(rate, minutes):
    shares = [
        rules.share_served_within(c, arrivals_per_hour=rate, service_minutes=minutes, wait_minutes=15)
        for c in range(1, 40)
    ]
    assert all(b >= a - 1e-12 for a, b in zip(shares, shares[1:], strict=False))


def test_percentile_and_estimates():
    assert rules.percentile([], 50) is None
    assert rules.percentile([5, 1, 3, 2, 4], 50) == 3
    assert rules.percentile(list(range(1, 11)), 90) == 9
    assert rules.estimated_wait_minutes(ahead=5, service_minutes=10, counters=2) == 25
    assert rules.estimated_wait_minutes(ahead=3, service_minutes=10, counters=0) == 30


# -- the kiosk: the procedure sets the service, the card suggests the elderly priority -------------
covers = st.lists(
    st.builds(
        rules.Cover,
        id=st.integers(1, 50),
        procedures=st.frozensets(st.integers(1, 8), max_size=3),
        field=st.one_of(st.none(), st.integers(1, 4)),
    ),
    max_size=6,
)


@given(covers, st.integers(1, 8), st.one_of(st.none(), st.integers(1, 4)))
def test_a_service_listing_the_procedure_wins_then_one_covering_its_field(services, procedure, field):
    chosen = rules.service_for_procedure(services, procedure=procedure, field=field)
    listing = [s for s in services if procedure in s.procedures]
    covering = [s for s in services if field is not None and s.field == field]
    if listing:
        assert chosen == listing[0].id
    elif covering:
        assert chosen == covering[0].id
    else:
        assert chosen is None


def test_service_for_procedure_examples():
    a, b = rules.Cover(1, field=10), rules.Cover(2, procedures=frozenset({7}), field=20)
    assert rules.service_for_procedure([a, b], procedure=7, field=10) == 2  # listed beats the field
    assert rules.service_for_procedure([a, b], procedure=8, field=10) == 1
    assert rules.service_for_procedure([a, b], procedure=8, field=30) is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2010, 12, 31)), st.integers(0, 110))
def test_age_grows_by_one_on_each_birthday(birth, years):
    try:
        birthday = birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year: the birthday is 1 March
        birthday = date(birth.year + years, 3, 1)
    assert rules.age_on(birth, birthday) == years
    assert rules.age_on(birth, birthday - timedelta(days=1)) == years - 1


@given(
    st.sampled_from(["", "elderly", "disability", "pregnant_child", "merit"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
)
def test_the_card_suggests_elderly_only_from_60_and_never_overrides_a_choice(chosen, birth):
    today = date(2026, 3, 2)
    suggested = rules.kiosk_priority(chosen, birth=birth, today=today)
    if chosen:
        assert suggested == chosen
    else:
        assert suggested == ("elderly" if rules.age_on(birth, today) >= 60 else "")
    assert rules.kiosk_priority(chosen, birth=None, today=today) == chosen
