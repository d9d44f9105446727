"""What the pages, the API and the exports show, built from the selectors: a unit's summary,
breakdowns, the weekly trend, officers' productivity, the service index and the ranking.

Every function here costs a fixed, small number of queries whatever the number of dossiers.
"""

from __future__ import annotations

import calendar as pycalendar
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from motcua.units.models import Role, ServiceCenter, StaffRole

from . import feedback_bridge, index, payments_bridge, selectors
from .figures import Counts, figures
from .periods import Period, week_starts
from .selectors import NO_FILTERS, Filters, Unit


@dataclass
class Row:
    key: object
    label: str
    counts: Counts
    figures: dict = field(default_factory=dict)
    code: str = ""
    extra: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)  # measure → address of the list behind the number


def summary(unit: Unit, period: Period, filters: Filters = NO_FILTERS, now: datetime | None = None) -> Row:
    """Measures of the period plus the gauges now (two queries)."""
    counts = selectors.counts(unit.center_ids, period.start, period.end, filters)
    counts = counts + selectors.gauges(unit.center_ids, filters, now)
    return Row(unit.ref, unit.name, counts, figures(counts))


def total_of(unit: Unit, rows: list[Row]) -> Row:
    """The unit's summary from its breakdown (every rollup row and every dossier of the gauges
    falls in exactly one group): the same numbers as `summary`, without its queries."""
    counts = Counts.total(r.counts for r in rows)
    return Row(unit.ref, unit.name, counts, figures(counts))


def breakdown(
    unit: Unit,
    period: Period,
    by: str,
    filters: Filters = NO_FILTERS,
    now: datetime | None = None,
    *,
    found: dict | None = None,
) -> list[Row]:
    """One row per center / commune / field / procedure / channel with counters and gauges
    (three or four queries; one fewer when the period's counters by that grouping are `found`)."""
    from motcua.dossiers.models import IntakeChannel

    group = "center" if by == "commune" else by
    if found is None:
        found = selectors.counts_by(group, unit.center_ids, period.start, period.end, filters)
    live = selectors.gauges_by(group, unit.center_ids, filters, now)
    keys = set(found) | set(live)
    rows: list[Row] = []
    if by in ("center", "commune"):
        centers = {c.pk: c for c in unit.centers}
        keys |= set(centers)
        merged: dict[object, Counts] = defaultdict(Counts)
        labels, codes = {}, {}
        for key in keys:
            center = centers.get(key)
            if center is None:
                continue
            target = center.commune_id if by == "commune" else key
            merged[target] = merged[target] + found.get(key, Counts()) + live.get(key, Counts())
            labels[target] = center.commune.name if by == "commune" else center.name
            codes[target] = center.commune_id if by == "commune" else center.agency_code
        rows = [Row(k, labels[k], c, figures(c), codes[k]) for k, c in merged.items()]
    elif by == "field":
        names = selectors.field_names(keys)
        rows = [Row(k, names.get(k, "?"), found.get(k, Counts()) + live.get(k, Counts())) for k in keys]
    elif by == "procedure":
        names = selectors.procedure_names(keys)
        rows = [
            Row(
                k,
                names.get(k, ("", "?"))[1],
                found.get(k, Counts()) + live.get(k, Counts()),
                code=names.get(k, ("", ""))[0],
            )
            for k in keys
        ]
    elif by == "channel":
        labels = dict(IntakeChannel.choices)
        rows = [Row(k, str(labels.get(k, k)), found.get(k, Counts()) + live.get(k, Counts())) for k in keys]
    for row in rows:
        row.figures = figures(row.counts)
    rows.sort(key=lambda r: (-r.counts["received"], -r.counts["handled"], str(r.label)))
    return rows


def trend(
    unit: Unit, period: Period, filters: Filters = NO_FILTERS, weeks: int = 12
) -> list[tuple[date, Counts]]:
    """The ISO weeks up to the end of the period (one query)."""
    starts = week_starts(period.end, weeks)
    return list(selectors.weekly(unit.center_ids, starts, filters).items())


# -- officers -----------------------------------------------------------------------------------
def _year_days(year: int) -> int:
    return 366 if pycalendar.isleap(year) else 365


def prorated_target(yearly: int, period: Period) -> float:
    """A yearly target for the days of the period (calendar days, leap years included)."""
    total = 0.0
    day = period.start
    while day <= period.end:
        year_end = date(day.year, 12, 31)
        last = min(year_end, period.end)
        total += yearly * ((last - day).days + 1) / _year_days(day.year)
        day = date(day.year + 1, 1, 1)
    return total


