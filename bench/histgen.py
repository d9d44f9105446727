"""A province-scale dossier history for the benchmark, loaded with PostgreSQL COPY.

`prepare_province()` gives every commune of the province a service center (the demo has three)
with departments and staff, through the units services or bulk inserts. `generate()` then writes
N dossiers received from 1 Jan 2023 to yesterday, with all their events, straight into the tables:

- volume grows over the years, working days carry the counter traffic and weekends a little
  online traffic; bigger (urban) centers receive more;
- channels: about 60 % online overall (more each year), then counter, kiosk and post;
- every received dossier follows its procedure version's internal process, with the real working
  calendar (holidays and make-up days) for its appointment and step deadlines; most end returned
  early or on time, some late, a few refused, withdrawn, or asked for supplements (the clock restarts);
  dossiers whose story runs past the present instant stop there: in progress, overdue, waiting;
- codes `<agency>-<YYMMDD>-<NNNN>` are gap-free per agency and day in receipt order, and the
  code counters hold each day's last number;
- the events carry the real hash chain of `motcua.dossiers.chain` (the bench verifies a sample
  with `motcua.dossiers.history`), so `motcua verify-history` holds on generated data too.

Rows are produced by worker processes (one per core) and streamed by the parent through COPY,
with the dossier and event tables' indexes and foreign keys dropped during the load and rebuilt
after it (which also checks the data), then ANALYZE.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import threading
import time
from collections import Counter, deque
from datetime import UTC, date, datetime, timedelta

import dbtools
import psycopg
from histrefs import load_refs, prepare_province
from histstory import SECRET_ALPHABET, ChunkResult, Generator, Plan, Story, _copy_text
from histtime import EPOCH_ORDINAL, OfficeClock, daynum_of, iso_local

__all__ = ["check_codes", "extra_columns", "generate", "prepare_province", "verify_sample"]

HISTORY_START = date(2023, 1, 1)

DOSSIER_COLUMNS = (
    "id",
    "code",
    "secret",
    "procedure_version_id",
    "field_id",
    "receiving_center_id",
    "center_id",
    "department_id",
    "channel",
    "boundary_free",
    "postal_tracking_number",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_birth_date",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "representative_name",
    "representative_id_number",
    "representative_phone",
    "state",
    "step_position",
    "assignee_id",
    "submitted_at",
    "received_at",
    "clock_started_at",
    "due_at",
    "original_due_at",
    "step_due_at",
    "paused_at",
    "supplement_count",
    "reappointed",
    "finished_at",
    "returned_at",
    "return_method",
    "outcome",
    "counted",
    "event_count",
    "last_hash",
    "created_by_id",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "dossier_id",
    "seq",
    "action",
    "from_state",
    "to_state",
    "actor_id",
    "actor_name",
    "center_id",
    "at",
    "reason",
    "payload",
    "prev_hash",
    "hash",
)


# -- planning and loading ---------------------------------------------------------------------------
def plan_days(total: int, calendar, first: date, last: date, chunk_target: int, id_start: int) -> list[Plan]:
    """Spread `total` dossiers over the days (largest remainders, so the sum is exact) and cut the
    days into chunks of about `chunk_target` dossiers."""
    days = []
    span = (last - first).days or 1
    day = first
    while day <= last:
        growth = 0.75 + 0.55 * (day - first).days / span
        month = {1: 1.15, 2: 0.8, 12: 1.1}.get(day.month, 1.0)  # before Tết busy, the Tết month quiet
        weight = growth * month * (1.0 if calendar.is_working_day(day) else 0.1)
        days.append((daynum_of(day), weight))
        day += timedelta(days=1)
    scale = total / sum(w for _d, w in days)
    exact = [(d, w * scale) for d, w in days]
    counts = {d: int(x) for d, x in exact}
    short = total - sum(counts.values())
    for d, _x in sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)[:short]:
        counts[d] += 1
    plans, current, size, next_id = [], [], 0, id_start
    for d, _w in days:
        current.append((d, counts[d]))
        size += counts[d]
        if size >= chunk_target:
            plans.append(Plan(current, next_id, len(plans)))
            next_id += size
            current, size = [], 0
    if current:
        plans.append(Plan(current, next_id, len(plans)))
    return plans


_WORKER: Generator | None = None


def _work(plan: Plan) -> ChunkResult:
    return _WORKER.run(plan)


def extra_columns(conn: psycopg.Connection) -> dict[str, list[tuple[str, object]]]:
    """Columns the models gained since this generator was written: NOT NULL ones without a database
    default are filled with the model field's default (as an ORM insert would), so that additive
    model changes do not break the bench. A column that went away, or a new required column with
    no default, stops the bench with a clear message instead."""
    from motcua.dossiers.models import Dossier, DossierEvent

    extra: dict[str, list[tuple[str, object]]] = {}
    for model, columns in ((Dossier, DOSSIER_COLUMNS), (DossierEvent, EVENT_COLUMNS)):
        table = model._meta.db_table
        rows = conn.execute(
            """SELECT column_name, is_nullable, column_default, is_identity FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position""",
            [table],
        ).fetchall()
        names = {r[0] for r in rows}
        missing = [c for c in columns if c not in names]
        if missing:
            raise SystemExit(
                f"bench/histgen.py writes columns {missing} that {table} no longer has: update it."
            )
        by_column = {f.column: f for f in model._meta.concrete_fields}
        extra[table] = []
        for name, nullable, default, identity in rows:
            if name in columns or nullable == "YES" or default is not None or identity == "YES":
                continue
            field = by_column.get(name)
            if field is None or not field.has_default():
                raise SystemExit(
                    f"{table}.{name} is new and required without a default: teach bench/histgen.py "
                    "what to write in it."
                )
            extra[table].append((name, field.get_default()))
    return extra


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return _copy_text(json.dumps(value, ensure_ascii=False))
    return _copy_text(str(value))


def generate(
    url: str,
    *,
    total: int,
    seed: int = 1,
    workers: int | None = None,
    province: str = "82",
    chunk_target: int = 20_000,
    samples_wanted: int = 20_000,
    log=print,
) -> dict:
    """Generate and load `total` dossiers; returns figures for the report (and tracking samples)."""
    global _WORKER
    from motcua.dossiers import codes

    if codes.SECRET_ALPHABET != SECRET_ALPHABET:
        raise SystemExit("motcua.dossiers.codes.SECRET_ALPHABET changed: update bench/histgen.py.")
    refs = load_refs(province, seed)
    now = int(time.time())
    today = datetime.fromtimestamp(now, UTC).astimezone(refs.calendar.tz).date()
    last_day = today - timedelta(days=1)
    clock = OfficeClock(refs.calendar, HISTORY_START - timedelta(days=14), today + timedelta(days=3 * 366))
    workers = workers or multiprocessing.cpu_count()
    with psycopg.connect(url) as conn:
        extra = extra_columns(conn)
        id_start = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM dossiers_dossier").fetchone()[0]
        existing_codes = conn.execute("SELECT count(*) FROM dossiers_codecounter").fetchone()[0]
    if existing_codes:
        raise SystemExit("The bench database already has code counters: generate into a fresh database.")
    plans = plan_days(total, refs.calendar, HISTORY_START, last_day, chunk_target, id_start)
    dossier_columns = DOSSIER_COLUMNS + tuple(c for c, _v in extra["dossiers_dossier"])
    event_columns = EVENT_COLUMNS + tuple(c for c, _v in extra["dossiers_dossierevent"])
    _WORKER = Generator(
        refs=refs,
        clock=clock,
        now=now,
        seed=seed,
        sample_every=max(1, total // max(1, samples_wanted)),
        dossier_suffix="".join("\t" + _copy_value(v) for _c, v in extra["dossiers_dossier"]),
        event_suffix="".join("\t" + _copy_value(v) for _c, v in extra["dossiers_dossierevent"]),
    )
    for table, columns in extra.items():
        if columns:
            log(
                f"  {table}: new columns filled with their model default: {', '.join(c for c, _v in columns)}"
            )
    _self_check()
    log(
        f"  {total:,} dossiers over {len(refs.centers)} centers and {len(refs.versions)} procedure versions, "
        f"{HISTORY_START} to {last_day} (events up to now), {len(plans)} chunks, {workers} worker processes"
    )

    started = time.monotonic()
    dossier_conn = psycopg.connect(url)
    event_conn = psycopg.connect(url)
    for conn in (dossier_conn, event_conn):
        conn.execute("SET synchronous_commit = off")
    restore_dossiers = dbtools.drop_secondary_structures(dossier_conn, "dossiers_dossier")
    restore_events = dbtools.drop_secondary_structures(dossier_conn, "dossiers_dossierevent")
    dossier_conn.commit()

    def copy(conn, table, columns, data: bytes) -> None:
        if not data:
            return
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
            view = memoryview(data)
            for offset in range(0, len(view), 1 << 20):
                out.write(view[offset : offset + (1 << 20)])
        conn.commit()

    stats: Counter = Counter()
    counters: list[tuple[str, int, int]] = []
    samples: list[tuple[str, str]] = []
    done = events = 0
    last_report = started
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        pending: deque = deque()
        queue = iter(plans)
        for plan in queue:  # keep a bounded number of chunks in flight: memory stays flat at 10 M
            pending.append(pool.apply_async(_work, (plan,)))
            if len(pending) >= 2 * workers:
                break
        while pending:
            result: ChunkResult = pending.popleft().get()
            plan = next(queue, None)
            if plan is not None:
                pending.append(pool.apply_async(_work, (plan,)))
            writers = [
                threading.Thread(
                    target=copy, args=(dossier_conn, "dossiers_dossier", dossier_columns, result.dossiers)
                ),
                threading.Thread(
                    target=copy, args=(event_conn, "dossiers_dossierevent", event_columns, result.events)
                ),
            ]
            for w in writers:
                w.start()
            for w in writers:
                w.join()
            stats.update(result.stats)
            counters.extend(result.counters)
            samples.extend(result.samples)
            done += result.count
            events += result.event_count
            tick = time.monotonic()
            if tick - last_report >= 5 or done == total:
                rate = done / (tick - started)
                eta = (total - done) / rate if rate else 0
                log(
                    f"  {done:>11,} dossiers {events:>12,} events  {rate:>8,.0f} dossiers/s  "
                    f"elapsed {tick - started:5.0f} s  eta {eta:4.0f} s",
                    flush=True,
                )
                last_report = tick
    load_seconds = time.monotonic() - started
    event_conn.close()

    conn = dossier_conn
    with (
        conn.cursor() as cur,
        cur.copy("COPY dossiers_codecounter (agency_code, day, last_number) FROM STDIN") as out,
    ):
        for agency, daynum, last in counters:
            out.write_row((agency, date.fromordinal(daynum + EPOCH_ORDINAL), last))
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), "
        "(SELECT max(id) FROM dossiers_dossier))"
    )
    conn.commit()
    log("  rebuilding indexes and constraints (this also checks unique codes and references):")
    conn.execute("SET maintenance_work_mem = '1GB'")
    index_seconds = dbtools.run_statements(conn, restore_dossiers + restore_events, log=log)
    conn.commit()
    t = time.monotonic()
    conn.autocommit = True
    # VACUUM as well: sets hint bits and the visibility map once, as in a database in service,
    # instead of during the first measured lookups.
    conn.execute("VACUUM (ANALYZE) dossiers_dossier, dossiers_dossierevent, dossiers_codecounter")
    conn.execute("ANALYZE")
    analyze_seconds = time.monotonic() - t
    sizes = conn.execute(
        """SELECT pg_size_pretty(pg_total_relation_size('dossiers_dossier')),
                  pg_size_pretty(pg_total_relation_size('dossiers_dossierevent')),
                  pg_size_pretty(pg_database_size(current_database()))"""
    ).fetchone()
    conn.close()
    total_seconds = time.monotonic() - started
    log(
        f"  loaded in {load_seconds:.0f} s, indexes {index_seconds:.0f} s, "
        f"VACUUM ANALYZE {analyze_seconds:.0f} s; "
        f"dossiers {sizes[0]}, events {sizes[1]}, database {sizes[2]}"
    )
    return {
        "dossiers": done,
        "events": events,
        "code_counters": len(counters),
        "seconds": {
            "load": round(load_seconds, 1),
            "indexes": round(index_seconds, 1),
            "vacuum_analyze": round(analyze_seconds, 1),
            "total": round(total_seconds, 1),
        },
        "dossiers_per_second": round(done / total_seconds),
        "sizes": {"dossiers": sizes[0], "events": sizes[1], "database": sizes[2]},
        "distribution": dict(sorted(stats.items())),
        "history": {
            "from": HISTORY_START.isoformat(),
            "to": last_day.isoformat(),
            "events_until": datetime.fromtimestamp(now, UTC).isoformat(),
        },
        "samples": samples,
    }


def _self_check() -> None:
    """The generator's hashes must be `chain.event_hash(prev, chain.event_content(...))`; fail
    early if the application's hashing drifted from what `Story.record` writes."""
    from motcua.dossiers import chain

    at = 1_700_000_123
    cases = [
        ((2, "Nguyễn Thị Hồng"), "", {"a": 1, "b": [{"component": 3, "provided": True}], "c": None}),
        (None, "Không đủ điều kiện giải quyết", {"z": "Thiếu", "due": iso_local(at), "x": False}),
        ((5, "x"), "", {}),
    ]
    previous = ""
    st = Story(7)
    for actor, reason, payload in cases:
        st.state = "in_progress"
        st.record("forward", "received", actor, 3, at, reason, payload)
        reference = chain.event_content(
            dossier_id=7,
            seq=st.seq,
            action="forward",
            from_state="received",
            to_state="in_progress",
            actor_id=actor[0] if actor else None,
            center_id=3,
            at=datetime.fromtimestamp(at, UTC),
            reason=reason,
            payload=payload,
        )
        previous = chain.event_hash(previous, reference)
        if st.last_hash != previous:
            raise SystemExit("motcua.dossiers.chain changed: update Story.record in bench/histgen.py.")


