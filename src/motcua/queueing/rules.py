"""Pure queue rules (no database): who is called next, ticket codes, Vietnamese mobile numbers,
the estimated wait, the kiosk's service for a procedure, and the staffing mathematics (Erlang C)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

DEFAULT_STREAK_LIMIT = 3


# -- who is next ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Waiting:
    """A waiting ticket as the rule sees it: its place in arrival order, whether it has priority,
    and whether it is an appointment whose booked time has come."""

    id: int
    priority: bool = False
    due_appointment: bool = False


@dataclass(frozen=True)
class Choice:
    id: int
    streak: int  # priority calls in a row while a normal ticket waits, after this call


def choose_next(
    waiting: Sequence[Waiting], *, streak: int, limit: int = DEFAULT_STREAK_LIMIT
) -> Choice | None:
    """The ticket to call among `waiting` (in arrival order) and the new priority streak.

    Appointments whose time has come go first (in arrival order; they break a priority streak
    since they are not walk-ins). Then priority tickets before normal ones, except that after
    `limit` priority calls in a row while a normal ticket waits, the oldest normal ticket is
    called. Priority calls with no normal ticket waiting do not count: nobody waited for them.
    """
    if not waiting:
        return None
    for ticket in waiting:
        if ticket.due_appointment:
            return Choice(ticket.id, streak)
    if limit <= 0:  # priority switched off: plain arrival order
        return Choice(waiting[0].id, 0)
    first_priority = next((t for t in waiting if t.priority), None)
    first_normal = next((t for t in waiting if not t.priority), None)
    if first_priority is not None and (first_normal is None or streak < limit):
        return Choice(first_priority.id, streak + 1 if first_normal is not None else 0)
    assert first_normal is not None
    return Choice(first_normal.id, 0)


# -- codes ----------------------------------------------------------------------------------------
PREFIX_RE = re.compile(r"^[A-Z]{1,2}$")


def ticket_code(prefix: str, number: int) -> str:
    """`A` and 15 → `A015` (three digits at least; a busy day may reach `A1000`)."""
    return f"{prefix}{number:03d}"


DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
LETTER_WORDS = {
    "A": "A", "B": "Bê", "C": "Xê", "D": "Dê", "E": "E", "G": "Giê", "H": "Hát", "K": "Ca",
    "L": "Eo lờ", "M": "Em mờ", "N": "En nờ", "P": "Pê", "Q": "Quy", "S": "Ét sì", "T": "Tê",
    "V": "Vê", "X": "Ích xì", "Y": "I dài", "F": "Ép", "J": "Gi", "W": "Vê kép", "Z": "Dét", "I": "I",
    "O": "O", "R": "E rờ", "U": "U",
}  # fmt: skip


def call_text(code: str, counter_number: int) -> str:
    """What the board shows: "Mời số A015 đến quầy số 2"."""
    return f"Mời số {code} đến quầy số {counter_number}"


def call_speech(code: str, counter_number: int) -> str:
    """What the loudspeaker says: letters by their Vietnamese names, digits one by one, so that
    "A015" is heard as "A, không, một, năm" rather than a number."""
    letters = " ".join(LETTER_WORDS.get(ch, ch) for ch in code if ch.isalpha())
    digits = " ".join(DIGIT_WORDS[int(ch)] for ch in code if ch.isdigit())
    return f"Mời số {letters}, {digits}, đến quầy số {counter_number}."


# -- Vietnamese mobile numbers ----------------------------------------------------------------------
# Mobile prefixes after the 2018 renumbering (Viettel, Vinaphone, MobiFone, Vietnamobile, Gmobile,
# Itelecom, Wintel/Reddi). Landlines start with 02.
MOBILE_PREFIXES = frozenset(
    "032 033 034 035 036 037 038 039 052 055 056 058 059 070 076 077 078 079 081 082 083 084 085 "
    "086 087 088 089 090 091 092 093 094 096 097 098 099".split()
)


def vn_mobile(raw: str) -> str | None:
    """The number as 10 digits starting with 0, or None when it is not a Vietnamese mobile."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0\d{9}", digits) or digits[:3] not in MOBILE_PREFIXES:
        return None
    return digits


# -- estimates ------------------------------------------------------------------------------------
def estimated_wait_minutes(*, ahead: int, service_minutes: int, counters: int) -> int:
    """People ahead × minutes each ÷ counters serving (at least one), rounded up."""
    return math.ceil(max(ahead, 0) * max(service_minutes, 1) / max(counters, 1))


def local_day(instant: datetime, tz) -> object:
    return instant.astimezone(tz).date()


