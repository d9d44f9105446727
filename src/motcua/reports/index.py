"""The service index (Bộ chỉ số phục vụ người dân, doanh nghiệp — Decision 766/QĐ-TTg) as this
system can compute it, and the ranking of communes (pure: no database).

Six groups with the national maximum points (configurable). Inside a group, each indicator takes
a share of the group's points in proportion to its weight. An indicator's value is a ratio 0..1;
it earns full points at or above its threshold and `ratio × points ÷ threshold` below it.

Indicators that need data from outside the system ("not computable here"), or that have no data
in the period (nothing to divide by, or a module that does not exist yet), are **excluded** and
the total is re-scaled to 100 over the points that could be computed; the coverage (how many of
the 100 points were computable) is shown with every score, so two scores are never compared
without seeing what they cover.

Settings: `MOTCUA_SERVICE_INDEX = {"groups": {"progress": 25, ...}, "indicators": {"digitized":
{"weight": 8, "threshold": 0.8}, ...}}` overrides the defaults below.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.utils.translation import gettext_lazy as _

OK, NO_DATA, NOT_COMPUTABLE = "ok", "no_data", "not_computable"


@dataclass(frozen=True)
class GroupSpec:
    key: str
    label: Any
    max_points: float


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    group: str
    weight: float
    threshold: float
    label: Any


@dataclass(frozen=True)
class Config:
    groups: tuple[GroupSpec, ...]
    indicators: tuple[IndicatorSpec, ...]

    def group(self, key: str) -> GroupSpec:
        return next(g for g in self.groups if g.key == key)

    @cached_property
    def _points(self) -> dict[str, float]:
        out = {}
        for indicator in self.indicators:
            weights = sum(i.weight for i in self.indicators if i.group == indicator.group)
            group = self.group(indicator.group).max_points
            out[indicator.key] = group * indicator.weight / weights if weights else 0.0
        return out

    def points(self, indicator: IndicatorSpec) -> float:
        """The maximum points of an indicator: its weight's share of its group's points."""
        return self._points[indicator.key]

    @cached_property
    def _members(self) -> dict[str, tuple[IndicatorSpec, ...]]:
        return {g.key: tuple(i for i in self.indicators if i.group == g.key) for g in self.groups}

    def in_group(self, key: str) -> tuple[IndicatorSpec, ...]:
        return self._members.get(key, ())

    @property
    def max_points(self) -> float:
        return sum(g.max_points for g in self.groups)


DEFAULT = Config(
    groups=(
        GroupSpec("transparency", _("Transparency"), 18),
        GroupSpec("progress", _("Processing progress"), 20),
        GroupSpec("online_service", _("Online service"), 12),
        GroupSpec("online_payment", _("Online payment"), 10),
        GroupSpec("digitization", _("Digitization"), 22),
        GroupSpec("satisfaction", _("Satisfaction"), 18),
    ),
    indicators=(
        IndicatorSpec("status_public", "transparency", 10, 1.0, _("Dossiers whose status is public")),
        IndicatorSpec(
            "procedures_published",
            "transparency",
            8,
            1.0,
            _("Procedures published on time in the national database"),
        ),
        IndicatorSpec("in_time", "progress", 14, 1.0, _("Dossiers finished early or on time")),
        IndicatorSpec(
            "processing_time", "progress", 6, 1.0, _("Average processing time within the time limit")
        ),
        IndicatorSpec("procedures_online", "online_service", 6, 0.8, _("Procedures offered online")),
        IndicatorSpec("dossiers_online", "online_service", 6, 0.5, _("Dossiers filed online")),
        IndicatorSpec("paid_online", "online_payment", 10, 1.0, _("Dossiers paid online")),
        IndicatorSpec("results_electronic", "digitization", 8, 1.0, _("Results issued electronically")),
        IndicatorSpec("digitized", "digitization", 8, 0.8, _("Dossiers digitized")),
        IndicatorSpec("reuse", "digitization", 6, 1.0, _("Dossiers re-using digitized papers")),
        IndicatorSpec(
            "satisfaction", "satisfaction", 12, 1.0, _("Satisfaction: 100 % − (late % + % with complaints)")
        ),
        IndicatorSpec("ratings", "satisfaction", 6, 1.0, _("Ratings “satisfied” or “very satisfied”")),
    ),
)


def config(overrides: Mapping | None = None) -> Config:
    """The defaults with `overrides` (or settings.MOTCUA_SERVICE_INDEX) applied."""
    if overrides is None:
        from django.conf import settings

        overrides = getattr(settings, "MOTCUA_SERVICE_INDEX", None) or {}
    groups = tuple(
        replace(g, max_points=float(overrides.get("groups", {}).get(g.key, g.max_points)))
        for g in DEFAULT.groups
    )
    indicators = []
    for spec in DEFAULT.indicators:
        change = overrides.get("indicators", {}).get(spec.key, {})
        indicators.append(
            replace(
                spec,
                weight=float(change.get("weight", spec.weight)),
                threshold=float(change.get("threshold", spec.threshold)),
            )
        )
    for spec in indicators:
        if not 0 < spec.threshold <= 1 or spec.weight < 0:
            raise ValueError(f"Service index indicator {spec.key}: threshold must be in (0, 1], weight >= 0.")
    return Config(groups, tuple(indicators))


# -- inputs and values ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Inputs:
    """What the index is computed from, for one unit and period. None: no data."""

    received: int = 0
    received_online: int = 0
    handled: int = 0
    index_late: int = 0  # late or supplemented more than once
    returned: int = 0
    returned_electronic: int = 0
    digitized: int = 0
    reused_dossiers: int = 0
    processing_mdays: int = 0
    limit_mdays: int = 0
    procedures_total: int = 0
    procedures_online: int = 0
    paid_online: int | None = None  # no payments module yet
    complaint_dossiers: int | None = None  # from feedback, when installed
    ratings: Mapping[str, int] | None = None  # very_satisfied / satisfied / not_satisfied

    @classmethod
    def from_counts(cls, counts: Mapping[str, int], **extra) -> Inputs:
        names = (
            "received",
            "received_online",
            "handled",
            "index_late",
            "returned",
            "returned_electronic",
            "digitized",
            "reused_dossiers",
            "processing_mdays",
            "limit_mdays",
        )
        return cls(**{n: int(counts.get(n, 0) or 0) for n in names}, **extra)

    @property
    def has_dossiers(self) -> bool:
        return bool(self.received or self.handled)


@dataclass(slots=True)
class Value:
    ratio: float | None
    status: str = OK
    note: Any = ""


def _ratio(part: int, whole: int, note) -> Value:
    return Value(min(1.0, max(0.0, part / whole)), OK) if whole else Value(None, NO_DATA, note)


NOTHING_HANDLED = _("No dossier was handled in the period.")
NOTHING_RECEIVED = _("No dossier was received in the period.")
STATUS_PUBLIC = _("Every dossier has a public tracking page (code and lookup secret) from reception on.")
OUTSIDE_DATA = _("Needs the national database of administrative procedures.")
NO_PROCEDURE = _("No procedure is in force.")
NOTHING_RETURNED = _("No result was returned in the period.")
NO_PAYMENTS = _("No data: online payments are not recorded yet.")
NO_COMPLAINTS = _("No data: complaints are not recorded yet.")
NO_RATINGS = _("No data: ratings are not recorded yet.")
NO_RATING = _("No rating in the period.")


def values(i: Inputs) -> dict[str, Value]:
    """Each indicator's ratio (0..1) and whether it could be computed."""
    out: dict[str, Value] = {
        "status_public": Value(1.0, OK, STATUS_PUBLIC)
        if i.has_dossiers
        else Value(None, NO_DATA, NOTHING_RECEIVED),
        "procedures_published": Value(None, NOT_COMPUTABLE, OUTSIDE_DATA),
        "in_time": _ratio(i.handled - i.index_late, i.handled, NOTHING_HANDLED),
        "procedures_online": _ratio(i.procedures_online, i.procedures_total, NO_PROCEDURE),
        "dossiers_online": _ratio(i.received_online, i.received, NOTHING_RECEIVED),
        "results_electronic": _ratio(i.returned_electronic, i.returned, NOTHING_RETURNED),
        "digitized": _ratio(i.digitized, i.received, NOTHING_RECEIVED),
        "reuse": _ratio(i.reused_dossiers, i.received, NOTHING_RECEIVED),
    }
    if not i.handled:
        out["processing_time"] = Value(None, NO_DATA, NOTHING_HANDLED)
    elif i.processing_mdays <= i.limit_mdays:
        out["processing_time"] = Value(1.0)
    else:
        out["processing_time"] = Value(i.limit_mdays / i.processing_mdays)
    if i.paid_online is None:
        out["paid_online"] = Value(None, NO_DATA, NO_PAYMENTS)
    else:
        out["paid_online"] = _ratio(i.paid_online, i.received, NOTHING_RECEIVED)
    if i.complaint_dossiers is None:
        out["satisfaction"] = Value(None, NO_DATA, NO_COMPLAINTS)
    elif not i.handled:
        out["satisfaction"] = Value(None, NO_DATA, NOTHING_HANDLED)
    else:
        late = i.index_late / i.handled
        complaints = i.complaint_dossiers / i.handled
        out["satisfaction"] = Value(max(0.0, min(1.0, 1.0 - (late + complaints))))
    if i.ratings is None:
        out["ratings"] = Value(None, NO_DATA, NO_RATINGS)
    else:
        total = sum(int(v or 0) for v in i.ratings.values())
        good = int(i.ratings.get("very_satisfied", 0) or 0) + int(i.ratings.get("satisfied", 0) or 0)
        out["ratings"] = _ratio(good, total, NO_RATING)
    return out


