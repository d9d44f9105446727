"""The pure deadline rules, on the `holidays` package alone (no database)."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from motcua.workdays.core import (
    CalendarError,
    LimitKind,
    OfficeHours,
    TimeLimit,
    build_calendar,
    format_instant,
    parse_instant,
)

from .support import SATURDAY_MORNING_HOURS, at

CAL = build_calendar()


# -- working days ---------------------------------------------------------------------------------
def test_working_days_skip_the_weekend():
    # Given a dossier received on a Thursday morning
    received = at("2026-03-05 10:00")
    # When it has 3 working days
    due = CAL.add_working_days(received, 3)
    # Then counting starts on Friday and skips Saturday and Sunday
    assert due == at("2026-03-10 17:00")


def test_working_days_received_on_a_saturday_start_on_monday():
    assert CAL.add_working_days(at("2026-03-07 09:00"), 1) == at("2026-03-09 17:00")


def test_working_days_skip_lunar_new_year_from_the_package():
    # Given a dossier received on the Friday before Tết 2026 (16-20 Feb off)
    due = CAL.add_working_days(at("2026-02-13 10:00"), 3)
    # Then the three days are 23, 24 and 25 February
    assert due == at("2026-02-25 17:00")


def test_a_make_up_saturday_is_a_full_day_even_where_saturday_mornings_are_open():
    # Given a ward open on Saturday mornings and a make-up working Saturday
    cal = build_calendar(hours=SATURDAY_MORNING_HOURS, workdays=[date(2026, 1, 10)])
    # Then the make-up Saturday has the sessions of a weekday
    assert cal.close_of(date(2026, 1, 10)) == at("2026-01-10 17:00")
    # And an ordinary Saturday closes at 11:30
    assert cal.close_of(date(2026, 1, 17)) == at("2026-01-17 11:30")


def test_an_override_wins_over_the_package():
    # Given the package calls 1 May 2026 a holiday, and an override makes it a working day
    cal = build_calendar(workdays=[date(2026, 5, 1)], days_off=[date(2026, 3, 10)])
    assert cal.is_working_day(date(2026, 5, 1))
    assert not cal.is_working_day(date(2026, 3, 10))


# -- same day and the 15:00 cut-off ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-03-10 15:00", "2026-03-10 17:00"),  # exactly at the cut-off: still today
        ("2026-03-10 15:01", "2026-03-11 17:00"),  # one minute later: the next working day
        ("2026-03-10 06:45", "2026-03-10 17:00"),  # before opening counts as received at opening
        ("2026-03-10 12:15", "2026-03-10 17:00"),  # during the lunch break
        ("2026-03-13 15:01", "2026-03-16 17:00"),  # Friday after the cut-off: Monday
        ("2026-03-07 09:00", "2026-03-09 17:00"),  # Saturday (online filing): Monday
        ("2026-04-30 09:00", "2026-05-04 17:00"),  # 30 April, then 1 May and the weekend
    ],
)
def test_same_day_follows_the_cutoff(received, due):
    assert CAL.same_day(at(received)) == at(due)


def test_a_center_may_set_a_later_cutoff():
    cal = build_calendar(cutoff=time(16, 0))
    assert cal.same_day(at("2026-03-10 15:30")) == at("2026-03-10 17:00")
    assert cal.same_day(at("2026-03-10 16:01")) == at("2026-03-11 17:00")


def test_same_day_on_a_saturday_morning_closes_at_noon():
    cal = build_calendar(hours=SATURDAY_MORNING_HOURS)
    assert cal.same_day(at("2026-03-07 10:00")) == at("2026-03-07 11:30")
    assert cal.same_day(at("2026-03-07 12:00")) == at("2026-03-09 17:00")


# -- working hours ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("received", "hours", "due"),
    [
        ("2026-03-10 10:30", 4, "2026-03-10 16:00"),  # 1 h before lunch, 3 h after
        ("2026-03-10 16:00", 4, "2026-03-11 10:30"),  # 1 h today, the night skipped, 3 h tomorrow
        ("2026-03-13 16:00", 2, "2026-03-16 08:30"),  # Friday to Monday
        ("2026-03-10 12:00", 1, "2026-03-10 14:00"),  # received at lunch: counting from 13:00
        ("2026-03-10 20:00", 2, "2026-03-11 09:30"),  # received at night: from the next opening
        ("2026-03-10 11:00", Decimal("1.5"), "2026-03-10 14:00"),
        ("2026-03-10 07:30", 8, "2026-03-10 17:00"),  # a full day ends at the close, not the next opening
        ("2026-02-13 16:00", 2, "2026-02-23 08:30"),  # over Tết 2026
    ],
)
def test_working_hours_skip_lunch_nights_and_days_off(received, hours, due):
    assert CAL.add_working_hours(at(received), hours) == at(due)


# -- calendar days (Civil Code art. 148) -----------------------------------------------------------
@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        ("2026-03-04 10:00", 2, "2026-03-06 17:00"),  # ends on a Friday
        ("2026-03-02 10:00", 5, "2026-03-09 17:00"),  # ends on a Saturday: moves to Monday
        ("2026-03-02 10:00", 6, "2026-03-09 17:00"),  # ends on a Sunday: moves to Monday
        ("2026-02-10 10:00", 5, "2026-02-23 17:00"),  # ends on Sunday 15 Feb, then Tết
    ],
)
def test_calendar_days_ending_on_a_rest_day_move_to_the_next_working_day(received, days, due):
    assert CAL.add_calendar_days(at(received), days) == at(due)


# -- measuring -----------------------------------------------------------------------------------
def test_office_time_counts_only_sessions():
    # Given Monday 07:30 to Wednesday 17:00: three full days of 8 hours
    assert CAL.office_time_between(at("2026-03-09 07:30"), at("2026-03-11 17:00")) == timedelta(hours=24)


def test_pauses_are_subtracted_from_office_time():
    start, end = at("2026-03-09 07:30"), at("2026-03-11 17:00")
    # Given the dossier waited for the citizen all Tuesday
    pauses = [(at("2026-03-10 07:00"), at("2026-03-10 18:00"))]
    # Then Tuesday's 8 hours do not count
    assert CAL.office_time_between(start, end, pauses) == timedelta(hours=16)


def test_overlapping_pauses_count_once_and_nights_inside_a_pause_cost_nothing():
    start, end = at("2026-03-09 07:30"), at("2026-03-11 17:00")
    # Given a pause from Monday 16:00 to Tuesday 09:00, recorded twice and overlapping
    pauses = [
        (at("2026-03-09 16:00"), at("2026-03-10 09:00")),
        (at("2026-03-09 16:30"), at("2026-03-10 08:00")),
    ]
    # Then only 1 h on Monday and 1.5 h on Tuesday are subtracted
    assert CAL.office_time_between(start, end, pauses) == timedelta(hours=24 - 2.5)


def test_a_pause_reaching_outside_the_interval_is_clipped():
    start, end = at("2026-03-10 07:30"), at("2026-03-10 17:00")
    pauses = [(at("2026-03-09 08:00"), at("2026-03-10 09:30"))]
    assert CAL.office_time_between(start, end, pauses) == timedelta(hours=6)


def test_working_days_between_is_the_inverse_of_adding_them():
    received = at("2026-02-13 10:00")
    assert CAL.working_days_between(received, at("2026-02-25 17:00")) == 3
    assert CAL.working_days_between(received, at("2026-02-25 12:15")) == Decimal("2.5")


# -- limits and instants ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind", "amount"),
    [
        ("same day", LimitKind.SAME_DAY, 0),
        ("Trong ngày", LimitKind.SAME_DAY, 0),
        ("3 working days", LimitKind.WORKING_DAYS, 3),
        ("1 working day", LimitKind.WORKING_DAYS, 1),
        ("3 ngày làm việc", LimitKind.WORKING_DAYS, 3),
        ("4 working hours", LimitKind.WORKING_HOURS, 4),
        ("1,5 giờ làm việc", LimitKind.WORKING_HOURS, Decimal("1.5")),
        ("15 calendar days", LimitKind.CALENDAR_DAYS, 15),
        ("15 ngày", LimitKind.CALENDAR_DAYS, 15),
    ],
)
def test_time_limits_parse_in_english_and_vietnamese(text, kind, amount):
    limit = TimeLimit.parse(text)
    assert (limit.kind, limit.amount) == (kind, amount)
    assert TimeLimit.parse(str(limit)) == limit


@pytest.mark.parametrize("text", ["", "soon", "0 working days", "1.5 working days", "-2 calendar days"])
def test_unusable_time_limits_are_refused(text):
    with pytest.raises(CalendarError):
        TimeLimit.parse(text)


def test_instants_need_an_offset_and_print_at_plus_seven():
    assert format_instant(parse_instant("2026-02-25T10:00:00Z")) == "2026-02-25T17:00+07:00"
    with pytest.raises(CalendarError):
        parse_instant("2026-02-25T10:00")


def test_office_hours_round_trip_and_refuse_overlaps():
    assert OfficeHours.from_json(SATURDAY_MORNING_HOURS.to_json()) == SATURDAY_MORNING_HOURS
    with pytest.raises(CalendarError):
        OfficeHours.from_json({"0": [["07:30", "12:00"], ["11:00", "17:00"]]})
