"""Rebuilding the rollups from dossiers and events, set by set (the database groups what counts alike)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q
from django.db.models.functions import Trunc, TruncDate

from motcua.workdays.selectors import calendar_for_center

from .. import deltas
from ..models import ALL_COUNTERS, OFFICER_COUNTERS, CenterRollup, OfficerRollup, Rollup, UnitRollup
from ..periods import VN_TZ, Grain, grain_start
from ..selectors import finish_q
from .live import GRAINS, KEY, UNIT_KEY, Dims, _column, local_day

# -- rebuilding ---------------------------------------------------------------------------------
# A rebuild computes the day rows of the detailed and the officer tables, then derives everything
# else in the database. Events that count the same way are grouped by the database (one call of
# `deltas.event_deltas` per group, times the group's size); only the finishing events are taken one
# by one, because their processing time needs the center's calendar.
# A dossier's dimensions besides its handling center (which each query filters on).
_DIMS = (
    "dossier__receiving_center_id",
    "dossier__procedure_version__procedure_id",
    "dossier__field_id",
    "dossier__channel",
)


@dataclass
class DayRows:
    """The rebuilt day rows of one handling center: {(day, Dims): counts} for the detailed table
    and {(day, center, user): counts} for the officers."""

    rows: dict[tuple, dict[str, int]]
    officers: dict[tuple, dict[str, int]]

    @classmethod
    def empty(cls) -> DayRows:
        return cls(defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int)))

    def add(self, day: date, dims: Dims, counts: dict[str, int], times: int = 1) -> None:
        row = self.rows[(day, dims)]
        for name, value in counts.items():
            row[name] += value * times

    def add_officer(
        self, day: date, center_id: int, user_id: int, counts: dict[str, int], times: int
    ) -> None:
        row = self.officers[(day, center_id, user_id)]
        for name, value in counts.items():
            row[name] += value * times


def _grouped_events(center_id: int, dr: DayRows) -> None:
    """Every relevant event of the center's dossiers except the finishing ones, counted in groups
    that `event_deltas` treats alike."""
    from motcua.dossiers.models import DossierEvent

    groups = (
        DossierEvent.objects.filter(dossier__center_id=center_id, action__in=deltas.RELEVANT_ACTIONS)
        .exclude(finish_q())
        .annotate(day=TruncDate("at", tzinfo=VN_TZ))
        .values_list(
            *_DIMS,
            "dossier__counted",
            "dossier__return_method",
            "action",
            "from_state",
            "to_state",
            "day",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    for (
        receiving,
        procedure,
        field,
        channel,
        counted,
        return_method,
        action,
        from_state,
        to_state,
        day,
        n,
    ) in groups:
        facts = deltas.EventFacts(
            action=action,
            from_state=from_state,
            to_state=to_state,
            channel=channel,
            counted=counted,
            return_method=return_method,
        )
        counts, _officer = deltas.event_deltas(facts)
        if counts:
            dr.add(day, Dims(center_id, receiving, procedure, field, channel), counts, n)


def _finishing_events(center_id: int, dr: DayRows) -> None:
    """The finishing event of each handled dossier of the center, with its processing time."""
    from motcua.dossiers.models import DossierEvent
    from motcua.units.models import ServiceCenter
    from motcua.workdays.core import LimitKind, TimeLimit

    histories: dict[int, list[tuple[int, str, datetime]]] = defaultdict(list)
    paused = (
        DossierEvent.objects.filter(
            dossier__center_id=center_id,
            dossier__supplement_count__gt=0,
            action__in=("request_supplement", "supplement"),
        )
        .order_by("dossier_id", "seq")
        .values_list("dossier_id", "seq", "action", "at")
    )
    for dossier_id, seq, action, at in paused:
        histories[dossier_id].append((seq, action, at))
    finishing = (
        DossierEvent.objects.filter(finish_q(), dossier__center_id=center_id)
        .order_by("dossier_id", "seq")
        .values_list(
            "dossier_id",
            "seq",
            "action",
            "from_state",
            "to_state",
            "at",
            *_DIMS,
            "dossier__counted",
            "dossier__outcome",
            "dossier__return_method",
            "dossier__received_at",
            "dossier__procedure_version__limit_kind",
            "dossier__procedure_version__limit_amount",
        )
    )
    calendar = None
    limits: dict[tuple, int] = {}
    for row in finishing:
        (dossier_id, seq, action, from_state, to_state, at, receiving, procedure, field, channel) = row[:10]
        counted, outcome, return_method, received_at, limit_kind, limit_amount = row[10:]
        if calendar is None:
            calendar = calendar_for_center(ServiceCenter.objects.select_related("commune").get(pk=center_id))
        before = [(action_, at_) for seq_, action_, at_ in histories.get(dossier_id, ()) if seq_ < seq]
        if (limit_kind, limit_amount) not in limits:
            limits[(limit_kind, limit_amount)] = deltas.limit_mdays(
                TimeLimit(LimitKind(limit_kind), limit_amount), calendar
            )
        facts = deltas.EventFacts(
            action=action,
            from_state=from_state,
            to_state=to_state,
            channel=channel,
            counted=counted,
            outcome=outcome,
            return_method=return_method,
            supplement_count=sum(1 for a, _at in before if a == "request_supplement"),
            processing_mdays=deltas.processing_mdays(
                calendar, received_at or at, at, deltas.pauses(before, at)
            ),
            limit_mdays=limits[(limit_kind, limit_amount)],
        )
        counts, _officer = deltas.event_deltas(facts)
        if counts:
            dr.add(local_day(at), Dims(center_id, receiving, procedure, field, channel), counts)


def _papers(center_id: int, dr: DayRows) -> None:
    """Papers: counted on the day of reception of every received dossier that has some."""
    from motcua.dossiers.models import Document

    documents = (
        Document.objects.filter(
            dossier__center_id=center_id,
            dossier__counted=True,
            dossier__received_at__isnull=False,
            kind="scan",  # a kept result is not a paper of its dossier
        )
        .values("dossier_id")
        .annotate(n=Count("id"), reused=Count("id", filter=Q(reused_from__isnull=False)))
        .values_list(*_DIMS, "dossier__received_at", "n", "reused")
        .order_by()
    )
    for receiving, procedure, field, channel, received_at, n, reused in documents:
        counts = deltas.document_deltas(n, reused)
        if counts:
            dr.add(local_day(received_at), Dims(center_id, receiving, procedure, field, channel), counts)


def _officer_events(center_ids: list[int] | None, dr: DayRows) -> None:
    """Officer rows of these centers (all: None) come from the events that happened there (a
    boundary-free dossier is received in one center and handled in another). One grouped query for
    all centers: filtered by the event's center, the join to the dossiers is best done once."""
    from motcua.dossiers.models import DossierEvent

    events = DossierEvent.objects.filter(action__in=deltas.RELEVANT_ACTIONS, actor__isnull=False)
    if center_ids is not None:
        events = events.filter(center_id__in=center_ids)
    groups = (
        events.annotate(day=TruncDate("at", tzinfo=VN_TZ))
        .values_list(
            "center_id",
            "actor_id",
            "day",
            "action",
            "from_state",
            "to_state",
            "dossier__channel",
            "dossier__counted",
            "dossier__outcome",
            "dossier__return_method",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in groups:
        center_id, actor_id, day, action, from_state, to_state, channel, counted, outcome, method, n = row
        facts = deltas.EventFacts(
            action=action,
            from_state=from_state,
            to_state=to_state,
            channel=channel,
            counted=counted,
            outcome=outcome,
            return_method=method,
        )
        _counts, officer = deltas.event_deltas(facts)
        if officer:
            dr.add_officer(day, center_id, actor_id, officer, n)


def day_rows(center_id: int) -> DayRows:
    """The detailed day rows of one handling center, recomputed from its dossiers and events."""
    dr = DayRows.empty()
    _grouped_events(center_id, dr)
    _finishing_events(center_id, dr)
    _papers(center_id, dr)
    return dr


def officer_day_rows(center_ids: list[int] | None) -> DayRows:
    """The officers' day rows of these centers (all: None)."""
    dr = DayRows.empty()
    _officer_events(center_ids, dr)
    return dr


class Accumulator:
    """Rollup rows of every grain and table, expanded in memory from day rows (for `differences`;
    the rebuild lets the database do this)."""

    def __init__(self) -> None:
        self.rows: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.officers: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.units: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.centers: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add_days(self, dr: DayRows) -> None:
        for (day, dims), counts in dr.rows.items():
            for grain in GRAINS:
                period = grain_start(grain, day)
                for table, key in (
                    (self.rows, (str(grain), period, *astuple(dims))),
                    (self.units, (str(grain), period, dims.center_id, dims.field_id, dims.channel)),
                    (self.centers, (str(grain), period, dims.center_id)),
                ):
                    row = table[key]
                    for name, value in counts.items():
                        row[name] += value
        for (day, center_id, user_id), counts in dr.officers.items():
            for grain in GRAINS:
                row = self.officers[(str(grain), grain_start(grain, day), center_id, user_id)]
                for name, value in counts.items():
                    row[name] += value


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
    """Insert rebuilt rows: COPY on PostgreSQL, plain multi-row INSERTs elsewhere (the ORM's
    bulk_create spends most of a rebuild preparing values field by field)."""
    if not rows:
        return 0
    quote = connection.ops.quote_name
    columns = [quote(_column(model, name)) for name in (*key_names, *counters)]
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for key, counts in rows.items():
                    copy.write_row((*key, *(counts.get(n, 0) for n in counters)))
            return len(rows)
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        items = list(rows.items())
        batch_size = max(1, min(batch_size, 30000 // len(columns)))  # SQLite allows 32,766 parameters
        for start in range(0, len(items), batch_size):
            chunk = items[start : start + batch_size]
            params: list = []
            for key, counts in chunk:
                params += [*key, *(counts.get(n, 0) for n in counters)]
            cursor.execute(head + ", ".join([one] * len(chunk)), params)
    return len(rows)


def _write_days(dr: DayRows) -> tuple[int, int]:
    day = str(Grain.DAY)
    rows = {(day, d, *astuple(dims)): counts for (d, dims), counts in dr.rows.items()}
    officers = {
        (day, d, center_id, user_id): counts for (d, center_id, user_id), counts in dr.officers.items()
    }
    written = _insert(Rollup, ("grain", "period", *KEY), ALL_COUNTERS, rows)
    officer_rows = _insert(OfficerRollup, ("grain", "period", "center", "user"), OFFICER_COUNTERS, officers)
    return written, officer_rows


# Each grain from the finest rows that tile it: weeks and months from days, quarters from months,
# years from quarters.
_DERIVED = (
    (Grain.WEEK, "week", Grain.DAY),
    (Grain.MONTH, "month", Grain.DAY),
    (Grain.QUARTER, "quarter", Grain.MONTH),
    (Grain.YEAR, "year", Grain.QUARTER),
)


def _insert_select(model, key_columns: list[str], counters: tuple[str, ...], source, grain) -> int:
    """INSERT INTO model's table the sums of `counters` over the `source` queryset's rows grouped
    by `key_columns`, as rows of `grain` (a column of the source, or a constant)."""
    quote = connection.ops.quote_name
    inner, params = source.query.sql_with_params()
    grain_sql = "sub.grain" if grain is None else "%s"
    keys = ", ".join("sub." + quote(k) for k in key_columns)
    columns = ["grain", "period", *key_columns, *[_column(model, n) for n in counters]]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"SELECT {grain_sql}, sub.p, {keys}, "
        f"{', '.join(f'SUM(sub.{quote(n)})' for n in counters)} FROM ({inner}) sub "
        f"GROUP BY {'sub.grain, ' if grain is None else ''}sub.p, {keys}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ([] if grain is None else [str(grain)]) + list(params))
        return cursor.rowcount


def _derive(center_ids: list[int]) -> tuple[int, int]:
    """From the day rows of these centers: their week, month, quarter and year rows, then the unit
    table of every grain from the detailed one, and the center table from the unit one (sums in the
    database)."""
    written = {Rollup: 0, OfficerRollup: 0}
    for grain, kind, source_grain in _DERIVED:
        for model, keys, counters in (
            (Rollup, [_column(Rollup, n) for n in KEY], ALL_COUNTERS),
            (OfficerRollup, ["center_id", "user_id"], OFFICER_COUNTERS),
        ):
            source = (
                model.objects.filter(grain=source_grain, center_id__in=center_ids)
                .annotate(p=Trunc("period", kind, output_field=DateField()))
                .values("p", *keys, *counters)
                .order_by()
            )
            written[model] += _insert_select(model, keys, counters, source, grain)
    rows = Rollup.objects.filter(center_id__in=center_ids).annotate(p=F("period")).order_by()
    unit_keys = [_column(UnitRollup, n) for n in UNIT_KEY]
    _insert_select(
        UnitRollup, unit_keys, ALL_COUNTERS, rows.values("grain", "p", *unit_keys, *ALL_COUNTERS), None
    )
    units = UnitRollup.objects.filter(center_id__in=center_ids).annotate(p=F("period")).order_by()
    _insert_select(
        CenterRollup,
        ["center_id"],
        ALL_COUNTERS,
        units.values("grain", "p", "center_id", *ALL_COUNTERS),
        grain=None,
    )
    return written[Rollup], written[OfficerRollup]


def _center_ids(center_ids: Iterable[int] | None) -> list[int]:
    from motcua.units.models import ServiceCenter

    if center_ids is not None:
        return sorted(set(center_ids))
    return list(ServiceCenter.objects.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def rebuild(*, center_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Recompute the rollups (of the given handling centers, or all) from dossiers and events, in
    one transaction: delete, compute the day rows center by center, derive the rest in the
    database. Idempotent; safe beside live traffic."""
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
    for center_id in ids:  # one center at a time keeps memory to one center's day rows
        totals["rows"] += _write_days(day_rows(center_id))[0]
    totals["officer_rows"] = _write_days(officer_day_rows(None if everything else ids))[1]
    rows, officer_rows = _derive(ids)
    totals["rows"] += rows
    totals["officer_rows"] += officer_rows
    _analyze()
    transaction.on_commit(_new_generation)
    return totals


def _analyze() -> None:
    """Fresh planner statistics for the rewritten tables (PostgreSQL): a rebuild replaces them
    wholesale, and stale statistics make the report queries pick slow plans."""
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(m._meta.db_table)
            for m in (Rollup, UnitRollup, CenterRollup, OfficerRollup)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")


def _new_generation() -> None:
    """Forget cached report figures computed from the rollups before the rebuild (see
    dashboards.previous_totals; with a shared cache this reaches every process)."""
    from django.core.cache import cache

    from ..dashboards import ROLLUPS_GENERATION_KEY

    cache.set(ROLLUPS_GENERATION_KEY, uuid.uuid4().hex, None)


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
