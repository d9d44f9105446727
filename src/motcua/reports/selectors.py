"""Reads for reports, always through a `Unit` the user may see.

Counts come from the rollups only (a period splits into month rows and at most two runs of day
rows); "in progress now" is all-time rollup sums and "overdue now" an indexed count of the
overdue dossiers. `dossiers_behind` lists the dossiers that any number counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.text import ascii_int

from .deltas import RETURN_ACTIONS
from .figures import Counts
from .models import ALL_COUNTERS, OFFICER_COUNTERS, CenterRollup, OfficerRollup, Rollup, UnitRollup
from .periods import Grain, Period, segments
from .units import Unit, can_see_province, default_unit_ref, unit_for_user  # noqa: F401 - the reports' API

ACTIVE_STATES = ("received", "in_progress", "supplement_requested", "interagency")
RUNNING_STATES = ("received", "in_progress", "interagency")  # the clock runs (not paused for supplements)
SIDES = ("handling", "receiving")


# -- filters ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    side: str = "handling"
    field_id: int | None = None
    procedure_id: int | None = None
    channel: str | None = None

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValidationFailed(_("Side is handling or receiving."), field="side")

    @property
    def center_column(self) -> str:
        return "center_id" if self.side == "handling" else "receiving_center_id"

    def params(self) -> dict[str, str]:
        out = {}
        if self.side != "handling":
            out["side"] = self.side
        if self.field_id:
            out["field"] = str(self.field_id)
        if self.procedure_id:
            out["procedure"] = str(self.procedure_id)
        if self.channel:
            out["channel"] = self.channel
        return out


NO_FILTERS = Filters()


def _int(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return ascii_int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("%(name)s must be a number.") % {"name": name}, field=name) from None


def filters_from(params) -> Filters:
    from motcua.dossiers.models import IntakeChannel

    channel = (params.get("channel") or "").strip() or None
    if channel and channel not in IntakeChannel.values:
        raise ValidationFailed(_("Unknown channel %(channel)s.") % {"channel": channel}, field="channel")
    return Filters(
        side=(params.get("side") or "handling").strip(),
        field_id=_int(params.get("field"), "field"),
        procedure_id=_int(params.get("procedure"), "procedure"),
        channel=channel,
    )


# -- counters from the rollups ------------------------------------------------------------------
GROUPS = {"center": None, "field": "field_id", "procedure": "procedure_id", "channel": "channel"}


def _period_q(start: date, end: date) -> Q:
    q = Q(pk__in=[])
    for grain, first, last in segments(start, end):
        q |= Q(grain=grain, period__gte=first, period__lte=last)
    return q


def _rollups(center_ids, filters: Filters, by: str | tuple[str, ...] | None = None) -> QuerySet:
    """The rollup rows of these centers from the smallest table that has what is asked: per
    center, per center × field × channel, or the detailed one (procedures, receiving side)."""
    groups = {by} if isinstance(by, str) else set(by or ())
    if filters.side != "handling" or filters.procedure_id or "procedure" in groups:
        model = Rollup
    elif filters.field_id or filters.channel or groups & {"field", "channel"}:
        model = UnitRollup
    else:
        model = CenterRollup
    qs = model.objects.filter(**{f"{filters.center_column}__in": list(center_ids)})
    if filters.field_id:
        qs = qs.filter(field_id=filters.field_id)
    if filters.procedure_id:
        qs = qs.filter(procedure_id=filters.procedure_id)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    return qs


def _group_column(by: str, filters: Filters) -> str:
    if by not in GROUPS:
        raise ValidationFailed(_("Unknown grouping %(by)s.") % {"by": by}, field="by")
    return GROUPS[by] or filters.center_column


_SUMS = {name: Sum(name) for name in ALL_COUNTERS}


def counts(center_ids, start: date, end: date, filters: Filters = NO_FILTERS) -> Counts:
    """The counters of these centers over [start, end] (one query)."""
    return Counts.of(_rollups(center_ids, filters).filter(_period_q(start, end)).aggregate(**_SUMS))


def counts_by(
    by: str | tuple[str, ...], center_ids, start: date, end: date, filters: Filters = NO_FILTERS
) -> dict:
    """{center / field / procedure id or channel: counters} over [start, end] (one query); with
    several groupings, e.g. ("field", "channel"), keyed by tuples."""
    names = (by,) if isinstance(by, str) else tuple(by)
    columns = [_group_column(name, filters) for name in names]
    rows = (
        _rollups(center_ids, filters, by)
        .filter(_period_q(start, end))
        .values(*columns)
        .annotate(**_SUMS)
        .order_by()
    )
    if isinstance(by, str):
        return {row.pop(columns[0]): Counts.of(row) for row in rows}
    return {tuple(row.pop(c) for c in columns): Counts.of(row) for row in rows}


def collapse(found: dict, position: int) -> dict:
    """{key at `position` of the tuple keys: the sum of their counters} (a counts_by of several
    groupings read by one of them)."""
    result: dict = {}
    for key, counts in found.items():
        result[key[position]] = result.get(key[position], Counts()) + counts
    return result


def weekly(center_ids, weeks: list[date], filters: Filters = NO_FILTERS) -> dict[date, Counts]:
    """{Monday: counters of that ISO week} from the week rows (one query; a range of periods, which
    an index scans better than a list of Mondays)."""
    names = ("received", "received_online", "handled", "early", "on_time", "late")
    rows = (
        _rollups(center_ids, filters)
        .filter(grain=Grain.WEEK, period__gte=min(weeks), period__lte=max(weeks))
        .values("period")
        .annotate(**{n: Sum(n) for n in names})
        .order_by()
    )
    found = {row.pop("period"): Counts.of(row) for row in rows}
    return {week: found.get(week, Counts()) for week in weeks}


def officer_counts(center_ids, start: date, end: date) -> dict[tuple[int, int], Counts]:
    """{(center, user): counters} of the officers' work in these centers (one query)."""
    rows = (
        OfficerRollup.objects.filter(center_id__in=list(center_ids))
        .filter(_period_q(start, end))
        .values("center_id", "user_id")
        .annotate(**{n: Sum(n) for n in OFFICER_COUNTERS})
        .order_by()
    )
    return {(row.pop("center_id"), row.pop("user_id")): Counts.of(row) for row in rows}


