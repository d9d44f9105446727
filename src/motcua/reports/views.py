"""Report pages: the leader's dashboard of a center (or commune), the province dashboard with the
ranking, the drill-down by field and procedure, the dossiers behind any number, staff
productivity, the periodic report, and exports. Thin: parse, read through dashboards/selectors,
render. Every page reads rollups and indexed gauges only (a fixed number of queries).
"""

from __future__ import annotations

import functools
import re
from datetime import timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.core.errors import DomainError, NotFound
from motcua.staff.access import staff_required

from . import (
    dashboards,
    exports,
    filenames,
    periods,
    read_audit,
    selectors,
    services,
    tables,
)
from .models import Export, ExportStatus
from .selectors import Filters, Unit

KIND_SLUGS = {"province": "tinh", "commune": "xa", "center": "trung-tam"}
SLUG_KINDS = {v: k for k, v in KIND_SLUGS.items()}
PAGE_SIZE = 50


@functools.lru_cache(maxsize=4096)
def _path(name: str, kind: str, key: str, prefix: str) -> str:
    return reverse(name, kwargs={"kind": KIND_SLUGS[kind], "key": key})


def unit_path(unit_or_ref, name: str = "reports:unit") -> str:
    ref = unit_or_ref.ref if isinstance(unit_or_ref, Unit) else unit_or_ref
    kind, _sep, key = ref.partition(":")
    return _path(name, kind, key, get_script_prefix())


_PLAIN = re.compile(r"[A-Za-z0-9_.:-]*")


def query(params: dict) -> str:
    """urlencode for the few plain values these links carry (dates, ids, names), quoting only
    what needs it: a dashboard builds over a thousand links."""
    return "&".join(
        f"{k}={v}" if _PLAIN.fullmatch(v := str(value)) else urlencode({k: v}) for k, value in params.items()
    )


def list_url(unit_or_ref, measure: str, period: periods.Period, filters: Filters, /, **overrides) -> str:
    """The address of the list of dossiers that the number `measure` counts; `overrides` replace
    query parameters (`period=`, `on=`, `field=`...; "" removes one)."""
    params = {**period.params(), **filters.params(), "measure": measure}
    for key, value in overrides.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return f"{unit_path(unit_or_ref, 'reports:dossiers')}?{query(params)}"


KPI_LINKS = (
    "received",
    "received_online",
    "handled",
    "early",
    "on_time",
    "late",
    "in_progress",
    "overdue",
    "supplement_requests",
    "digitized",
)


def attach_links(rows, kind: str, unit: Unit, period: periods.Period, filters: Filters) -> list:
    """Give each table row the addresses of the lists behind its numbers (`row.links[measure]`):
    a commune's own lists, or the unit's narrowed to the row's field, procedure or channel.
    Built here rather than by a template tag per cell: a province table has a thousand of them."""
    for row in rows:
        if kind in ("commune", "center"):
            target, extra = f"{kind}:{row.key}", {}
        elif kind in ("field", "procedure", "channel"):
            target, extra = unit, {kind: row.key}
        else:
            target, extra = unit, {}
        row.links = {m: list_url(target, m, period, filters, **extra) for m in KPI_LINKS}
    return rows


def _period_choices():
    return [
        ("day", _("Day")),
        ("week", _("Week")),
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
        ("custom", _("Custom range")),
    ]


def _error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "reports/error.html", {"message": exc.message}, status=exc.status)


def _unit(request: HttpRequest, kind: str, key: str) -> Unit:
    if kind not in SLUG_KINDS:
        raise Http404
    try:
        return selectors.unit_for_user(request.user, f"{SLUG_KINDS[kind]}:{key}")
    except NotFound as exc:
        raise Http404(exc.message) from None


