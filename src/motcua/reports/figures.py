"""Figures derived from rollup counters (pure): shares, average and median processing time.

`Counts` is a plain mapping of counter name → integer (what a SUM over rollup rows gives); every
figure here is a function of it, so the pages, the API and the exports show the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models import ALL_COUNTERS, BUCKETS, HISTOGRAM_EDGES


class Counts(dict):
    """Counter name → value; missing counters read as 0."""

    def __missing__(self, key: str) -> int:
        if key in ALL_COUNTERS or key in ("in_progress", "overdue"):
            return 0
        raise KeyError(key)

    @classmethod
    def of(cls, values: Mapping[str, int | None] | None) -> Counts:
        return cls({k: int(v or 0) for k, v in (values or {}).items()})

    def __add__(self, other: Mapping[str, int]) -> Counts:
        total = Counts(self)
        for key, value in other.items():
            total[key] = total.get(key, 0) + int(value or 0)
        return total

    @classmethod
    def total(cls, many: Iterable[Mapping[str, int]]) -> Counts:
        result = cls()
        for item in many:
            result = result + item
        return result


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Median:
    """The bucket of the histogram holding the median: [low, high) working days (high None: open)."""

    low: float
    high: float | None


def median_bucket(counts: Mapping[str, int]) -> Median | None:
    values = [int(counts.get(b, 0) or 0) for b in BUCKETS]
    n = sum(values)
    if n == 0:
        return None
    middle = (n + 1) / 2  # the lower median for an even count is in the same or an earlier bucket
    running = 0
    for index, value in enumerate(values):
        running += value
        if running >= middle:
            low = 0.0 if index == 0 else float(HISTOGRAM_EDGES[index - 1])
            high = float(HISTOGRAM_EDGES[index]) if index < len(HISTOGRAM_EDGES) else None
            return Median(low, high)
    return None  # pragma: no cover - running reaches n


def figures(counts: Mapping[str, int]) -> dict[str, float | int | None | Median]:
    """The derived figures of one set of counters (shares are 0..1 or None)."""
    c = Counts.of(counts)
    handled, received, returned = c["handled"], c["received"], c["returned"]
    finished_in_time = c["early"] + c["on_time"]
    return {
        "early_share": share(c["early"], handled),
        "on_time_share": share(c["on_time"], handled),
        "in_time_share": share(finished_in_time, handled),
        "late_share": share(c["late"], handled),
        "index_in_time_share": share(handled - c["index_late"], handled),
        "online_share": share(c["received_online"], received),
        "digitized_share": share(c["digitized"], received),
        "reused_share": share(c["reused_dossiers"], received),
        "electronic_share": share(c["returned_electronic"], returned),
        "average_days": (c["processing_mdays"] / handled / 1000) if handled else None,
        "average_limit_days": (c["limit_mdays"] / handled / 1000) if handled else None,
        "median": median_bucket(c),
        "intakes": received + c["reception_supplement"] + c["reception_refused"],
    }
