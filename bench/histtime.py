"""Time for the generated history as integer seconds: fast text for COPY and payloads, and an
office-time number line over the real working calendar."""

from __future__ import annotations

from bisect import bisect_left
from datetime import UTC, date, datetime, timedelta

VN_OFFSET = 7 * 3600  # Vietnam has had no daylight saving time since 1975
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
OFFICE_DAY = 8 * 3600  # seconds of office time in a standard day (for delays in "working days")


# -- time on a number line -------------------------------------------------------------------------
_DAY_TEXT: dict[int, str] = {}
_HMS = tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400))


def day_text(daynum: int) -> str:
    text = _DAY_TEXT.get(daynum)
    if text is None:
        text = _DAY_TEXT[daynum] = date.fromordinal(daynum + EPOCH_ORDINAL).isoformat()
    return text


def pg_ts(ts: int) -> str:
    """COPY text for a timestamptz, in Vietnam's offset."""
    d, s = divmod(ts + VN_OFFSET, 86400)
    return f"{_DAY_TEXT.get(d) or day_text(d)} {_HMS[s]}+07"


def iso_local(ts: int | None) -> str | None:
    """What the services write in payloads: `timezone.localtime(value).isoformat()`."""
    if ts is None:
        return None
    d, s = divmod(ts + VN_OFFSET, 86400)
    return f"{_DAY_TEXT.get(d) or day_text(d)}T{_HMS[s]}+07:00"


def utc_micro(ts: int) -> str:
    """The instant as `chain.event_content` normalizes it for hashing."""
    d, s = divmod(ts, 86400)
    return f"{_DAY_TEXT.get(d) or day_text(d)}T{_HMS[s]}.000000Z"


def daynum_of(day: date) -> int:
    return day.toordinal() - EPOCH_ORDINAL


class OfficeClock:
    """Office time as a number line ("working seconds"), so that moving forward by office time and
    back is O(1) instead of a walk over days: built from the real WorkCalendar's sessions."""

    def __init__(self, calendar, first: date, last: date):
        self.calendar = calendar
        self.first = daynum_of(first)
        self.sessions: list[tuple[tuple[int, int], ...]] = []
        self.cum_start: list[int] = []
        acc = 0
        day = first
        while day <= last:
            spans = tuple((int(s.timestamp()), int(e.timestamp())) for s, e in calendar.intervals(day))
            self.sessions.append(spans)
            self.cum_start.append(acc)
            acc += sum(e - s for s, e in spans)
            day += timedelta(days=1)
        self.cum_end = self.cum_start[1:] + [acc]
        self.cutoff = calendar.cutoff.hour * 3600 + calendar.cutoff.minute * 60 + calendar.cutoff.second
        self._due: dict = {}
        self._transfer: dict = {}

    def index(self, ts: int) -> int:
        return (ts + VN_OFFSET) // 86400 - self.first

    def to_work(self, ts: int) -> int:
        i = (ts + VN_OFFSET) // 86400 - self.first
        w = self.cum_start[i]
        for s, e in self.sessions[i]:
            if ts <= s:
                return w
            if ts < e:
                return w + ts - s
            w += e - s
        return w

    def from_work(self, w: int) -> int:
        """The instant at working second `w`; a session's end rather than the next opening, as
        `WorkCalendar.add_working_hours` answers."""
        i = bisect_left(self.cum_end, w)
        rem = w - self.cum_start[i]
        for s, e in self.sessions[i]:
            if rem <= e - s:
                return s + rem
            rem -= e - s
        raise ValueError(f"working second {w} is outside the clock's range")

    def add(self, ts: int, seconds: int) -> int:
        return self.from_work(self.to_work(ts) + seconds)

    def due(self, ts: int, limit) -> int:
        """`WorkCalendar.due`, memoized on what the answer depends on."""
        from motcua.workdays.core import LimitKind

        kind = limit.kind
        if kind is LimitKind.WORKING_HOURS:
            return self.add(ts, int(limit.amount * 3600))
        local_day, sod = divmod(ts + VN_OFFSET, 86400)
        key = (kind, limit.amount, local_day, sod <= self.cutoff if kind is LimitKind.SAME_DAY else None)
        hit = self._due.get(key)
        if hit is None:
            answer = self.calendar.due(datetime.fromtimestamp(ts, UTC), limit)
            hit = self._due[key] = int(answer.timestamp())
        return hit

    def transfer_due(self, ts: int) -> int:
        """`lifecycle.process.transfer_due`: the same working day's close when received by the cut-off,
        else the end of the next working day's morning session."""
        local_day, sod = divmod(ts + VN_OFFSET, 86400)
        key = (local_day, sod <= self.cutoff)
        hit = self._transfer.get(key)
        if hit is None:
            i = local_day - self.first
            if self.sessions[i] and sod <= self.cutoff:
                hit = self.sessions[i][-1][1]
            else:
                i += 1
                while not self.sessions[i]:
                    i += 1
                hit = self.sessions[i][0][1]
            self._transfer[key] = hit
        return hit
