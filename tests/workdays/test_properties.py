"""Property tests of the deadline rules: pure calendars first, then the table through the services."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.workdays import services
from motcua.workdays.core import (
    DEFAULT_OFFICE_HOURS,
    VN_TZ,
    LimitKind,
    OfficeHours,
    TimeLimit,
    WorkCalendar,
    build_calendar,
)
from motcua.workdays.models import OverrideKind
from motcua.workdays.selectors import calendar_for
from tests import factories

from .support import SATURDAY_MORNING_HOURS

FIRST, LAST = date(2025, 1, 1), date(2027, 6, 30)
PURE = settings(max_examples=200)
WITH_DB = settings(max_examples=25)


# -- strategies ----------------------------------------------------------------------------------
@st.composite
def random_office_hours(draw) -> OfficeHours:
    weekly = []
    for _weekday in range(7):
        sessions = draw(st.integers(0, 2))
        # Quarter hours from 06:00 to 20:00; sorted distinct marks pair up into ordered sessions.
        marks = sorted(
            draw(st.lists(st.integers(24, 80), min_size=2 * sessions, max_size=2 * sessions, unique=True))
        )
        weekly.append(
            tuple(
                (time(a // 4, a % 4 * 15), time(b // 4, b % 4 * 15))
                for a, b in zip(marks[::2], marks[1::2], strict=True)
            )
        )
    assume(any(weekly))
    return OfficeHours(tuple(weekly))


office_hours = st.one_of(
    st.just(DEFAULT_OFFICE_HOURS), st.just(SATURDAY_MORNING_HOURS), random_office_hours()
)
days = st.dates(min_value=FIRST, max_value=LAST + timedelta(days=120))
received_instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 30), timezones=st.sampled_from([VN_TZ])
)


@st.composite
def calendars(draw) -> tuple[WorkCalendar, dict]:
    spec = {
        "hours": draw(office_hours),
        "cutoff": time(draw(st.integers(8, 18)), draw(st.sampled_from([0, 30]))),
        "days_off": draw(st.frozensets(days, max_size=20)),
        "workdays": draw(st.frozensets(days, max_size=10)),
    }
    spec["workdays"] -= spec["days_off"]
    return build_calendar(**spec), spec


limits = st.one_of(
    st.just(TimeLimit(LimitKind.SAME_DAY)),
    st.builds(TimeLimit, st.just(LimitKind.WORKING_DAYS), st.integers(1, 30)),
    st.builds(TimeLimit, st.just(LimitKind.WORKING_HOURS), st.integers(1, 240).map(lambda q: Decimal(q) / 4)),
    st.builds(TimeLimit, st.just(LimitKind.CALENDAR_DAYS), st.integers(1, 60)),
)


def counted_days(calendar: WorkCalendar, received: datetime, due: datetime) -> list[date]:
    """The working days a working-days limit counted, in order."""
    first, last = received.astimezone(VN_TZ).date(), due.astimezone(VN_TZ).date()
    span = (last - first).days
    return [
        first + timedelta(days=i)
        for i in range(1, span + 1)
        if calendar.is_working_day(first + timedelta(days=i))
    ]


# -- pure properties -----------------------------------------------------------------------------
@PURE
@given(calendars(), received_instants, limits)
def test_the_due_instant_is_inside_office_hours_on_a_working_day(cal_spec, received, limit):
    calendar, _spec = cal_spec
    due = calendar.due(received, limit).astimezone(VN_TZ)
    assert due > received
    assert calendar.is_working_day(due.date())
    # At a session's end, or inside a session
    assert any(start < due <= end for start, end in calendar.intervals(due.date()))


@PURE
@given(calendars(), received_instants, st.integers(1, 30))
def test_working_days_added_are_the_working_days_measured(cal_spec, received, n):
    calendar, _spec = cal_spec
    assert calendar.working_days_between(received, calendar.add_working_days(received, n)) == n


@PURE
@given(calendars(), received_instants, st.integers(1, 240).map(lambda q: Decimal(q) / 4))
def test_working_hours_added_are_the_office_time_measured(cal_spec, received, hours):
    calendar, _spec = cal_spec
    due = calendar.add_working_hours(received, hours)
    assert calendar.office_time_between(received, due) == timedelta(hours=float(hours))


@PURE
@given(calendars(), received_instants, st.integers(0, 30 * 24 * 4), st.integers(0, 30 * 24 * 4))
def test_a_pause_at_the_start_is_the_same_as_starting_later(cal_spec, start, quarters_paused, quarters_after):
    calendar, _spec = cal_spec
    resumed = start + timedelta(minutes=15 * quarters_paused)
    end = resumed + timedelta(minutes=15 * quarters_after)
    assert calendar.office_time_between(start, end, [(start, resumed)]) == calendar.office_time_between(
        resumed, end
    )


@PURE
@given(calendars(), received_instants, st.integers(1, 20), st.data())
def test_a_day_off_inside_the_window_moves_the_due_date_one_working_day_later(cal_spec, received, n, data):
    calendar, spec = cal_spec
    due = calendar.add_working_days(received, n)
    # Given one of the counted working days becomes a day off
    day = data.draw(st.sampled_from(counted_days(calendar, received, due)))
    moved = build_calendar(
        **{**spec, "days_off": spec["days_off"] | {day}, "workdays": spec["workdays"] - {day}}
    )
    # Then the due date is the close of the next working day after the old one
    assert moved.add_working_days(received, n) == calendar.close_of(calendar.next_working_day(due.date()))


@PURE
@given(calendars(), received_instants, st.integers(1, 20), st.data())
def test_a_make_up_day_inside_the_window_moves_the_due_date_earlier(cal_spec, received, n, data):
    calendar, spec = cal_spec
    due = calendar.add_working_days(received, n)
    counted = counted_days(calendar, received, due)
    first = received.astimezone(VN_TZ).date()
    closed = [
        d
        for d in (first + timedelta(days=i) for i in range(1, (due.date() - first).days))
        if d not in counted
    ]
    assume(closed)
    # Given a closed day before the due date becomes a make-up working day
    day = data.draw(st.sampled_from(closed))
    moved = build_calendar(
        **{**spec, "days_off": spec["days_off"] - {day}, "workdays": spec["workdays"] | {day}}
    )
    # Then the limit ends on whichever comes later: the make-up day or the old (n-1)-th day
    new_last = max([day, *counted[-2:-1]])
    assert moved.add_working_days(received, n) == moved.close_of(new_last)
    assert moved.add_working_days(received, n) < due


# -- the table, through the services and the cached selector ---------------------------------------
national_received = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 30), timezones=st.sampled_from([VN_TZ])
)


@pytest.mark.django_db
@WITH_DB
@given(national_received, st.integers(1, 15), st.data())
def test_a_province_day_off_added_to_the_table_moves_the_due_date_one_working_day_later(received, n, data):
    province = factories.province("82")
    before = calendar_for(province_code="82")
    due = before.add_working_days(received, n)
    day = data.draw(st.sampled_from(counted_days(before, received, due)))
    services.calendar_override_set(day=day, kind=OverrideKind.DAY_OFF, province=province, note="Nghỉ thử")
    try:
        after = calendar_for(province_code="82").add_working_days(received, n)
    finally:
        services.calendar_override_delete(day=day, province=province)
    assert after == before.close_of(before.next_working_day(due.date()))
    assert calendar_for(province_code="82").add_working_days(received, n) == due


@pytest.mark.django_db
@WITH_DB
@given(national_received, st.integers(1, 15), st.data())
def test_a_province_make_up_day_added_to_the_table_moves_the_due_date_earlier(received, n, data):
    province = factories.province("82")
    before = calendar_for(province_code="82")
    due = before.add_working_days(received, n)
    counted = counted_days(before, received, due)
    first = received.astimezone(VN_TZ).date()
    closed = [
        d
        for d in (first + timedelta(days=i) for i in range(1, (due.date() - first).days))
        if d not in counted
    ]
    assume(closed)
    day = data.draw(st.sampled_from(closed))
    services.calendar_override_set(day=day, kind=OverrideKind.WORKDAY, province=province, note="Làm bù thử")
    try:
        after = calendar_for(province_code="82")
        moved_due = after.add_working_days(received, n)
    finally:
        services.calendar_override_delete(day=day, province=province)
    assert moved_due == after.close_of(max([day, *counted[-2:-1]]))
    assert moved_due < due
