"""Ratings and complaints come from the feedback app (`motcua.feedback.selectors`). Without it,
or without a function, the answer is None: "no data", never a zero.

Used, each with `center_ids` and a half-open window [start, end) of aware instants (a report
period's local midnights): `rating_counts` → {"very_satisfied", "satisfied", "not_satisfied"},
`complaint_dossier_count` → int, `rating_counts_by_officer` → {user id: counts}, and for a
ranking (every commune of a province) `rating_counts_by_center` and
`complaint_dossier_count_by_center` → {center id: ...} (one query each, whatever the number of
communes).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from .periods import VN_TZ


def window(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min, VN_TZ), datetime.combine(
        end + timedelta(days=1), time.min, VN_TZ
    )


def _selectors():
    try:
        return importlib.import_module("motcua.feedback.selectors")
    except ImportError:
        return None


def _call(name: str, center_ids: Iterable[int], start: date, end: date):
    module = _selectors()
    function = getattr(module, name, None) if module else None
    if function is None:
        return None
    low, high = window(start, end)
    return function(center_ids=list(center_ids), start=low, end=high)


def available() -> bool:
    module = _selectors()
    return bool(module and hasattr(module, "rating_counts") and hasattr(module, "complaint_dossier_count"))


def ratings(center_ids: Iterable[int], start: date, end: date) -> dict | None:
    return _call("rating_counts", center_ids, start, end)


def complaints(center_ids: Iterable[int], start: date, end: date) -> int | None:
    return _call("complaint_dossier_count", center_ids, start, end)


def ratings_by_officer(center_ids: Iterable[int], start: date, end: date) -> dict | None:
    return _call("rating_counts_by_officer", center_ids, start, end)


def by_center(center_ids: Iterable[int], start: date, end: date) -> tuple[dict | None, dict | None]:
    """({center: ratings}, {center: dossiers with complaints}), or (None, None) without feedback."""
    ids = list(center_ids)
    if not available():
        return None, None
    return (
        _call("rating_counts_by_center", ids, start, end),
        _call("complaint_dossier_count_by_center", ids, start, end),
    )
