"""The live hook: each dossier event and each new document adds to its rows, in its own transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import Count, Q

from motcua.workdays.selectors import calendar_for_center

from .. import deltas
from ..models import CenterRollup, OfficerRollup, Rollup, UnitRollup
from ..periods import VN_TZ, Grain, grain_start

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
    """Add what `event` counts, in the caller's transaction (a listener of dossier events: ReportsConfig)."""
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
        found = Document.objects.filter(dossier_id=dossier.pk, kind="scan").aggregate(
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
        Document.objects.filter(dossier_id=dossier.pk, kind="scan")
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