# -- scoring --------------------------------------------------------------------------------------
def partial_credit(ratio: float, max_points: float, threshold: float) -> float:
    """Full points at or above the threshold; below it, ratio × max ÷ threshold."""
    if ratio >= threshold:
        return max_points
    # capped: with tiny point values float rounding could otherwise give more than the maximum
    return min(max_points, max(0.0, ratio) * max_points / threshold)


@dataclass(slots=True)
class IndicatorScore:
    spec: IndicatorSpec
    value: Value
    max_points: float
    points: float | None  # None: excluded (not computable / no data)


@dataclass(slots=True)
class GroupScore:
    spec: GroupSpec
    points: float  # earned over the computable indicators
    computable: float  # points of the group that could be computed
    indicators: list[IndicatorScore] = field(default_factory=list)


@dataclass(slots=True)
class Score:
    total: float | None  # out of 100, re-scaled over the computable points; None if nothing computable
    earned: float  # raw points earned
    coverage: float  # points that could be computed (of config.max_points)
    groups: list[GroupScore]

    @property
    def indicators(self) -> list[IndicatorScore]:
        return [i for g in self.groups for i in g.indicators]


def score(inputs: Inputs, cfg: Config | None = None) -> Score:
    cfg = cfg or config()
    vals = values(inputs)
    groups = []
    for group in cfg.groups:
        items = []
        for spec in cfg.in_group(group.key):
            max_points = cfg.points(spec)
            value = vals.get(spec.key, Value(None, NOT_COMPUTABLE))
            points = partial_credit(value.ratio, max_points, spec.threshold) if value.status == OK else None
            items.append(IndicatorScore(spec, value, max_points, points))
        earned = sum(i.points for i in items if i.points is not None)
        computable = sum(i.max_points for i in items if i.points is not None)
        groups.append(GroupScore(group, earned, computable, items))
    earned = sum(g.points for g in groups)
    coverage = sum(g.computable for g in groups)
    total = round(earned / coverage * cfg.max_points, 2) if coverage > 0 else None
    return Score(total, earned, coverage, groups)


