"""Working calendar and deadline arithmetic: a pure core with no database access.

Conventions (Civil Code 2015 art. 147-148, Decree 118/2025):
- N working days: counting starts on the next working day after receipt; the limit ends at the
  close of office hours of the N-th working day.
- N working hours: office hours counted from the receipt instant (from the next opening when
  received outside office hours).
- Same day: today's close; the next working day's close when received after the cut-off or on a
  day the office is closed. Received before opening on a working day counts as received at opening.
- N calendar days: counting starts the day after receipt; the limit ends at the close of the N-th
  day, or of the next working day when that day is a rest day or holiday (art. 148).

All instants are timezone-aware; office hours are wall-clock times in the calendar's zone.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

from motcua.core.officehours import (  # shared with `units`, which stores each center's hours
    DEFAULT_CUTOFF,
    DEFAULT_OFFICE_HOURS,
    CalendarError,
    OfficeHours,
    Session,
)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_SCAN_DAYS = 3700  # ten years: a calendar with no working day in sight is a configuration error


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked and when: office hours, days off and make-up working days."""

    hours: OfficeHours = DEFAULT_OFFICE_HOURS
    days_off: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    cutoff: time = time.fromisoformat(DEFAULT_CUTOFF)
    tz: ZoneInfo = VN_TZ
    _session_cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    # -- days -------------------------------------------------------------------------------
    def sessions(self, day: date) -> tuple[Session, ...]:
        if day in self.extra_workdays:
            # A make-up Saturday or Sunday stands in for a full weekday, even where the office
            # normally opens that weekend morning only.
            weekly = self.hours.weekly[day.weekday()]
            return weekly if weekly and day.weekday() < 5 else self.hours.standard_day()
        if day in self.days_off:
            return ()
        return self.hours.weekly[day.weekday()]

    def is_working_day(self, day: date) -> bool:
        return bool(self.sessions(day))

    def working_days_after(self, day: date) -> Iterator[date]:
        """Working days strictly after `day`, in order."""
        for offset in range(1, MAX_SCAN_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                yield candidate
        raise CalendarError("The calendar has no working day within ten years.")

    def next_working_day(self, day: date) -> date:
        return next(self.working_days_after(day))

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's office sessions as aware instants."""
        cached = self._session_cache.get(day)
        if cached is None:
            cached = [
                (datetime.combine(day, start, self.tz), datetime.combine(day, end, self.tz))
                for start, end in self.sessions(day)
            ]
            self._session_cache[day] = cached
        return cached

    def close_of(self, day: date) -> datetime:
        intervals = self.intervals(day)
        if not intervals:
            raise CalendarError(f"{day:%d/%m/%Y} is not a working day.")
        return intervals[-1][1]

    def open_of(self, day: date) -> datetime:
        intervals = self.intervals(day)
        if not intervals:
            raise CalendarError(f"{day:%d/%m/%Y} is not a working day.")
        return intervals[0][0]

    def local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            raise CalendarError("Instants must carry a time zone offset.")
        return instant.astimezone(self.tz)

    def is_office_time(self, instant: datetime) -> bool:
        local = self.local(instant)
        return any(start <= local < end for start, end in self.intervals(local.date()))

    # -- limits -----------------------------------------------------------------------------
    def same_day(self, received: datetime) -> datetime:
        local = self.local(received)
        today = local.date()
        if self.is_working_day(today) and local.time() <= self.cutoff and local < self.close_of(today):
            return self.close_of(today)
        return self.close_of(self.next_working_day(today))

    def add_working_days(self, received: datetime, days: int) -> datetime:
        if days < 1:
            raise CalendarError("A limit in working days must be at least 1.")
        local = self.local(received)
        for count, day in enumerate(self.working_days_after(local.date()), start=1):
            if count == days:
                return self.close_of(day)
        raise AssertionError("unreachable")

    def add_working_hours(self, received: datetime, hours: Decimal | int | float) -> datetime:
        remaining = timedelta(hours=float(hours))
        if remaining <= timedelta(0):
            raise CalendarError("A limit in working hours must be positive.")
        local = self.local(received)
        day = local.date()
        for _ in range(MAX_SCAN_DAYS):
            for start, end in self.intervals(day):
                begin = max(start, local)
                if begin >= end:
                    continue
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += timedelta(days=1)
        raise CalendarError("The calendar has no working day within ten years.")

    def add_calendar_days(self, received: datetime, days: int) -> datetime:
        if days < 1:
            raise CalendarError("A limit in calendar days must be at least 1.")
        last = self.local(received).date() + timedelta(days=days)
        if not self.is_working_day(last):
            last = self.next_working_day(last)
        return self.close_of(last)

    def due(self, received: datetime, limit: TimeLimit) -> datetime:
        """The due instant of `limit` counted from `received`, in the calendar's zone."""
        if limit.kind is LimitKind.SAME_DAY:
            return self.same_day(received)
        if limit.kind is LimitKind.WORKING_DAYS:
            return self.add_working_days(received, int(limit.amount))
        if limit.kind is LimitKind.WORKING_HOURS:
            return self.add_working_hours(received, limit.amount)
        return self.add_calendar_days(received, int(limit.amount))

    # -- measuring --------------------------------------------------------------------------
    def office_time_between(
        self, start: datetime, end: datetime, pauses: Iterable[tuple[datetime, datetime]] = ()
    ) -> timedelta:
        """Office time inside [start, end) minus the office time inside the paused intervals."""
        start, end = self.local(start), self.local(end)
        if end <= start:
            return timedelta(0)
        total = self._office_time(start, end)
        for pause_start, pause_end in _merge(pauses):
            lo, hi = max(self.local(pause_start), start), min(self.local(pause_end), end)
            if lo < hi:
                total -= self._office_time(lo, hi)
        return total

    def _office_time(self, start: datetime, end: datetime) -> timedelta:
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            for s, e in self.intervals(day):
                lo, hi = max(s, start), min(e, end)
                if lo < hi:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def working_days_between(self, received: datetime, instant: datetime) -> Decimal:
        """Working days used from `received` to `instant`, counted the art. 147 way.

        Whole working days strictly after the day of receipt and before the instant's day, plus the
        share of the instant's own office day already gone. The inverse of `add_working_days`.
        """
        first, last = self.local(received).date(), self.local(instant).date()
        if last <= first:
            return Decimal(0)
        whole = 0
        day = first + timedelta(days=1)
        while day < last:
            if self.is_working_day(day):
                whole += 1
            day += timedelta(days=1)
        used = Decimal(whole)
        if self.is_working_day(last):
            length = sum((e - s for s, e in self.intervals(last)), timedelta(0))
            part = self._office_time(self.open_of(last), self.local(instant))
            used += Decimal(part.total_seconds()) / Decimal(length.total_seconds())
        return used

    def daily_hours(self) -> Decimal:
        """Office hours of a standard day, for turning budgets in days into hours."""
        seconds = sum(
            (datetime.combine(date.min, e) - datetime.combine(date.min, s)).total_seconds()
            for s, e in self.hours.standard_day()
        )
        return Decimal(seconds) / Decimal(3600)


def _merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# -- time limits ---------------------------------------------------------------------------------
class LimitKind(enum.StrEnum):
    SAME_DAY = "same_day"
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


_LIMIT_PATTERNS: list[tuple[re.Pattern[str], LimitKind]] = [
    (re.compile(r"^(same[ _-]?day|trong ngay|trong ngay lam viec)$"), LimitKind.SAME_DAY),
    (re.compile(r"^(?P<n>\d+(?:[.,]\d+)?)\s*(working[ _-]?days?|ngay lam viec)$"), LimitKind.WORKING_DAYS),
    (
        re.compile(r"^(?P<n>\d+(?:[.,]\d+)?)\s*(working[ _-]?hours?|gio lam viec|gio)$"),
        LimitKind.WORKING_HOURS,
    ),
    (re.compile(r"^(?P<n>\d+(?:[.,]\d+)?)\s*(calendar[ _-]?days?|ngay)$"), LimitKind.CALENDAR_DAYS),
]


@dataclass(frozen=True)
class TimeLimit:
    """A statutory time limit (thời hạn giải quyết) or a step budget."""

    kind: LimitKind
    amount: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        amount = Decimal(self.amount)
        object.__setattr__(self, "amount", amount)
        if self.kind is LimitKind.SAME_DAY:
            if amount not in (0, 1):
                raise CalendarError("A same-day limit takes no amount.")
            object.__setattr__(self, "amount", Decimal(0))
            return
        if amount <= 0:
            raise CalendarError("A time limit must be positive.")
        if self.kind is not LimitKind.WORKING_HOURS and amount != amount.to_integral_value():
            raise CalendarError("A limit in days must be a whole number of days.")

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        """Parse "same day", "3 working days", "4 working hours", "15 calendar days".

        Vietnamese forms are accepted too: "trong ngày", "3 ngày làm việc", "4 giờ làm việc".
        """
        from motcua.core.text import search_key

        key = search_key(text)
        for pattern, kind in _LIMIT_PATTERNS:
            match = pattern.match(key)
            if match:
                raw = match.groupdict().get("n")
                try:
                    amount = Decimal(raw.replace(",", ".")) if raw else Decimal(0)
                except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
                    raise CalendarError(f"Not a number: {raw}") from exc
                return cls(kind, amount)
        raise CalendarError(
            f'Unknown time limit "{text}": use "same day", "N working days", '
            f'"N working hours" or "N calendar days".'
        )

    def __str__(self) -> str:
        if self.kind is LimitKind.SAME_DAY:
            return "same day"
        n = self.amount.normalize()
        number = f"{n:f}"
        unit = {
            LimitKind.WORKING_DAYS: "working day",
            LimitKind.WORKING_HOURS: "working hour",
            LimitKind.CALENDAR_DAYS: "calendar day",
        }[self.kind]
        return f"{number} {unit}{'' if n == 1 else 's'}"

    def in_working_days(self, daily_hours: Decimal = Decimal(8)) -> Decimal:
        """The working days this limit guarantees at least, to check step budgets against.

        A same-day limit is one day; N calendar days always contain at least N - 2 * ceil(N / 7)
        working days (two rest days per started week), holidays aside.
        """
        if self.kind is LimitKind.SAME_DAY:
            return Decimal(1)
        if self.kind is LimitKind.WORKING_DAYS:
            return self.amount
        if self.kind is LimitKind.WORKING_HOURS:
            return self.amount / daily_hours
        n = int(self.amount)
        return Decimal(max(n - 2 * -(-n // 7), 1))


# -- building a calendar --------------------------------------------------------------------------
@lru_cache(maxsize=8)
def vn_public_holidays(years: tuple[int, ...]) -> tuple[frozenset[date], frozenset[date]]:
    """Vietnam's public holidays (with lunar Tết and compensated days) and the make-up working
    days the `holidays` package knows, for the given years."""
    import holidays

    calendar = holidays.country_holidays("VN", years=years)
    return frozenset(calendar.keys()), frozenset(getattr(calendar, "weekend_workdays", ()) or ())


def build_calendar(
    *,
    hours: OfficeHours = DEFAULT_OFFICE_HOURS,
    cutoff: time | None = None,
    days_off: Iterable[date] = (),
    workdays: Iterable[date] = (),
    years: Iterable[int] = range(2015, 2046),
) -> WorkCalendar:
    """Public holidays from the `holidays` package, then the administrator's overrides on top.

    An override always wins over the package: a date listed as a working day is worked even if
    the package calls it a holiday, and a date listed as a day off is off.
    """
    package_off, package_on = vn_public_holidays(tuple(sorted(set(years))))
    overrides_off, overrides_on = frozenset(days_off), frozenset(workdays)
    return WorkCalendar(
        hours=hours,
        days_off=(package_off | overrides_off) - overrides_on,
        extra_workdays=(package_on | overrides_on) - overrides_off,
        cutoff=cutoff or time.fromisoformat(DEFAULT_CUTOFF),
    )


def parse_instant(text: str) -> datetime:
    """ISO 8601 with an offset ("2026-02-13T10:00+07:00"); a naive value is refused."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise CalendarError(f'"{text}" is not an ISO 8601 date and time.') from exc
    if value.tzinfo is None:
        raise CalendarError(f'"{text}" has no time zone offset (e.g. +07:00).')
    return value


def format_instant(instant: datetime, tz: ZoneInfo = VN_TZ) -> str:
    """ISO 8601 in the office's zone, to the minute when seconds are zero."""
    local = instant.astimezone(tz)
    spec = "minutes" if local.second == 0 and local.microsecond == 0 else "seconds"
    return local.isoformat(timespec=spec)