# -- gauges: in progress now, overdue now ----------------------------------------------------------
# "In progress now" is what was ever received and not yet handled or withdrawn: all-time sums of
# three counters, read from the year rows (a few per center), so it costs the same whatever the
# number of dossiers open. "Overdue now" depends on the clock: a count on the dossiers table's
# (center, state, due_at) index that only visits the overdue dossiers.
GAUGE_GROUPS = {
    "center": None,
    "field": "field_id",
    "procedure": "procedure_version__procedure_id",
    "channel": "channel",
}
_OPEN = {name: Sum(name) for name in ("received", "handled", "withdrawn_pending")}


def _open_now(row: dict) -> int:
    return int(row["received"] or 0) - int(row["handled"] or 0) - int(row["withdrawn_pending"] or 0)


def _overdue_qs(center_ids, filters: Filters, now: datetime | None) -> QuerySet:
    from motcua.dossiers.models import Dossier

    qs = Dossier.objects.filter(
        **{f"{filters.center_column}__in": list(center_ids)},
        state__in=RUNNING_STATES,
        due_at__lt=now or timezone.now(),
    )
    return _narrowed(qs, filters)


def _narrowed(dossiers: QuerySet, filters: Filters) -> QuerySet:
    """Dossiers of the filters' field, procedure and channel (the side is the caller's)."""
    if filters.field_id:
        dossiers = dossiers.filter(field_id=filters.field_id)
    if filters.procedure_id:
        dossiers = dossiers.filter(procedure_version__procedure_id=filters.procedure_id)
    if filters.channel:
        dossiers = dossiers.filter(channel=filters.channel)
    return dossiers


