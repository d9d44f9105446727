"""Which dossier event adds to which counter (pure): the one rule that the live hook and the
rebuild both follow, so that rebuilt rollups equal incremental ones.

An event is described by `EventFacts` (its action, states, instant and actor, and the few dossier
facts that never change once set: channel, counted, outcome, return method). All counters of an
event go to the day of the event; the documents' counters go to the day of reception
(`document_deltas`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .models import HISTOGRAM_EDGES

# States of a received dossier that is not handled yet (lifecycle.ACTIVE, as plain strings).
ACTIVE_STATES = frozenset({"received", "in_progress", "supplement_requested", "interagency"})
FINISH_ACTIONS = frozenset({"forward", "approve", "refuse"})
RECEPTION_ACTIONS = frozenset({"intake", "receive"})
# The desk's return, and the citizen's download of the signed result (the results app's system
# event, which returns the result electronically).
RETURN_ACTIONS = frozenset({"return", "result_delivered"})
# Events that can change a counter; the others (assign, send_back, transfer...) are skipped cheaply.
RELEVANT_ACTIONS = frozenset(
    {
        "intake",
        "receive",
        "reception_supplement",
        "reception_refuse",
        "forward",
        "approve",
        "refuse",
        "request_supplement",
        "withdraw",
        "return",
        "result_delivered",
    }
)


@dataclass(frozen=True)
class EventFacts:
    action: str
    from_state: str
    to_state: str
    channel: str
    counted: bool
    outcome: str = ""
    return_method: str = ""
    supplement_count: int = 0  # requests for supplements so far (at a finishing event)
    processing_mdays: int = 0  # only read at a finishing event
    limit_mdays: int = 0


def is_finish(action: str, to_state: str) -> bool:
    """The dossier is handled by this event: its result is ready, or it is refused after reception."""
    return action == "refuse" or (action in ("forward", "approve") and to_state == "result_ready")


def is_reception(action: str, to_state: str) -> bool:
    return action in RECEPTION_ACTIONS and to_state == "received"


def bucket(mdays: int) -> str:
    """The histogram column for a processing time in thousandths of a working day."""
    for index, edge in enumerate(HISTOGRAM_EDGES):
        if mdays < edge * 1000:
            return f"h{index}"
    return f"h{len(HISTOGRAM_EDGES)}"


def event_deltas(f: EventFacts) -> tuple[dict[str, int], dict[str, int]]:
    """(dossier counters, officer counters) this event adds on its own day."""
    counts: dict[str, int] = {}
    officer: dict[str, int] = {}
    if is_reception(f.action, f.to_state):
        counts["received"] = 1
        if f.channel == "online":
            counts["received_online"] = 1
        officer["received"] = 1
    elif f.to_state == "reception_supplement" and f.action in ("intake", "reception_supplement"):
        counts["reception_supplement"] = officer["reception_supplement"] = 1
    elif f.to_state == "reception_refused" and f.action in ("intake", "reception_refuse"):
        counts["reception_refused"] = officer["reception_refused"] = 1
    elif is_finish(f.action, f.to_state):
        counts["handled"] = officer["handled"] = 1
        outcome = f.outcome or "on_time"
        counts[outcome] = 1
        multi = f.supplement_count > 1
        if outcome == "late":
            officer["late"] = 1
        if outcome == "late" or multi:
            counts["index_late"] = 1
        if multi:
            counts["multi_supplement"] = 1
        if f.action == "refuse":
            counts["refused"] = 1
        counts["processing_mdays"] = f.processing_mdays
        counts["limit_mdays"] = f.limit_mdays
        counts[bucket(f.processing_mdays)] = 1
    elif f.action == "request_supplement":
        counts["supplement_requests"] = 1
    elif f.action == "withdraw" and f.counted:
        counts["withdrawn"] = 1
        if f.from_state in ACTIVE_STATES:
            counts["withdrawn_pending"] = 1
    elif f.action in RETURN_ACTIONS:
        counts["returned"] = 1
        if f.action == "return":  # the citizen's own download is no officer's work
            officer["returned"] = 1
        if f.return_method == "electronic":
            counts["returned_electronic"] = 1
    return {k: v for k, v in counts.items() if v}, officer


def document_deltas(documents: int, reused: int) -> dict[str, int]:
    """What a received dossier with `documents` papers (`reused` of them re-used) adds on the day
    of its reception."""
    counts = {}
    if documents:
        counts["digitized"] = 1
    if reused:
        counts["reused_dossiers"] = 1
        counts["reused_documents"] = reused
    return counts


def pauses(history: list[tuple[str, datetime]], until: datetime) -> list[tuple[datetime, datetime]]:
    """The intervals spent waiting for the applicant's supplements, from (action, instant) pairs of
    `request_supplement` and `supplement` events in order; one still open ends at `until`."""
    intervals, started = [], None
    for action, at in history:
        if action == "request_supplement" and started is None:
            started = at
        elif action == "supplement" and started is not None:
            intervals.append((started, at))
            started = None
    if started is not None:
        intervals.append((started, until))
    return intervals


def to_mdays(office: timedelta, daily_hours: Decimal) -> int:
    """Office time as thousandths of a working day of `daily_hours` hours."""
    if daily_hours <= 0:
        return 0
    days = Decimal(office.total_seconds()) / (daily_hours * 3600)
    return int((days * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def processing_mdays(
    calendar, received_at: datetime, finished_at: datetime, paused: list[tuple[datetime, datetime]]
) -> int:
    """Processing time: office time from reception to the result, without the time spent waiting
    for supplements, in thousandths of the center's standard working day."""
    office = calendar.office_time_between(received_at, finished_at, paused)
    return to_mdays(office, calendar.daily_hours())


def limit_mdays(time_limit, calendar) -> int:
    """The time limit in thousandths of a working day (same day = 1 day; calendar days: the
    working days they surely contain, see TimeLimit.in_working_days)."""
    days = time_limit.in_working_days(calendar.daily_hours())
    return int((Decimal(days) * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
