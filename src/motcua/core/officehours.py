"""A center's office hours (pure): the weekly sessions and the same-day cut-off.

Shared by `units` (each center stores its hours) and `workdays` (which counts deadlines in them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

DEFAULT_CUTOFF = "15:00"

Session = tuple[time, time]


class CalendarError(ValueError):
    """The calendar or a limit cannot be used as given (message is for people)."""


@dataclass(frozen=True)
class OfficeHours:
    """Office sessions per weekday (0 = Monday); an empty tuple means closed that weekday."""

    weekly: tuple[tuple[Session, ...], ...]

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise CalendarError("Office hours need an entry for each of the 7 weekdays.")
        for sessions in self.weekly:
            previous_end: time | None = None
            for start, end in sessions:
                if not start < end:
                    raise CalendarError(f"A session must end after it starts ({start:%H:%M}-{end:%H:%M}).")
                if previous_end is not None and start < previous_end:
                    raise CalendarError("Sessions of a day must be in order and must not overlap.")
                previous_end = end

    @classmethod
    def from_json(cls, value: dict) -> OfficeHours:
        """`{"0": [["07:30", "11:30"], ["13:00", "17:00"]], ...}`; missing weekdays are closed."""
        if not isinstance(value, dict):
            raise CalendarError("Office hours must be an object keyed by weekday 0-6.")
        weekly: list[tuple[Session, ...]] = [() for _ in range(7)]
        for key, sessions in value.items():
            weekday = int(key)
            if not 0 <= weekday <= 6:
                raise CalendarError(f"Weekday {key} is not between 0 (Monday) and 6 (Sunday).")
            weekly[weekday] = tuple(
                (time.fromisoformat(start), time.fromisoformat(end)) for start, end in sessions
            )
        return cls(tuple(weekly))

    def to_json(self) -> dict:
        return {
            str(weekday): [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in sessions]
            for weekday, sessions in enumerate(self.weekly)
            if sessions
        }

    def standard_day(self) -> tuple[Session, ...]:
        """The sessions of a normal weekday, used on make-up working days (usually Saturdays)."""
        for sessions in self.weekly:
            if sessions:
                return sessions
        return ()


DEFAULT_OFFICE_HOURS = OfficeHours.from_json(
    {str(d): [["07:30", "11:30"], ["13:00", "17:00"]] for d in range(5)}
)
