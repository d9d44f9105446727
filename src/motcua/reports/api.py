"""JSON API for reports (`/api/v1/reports/...`): KPIs, the service index, the ranking, staff
productivity and the periodic report. Scoped like the pages: a commune's staff see their own
units; a province administrator sees the province and all its communes."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from motcua.api.auth import staff_auth
from motcua.api.fields import Id, Text
from motcua.core.errors import NotFound
from motcua.units.scoping import centers_for_user

from . import dashboards, exports, index, periods, selectors
from .figures import Counts, Median
from .models import ALL_COUNTERS

router = Router(tags=["reports"], auth=staff_auth)


class ReportQuery(Schema):
    unit: Text(40)  # province:82, commune:29536 or center:12
    period: Text(10) = "month"  # day, week, month, quarter, year or custom
    on: Text(10) | None = None  # any day inside the period (default: today)
    start: Text(10) | None = None  # custom range
    end: Text(10) | None = None
    side: Text(10) = "handling"  # count dossiers by the handling or the receiving center
    field: Id | None = None
    procedure: Id | None = None
    channel: Text(10) | None = None


def _params(q: ReportQuery) -> dict:
    return {k: ("" if v is None else str(v)) for k, v in q.dict().items()}


def _context(request: HttpRequest, q: ReportQuery):
    params = _params(q)
    unit = selectors.unit_for_user(request.user, q.unit)
    period = periods.parse(params, today=timezone.localdate())
    return unit, period, selectors.filters_from(params)


def _period(period: periods.Period) -> dict:
    return {"kind": str(period.kind), "start": period.start, "end": period.end, "label": period.label}


def _json_figures(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if isinstance(value, Median):
            out[key] = {"low": value.low, "high": value.high}
        else:
            out[key] = value
    return out


def _counts(counts: Counts) -> dict:
    names = [n for n in ALL_COUNTERS] + ["in_progress", "overdue"]
    return {n: counts[n] for n in names}


def _unit(unit: selectors.Unit) -> dict:
    return {"ref": unit.ref, "kind": unit.kind, "name": unit.name, "centers": list(unit.center_ids)}


@router.get(
    "/reports/kpis",
    summary="KPIs of a unit for a period, optionally by center, commune, field, procedure or channel",
)
def kpis(request: HttpRequest, q: Query[ReportQuery], by: str | None = None):
    unit, period, filters = _context(request, q)
    rows = dashboards.breakdown(unit, period, by, filters) if by else None
    total = dashboards.summary(unit, period, filters) if rows is None else dashboards.total_of(unit, rows)
    body = {
        "unit": _unit(unit),
        "period": _period(period),
        "side": filters.side,
        "filters": filters.params(),
        "counts": _counts(total.counts),
        "figures": _json_figures(total.figures),
        "paid_online": None,
    }
    if rows is not None:
        body["by"] = by
        body["rows"] = [
            {
                "key": r.key,
                "label": r.label,
                "code": r.code,
                "counts": _counts(r.counts),
                "figures": _json_figures(r.figures),
            }
            for r in rows
        ]
    return body


@router.get("/reports/trend", summary="Received, handled and late per ISO week up to the end of the period")
def trend(request: HttpRequest, q: Query[ReportQuery], weeks: int = Query(12, ge=1, le=520)):
    unit, period, filters = _context(request, q)
    weeks = max(1, min(weeks, 104))
    return {
        "unit": _unit(unit),
        "weeks": [
            {
                "week_start": start,
                **{n: c[n] for n in ("received", "received_online", "handled", "early", "on_time", "late")},
            }
            for start, c in dashboards.trend(unit, period, filters, weeks)
        ],
    }


def _legend(cfg: index.Config) -> dict:
    """The groups and indicators of the index: labels, points and thresholds (said once)."""
    return {
        "groups": [{"key": g.key, "label": str(g.label), "max_points": g.max_points} for g in cfg.groups],
        "indicators": [
            {
                "key": i.key,
                "group": i.group,
                "label": str(i.label),
                "threshold": i.threshold,
                "max_points": round(cfg.points(i), 4),
            }
            for i in cfg.indicators
        ],
    }


def _score(score, *, compact: bool = False) -> dict:
    """A score with its groups and indicators. Compact (the ranking's rows): without the labels,
    points and thresholds that the legend gives once, and with a note only where an indicator
    could not be scored."""
    body = {
        "total": score.total,
        "earned": round(score.earned, 4),
        "coverage": round(score.coverage, 4),
        "groups": [
            {"key": g.spec.key, "points": round(g.points, 4), "computable": round(g.computable, 4)}
            if compact
            else {
                "key": g.spec.key,
                "label": str(g.spec.label),
                "max_points": g.spec.max_points,
                "points": round(g.points, 4),
                "computable": round(g.computable, 4),
            }
            for g in score.groups
        ],
        "indicators": [],
    }
    for i in score.indicators:
        points = None if i.points is None else round(i.points, 4)
        item = {"key": i.spec.key, "status": i.value.status, "value": i.value.ratio, "points": points}
        if not compact or i.value.status != index.OK:
            item["note"] = str(i.value.note or "")
        if not compact:
            item.update(
                group=i.spec.group,
                label=str(i.spec.label),
                threshold=i.spec.threshold,
                max_points=round(i.max_points, 4),
            )
        body["indicators"].append(item)
    return body


@router.get("/reports/index", summary="Service index of a unit for a period (score out of 100)")
def service_index(request: HttpRequest, q: Query[ReportQuery]):
    unit, period, _filters = _context(request, q)
    data = dashboards.province_ranking(unit.province_code, period)
    score = index.score(data.inputs_for(unit.center_ids))
    body = {"unit": _unit(unit), "period": _period(period), "score": _score(score)}
    if unit.kind != "province":
        own, ranked = dashboards.rank_of(unit, period, data)
        body["rank"] = None if own is None else own.ranked.rank
        body["previous_rank"] = None if own is None else own.ranked.previous_rank
        body["ranked_communes"] = ranked
    return body


@router.get("/reports/ranking", summary="Ranking of the communes of a province by service index")
def ranking(
    request: HttpRequest,
    province: str,
    period: str = "month",
    on: str | None = None,
    start: str | None = None,
    end: str | None = None,
):
    """A province administrator gets every commune; other staff get only the rows of their own
    communes (with their rank among all) — the others' scores are not theirs to see."""
    params = {"period": period, "on": on or "", "start": start or "", "end": end or ""}
    the_period = periods.parse(params, today=timezone.localdate())
    visible_all = selectors.can_see_province(request.user, province)
    own_communes = set()
    if not visible_all:
        own_communes = set(
            centers_for_user(request.user)
            .filter(commune__province_id=province)
            .values_list("commune_id", flat=True)
        )
        if not own_communes:
            raise NotFound(_("Province not found."))
    rows = dashboards.province_ranking(province, the_period).rows
    out = []
    for row in rows:
        if not visible_all and row.commune_code not in own_communes:
            continue
        r = row.ranked
        out.append(
            {
                "commune": row.commune_code,
                "name": row.name,
                "rank": r.rank,
                "previous_rank": r.previous_rank,
                "rank_change": r.rank_change,
                "score_change": r.score_change,
                "score": _score(r.score, compact=True) if r.score else None,
                "received": row.counts["received"],
                "handled": row.counts["handled"],
            }
        )
    return {
        "province": province,
        "period": _period(the_period),
        **_legend(index.config()),
        "complete": visible_all,
        "ranked_communes": sum(1 for r in rows if r.ranked.rank is not None),
        "rows": out,
    }


@router.get("/reports/officers", summary="Work of each officer and productivity against the yearly targets")
def officers(request: HttpRequest, q: Query[ReportQuery]):
    unit, period, _filters = _context(request, q)
    rows = dashboards.officers(unit, period)
    return {
        "unit": _unit(unit),
        "period": _period(period),
        "rows": [
            {
                "center": r.extra["center"].pk,
                "user": r.extra["user"].pk,
                "name": r.label,
                "desk_officer": r.extra["desk_officer"],
                "target": r.extra["target"],
                "attainment": r.extra["attainment"],
                "ratings": r.extra["ratings"],
                **{
                    n: r.counts[n]
                    for n in (
                        "received",
                        "reception_supplement",
                        "reception_refused",
                        "handled",
                        "late",
                        "returned",
                    )
                },
            }
            for r in rows
        ],
    }


@router.get(
    "/reports/periodic", summary="Periodic report: received, handled early/on time/late, pending by field"
)
def periodic(request: HttpRequest, q: Query[ReportQuery]):
    unit, period, _filters = _context(request, q)
    report = exports.periodic_report(unit, period)

    def row(r):
        return {
            "label": r.label,
            "carried": r.carried,
            "received": r.received,
            "received_online": r.received_online,
            "handled": r.handled,
            "early": r.early,
            "on_time": r.on_time,
            "late": r.late,
            "withdrawn": r.withdrawn,
            "pending": r.pending,
        }

    return {
        "unit": _unit(unit),
        "period": _period(period),
        "rows": [row(r) for r in report.rows],
        "total": row(report.total),
    }
