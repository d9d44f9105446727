"""Formatting and links for the report pages: numbers the Vietnamese way, shares, days, and the
link from any number to the list of dossiers it counts."""

import functools
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django import template
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@functools.lru_cache(maxsize=32)
def _separators(language: str | None) -> dict[int, str]:
    """The active language's decimal and thousands separators, as a str.translate table."""
    return str.maketrans(
        {
            ".": get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
            ",": get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        }
    )


def localized(value, digits: int = 0, grouping: bool = True) -> str:
    """A number with `digits` decimals rounded half up (as the Excel exports show it) and the
    language's separators ("1.234,5" in Vietnamese); thousands grouped by three. Django's
    number_format cuts the decimals instead of rounding, and groups nothing for Vietnamese."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    number = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if not number:
        number = abs(number)  # no "-0,0"
    return format(number, ",f" if grouping else "f").translate(_separators(get_language()))


@register.filter
def num(value) -> str:
    if value is None or value == "":
        return "—"
    return localized(value, 0)


@register.filter
def pct(value, digits: int = 1) -> str:
    """A share 0..1 as a percentage ("85,3 %"); — when there is nothing to divide by."""
    if value is None:
        return "—"
    return f"{localized(value * 100, int(digits), grouping=False)} %"


@register.filter
def dec(value, digits: int = 2) -> str:
    if value is None:
        return "—"
    return localized(value, int(digits))


@register.filter
def signed(value) -> str:
    if value is None:
        return "—"
    text = localized(abs(value), 2 if isinstance(value, float) else 0, grouping=False)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


@register.filter
def median_text(median) -> str:
    if median is None:
        return "—"
    low = localized(median.low, 1, grouping=False)
    if median.high is None:
        return _("%(low)s or more") % {"low": low}
    return f"{low}–{localized(median.high, 1, grouping=False)}"


@register.filter
def get(mapping, key):
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.simple_tag(takes_context=True)
def listing(context, measure: str, ref=None, **overrides) -> str:
    """The address of the list of dossiers that the number `measure` counts: the page's unit,
    period and filters, with `overrides` (field=, procedure=, channel=, officer=; "" removes)."""
    from motcua.reports.views import list_url

    return list_url(ref or context["unit"], measure, context["period"], context["filters"], **overrides)


@register.simple_tag(takes_context=True)
def drill(context, ref=None, **overrides) -> str:
    """The drill-down page (next level) of the unit, with the page's period and filters."""
    from motcua.reports.views import query, unit_path

    unit = ref or context["unit"]
    params = {**context["period"].params(), **context["filters"].params()}
    for key, value in overrides.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return f"{unit_path(unit, 'reports:breakdown')}?{query(params)}"


@register.simple_tag(takes_context=True)
def unit_link(context, ref, name: str = "reports:unit") -> str:
    from motcua.reports.views import unit_path

    return f"{unit_path(ref, name)}?{urlencode(context['period'].params())}"


@register.simple_tag(takes_context=True)
def row_listing(context, measure: str, row, kind: str) -> str:
    """The list behind a number of a table row: a commune's or center's own unit, or the page's
    unit narrowed to the row's field, procedure or channel."""
    if kind == "commune":
        return listing(context, measure, ref=f"commune:{row.key}")
    if kind == "center":
        return listing(context, measure, ref=f"center:{row.key}")
    if kind in ("field", "procedure", "channel"):
        return listing(context, measure, **{kind: row.key})
    return listing(context, measure)


@register.simple_tag(takes_context=True)
def ranking_body(context, rows, groups) -> str:
    """The rows of the province ranking table (rank, commune, score, group scores, change), built
    in Python: a hundred communes make over a thousand cells, which the template engine would
    spend most of the page's time on."""
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe

    new = _("new")
    dash = '<td class="n">—</td>'

    def change(r) -> str:
        if r.rank_change is not None:
            css = "up" if r.rank_change > 0 else "down" if r.rank_change < 0 else ""
            return format_html(
                '<span class="{}">{}</span> <span class="note">({})</span>',
                css,
                signed(r.rank_change),
                signed(r.score_change),
            )
        return format_html('<span class="note">{}</span>', new) if r.rank else ""

    out = []
    for row in rows:
        r = row.ranked
        if r.score:
            cells = format_html_join(
                "",
                '<td class="n">{}</td>',
                ((dec(g.points, 1) if g.computable else "—",) for g in r.score.groups),
            )
        else:
            cells = mark_safe(dash * len(groups))  # noqa: S308 - a constant cell
        out.append(
            format_html(
                '<tr><td class="n">{}</td><th scope="row"><a href="{}">{}</a></th>'
                '<td class="n"><strong>{}</strong></td>{}<td class="n">{}</td></tr>',
                r.rank or "—",
                unit_link(context, f"commune:{row.commune_code}"),
                row.name,
                dec(r.score.total, 2) if r.score else "—",
                cells,
                change(r),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every part went through format_html