# -- ranking --------------------------------------------------------------------------------------
def competition_ranks(scores: Mapping[Any, float | None]) -> dict[Any, int | None]:
    """Standard competition ranking ("1224"): equal scores share a rank and the next rank skips.
    Scores are compared at two decimals, as shown; None is unranked."""
    rounded = {k: round(v, 2) for k, v in scores.items() if v is not None}
    ordered = sorted(rounded.values(), reverse=True)
    first_at: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_at.setdefault(value, position)
    return {k: (first_at[rounded[k]] if k in rounded else None) for k in scores}


@dataclass(frozen=True)
class Ranked:
    key: Any
    score: Score | None
    rank: int | None
    previous_rank: int | None
    previous_total: float | None

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (positive: moved up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def score_change(self) -> float | None:
        if self.score is None or self.score.total is None or self.previous_total is None:
            return None
        return round(self.score.total - self.previous_total, 2)


def totals(inputs: Mapping[Any, Inputs], cfg: Config | None = None) -> dict[Any, float | None]:
    """Each unit's total score (None: no dossiers in the period, or nothing computable)."""
    cfg = cfg or config()
    return {k: (score(v, cfg).total if v.has_dossiers else None) for k, v in inputs.items()}


def ranking(
    current: Mapping[Any, Inputs],
    previous_totals: Mapping[Any, float | None],
    cfg: Config | None = None,
    order: Iterable[Any] | None = None,
) -> list[Ranked]:
    """Rank units by score (units without dossiers in the period are not ranked), with their rank
    and score in the previous period (`totals` of that period); ranked units first, best first,
    then the others."""
    cfg = cfg or config()
    now = {k: (score(v, cfg) if v.has_dossiers else None) for k, v in current.items()}
    ranks = competition_ranks({k: (s.total if s else None) for k, s in now.items()})
    previous_ranks = competition_ranks(previous_totals)
    keys = list(order) if order is not None else list(current)
    rows = [Ranked(k, now.get(k), ranks.get(k), previous_ranks.get(k), previous_totals.get(k)) for k in keys]
    position = {k: i for i, k in enumerate(keys)}
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, position[r.key]))
    return rows
