"""Keeping the rollups: the live hook called for every dossier event and every new document (in
the caller's transaction), and the rebuild from dossiers and events.

Each change is one `INSERT ... ON CONFLICT DO UPDATE SET c = c + excluded.c` statement per table
(Rollup, UnitRollup, CenterRollup, OfficerRollup) for the five rows (day, week, month, quarter, year) of the
event, which SQLite and PostgreSQL both run atomically: concurrent transactions serialize on the
row, never lose an increment, and always lock the rows in the same order (no deadlock between two
events).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Count, Q

from motcua.workdays.selectors import calendar_for_center

from . import deltas
from .models import ALL_COUNTERS, OFFICER_COUNTERS, CenterRollup, OfficerRollup, Rollup, UnitRollup
from .periods import VN_TZ, Grain, grain_start

logger = logging.getLogger(__name__)

GRAINS = (Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER, Grain.YEAR)
KEY = ("center", "receiving_center", "procedure", "field", "channel")
UNIT_KEY = ("center", "field", "channel")


def local_day(instant: datetime) -> date:
    return instant.astimezone(VN_TZ).date()


@dataclass(frozen=True)
class Dims:
    """The dimensions of a dossier's rollup rows (fixed at intake)."""

    center_id: int
    receiving_center_id: int
    procedure_id: int
    field_id: int
    channel: str

    @classmethod
    def of(cls, dossier) -> Dims:
        return cls(
            dossier.center_id,
            dossier.receiving_center_id,
            dossier.procedure_version.procedure_id,
            dossier.field_id,
            dossier.channel,
        )


# -- writing ------------------------------------------------------------------------------------
def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