def check_codes(url: str) -> dict:
    """Every (agency, day) of the codes against its counter: as many codes as the counter's last
    number, the highest being that number (so no gap and no duplicate), and no counter without codes."""
    with psycopg.connect(url) as conn:
        row = conn.execute("""
            WITH issued AS (
                SELECT split_part(code, '-', 1) AS agency, split_part(code, '-', 2) AS day, count(*) AS n,
                       max(split_part(code, '-', 3)::int) AS top
                FROM dossiers_dossier WHERE code IS NOT NULL GROUP BY 1, 2)
            SELECT count(*), count(*) FILTER (WHERE c.last_number IS DISTINCT FROM i.n OR i.n <> i.top)
            FROM issued i FULL JOIN dossiers_codecounter c
              ON c.agency_code = i.agency AND to_char(c.day, 'YYMMDD') = i.day""").fetchone()
    return {"agency_days": row[0], "inconsistent": row[1]}


def verify_sample(count: int = 300, seed: int = 1) -> tuple[int, list]:
    """Check the hash chains of a random sample of dossiers with the application's own verifier."""
    from motcua.dossiers.history import verify_dossier
    from motcua.dossiers.models import Dossier, DossierEvent

    max_id = Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rng = random.Random(seed)
    ids = sorted({rng.randint(1, max_id) for _ in range(count)}) if max_id else []
    problems = []
    dossiers = list(Dossier.objects.filter(id__in=ids))
    events: dict[int, list] = {d.id: [] for d in dossiers}
    for event in DossierEvent.objects.filter(dossier_id__in=events).order_by("dossier_id", "seq"):
        events[event.dossier_id].append(event)
    for d in dossiers:
        problem = verify_dossier(d, events[d.id])
        if problem:
            problems.append(problem)
    return len(dossiers), problems