def gauges(center_ids, filters: Filters = NO_FILTERS, now: datetime | None = None) -> Counts:
    """Dossiers in progress now and overdue now (two small queries)."""
    ever = _rollups(center_ids, filters).filter(grain=Grain.YEAR).aggregate(**_OPEN)
    return Counts(in_progress=_open_now(ever), overdue=_overdue_qs(center_ids, filters, now).count())


def gauges_by(by: str, center_ids, filters: Filters = NO_FILTERS, now: datetime | None = None) -> dict:
    """{center / field / procedure id or channel: gauges} (two small queries)."""
    if by not in GAUGE_GROUPS:
        raise ValidationFailed(_("Unknown grouping %(by)s.") % {"by": by}, field="by")
    column = _group_column(by, filters)
    result: dict = {}
    rows = (
        _rollups(center_ids, filters, by).filter(grain=Grain.YEAR).values(column).annotate(**_OPEN).order_by()
    )
    for row in rows:
        if in_progress := _open_now(row):
            result[row[column]] = Counts(in_progress=in_progress)
    dossier_column = GAUGE_GROUPS[by] or filters.center_column
    overdue = _overdue_qs(center_ids, filters, now).values(dossier_column).annotate(n=Count("*")).order_by()
    for row in overdue:
        result.setdefault(row[dossier_column], Counts())["overdue"] = row["n"]
    return result


# -- the catalog --------------------------------------------------------------------------------
def procedures_online_on(days) -> dict[date, tuple[int, int]]:
    """{day: (procedures offered online, procedures in force)} (one query): each procedure by its
    version in force that day, online when that version lists full or partial online filing."""
    from motcua.catalog.models import ProcedureVersion

    days = sorted(set(days))
    rows = list(
        ProcedureVersion.objects.filter(effective_from__lte=days[-1]).values_list(
            "procedure_id", "effective_from", "effective_to", "channels"
        )
    )
    result = {}
    for day in days:
        latest: dict[int, tuple] = {}
        for procedure_id, effective_from, effective_to, channels in rows:
            if effective_from > day or (effective_to is not None and effective_to < day):
                continue
            if procedure_id not in latest or effective_from > latest[procedure_id][0]:
                latest[procedure_id] = (effective_from, channels or [])
        online = sum(
            1 for _f, channels in latest.values() if {"online_full", "online_partial"} & set(channels)
        )
        result[day] = (online, len(latest))
    return result


def procedures_online(on: date) -> tuple[int, int]:
    return procedures_online_on([on])[on]


def procedure_names(ids) -> dict[int, tuple[str, str]]:
    """{procedure id: (national code, name of its latest version)} (one query)."""
    from motcua.catalog.models import ProcedureVersion

    names: dict[int, tuple[str, str]] = {}
    rows = (
        ProcedureVersion.objects.filter(procedure_id__in=list(ids))
        .order_by("procedure_id", "effective_from")
        .values_list("procedure_id", "procedure__national_code", "name")
    )
    for procedure_id, code, name in rows:
        names[procedure_id] = (code, name)
    return names