def _upsert(model, key_names: tuple[str, ...], rows: list[tuple], counts: dict[str, int]) -> None:
    """Add `counts` to the rows with these keys (created at zero when missing)."""
    if not counts or not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    keys = [quote(_column(model, name)) for name in key_names]
    names = [quote(_column(model, name)) for name in counts]
    values = list(counts.values())
    placeholders = "(" + ", ".join(["%s"] * (len(keys) + len(names))) + ")"
    updates = ", ".join(f"{n} = {table}.{n} + excluded.{n}" for n in names)
    sql = (
        f"INSERT INTO {table} ({', '.join(keys + names)}) VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    params: list = []
    for row in rows:
        params += [*row, *values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def add(dims: Dims, day: date, counts: dict[str, int]) -> None:
    rows = [
        (
            grain,
            grain_start(grain, day),
            dims.center_id,
            dims.receiving_center_id,
            dims.procedure_id,
            dims.field_id,
            dims.channel,
        )
        for grain in GRAINS
    ]
    _upsert(Rollup, ("grain", "period", *KEY), rows, counts)
    unit_rows = [
        (grain, grain_start(grain, day), dims.center_id, dims.field_id, dims.channel) for grain in GRAINS
    ]
    _upsert(UnitRollup, ("grain", "period", *UNIT_KEY), unit_rows, counts)
    center_rows = [(grain, grain_start(grain, day), dims.center_id) for grain in GRAINS]
    _upsert(CenterRollup, ("grain", "period", "center"), center_rows, counts)


def add_officer(center_id: int, user_id: int | None, day: date, counts: dict[str, int]) -> None:
    if user_id is None:
        return
    rows = [(grain, grain_start(grain, day), center_id, user_id) for grain in GRAINS]
    _upsert(OfficerRollup, ("grain", "period", "center", "user"), rows, counts)


# -- the live hook ------------------------------------------------------------------------------
def _finish_times(dossier, at: datetime, pause_history: list[tuple[str, datetime]]) -> tuple[int, int]:
    calendar = calendar_for_center(dossier.center)
    received_at = dossier.received_at or at
    paused = deltas.pauses(pause_history, at)
    return (
        deltas.processing_mdays(calendar, received_at, at, paused),
        deltas.limit_mdays(dossier.procedure_version.time_limit, calendar),
    )


def apply_event(dossier, event, from_state: str) -> None:
    """Add what `event` counts, in the caller's transaction (called by dossiers.services._record)."""
    from motcua.dossiers.models import Document, DossierEvent

    action, to_state = event.action, event.to_state
    if action not in deltas.RELEVANT_ACTIONS:
        return
    processing = limit = 0
    if deltas.is_finish(action, to_state):
        history: list[tuple[str, datetime]] = []
        if dossier.supplement_count:
            history = list(
                DossierEvent.objects.filter(
                    dossier_id=dossier.pk, action__in=("request_supplement", "supplement")
                )
                .order_by("seq")
                .values_list("action", "at")
            )
        processing, limit = _finish_times(dossier, event.at, history)
    facts = deltas.EventFacts(
        action=action,
        from_state=from_state,
        to_state=to_state,
        channel=dossier.channel,
        counted=dossier.counted,
        outcome=dossier.outcome,
        return_method=dossier.return_method,
        supplement_count=dossier.supplement_count,
        processing_mdays=processing,
        limit_mdays=limit,
    )
    counts, officer = deltas.event_deltas(facts)
    day = local_day(event.at)
    if action == "receive" and counts.get("received"):
        # Papers scanned before reception (an online submission) count from the day of reception.
        found = Document.objects.filter(dossier_id=dossier.pk).aggregate(
            n=Count("id"), reused=Count("id", filter=Q(reused_from__isnull=False))
        )
        for name, value in deltas.document_deltas(found["n"], found["reused"]).items():
            counts[name] = counts.get(name, 0) + value
    if counts:
        add(Dims.of(dossier), day, counts)
    if officer:
        add_officer(event.center_id, event.actor_id, day, officer)


def apply_document(document) -> None:
    """Count a new paper of a received dossier on its day of reception (called by the document
    services after the row is created, with the dossier row locked)."""
    from motcua.dossiers.models import Document

    dossier = document.dossier
    if not dossier.counted or dossier.received_at is None:
        return  # counted when the dossier is received
    others = (
        Document.objects.filter(dossier_id=dossier.pk)
        .exclude(pk=document.pk)
        .aggregate(n=Count("id"), reused=Count("id", filter=Q(reused_from__isnull=False)))
    )
    counts: dict[str, int] = {}
    if others["n"] == 0:
        counts["digitized"] = 1
    if document.reused_from_id is not None:
        counts["reused_documents"] = 1
        if others["reused"] == 0:
            counts["reused_dossiers"] = 1
    if counts:
        add(Dims.of(dossier), local_day(dossier.received_at), counts)


# -- rebuilding ---------------------------------------------------------------------------------
_EVENT_FIELDS = (
    "dossier_id",
    "action",
    "from_state",
    "to_state",
    "at",
    "actor_id",
    "center_id",
    "dossier__center_id",
    "dossier__receiving_center_id",
    "dossier__procedure_version__procedure_id",
    "dossier__field_id",
    "dossier__channel",
    "dossier__counted",
    "dossier__outcome",
    "dossier__return_method",
    "dossier__received_at",
    "dossier__procedure_version__limit_kind",
    "dossier__procedure_version__limit_amount",
)


class Accumulator:
    """Rollup rows being rebuilt in memory: {key: {counter: value}}."""

    def __init__(self) -> None:
        self.rows: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.officers: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.units: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.centers: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, dims: Dims, day: date, counts: dict[str, int]) -> None:
        for grain in GRAINS:
            unit = self.units[
                (str(grain), grain_start(grain, day), dims.center_id, dims.field_id, dims.channel)
            ]
            center = self.centers[(str(grain), grain_start(grain, day), dims.center_id)]
            for name, value in counts.items():
                unit[name] += value
                center[name] += value
            row = self.rows[
                (
                    str(grain),
                    grain_start(grain, day),
                    dims.center_id,
                    dims.receiving_center_id,
                    dims.procedure_id,
                    dims.field_id,
                    dims.channel,
                )
            ]
            for name, value in counts.items():
                row[name] += value

    def add_officer(self, center_id: int, user_id: int | None, day: date, counts: dict[str, int]) -> None:
        if user_id is None:
            return
        for grain in GRAINS:
            row = self.officers[(str(grain), grain_start(grain, day), center_id, user_id)]
            for name, value in counts.items():
                row[name] += value


def _calendars():
    from motcua.units.models import ServiceCenter

    cache: dict[int, object] = {}

    def get(center_id: int):
        if center_id not in cache:
            center = ServiceCenter.objects.select_related("commune").get(pk=center_id)
            cache[center_id] = calendar_for_center(center)
        return cache[center_id]

    return get


def _dossier_events(center_id: int | None) -> Iterator[tuple]:
    from motcua.dossiers.models import DossierEvent

    qs = DossierEvent.objects.filter(action__in=deltas.RELEVANT_ACTIONS | {"supplement"})
    if center_id is not None:
        qs = qs.filter(dossier__center_id=center_id)
    return qs.order_by("dossier_id", "seq").values_list(*_EVENT_FIELDS).iterator(chunk_size=5000)


def accumulate(acc: Accumulator, *, center_id: int | None = None) -> None:
    """Replay every relevant event (of dossiers handled by `center_id`, or all) into `acc`."""
    from motcua.dossiers.models import Document, Dossier
    from motcua.workdays.core import LimitKind, TimeLimit

    calendar_of = _calendars()
    current, history, supplements = None, [], 0
    for row in _dossier_events(center_id):
        (
            dossier_id,
            action,
            from_state,
            to_state,
            at,
            _actor,
            _event_center,
            center,
            receiving,
            procedure,
            field,
            channel,
            counted,
            outcome,
            return_method,
            received_at,
            limit_kind,
            limit_amount,
        ) = row
        if dossier_id != current:
            current, history, supplements = dossier_id, [], 0
        if action in ("request_supplement", "supplement"):
            history.append((action, at))
        processing = limit = 0
        if deltas.is_finish(action, to_state):
            calendar = calendar_of(center)
            processing = deltas.processing_mdays(calendar, received_at or at, at, deltas.pauses(history, at))
            limit = deltas.limit_mdays(TimeLimit(LimitKind(limit_kind), limit_amount), calendar)
        facts = deltas.EventFacts(
            action=action,
            from_state=from_state,
            to_state=to_state,
            channel=channel,
            counted=counted,
            outcome=outcome,
            return_method=return_method,
            supplement_count=supplements,
            processing_mdays=processing,
            limit_mdays=limit,
        )
        if action == "request_supplement":
            supplements += 1
        counts, _officer = deltas.event_deltas(facts)  # officers: see _officer_accumulate
        day = local_day(at)
        dims = Dims(center, receiving, procedure, field, channel)
        if counts:
            acc.add(dims, day, counts)
    # Papers: counted on the day of reception of every received dossier that has some.
    dossiers = Dossier.objects.filter(counted=True, received_at__isnull=False)
    if center_id is not None:
        dossiers = dossiers.filter(center_id=center_id)
    documents = (
        Document.objects.filter(dossier__in=dossiers)
        .values("dossier_id")
        .annotate(n=Count("id"), reused=Count("id", filter=Q(reused_from__isnull=False)))
        .values_list(
            "dossier__center_id",
            "dossier__receiving_center_id",
            "dossier__procedure_version__procedure_id",
            "dossier__field_id",
            "dossier__channel",
            "dossier__received_at",
            "n",
            "reused",
        )
    )
    for center, receiving, procedure, field, channel, received_at, n, reused in documents.iterator(
        chunk_size=5000
    ):
        counts = deltas.document_deltas(n, reused)
        if counts:
            acc.add(Dims(center, receiving, procedure, field, channel), local_day(received_at), counts)


def _officer_accumulate(acc: Accumulator, center_id: int) -> None:
    """Officer rows of one center come from the events that happened there (a boundary-free
    dossier is received in one center and handled in another)."""
    from motcua.dossiers.models import DossierEvent

    qs = (
        DossierEvent.objects.filter(
            center_id=center_id, action__in=deltas.RELEVANT_ACTIONS, actor__isnull=False
        )
        .order_by("dossier_id", "seq")
        .values_list(
            "action",
            "from_state",
            "to_state",
            "at",
            "actor_id",
            "dossier__channel",
            "dossier__counted",
            "dossier__outcome",
            "dossier__return_method",
        )
    )
    for action, from_state, to_state, at, actor_id, channel, counted, outcome, return_method in qs.iterator(
        chunk_size=5000
    ):
        facts = deltas.EventFacts(
            action=action,
            from_state=from_state,
            to_state=to_state,
            channel=channel,
            counted=counted,
            outcome=outcome,
            return_method=return_method,
        )
        _counts, officer = deltas.event_deltas(facts)
        if officer:
            acc.add_officer(center_id, actor_id, local_day(at), officer)


def _lock_tables() -> None:
    """Make the live hook of concurrent transactions wait for the rebuild to commit (PostgreSQL;
    SQLite has one writer at a time anyway). A transaction that wrote events but not yet its
    rollups is not visible to the rebuild and adds its counts after it: none is lost or doubled."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {Rollup._meta.db_table}, {UnitRollup._meta.db_table}, "
                f"{CenterRollup._meta.db_table}, {OfficerRollup._meta.db_table} IN EXCLUSIVE MODE"
            )


def _insert(
    model, key_names: tuple[str, ...], counters: tuple[str, ...], rows: dict, batch_size: int = 1000
) -> int:
    """Insert rebuilt rows with plain multi-row INSERTs (the ORM's bulk_create spends most of a
    rebuild preparing values field by field)."""
    if not rows:
        return 0
    quote = connection.ops.quote_name
    columns = [quote(_column(model, name)) for name in (*key_names, *counters)]
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    items = list(rows.items())
    batch_size = max(1, min(batch_size, 30000 // len(columns)))  # SQLite allows 32,766 parameters
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch_size):
            chunk = items[start : start + batch_size]
            params: list = []
            for key, counts in chunk:
                params += [*key, *(counts.get(n, 0) for n in counters)]
            cursor.execute(head + ", ".join([one] * len(chunk)), params)
    return len(items)


def _write(acc: Accumulator) -> tuple[int, int]:
    written = _insert(Rollup, ("grain", "period", *KEY), ALL_COUNTERS, acc.rows)
    _insert(UnitRollup, ("grain", "period", *UNIT_KEY), ALL_COUNTERS, acc.units)
    _insert(CenterRollup, ("grain", "period", "center"), ALL_COUNTERS, acc.centers)
    officers = _insert(OfficerRollup, ("grain", "period", "center", "user"), OFFICER_COUNTERS, acc.officers)
    return written, officers


def _center_ids(center_ids: Iterable[int] | None) -> list[int]:
    from motcua.units.models import ServiceCenter

    if center_ids is not None:
        return sorted(set(center_ids))
    return list(ServiceCenter.objects.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def rebuild(*, center_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Recompute the rollups (of the given handling centers, or all) from dossiers and events, in
    one transaction: delete, replay, write. Idempotent; safe beside live traffic."""
    _lock_tables()
    everything = center_ids is None
    ids = _center_ids(center_ids)
    if everything:
        Rollup.objects.all().delete()
        UnitRollup.objects.all().delete()
        CenterRollup.objects.all().delete()
        OfficerRollup.objects.all().delete()
    else:
        Rollup.objects.filter(center_id__in=ids).delete()
        UnitRollup.objects.filter(center_id__in=ids).delete()
        CenterRollup.objects.filter(center_id__in=ids).delete()
        OfficerRollup.objects.filter(center_id__in=ids).delete()
    totals = {"rows": 0, "officer_rows": 0, "centers": len(ids)}
    for center_id in ids:  # one center at a time keeps memory to one center's rows
        acc = Accumulator()
        accumulate(acc, center_id=center_id)
        _officer_accumulate(acc, center_id)
        rows, officer_rows = _write(acc)
        totals["rows"] += rows
        totals["officer_rows"] += officer_rows
    return totals


def _table(model, key_names: tuple[str, ...], counters: tuple[str, ...], center_ids) -> dict[tuple, dict]:
    qs = model.objects.all()
    if center_ids is not None:
        qs = qs.filter(center_id__in=center_ids)
    found = {}
    for values in qs.values_list(*key_names, *counters).iterator(chunk_size=5000):
        key, counts = tuple(values[: len(key_names)]), values[len(key_names) :]
        nonzero = {n: v for n, v in zip(counters, counts, strict=True) if v}
        if nonzero:
            found[key] = nonzero
    return found


def differences(*, center_ids: Iterable[int] | None = None, limit: int = 20) -> list[str]:
    """What the stored rollups (of these centers, or all) get wrong compared with a rebuild from
    dossiers and events; empty when they agree. Reads only."""
    ids = _center_ids(center_ids)
    rebuilt: dict[tuple, dict] = {}
    rebuilt_officers: dict[tuple, dict] = {}
    rebuilt_units: dict[tuple, dict] = {}
    rebuilt_centers: dict[tuple, dict] = {}
    for center_id in ids:
        acc = Accumulator()
        accumulate(acc, center_id=center_id)
        _officer_accumulate(acc, center_id)
        for key, counts in acc.rows.items():
            nonzero = {n: v for n, v in counts.items() if v}
            if nonzero:
                rebuilt[key] = nonzero
        for key, counts in acc.officers.items():
            nonzero = {n: v for n, v in counts.items() if v}
            if nonzero:
                rebuilt_officers[key] = nonzero
        for key, counts in acc.units.items():
            nonzero = {n: v for n, v in counts.items() if v}
            if nonzero:
                rebuilt_units[key] = nonzero
        for key, counts in acc.centers.items():
            nonzero = {n: v for n, v in counts.items() if v}
            if nonzero:
                rebuilt_centers[key] = nonzero
    scope = None if center_ids is None else ids
    stored = _table(
        Rollup,
        ("grain", "period", "center_id", "receiving_center_id", "procedure_id", "field_id", "channel"),
        ALL_COUNTERS,
        scope,
    )
    stored_officers = _table(
        OfficerRollup, ("grain", "period", "center_id", "user_id"), OFFICER_COUNTERS, scope
    )
    stored_units = _table(
        UnitRollup, ("grain", "period", "center_id", "field_id", "channel"), ALL_COUNTERS, scope
    )
    stored_centers = _table(CenterRollup, ("grain", "period", "center_id"), ALL_COUNTERS, scope)
    problems = []
    for label, want, have in (
        ("rollup", rebuilt, stored),
        ("unit", rebuilt_units, stored_units),
        ("center", rebuilt_centers, stored_centers),
        ("officer", rebuilt_officers, stored_officers),
    ):
        for key in sorted(set(want) | set(have), key=str):
            if want.get(key, {}) != have.get(key, {}):
                problems.append(f"{label} {key}: rebuilt {want.get(key, {})} != stored {have.get(key, {})}")
                if len(problems) >= limit:
                    return problems
    return problems
