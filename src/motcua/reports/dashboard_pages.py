"""The dashboards of a unit (`/bao-cao/<kind>/<key>/`): a province's, with the ranking of its
communes (its body kept a minute by `pagecache`), and a commune's or center's."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from motcua.dossiers.models import IntakeChannel

from . import charts, dashboards, index, pagecache, periods, selectors, tables
from .figures import Counts
from .panels import unit_panels
from .selectors import Filters, Unit
from .templatetags.report_tags import pct
from .views import _export, attach_links, list_url, unit_report


def _charts(
    unit: Unit, period: periods.Period, filters: Filters, trend, by_channel: dict, total: Counts
) -> dict:
    weeks = [f"{w:%d/%m}" for w, _c in trend]
    received = [c["received"] for _w, c in trend]
    handled = [c["handled"] for _w, c in trend]
    labels = dict(IntakeChannel.choices)
    channel_parts = [
        charts.Part(
            str(labels[ch]),
            by_channel.get(ch, Counts())["received"],
            list_url(unit, "received", period, filters, channel=ch),
        )
        for ch in IntakeChannel.values
    ]
    outcome_parts = [
        charts.Part(label, total[measure], list_url(unit, measure, period, filters))
        for measure, label in (("early", _("Early")), ("on_time", _("On time")), ("late", _("Late")))
    ]
    return {
        "trend_chart": charts.grouped_bars(
            weeks,
            [(_("Received"), received), (_("Handled"), handled)],
            title=_("Dossiers received and handled per week"),
            description=_("The last 12 weeks up to the end of the period; week starting on the date shown."),
        ),
        "trend_rows": list(trend),
        "channel_chart": charts.stacked_share(
            channel_parts, title=_("Dossiers received by channel"), percent_format=lambda v: pct(v, 0)
        ),
        "outcome_chart": charts.stacked_share(
            outcome_parts,
            title=_("Dossiers handled: early, on time, late"),
            percent_format=lambda v: pct(v, 0),
        ),
    }


def _channels_and_fields(unit: Unit, period: periods.Period, filters: Filters) -> tuple[dict, list]:
    """A dashboard's counters by channel (for the chart) and its rows by field, from one query."""
    pairs = selectors.counts_by(("field", "channel"), unit.center_ids, period.start, period.end, filters)
    rows = dashboards.breakdown(unit, period, "field", filters, found=selectors.collapse(pairs, 0))
    return selectors.collapse(pairs, 1), attach_links(rows, "field", unit, period, filters)


@unit_report
def unit_page(request: HttpRequest, unit: Unit, context: dict) -> HttpResponse:
    if unit.kind == "province":
        return _province(request, unit, context)
    return _local(request, unit, context)


def _province(request: HttpRequest, unit: Unit, context: dict) -> HttpResponse:
    """Dashboards show the whole unit: filters belong to the drill-down pages. The body is kept a
    minute (`pagecache`); exports are always computed."""
    context["filters"] = selectors.NO_FILTERS
    if request.GET.get("export"):
        return _province_export(request, unit, context)
    context["body"], context["as_of"] = pagecache.province_body(
        unit.key,
        list(request.GET.items()),
        lambda: render_to_string("reports/_province_body.html", _province_figures(unit, context), request),
    )
    return render(request, "reports/province.html", context)


def _province_figures(unit: Unit, context: dict) -> dict:
    period, filters = context["period"], context["filters"]
    data = dashboards.province_ranking(unit.province_code, period, centers=list(unit.centers))
    by_channel, fields = _channels_and_fields(unit, period, filters)
    total = dashboards.total_of(unit, fields)
    trend = dashboards.trend(unit, period, filters)
    return context | dict(
        total=total,
        score=index.score(data.inputs_for(unit.center_ids)),
        groups=index.config().groups,
        ranking=data.rows,
        fields=fields,
        ranked_count=sum(1 for r in data.rows if r.ranked.rank is not None),
        **_charts(unit, period, filters, trend, by_channel, total.counts),
    )


def _province_export(request: HttpRequest, unit: Unit, context: dict) -> HttpResponse:
    period = context["period"]
    data = dashboards.province_ranking(unit.province_code, period, centers=list(unit.centers))
    _by_channel, fields = _channels_and_fields(unit, period, context["filters"])
    subtitle = f"{unit.name} · {period.label}"
    table = {
        "ranking": lambda: tables.ranking_table(data.rows, index.config().groups, subtitle),
        "fields": lambda: tables.kpi_table(
            "linh-vuc", _("Figures by field"), _("Field"), fields, subtitle, dashboards.total_of(unit, fields)
        ),
        "index": lambda: tables.indicator_table(index.score(data.inputs_for(unit.center_ids)), subtitle),
    }.get(request.GET.get("table"))
    if table is None:
        raise Http404
    return _export(request, table(), unit, period)


def _local(request: HttpRequest, unit: Unit, context: dict) -> HttpResponse:
    period = context["period"]
    filters = context["filters"] = selectors.NO_FILTERS
    by_channel, fields = _channels_and_fields(unit, period, filters)
    total = dashboards.total_of(unit, fields)
    data = dashboards.province_ranking(unit.province_code, period)
    score = index.score(data.inputs_for(unit.center_ids))
    subtitle = f"{unit.name} · {period.label}"
    if request.GET.get("export"):
        table = {
            "fields": lambda: tables.kpi_table(
                "linh-vuc", _("Figures by field"), _("Field"), fields, subtitle, total
            ),
            "index": lambda: tables.indicator_table(score, subtitle),
        }.get(request.GET.get("table"))
        if table is None:
            raise Http404
        return _export(request, table(), unit, period)
    own, ranked_count = dashboards.rank_of(unit, period, data)
    trend = dashboards.trend(unit, period, filters)
    context.update(
        total=total,
        score=score,
        fields=fields,
        own_rank=own,
        ranked_count=ranked_count,
        province_visible=selectors.can_see_province(request.user, unit.province_code),
        panels=unit_panels(request, unit, period),  # e.g. the queue's arrivals and waits
        **_charts(unit, period, filters, trend, by_channel, total.counts),
    )
    return render(request, "reports/unit.html", context)