def officers(unit: Unit, period: Period) -> list[Row]:
    """Each officer's work at the unit's centers in the period, desk officers' received dossiers
    against their center's yearly target per officer (three queries, four with ratings)."""
    found = selectors.officer_counts(unit.center_ids, period.start, period.end)
    desk = set(
        StaffRole.objects.filter(center_id__in=unit.center_ids, role=Role.DESK_OFFICER).values_list(
            "center_id", "user_id"
        )
    )
    keys = set(found) | desk
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={u for _c, u in keys})}
    centers = {c.pk: c for c in unit.centers}
    ratings = feedback_bridge.ratings_by_officer(unit.center_ids, period.start, period.end)
    rows = []
    for center_id, user_id in keys:
        center, user = centers.get(center_id), users.get(user_id)
        if center is None or user is None:
            continue
        counts = found.get((center_id, user_id), Counts())
        is_desk = (center_id, user_id) in desk
        target = prorated_target(center.yearly_target_per_officer, period) if is_desk else None
        extra = {
            "center": center,
            "user": user,
            "desk_officer": is_desk,
            "target": target,
            "ref": f"center:{center.pk}",
            "attainment": (counts["received"] / target) if target else None,
            "ratings": (ratings or {}).get(user_id) if ratings is not None else None,
        }
        rows.append(Row((center_id, user_id), str(user), counts, {}, extra=extra))
    rows.sort(
        key=lambda r: (not r.extra["desk_officer"], -r.counts["received"], -r.counts["handled"], r.label)
    )
    return rows


def productivity(unit: Unit, period: Period) -> list[Row]:
    """Per center: dossiers received by its desk officers, the number of desk officers, and the
    target (yearly target per officer × officers, for the period's days)."""
    found = selectors.officer_counts(unit.center_ids, period.start, period.end)
    received: dict[int, int] = defaultdict(int)
    for (center_id, _user), counts in found.items():
        received[center_id] += counts["received"]
    desk = dict(
        StaffRole.objects.filter(center_id__in=unit.center_ids, role=Role.DESK_OFFICER)
        .values("center_id")
        .annotate(n=Count("user", distinct=True))
        .values_list("center_id", "n")
    )
    rows = []
    for center in unit.centers:
        n = desk.get(center.pk, 0)
        target = prorated_target(center.yearly_target_per_officer, period) * n
        per_officer = received[center.pk] / n if n else None
        rows.append(
            Row(
                center.pk,
                center.name,
                Counts(received=received[center.pk]),
                extra={
                    "center": center,
                    "desk_officers": n,
                    "target": target,
                    "per_officer": per_officer,
                    "ref": f"center:{center.pk}",
                    "yearly_target": center.yearly_target_per_officer,
                    "area_type": center.get_area_type_display(),
                    "attainment": received[center.pk] / target if target else None,
                },
            )
        )
    return rows


# -- the service index --------------------------------------------------------------------------
def _inputs(counts: Counts, procedures: tuple[int, int], ratings, complaints, paid=None) -> index.Inputs:
    online, total = procedures
    return index.Inputs.from_counts(
        counts,
        procedures_online=online,
        procedures_total=total,
        paid_online=paid,
        ratings=ratings,
        complaint_dossiers=complaints,
    )


@dataclass
class RankRow:
    commune_code: str
    name: str
    center_ids: tuple[int, ...]
    ranked: index.Ranked
    counts: Counts


@dataclass
class RankingData:
    """A province's ranking, and what was read to make it (reused by the pages)."""

    rows: list[RankRow]
    by_center: dict  # this period's counters by center
    ratings: dict | None  # this period's ratings by center (None: no feedback data)
    complaints: dict | None
    procedures: tuple[int, int]
    paid: dict | None = None  # dossiers paid online by center (None: no payments data)

    def inputs_for(self, center_ids) -> index.Inputs:
        """The service index inputs of some of the province's centers together."""
        counts = Counts.total(self.by_center.get(c, Counts()) for c in center_ids)
        ratings = (
            None
            if self.ratings is None
            else dict(Counts.total(self.ratings.get(c) or {} for c in center_ids))
        )
        complaints = (
            None if self.complaints is None else sum(int(self.complaints.get(c) or 0) for c in center_ids)
        )
        paid = None if self.paid is None else sum(self.paid.get(c, 0) for c in center_ids)
        return _inputs(counts, self.procedures, ratings, complaints, paid)


def _commune_inputs(
    communes: dict[str, list[int]], by_center: dict, procedures, ratings, complaints, paid=None
):
    inputs, totals = {}, {}
    for code, ids in communes.items():
        counts = Counts.total(by_center.get(c, Counts()) for c in ids)
        commune_ratings = None
        if ratings is not None:
            commune_ratings = dict(Counts.total(ratings.get(c) or {} for c in ids))
        commune_complaints = None if complaints is None else sum(int(complaints.get(c) or 0) for c in ids)
        commune_paid = None if paid is None else sum(paid.get(c, 0) for c in ids)
        inputs[code] = _inputs(counts, procedures, commune_ratings, commune_complaints, commune_paid)
        totals[code] = counts
    return inputs, totals


def province_centers(province_code: str) -> list[ServiceCenter]:
    return list(
        ServiceCenter.objects.filter(commune__province_id=province_code)
        .select_related("commune")
        .order_by("commune__name", "pk")
    )