# -- staffing (Erlang C) --------------------------------------------------------------------------
def erlang_c(agents: int, load: float) -> float:
    """Probability that an arrival waits (M/M/c) with `load` = arrival rate × mean service time."""
    if agents <= 0:
        return 1.0
    if load <= 0:
        return 0.0
    if load >= agents:
        return 1.0
    # Erlang B by the stable recursion, then C from B.
    b = 1.0
    for k in range(1, agents + 1):
        b = load * b / (k + load * b)
    return agents * b / (agents - load * (1 - b))


def share_served_within(
    agents: int, *, arrivals_per_hour: float, service_minutes: float, wait_minutes: float
) -> float:
    """The share of citizens who wait at most `wait_minutes` (M/M/c)."""
    if arrivals_per_hour <= 0:
        return 1.0
    mu = 60.0 / service_minutes  # per hour per counter
    load = arrivals_per_hour / mu
    if agents <= load:
        return 0.0
    c = erlang_c(agents, load)
    return 1.0 - c * math.exp(-(agents * mu - arrivals_per_hour) * wait_minutes / 60.0)


def counters_needed(
    *,
    arrivals_per_hour: float,
    service_minutes: float,
    wait_minutes: float = 15,
    share: float = 0.9,
    limit: int = 50,
) -> int:
    """The fewest counters so that `share` of citizens wait at most `wait_minutes`."""
    if arrivals_per_hour <= 0:
        return 0
    for agents in range(1, limit + 1):
        if (
            share_served_within(
                agents,
                arrivals_per_hour=arrivals_per_hour,
                service_minutes=service_minutes,
                wait_minutes=wait_minutes,
            )
            >= share
        ):
            return agents
    return limit


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of `values`; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def day_slots(sessions, slot_minutes: int) -> list:
    """Slot start times (naive wall-clock `time`s) inside the day's office sessions: a slot must
    end by the session's end. No sessions (holiday, weekend) means no slot."""
    from datetime import date, datetime, timedelta

    out = []
    step = timedelta(minutes=max(slot_minutes, 5))
    for start, end in sessions:
        moment = datetime.combine(date.min, start)
        close = datetime.combine(date.min, end)
        while moment + step <= close:
            out.append(moment.time())
            moment += step
    return out


def simulate_share_within(
    *, arrivals_per_hour: float, service_minutes: float, counters: int, wait_minutes: float,
    hours: float = 2000, seed: int = 1,
) -> float:  # fmt: skip
    """A discrete-event simulation of one queue served first come, first served by `counters`
    counters (Poisson arrivals, exponential service): the share who waited at most
    `wait_minutes`. Used to check the Erlang C staffing against the thing it models."""
    import heapq
    import random

    rng = random.Random(seed)
    free_at = [0.0] * max(counters, 1)  # minutes at which each counter is free (a heap)
    heapq.heapify(free_at)
    clock, served, within = 0.0, 0, 0
    horizon = hours * 60
    mean_gap = 60.0 / arrivals_per_hour
    while True:
        clock += rng.expovariate(1 / mean_gap)
        if clock > horizon:
            break
        start = max(clock, heapq.heappop(free_at))
        served += 1
        within += start - clock <= wait_minutes
        heapq.heappush(free_at, start + rng.expovariate(1 / service_minutes))
    return within / served if served else 1.0


# -- the kiosk: the procedure sets the service, the ID card suggests the elderly priority -----------
ELDERLY_AGE = 60  # Law on the Elderly 2009


@dataclass(frozen=True)
class Cover:
    """A queue service as the kiosk sees it: the procedures it lists and the field it covers."""

    id: int
    procedures: frozenset[int] = frozenset()
    field: int | None = None


def service_for_procedure(services: Sequence[Cover], *, procedure: int, field: int | None) -> int | None:
    """The service whose queue a procedure's citizens join: the first (in `services`' order, the
    letters) that lists the procedure itself, else the first that covers the procedure's field.
    None when no service covers it."""
    listed = next((s.id for s in services if procedure in s.procedures), None)
    if listed is not None:
        return listed
    return next((s.id for s in services if field is not None and s.field == field), None)


def age_on(birth: date, day: date) -> int:
    """Full years of age on `day` (born on 29 February: a year older on 1 March in common years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def kiosk_priority(chosen: str, *, birth: date | None, today: date) -> str:
    """The priority category offered at the kiosk: the citizen's own choice stands; with none, a
    scanned card of someone aged 60 or over suggests the elderly category."""
    if chosen or birth is None:
        return chosen
    return "elderly" if age_on(birth, today) >= ELDERLY_AGE else ""
