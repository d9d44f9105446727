"""Reporting periods (pure): a day, an ISO week, a month, a quarter, a year or a custom range of
days, their previous period, and how a range splits into the rollup grains.

Days are local dates in Asia/Ho_Chi_Minh; a period's `end` is inclusive.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_CUSTOM_DAYS = 3 * 366 + 1  # longer ranges are read as years


class Kind(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


class Grain(enum.StrEnum):
    """The period lengths the rollups are kept at (one row per grain for each event)."""

    DAY = "D"
    WEEK = "W"
    MONTH = "M"
    QUARTER = "Q"
    YEAR = "Y"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return _add_months(day, 1) - timedelta(days=1)


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def grain_start(grain: str, day: date) -> date:
    if grain == Grain.DAY:
        return day
    if grain == Grain.WEEK:
        return week_start(day)
    if grain == Grain.MONTH:
        return month_start(day)
    if grain == Grain.QUARTER:
        return quarter_start(day)
    return date(day.year, 1, 1)


def grain_end(grain: str, day: date) -> date:
    """The last day of the period of `grain` that contains `day`."""
    start = grain_start(grain, day)
    if grain == Grain.DAY:
        return start
    if grain == Grain.WEEK:
        return start + timedelta(days=6)
    months = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}[grain]
    return _add_months(start, months) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationFailed(_("The end of the period is before its start."), field="end")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before (a custom range: as many days just before)."""
        if self.kind == Kind.CUSTOM:
            end = self.start - timedelta(days=1)
            return Period(Kind.CUSTOM, end - timedelta(days=self.days - 1), end)
        return containing(self.kind, self.start - timedelta(days=1))

    def instants(self) -> tuple[datetime, datetime]:
        """[start, end) as aware instants: from the first day's midnight to the day after the last."""
        return (
            datetime.combine(self.start, time.min, VN_TZ),
            datetime.combine(self.end + timedelta(days=1), time.min, VN_TZ),
        )

    def params(self) -> dict[str, str]:
        """The query parameters that name this period (for links)."""
        if self.kind == Kind.CUSTOM:
            return {"period": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": str(self.kind), "on": self.start.isoformat()}

    @property
    def label(self) -> str:
        if self.kind == Kind.DAY:
            return f"{self.start:%d/%m/%Y}"
        if self.kind == Kind.WEEK:
            iso = self.start.isocalendar()
            return _("Week %(week)s/%(year)s (%(start)s–%(end)s)") % {
                "week": iso.week,
                "year": iso.year,
                "start": f"{self.start:%d/%m}",
                "end": f"{self.end:%d/%m}",
            }
        if self.kind == Kind.MONTH:
            return _("Month %(month)s/%(year)s") % {"month": f"{self.start:%m}", "year": self.start.year}
        if self.kind == Kind.QUARTER:
            return _("Quarter %(quarter)s/%(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == Kind.YEAR:
            return _("Year %(year)s") % {"year": self.start.year}
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def __str__(self) -> str:
        return self.label


def containing(kind: str, day: date) -> Period:
    """The period of `kind` that contains `day` (a custom kind gives that single day)."""
    if kind == Kind.DAY or kind == Kind.CUSTOM:
        return Period(Kind(kind), day, day)
    if kind == Kind.WEEK:
        start = week_start(day)
        return Period(Kind.WEEK, start, start + timedelta(days=6))
    if kind == Kind.MONTH:
        return Period(Kind.MONTH, month_start(day), month_end(day))
    if kind == Kind.QUARTER:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(Kind.QUARTER, start, _add_months(start, 3) - timedelta(days=1))
    if kind == Kind.YEAR:
        return Period(Kind.YEAR, date(day.year, 1, 1), date(day.year, 12, 31))
    raise ValidationFailed(_("Unknown period %(kind)s.") % {"kind": kind}, field="period")


def _date(value: str, field: str) -> date:
    text = (value or "").strip()
    try:
        if len(text) == 7:  # 2026-03
            return date.fromisoformat(text + "-01")
        if len(text) == 4 and text.isascii() and text.isdigit():
            return date(int(text), 1, 1)
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}, field=field
        ) from None


def parse(params: Mapping[str, str], *, today: date, default: str = Kind.MONTH) -> Period:
    """A period from query parameters: `period` (day, week, month, quarter, year, custom) with
    `on` (any day inside it; default today), or `start` and `end` for a custom range."""
    kind = (params.get("period") or default).strip().lower()
    if kind not in Kind.__members__.values():
        raise ValidationFailed(_("Unknown period %(kind)s.") % {"kind": kind}, field="period")
    if kind == Kind.CUSTOM:
        start = _date(params.get("start") or "", "start")
        end = _date(params.get("end") or "", "end")
        if (end - start).days + 1 > MAX_CUSTOM_DAYS:
            raise ValidationFailed(_("A custom range may cover at most three years."), field="end")
        return Period(Kind.CUSTOM, start, end)
    on = params.get("on")
    return containing(kind, _date(on, "on") if on else today)


# Grains that tile a calendar range, largest first. ISO weeks cross month ends, so they only tile
# what is left between whole months.
_TILING = (Grain.YEAR, Grain.QUARTER, Grain.MONTH, Grain.WEEK, Grain.DAY)


def segments(start: date, end: date) -> list[tuple[str, date, date]]:
    """Split [start, end] into whole years, quarters, months, then ISO weeks and the days left
    over, largest first: (grain, first period start, last period start), in date order. At most
    eleven parts, so a range of any length reads a few rows per center and combination."""

    def cover(lo: date, hi: date, grains: tuple) -> list[tuple[str, date, date]]:
        if lo > hi:
            return []
        grain = grains[0]
        if grain == Grain.DAY:
            return [(Grain.DAY, lo, hi)]
        if grain == Grain.WEEK and (hi - lo).days < 6:
            return cover(lo, hi, grains[1:])
        first = lo if grain_start(grain, lo) == lo else grain_end(grain, lo) + timedelta(days=1)
        last_end = hi if grain_end(grain, hi) == hi else grain_start(grain, hi) - timedelta(days=1)
        if first > last_end:
            return cover(lo, hi, grains[1:])
        return [
            *cover(lo, first - timedelta(days=1), grains[1:]),
            (grain, first, grain_start(grain, last_end)),
            *cover(last_end + timedelta(days=1), hi, grains[1:]),
        ]

    return cover(start, end, _TILING)


def week_starts(end: date, count: int) -> list[date]:
    """The Monday of the `count` ISO weeks up to the one containing `end`, oldest first."""
    last = week_start(end)
    return [last - timedelta(weeks=count - 1 - i) for i in range(count)]