# A closed period's rollups and feedback no longer change (events and ratings count on the day
# they happen), so the previous period's scores are kept a while instead of recomputed for every
# ranking. The bound covers what can still change them: a rollup rebuild that repaired something,
# or a catalog correction.
CLOSED_PERIOD_SECONDS = 15 * 60
ROLLUPS_GENERATION_KEY = "reports:rollups-generation"  # changed by every rollup rebuild
T = TypeVar("T")


def kept(key: str, seconds: int, build: Callable[[], T]) -> T:
    """What `build` returns, kept `seconds` in the cache under `key` and the rollups' generation
    (a rebuild starts afresh)."""
    full = f"reports:{cache.get(ROLLUPS_GENERATION_KEY, '0')}:{key}"
    found = cache.get(full)
    if found is None:
        found = build()
        cache.set(full, found, seconds)
    return found


def _period_totals(communes: dict[str, list[int]], ids: list[int], period: Period, procedures) -> dict:
    """{commune: service index total} of a period (three queries)."""
    counts = selectors.counts_by("center", ids, period.start, period.end)
    ratings, complaints = feedback_bridge.by_center(ids, period.start, period.end)
    paid = payments_bridge.paid_online_by_center(ids, period.start, period.end)
    inputs, _totals = _commune_inputs(communes, counts, procedures, ratings, complaints, paid)
    return index.totals(inputs)


def previous_totals(communes: dict[str, list[int]], ids: list[int], before: Period, procedures) -> dict:
    """The communes' totals in the period `before` (with `procedures` online then), cached once
    that period is over."""
    if before.end >= timezone.localdate():
        return _period_totals(communes, ids, before, procedures)
    layout = repr(sorted((code, sorted(centers)) for code, centers in communes.items()))
    digest = hashlib.sha256(f"{layout}|{_weights()}".encode()).hexdigest()[:24]
    return kept(
        f"previous-totals:{before.start}:{before.end}:{digest}",
        CLOSED_PERIOD_SECONDS,
        lambda: _period_totals(communes, ids, before, procedures),
    )


def _weights() -> str:
    cfg = index.config()
    return repr(
        [(g.key, g.max_points) for g in cfg.groups] + [(i.key, i.weight, i.threshold) for i in cfg.indicators]
    )


RANKING_SECONDS = 60


def province_ranking(province_code: str, period: Period, *, centers: list | None = None) -> RankingData:
    """All communes of the province with a service center, ranked by their service index, with
    their rank and score in the previous period. Kept a minute per province, period and index
    weights (the province's dashboard, each of its communes' dashboards and the API share it; a
    rollup rebuild starts afresh): its figures move with every dossier event, a minute's delay is
    what a dashboard shows anyway, and computing it costs tens of milliseconds."""
    digest = hashlib.sha256(_weights().encode()).hexdigest()[:16]
    return kept(
        f"ranking:{province_code}:{period.start}:{period.end}:{digest}",
        RANKING_SECONDS,
        lambda: _province_ranking(province_code, period, centers),
    )


def _province_ranking(province_code: str, period: Period, centers: list | None) -> RankingData:
    """Four queries, and three more for the previous period when it is not cached, whatever the
    number of communes and dossiers."""
    centers = centers if centers is not None else province_centers(province_code)
    communes: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for center in centers:
        communes.setdefault(center.commune_id, []).append(center.pk)
        names[center.commune_id] = center.commune.name
    ids = [c.pk for c in centers]
    before = period.previous()
    now_counts = selectors.counts_by("center", ids, period.start, period.end)
    procedures = selectors.procedures_online_on([period.end, before.end])
    ratings, complaints = feedback_bridge.by_center(ids, period.start, period.end)
    paid = payments_bridge.paid_online_by_center(ids, period.start, period.end)
    now, totals = _commune_inputs(communes, now_counts, procedures[period.end], ratings, complaints, paid)
    previous = previous_totals(communes, ids, before, procedures[before.end])
    ranked = index.ranking(now, previous, order=list(communes))
    rows = [RankRow(r.key, names[r.key], tuple(communes[r.key]), r, totals[r.key]) for r in ranked]
    return RankingData(rows, now_counts, ratings, complaints, procedures[period.end], paid)


def rank_of(unit: Unit, period: Period, data: RankingData | None = None) -> tuple[RankRow | None, int]:
    """The unit's own row in its province's ranking (a commune or a center's commune), and how
    many communes are ranked. Other communes' rows are not returned."""
    data = data or province_ranking(unit.province_code, period)
    communes = {c.commune_id for c in unit.centers}
    own = next((r for r in data.rows if r.commune_code in communes), None)
    return own, sum(1 for r in data.rows if r.ranked.rank is not None)


def commune_rows(unit: Unit, found: dict, live: dict) -> list[Row]:
    """Rows per commune from counters and gauges grouped by center."""
    merged: dict[str, Counts] = defaultdict(Counts)
    names = {}
    for center in unit.centers:
        merged[center.commune_id] = (
            merged[center.commune_id] + found.get(center.pk, Counts()) + live.get(center.pk, Counts())
        )
        names[center.commune_id] = center.commune.name
    rows = [Row(code, names[code], c, figures(c), code) for code, c in merged.items()]
    rows.sort(key=lambda r: r.label)
    return rows
