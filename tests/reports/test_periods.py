"""Reporting periods (pure): kinds, previous periods, and the split into rollup grains."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.errors import ValidationFailed
from motcua.reports.periods import Grain, Kind, Period, containing, grain_end, grain_start, parse, segments

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(days, st.integers(0, 1500))
def test_segments_tile_the_range_with_whole_periods(start, length):
    end = start + timedelta(days=length)
    covered = []
    parts = segments(start, end)
    for grain, first, last in parts:
        assert grain in (Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER, Grain.YEAR)
        period = first
        while period <= last:
            assert grain_start(grain, period) == period
            closing = grain_end(grain, period)
            covered += [period + timedelta(days=i) for i in range((closing - period).days + 1)]
            period = closing + timedelta(days=1)
    assert covered == [start + timedelta(days=i) for i in range(length + 1)]
    assert len(parts) <= 11


def test_a_year_or_a_quarter_is_one_row_and_odd_ranges_few():
    assert segments(date(2026, 1, 1), date(2026, 12, 31)) == [
        (Grain.YEAR, date(2026, 1, 1), date(2026, 1, 1))
    ]
    assert segments(date(2026, 4, 1), date(2026, 6, 30)) == [
        (Grain.QUARTER, date(2026, 4, 1), date(2026, 4, 1))
    ]
    assert segments(date(2025, 3, 17), date(2026, 2, 9)) == [
        (Grain.WEEK, date(2025, 3, 17), date(2025, 3, 24)),
        (Grain.DAY, date(2025, 3, 31), date(2025, 3, 31)),
        (Grain.QUARTER, date(2025, 4, 1), date(2025, 10, 1)),
        (Grain.MONTH, date(2026, 1, 1), date(2026, 1, 1)),
        (Grain.DAY, date(2026, 2, 1), date(2026, 2, 1)),
        (Grain.WEEK, date(2026, 2, 2), date(2026, 2, 2)),
        (Grain.DAY, date(2026, 2, 9), date(2026, 2, 9)),
    ]


@given(days, st.sampled_from([Kind.DAY, Kind.WEEK, Kind.MONTH, Kind.QUARTER, Kind.YEAR]))
def test_a_period_contains_its_day_and_follows_its_previous_one(day, kind):
    period = containing(kind, day)
    assert period.start <= day <= period.end
    previous = period.previous()
    assert previous.kind == kind and previous.end + timedelta(days=1) == period.start
    assert grain_start(Grain.WEEK, day).weekday() == 0


def test_parse_periods():
    today = date(2026, 3, 18)
    assert parse({}, today=today) == Period(Kind.MONTH, date(2026, 3, 1), date(2026, 3, 31))
    assert parse({"period": "quarter", "on": "2026-05-02"}, today=today) == Period(
        Kind.QUARTER, date(2026, 4, 1), date(2026, 6, 30)
    )
    assert parse({"period": "week"}, today=today).start == date(2026, 3, 16)
    custom = parse({"period": "custom", "start": "2026-01-10", "end": "2026-02-05"}, today=today)
    assert custom.days == 27 and custom.previous() == Period(
        Kind.CUSTOM, date(2025, 12, 14), date(2026, 1, 9)
    )
    for bad in (
        {"period": "decade"},
        {"period": "custom", "start": "2026-02-01", "end": "2026-01-01"},
        {"on": "yesterday"},
        {"period": "custom", "start": "2020-01-01", "end": "2026-01-01"},
    ):
        with pytest.raises(ValidationFailed):
            parse(bad, today=today)
