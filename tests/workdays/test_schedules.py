"""The official 2025 and 2026 schedules shipped by migration 0002, read through the selectors."""

import unicodedata
from datetime import date

import pytest
from django.apps import apps as django_apps

from motcua.workdays.models import CalendarOverride, OverrideKind
from motcua.workdays.selectors import calendar_for

from .support import MigrationSchemaEditor, at, schedule_migration

pytestmark = pytest.mark.django_db


def off(*days: str) -> list[tuple[str, bool]]:
    return [(d, False) for d in days]


def worked(*days: str) -> list[tuple[str, bool]]:
    return [(d, True) for d in days]


@pytest.mark.parametrize(
    ("day", "is_working"),
    [
        # New Year 2026: off Thu 1 - Sun 4 Jan, Fri 2 Jan swapped for Sat 10 Jan
        *off("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"),
        *worked("2025-12-31", "2026-01-05", "2026-01-10"),
        # Tết 2026: Sat 14 - Sun 22 Feb
        *off(*(f"2026-02-{d}" for d in range(14, 23))),
        *worked("2026-02-13", "2026-02-23"),
        # Hùng Kings 2026 on Sunday 26 Apr, compensated Monday 27 Apr; then 30 Apr and 1 May
        *off("2026-04-26", "2026-04-27", "2026-04-30", "2026-05-01"),
        *worked("2026-04-28", "2026-04-29", "2026-05-04"),
        # National Day 2026: Sat 29 Aug - Wed 2 Sep, Mon 31 Aug swapped for Sat 22 Aug
        *off("2026-08-29", "2026-08-30", "2026-08-31", "2026-09-01", "2026-09-02"),
        *worked("2026-08-22", "2026-08-28", "2026-09-03"),
        # 2025: Tết Sat 25 Jan - Sun 2 Feb; Hùng Kings Mon 7 Apr
        *off(*(f"2025-01-{d}" for d in range(25, 32)), "2025-02-01", "2025-02-02", "2025-04-07"),
        *worked("2025-01-24", "2025-02-03", "2025-04-08"),
        # 2025: 30 Apr - 4 May with Fri 2 May swapped for Sat 26 Apr; National Day Sat 30 Aug - Tue 2 Sep
        *off("2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"),
        *worked("2025-04-26", "2025-04-29", "2025-05-05", "2025-08-29", "2025-09-03"),
    ],
)
def test_the_official_schedule_decides_which_days_are_worked(day, is_working):
    assert calendar_for().is_working_day(date.fromisoformat(day)) is is_working


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        ("2026-02-13 10:00", 3, "2026-02-25 17:00"),  # across Tết 2026
        ("2026-02-16 09:00", 1, "2026-02-23 17:00"),  # received during Tết (online)
        ("2025-12-31 10:00", 1, "2026-01-05 17:00"),  # 1-4 January 2026 off
        ("2026-01-09 10:00", 1, "2026-01-10 17:00"),  # Saturday 10 January is worked
        ("2026-04-24 10:00", 1, "2026-04-28 17:00"),  # Monday 27 April compensates Hùng Kings
        ("2026-04-24 10:00", 3, "2026-05-04 17:00"),  # then 30 April, 1 May and the weekend
        ("2025-04-25 10:00", 1, "2025-04-26 17:00"),  # Saturday 26 April 2025 is worked
        ("2025-04-25 10:00", 4, "2025-05-05 17:00"),  # 30 April - 4 May 2025 off
        ("2025-08-29 10:00", 1, "2025-09-03 17:00"),  # National Day 2025
        ("2026-08-21 10:00", 1, "2026-08-22 17:00"),  # Saturday 22 August 2026 is worked
        ("2026-08-28 10:00", 1, "2026-09-03 17:00"),  # National Day 2026
    ],
)
def test_working_days_follow_the_official_schedule(received, days, due):
    assert calendar_for().add_working_days(at(received), days) == at(due)


def test_same_day_on_the_make_up_saturday_is_that_saturday():
    assert calendar_for().same_day(at("2026-01-10 09:00")) == at("2026-01-10 17:00")
    assert calendar_for().same_day(at("2026-01-02 09:00")) == at("2026-01-05 17:00")


def test_every_shipped_entry_is_a_weekday_off_or_a_weekend_make_up_day_with_a_vietnamese_note():
    rows = list(CalendarOverride.objects.filter(province__isnull=True, day__year__in=[2025, 2026]))
    assert len(rows) == len(schedule_migration.SCHEDULE)
    for row in rows:
        if row.kind == OverrideKind.DAY_OFF:
            assert row.day.weekday() < 5, row
        else:
            assert row.day.weekday() >= 5, row
        assert row.note == unicodedata.normalize("NFC", row.note)
        assert not row.note.isascii(), row.note  # written with diacritics


def test_the_schedule_migration_is_reversible():
    # Given the shipped schedule
    count = CalendarOverride.objects.count()
    # When the data migration is reversed
    schedule_migration.remove_schedule(django_apps, MigrationSchemaEditor())
    # Then the national 2025-2026 entries are gone
    assert not CalendarOverride.objects.filter(day__year__in=[2025, 2026], province__isnull=True).exists()
    # And applying it again restores them exactly once
    schedule_migration.add_schedule(django_apps, MigrationSchemaEditor())
    schedule_migration.add_schedule(django_apps, MigrationSchemaEditor())
    assert CalendarOverride.objects.count() == count
    assert all(op.reversible for op in schedule_migration.Migration.operations)
