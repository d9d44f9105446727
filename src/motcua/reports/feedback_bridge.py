"""Ratings and complaints come from the feedback app (`motcua.feedback.selectors`). Without it,
or without a function, the answer is None: "no data", never a zero.

Used, each with `center_ids` and a half-open window [start, end) of aware instants (a report
period's local midnights): `rating_counts` → {"very_satisfied", "satisfied", "not_satisfied"},
`complaint_dossier_count` → int, `rating_counts_by_officer` → {user id: counts}. For a ranking
(every commune of a province, this period and the previous one) one query per commune would
break the pages' query budget, so `by_center` prefers `rating_counts_by_center` and
`complaint_dossier_count_by_center` when the feedback app offers them, and otherwise groups the
feedback app's own tables the way its selectors count (one query each).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Count

from .periods import VN_TZ

logger = logging.getLogger(__name__)


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


def _grouped_from_tables(ids: list[int], start: date, end: date) -> tuple[dict, dict] | None:
    try:
        from motcua.feedback.models import Complaint, Rating
    except ImportError:
        return None
    low, high = window(start, end)
    ratings_by: dict[int, dict] = {c: {"very_satisfied": 0, "satisfied": 0, "not_satisfied": 0} for c in ids}
    rows = (
        Rating.objects.filter(center_id__in=ids, created_at__gte=low, created_at__lt=high)
        .order_by()
        .values_list("center_id", "value")
        .annotate(n=Count("id"))
    )
    for center_id, value, n in rows:
        ratings_by.setdefault(center_id, {})[value] = n
    complaints_by = dict(
        Complaint.objects.filter(
            center_id__in=ids, dossier__isnull=False, created_at__gte=low, created_at__lt=high
        )
        .order_by()
        .values("center_id")
        .annotate(n=Count("dossier_id", distinct=True))
        .values_list("center_id", "n")
    )
    return ratings_by, {c: complaints_by.get(c, 0) for c in ids}


def by_center(center_ids: Iterable[int], start: date, end: date) -> tuple[dict | None, dict | None]:
    """({center: ratings}, {center: dossiers with complaints}), or (None, None) without feedback."""
    ids = list(center_ids)
    if not available():
        return None, None
    grouped_ratings = _call("rating_counts_by_center", ids, start, end)
    grouped_complaints = _call("complaint_dossier_count_by_center", ids, start, end)
    if grouped_ratings is not None and grouped_complaints is not None:
        return grouped_ratings, grouped_complaints
    grouped = _grouped_from_tables(ids, start, end)
    if grouped is not None:
        return grouped
    return ({c: ratings([c], start, end) for c in ids}, {c: complaints([c], start, end) for c in ids})
