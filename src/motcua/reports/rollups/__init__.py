"""Keeping the rollups: the live hook called for every dossier event and every new document (in
the caller's transaction), and the rebuild from dossiers and events.

Each change is one `INSERT ... ON CONFLICT DO UPDATE SET c = c + excluded.c` statement per table
(Rollup, UnitRollup, CenterRollup, OfficerRollup) for the five rows (day, week, month, quarter, year)
of the event, which SQLite and PostgreSQL both run atomically: concurrent transactions serialize on
the row, never lose an increment, and always lock the rows in the same order (no deadlock between
two events).

`live` adds each event and document as it happens; `rebuild` recomputes every row from dossiers
and events; `verify` compares the two.
"""

from .live import GRAINS, KEY, UNIT_KEY, Dims, add, add_officer, apply_document, apply_event, local_day
from .rebuild import Accumulator, DayRows, day_rows, officer_day_rows, rebuild
from .verify import differences

__all__ = [
    "GRAINS",
    "KEY",
    "UNIT_KEY",
    "Accumulator",
    "DayRows",
    "Dims",
    "add",
    "add_officer",
    "apply_document",
    "apply_event",
    "day_rows",
    "differences",
    "local_day",
    "officer_day_rows",
    "rebuild",
]