def _base(request: HttpRequest, unit: Unit) -> dict:
    """Period, filters and navigation shared by every report page of a unit."""
    today = timezone.localdate()
    period = periods.parse(request.GET, today=today)
    filters = selectors.filters_from(request.GET)
    previous = period.previous()
    following = (
        periods.containing(period.kind, period.end + timedelta(days=1))
        if period.kind != periods.Kind.CUSTOM
        else None
    )
    query = {**filters.params()}
    period_query = urlencode(period.params())
    crumbs = []
    if unit.kind != "province":
        province = unit.centers[0].commune.province
        href = None
        if selectors.can_see_province(request.user, province.pk):
            href = f"{unit_path(f'province:{province.pk}')}?{period_query}"
        crumbs.append((province.name, href))
    crumbs.append((unit.name, f"{unit_path(unit)}?{period_query}"))
    return {
        "crumbs": crumbs,
        "unit": unit,
        "unit_kind": KIND_SLUGS[unit.kind],
        "period": period,
        "filters": filters,
        "today": today,
        "period_choices": _period_choices(),
        "previous_query": urlencode({**previous.params(), **query}),
        "next_query": urlencode({**following.params(), **query})
        if following and following.start <= today
        else "",
        "period_query": period_query,
        "filter_query": urlencode(query),
        "unit_url": unit_path(unit),
    }


def unit_report(view):
    """A report page of a unit (`/bao-cao/<kind>/<key>/...`, GET): staff only, the unit looked up
    in the user's scope (404 outside it), the shared context from `_base`, and a domain error
    anywhere in the page (a bad period, filter or figure) shown as the error page."""

    @staff_required()
    @require_safe
    @functools.wraps(view)
    def page(request: HttpRequest, kind: str, key: str) -> HttpResponse:
        unit = _unit(request, kind, key)
        try:
            return view(request, unit, _base(request, unit))
        except DomainError as exc:
            return _error(request, exc)

    return page


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export(request: HttpRequest, table: exports.Table, unit: Unit, period: periods.Period) -> HttpResponse:
    fmt = request.GET.get("export")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content, content_type, ext = exports.render(table, fmt)
    name = filenames.export_name(table.name, unit.kind, unit.key, period.start, ext)
    read_audit.exported(request, unit, name)
    return _file(content, content_type, name)


@staff_required()
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    ref = selectors.default_unit_ref(request.user)
    if ref is None:
        return render(
            request,
            "reports/error.html",
            {"message": _("You have no service center to report on.")},
            status=403,
        )
    return redirect(unit_path(ref))


@unit_report
def breakdown_page(request: HttpRequest, unit: Unit, context: dict) -> HttpResponse:
    """One level of the drill-down: a unit's fields, a field's procedures, a procedure's channels."""
    period, filters = context["period"], context["filters"]
    by = request.GET.get("by")
    if by not in ("commune", "field", "procedure", "channel"):
        by = "channel" if filters.procedure_id else "procedure" if filters.field_id else "field"
    first, title = {
        "commune": (_("Commune or ward"), _("Figures by commune")),
        "field": (_("Field"), _("Figures by field")),
        "procedure": (_("Procedure"), _("Figures by procedure")),
        "channel": (_("Channel"), _("Figures by channel")),
    }[by]
    rows = attach_links(dashboards.breakdown(unit, period, by, filters), by, unit, period, filters)
    total = dashboards.total_of(unit, rows)
    field_name = procedure_name = ""
    if filters.field_id:
        field_name = selectors.field_names([filters.field_id]).get(filters.field_id, "?")
    if filters.procedure_id:
        code, name = selectors.procedure_names([filters.procedure_id]).get(filters.procedure_id, ("", "?"))
        procedure_name = f"{code} {name}".strip()
    if request.GET.get("export"):
        table = tables.kpi_table(
            {"channel": "kenh", "procedure": "thu-tuc", "field": "linh-vuc", "commune": "xa"}[by],
            title,
            first,
            rows,
            f"{unit.name} · {period.label}",
            total,
        )
        return _export(request, table, unit, period)
    context.update(
        by=by,
        first=first,
        title=title,
        rows=rows,
        total=total,
        field_name=field_name,
        procedure_name=procedure_name,
    )
    return render(request, "reports/breakdown.html", context)