def field_names(ids) -> dict[int, str]:
    from motcua.catalog.models import Field

    return dict(Field.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


# -- the dossiers behind a number ---------------------------------------------------------------
# measure: how the list that a counter counts is selected.
LIST_MEASURES = (
    "received",
    "received_online",
    "reception_supplement",
    "reception_refused",
    "handled",
    "early",
    "on_time",
    "late",
    "index_late",
    "multi_supplement",
    "refused",
    "withdrawn",
    "withdrawn_pending",
    "supplement_requests",
    "returned",
    "returned_electronic",
    "digitized",
    "reused_dossiers",
    "in_progress",
    "overdue",
)
OFFICER_MEASURES = ("received", "reception_supplement", "reception_refused", "handled", "late", "returned")


def finish_q() -> Q:
    """The events that finish a dossier (`deltas.is_finish` as a filter on events)."""
    return Q(action="refuse") | Q(action__in=("forward", "approve"), to_state="result_ready")


def _event_q(measure: str) -> Q | None:
    """Which events mark a dossier for `measure` (None: the measure is not about events)."""
    return {
        "received": Q(action__in=("intake", "receive"), to_state="received"),
        "reception_supplement": Q(
            action__in=("intake", "reception_supplement"), to_state="reception_supplement"
        ),
        "reception_refused": Q(action__in=("intake", "reception_refuse"), to_state="reception_refused"),
        "handled": finish_q(),
        "late": finish_q(),
        "refused": Q(action="refuse"),
        "withdrawn": Q(action="withdraw"),
        "withdrawn_pending": Q(action="withdraw", from_state__in=ACTIVE_STATES),
        "returned": Q(action__in=RETURN_ACTIONS),
        "returned_electronic": Q(action__in=RETURN_ACTIONS),
    }.get(measure)


def dossiers_behind(
    user,
    unit: Unit,
    measure: str,
    period: Period,
    filters: Filters = NO_FILTERS,
    *,
    officer_id: int | None = None,
    now: datetime | None = None,
):
    """(kind, queryset) of what the number `measure` of `unit` counts: dossiers, or for
    supplement requests the request events. Scoped by the user's dossiers."""
    from motcua.dossiers.models import Document, DossierEvent
    from motcua.dossiers.selectors import dossiers_for_user

    if measure not in LIST_MEASURES:
        raise ValidationFailed(_("Unknown figure %(m)s.") % {"m": measure}, field="measure")
    start, end = period.instants()
    base = _narrowed(dossiers_for_user(user), filters)

    def events(q: Q) -> QuerySet:
        return DossierEvent.objects.filter(q, dossier=OuterRef("pk"), at__gte=start, at__lt=end)

    if officer_id is not None:
        if measure not in OFFICER_MEASURES:
            raise ValidationFailed(_("This figure is not kept per officer."), field="measure")
        q = _event_q(measure) & Q(actor_id=officer_id, center_id__in=unit.center_ids)
        qs = base.filter(Exists(events(q)))
        if measure == "late":
            qs = qs.filter(outcome="late")
        return "dossiers", qs.order_by("-id")

    qs = base.filter(**{f"{filters.center_column}__in": unit.center_ids})
    if measure == "supplement_requests":
        requests = (
            DossierEvent.objects.filter(
                action="request_supplement", at__gte=start, at__lt=end, dossier__in=qs
            )
            .select_related("dossier__procedure_version", "dossier__center")
            .order_by("-at", "-id")
        )
        return "events", requests
    if measure in ("in_progress", "overdue"):
        qs = qs.filter(state__in=ACTIVE_STATES)
        if measure == "overdue":
            qs = qs.filter(state__in=RUNNING_STATES, due_at__lt=now or timezone.now())
        return "dossiers", qs.order_by("due_at", "id")
    received = Q(counted=True, received_at__gte=start, received_at__lt=end)
    if measure == "received":
        qs = qs.filter(received)
    elif measure == "received_online":
        qs = qs.filter(received, channel="online")
    elif measure == "digitized":
        qs = qs.filter(received, Exists(Document.objects.filter(dossier=OuterRef("pk"), kind="scan")))
    elif measure == "reused_dossiers":
        qs = qs.filter(
            received,
            Exists(Document.objects.filter(dossier=OuterRef("pk"), kind="scan", reused_from__isnull=False)),
        )
    elif measure in ("early", "on_time", "late"):
        qs = qs.filter(Exists(events(finish_q())), outcome=measure)
    elif measure == "index_late":
        qs = qs.filter(Exists(events(finish_q()))).filter(Q(outcome="late") | Q(supplement_count__gt=1))
    elif measure == "multi_supplement":
        qs = qs.filter(Exists(events(finish_q())), supplement_count__gt=1)
    else:
        qs = qs.filter(Exists(events(_event_q(measure))))
        if measure in ("withdrawn", "withdrawn_pending"):
            qs = qs.filter(counted=True)
        if measure == "returned_electronic":
            qs = qs.filter(return_method="electronic")
    return "dossiers", qs.order_by("-id")
