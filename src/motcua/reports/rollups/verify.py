"""Comparing the stored rollups with a rebuild's result (reads only)."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import ALL_COUNTERS, OFFICER_COUNTERS, CenterRollup, OfficerRollup, Rollup, UnitRollup
from .rebuild import Accumulator, _center_ids, _table, day_rows, officer_day_rows


def differences(*, center_ids: Iterable[int] | None = None, limit: int = 20) -> list[str]:
    """What the stored rollups (of these centers, or all) get wrong compared with a rebuild from
    dossiers and events; empty when they agree. Reads only."""
    ids = _center_ids(center_ids)
    rebuilt: dict[tuple, dict] = {}
    rebuilt_officers: dict[tuple, dict] = {}
    rebuilt_units: dict[tuple, dict] = {}
    rebuilt_centers: dict[tuple, dict] = {}
    everything = center_ids is None
    for dr in [*(day_rows(center_id) for center_id in ids), officer_day_rows(None if everything else ids)]:
        acc = Accumulator()
        acc.add_days(dr)
        for want, got in (
            (rebuilt, acc.rows),
            (rebuilt_officers, acc.officers),
            (rebuilt_units, acc.units),
            (rebuilt_centers, acc.centers),
        ):
            for key, counts in got.items():
                nonzero = {n: v for n, v in counts.items() if v}
                if nonzero:
                    want[key] = nonzero
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