MEASURE_LABELS = {
    "received": _("Dossiers received"),
    "received_online": _("Dossiers received online"),
    "reception_supplement": _("Intakes sent back for supplements at reception"),
    "reception_refused": _("Intakes refused at reception"),
    "handled": _("Dossiers handled"),
    "early": _("Dossiers handled early"),
    "on_time": _("Dossiers handled on time"),
    "late": _("Dossiers handled late"),
    "index_late": _("Dossiers late for the service index (late, or supplemented more than once)"),
    "multi_supplement": _("Dossiers handled after more than one supplement request"),
    "refused": _("Dossiers refused after reception"),
    "withdrawn": _("Dossiers withdrawn"),
    "withdrawn_pending": _("Dossiers withdrawn before they were handled"),
    "supplement_requests": _("Supplement requests during processing"),
    "returned": _("Results returned"),
    "returned_electronic": _("Results returned electronically"),
    "digitized": _("Dossiers received with scanned papers"),
    "reused_dossiers": _("Dossiers received with re-used papers"),
    "in_progress": _("Dossiers in progress now"),
    "overdue": _("Dossiers overdue now"),
}


def _measure_label(measure: str) -> str:
    return str(MEASURE_LABELS.get(measure, measure))


@unit_report
def dossier_list(request: HttpRequest, unit: Unit, context: dict) -> HttpResponse:
    """The dossiers (or supplement requests) behind one number, scoped to the user."""
    measure = request.GET.get("measure", "received")
    officer = selectors._int(request.GET.get("officer"), "officer")
    listing, qs = selectors.dossiers_behind(
        request.user, unit, measure, context["period"], context["filters"], officer_id=officer
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    if listing == "dossiers":
        items = [{"dossier": d, "at": None} for d in page.object_list]
    else:
        items = [{"dossier": e.dossier, "at": e.at} for e in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    context.update(
        measure=measure,
        measure_label=_measure_label(measure),
        page=page,
        items=items,
        listing=listing,
        officer=officer,
        list_query=params.urlencode(),
        gauge=measure in ("in_progress", "overdue"),
    )
    return render(request, "reports/dossiers.html", context)


@unit_report
def officers_page(request: HttpRequest, unit: Unit, context: dict) -> HttpResponse:
    period = context["period"]
    rows = dashboards.officers(unit, period)
    centers = dashboards.productivity(unit, period)
    if request.GET.get("export"):
        return _export(request, tables.officer_table(rows, f"{unit.name} · {period.label}"), unit, period)
    context.update(rows=rows, centers=centers)
    return render(request, "reports/officers.html", context)


@unit_report
def periodic_page(request: HttpRequest, unit: Unit, context: dict) -> HttpResponse:
    """The periodic report (a month by default, or a quarter) on screen, as PDF and as Excel."""
    report = exports.periodic_report(unit, context["period"])
    fmt = request.GET.get("export")
    name = filenames.export_name("bao-cao-tthc", unit.kind, unit.key, report.period.start, "x")[:-2]
    if fmt == "pdf":
        read_audit.exported(request, unit, f"{name}.pdf")
        return _file(exports.periodic_pdf(report), "application/pdf", f"{name}.pdf")
    if fmt in ("xlsx", "csv"):
        content, content_type, ext = exports.render(exports.periodic_table(report), fmt)
        read_audit.exported(request, unit, f"{name}.{ext}")
        return _file(content, content_type, f"{name}.{ext}")
    context.update(report=report)
    return render(request, "reports/periodic.html", context)


@staff_required()
@require_POST
def export_request(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Ask for the dossier list behind a number as a file, built in the background."""
    unit = _unit(request, kind, key)
    try:
        export = services.export_request(
            user=request.user,
            unit=unit,
            params=request.POST.dict(),
            fmt=request.POST.get("fmt", "xlsx"),
            title=_measure_label(request.POST.get("measure", "")),
        )
    except DomainError as exc:
        return _error(request, exc)
    return redirect(f"{reverse('reports:exports')}#export-{export.pk}")


@staff_required()
@require_http_methods(["GET", "HEAD"])
def exports_page(request: HttpRequest) -> HttpResponse:
    items = list(Export.objects.filter(user=request.user).order_by("-created_at")[:30])
    pending = any(e.status == ExportStatus.PENDING for e in items)
    return render(request, "reports/exports.html", {"items": items, "pending": pending})


@staff_required()
@require_safe
def export_download(request: HttpRequest, pk) -> HttpResponse:
    try:
        export = services.export_for_user(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    handle = export.file.open("rb")
    read_audit.export_downloaded(request, export)
    return FileResponse(
        handle, as_attachment=True, filename=export.params.get("filename") or export.file.name
    )
