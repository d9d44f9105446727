"""Charts as inline SVG, drawn on the server (pure): no script, no library, and readable on paper.

Series differ by pattern as well as by colour, so a black-and-white print still tells them apart;
every chart carries its numbers as text and an accessible name.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

# (fill colour, pattern) per series: solid, hatched, dotted, cross-hatched.
STYLES = (
    ("#0b57a4", "solid"),
    ("#b3261e", "hatch"),
    ("#1e6b3a", "dots"),
    ("#7a4b00", "cross"),
    ("#56626f", "solid"),
)


@dataclass(frozen=True)
class Part:
    label: str
    value: int
    href: str = ""


def _defs(prefix: str) -> str:
    out = []
    for index, (colour, pattern) in enumerate(STYLES):
        pid = f"{prefix}-p{index}"
        if pattern == "solid":
            continue
        if pattern == "hatch":
            body = '<path d="M0,6 L6,0" stroke="#fff" stroke-width="1.6"/>'
        elif pattern == "dots":
            body = '<circle cx="3" cy="3" r="1.3" fill="#fff"/>'
        else:
            body = '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#fff" stroke-width="1.2"/>'
        out.append(
            f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{colour}"/>{body}</pattern>'
        )
    return f"<defs>{''.join(out)}</defs>" if out else ""


def _fill(prefix: str, index: int) -> str:
    colour, pattern = STYLES[index % len(STYLES)]
    return colour if pattern == "solid" else f"url(#{prefix}-p{index % len(STYLES)})"


def _nice_max(value: int) -> int:
    """A top for the scale that splits into 4 whole steps of a round size."""
    step = max(1, -(-value // 4))
    magnitude = 10 ** (len(str(step)) - 1)
    for nice in (1, 2, 2.5, 5, 10):
        candidate = int(nice * magnitude)
        if candidate >= step and candidate == nice * magnitude:
            return candidate * 4
    return step * 4  # pragma: no cover


def swatch(index: int) -> str:
    """A small key of series `index` (its colour and pattern), for an HTML legend."""
    prefix = f"sw{next(_ids)}"
    colour, pattern = STYLES[index % len(STYLES)]
    defs = _defs(prefix) if pattern != "solid" else ""
    return (
        f'<svg class="swatch" width="16" height="12" aria-hidden="true" focusable="false">{defs}'
        f'<rect width="16" height="12" fill="{_fill(prefix, index)}" stroke="#1d2733" '
        'stroke-width="0.6"/></svg>'
    )


def legend(items: Sequence[tuple[str, str]]) -> str:
    """An HTML legend: (label markup, already escaped) per series, in order."""
    entries = "".join(f"<li>{swatch(i)} {label}</li>" for i, (label, _href) in enumerate(items))
    return f'<ul class="chart-legend">{entries}</ul>'


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    description: str = "",
) -> SafeString:
    """Vertical bars, one group per category (e.g. week) and one bar per series, with the value
    over each bar and an HTML legend."""
    prefix = f"chart{next(_ids)}"
    width, height = 560, 230
    left, right, top, bottom = 34, 6, 16, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max([0, *[v for _name, values in series for v in values]]))
    n = max(1, len(categories))
    group_w = plot_w / n
    bar_w = max(3.0, (group_w - 6) / max(1, len(series)))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-t {prefix}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{prefix}-t">{escape(title)}</title><desc id="{prefix}-d">{escape(description)}</desc>',
        _defs(prefix),
    ]
    for i in range(5):  # grid and scale: four whole steps
        value = peak * i // 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#c9d0d9"/>')
        parts.append(f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end" class="tick">{value}</text>')
    for c, label in enumerate(categories):
        x0 = left + c * group_w + 3
        for s, (_name, values) in enumerate(series):
            value = values[c] if c < len(values) else 0
            h = plot_h * value / peak if peak else 0
            x = x0 + s * bar_w
            y = top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{_fill(prefix, s)}" stroke="#1d2733" stroke-width="0.5"/>'
            )
            if value and bar_w >= 9:
                parts.append(
                    f'<text x="{x + (bar_w - 1) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                    f'class="value">{value}</text>'
                )
        parts.append(
            f'<text x="{x0 + (group_w - 6) / 2:.1f}" y="{height - bottom + 15}" text-anchor="middle" '
            f'class="tick">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#1d2733"/>'
    )
    parts.append("</svg>")
    keys = legend([(escape(name), "") for name, _values in series])
    return mark_safe(f'<figure class="chart-figure">{"".join(parts)}{keys}</figure>')


def stacked_share(parts_in: Sequence[Part], *, title: str, percent_format=None) -> SafeString:
    """One horizontal 100 % bar split by the parts; the HTML legend gives each count (a link to
    its list when the part has one) and share."""
    prefix = f"chart{next(_ids)}"
    total = sum(p.value for p in parts_in)
    width, bar_h = 560, 28
    out = [
        f'<svg class="chart chart-share" viewBox="0 0 {width} {bar_h}" role="img" '
        f'aria-labelledby="{prefix}-t" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{prefix}-t">{escape(title)}</title>',
        _defs(prefix),
    ]
    if total:
        x = 0.0
        for index, part in enumerate(parts_in):
            w = width * part.value / total
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{_fill(prefix, index)}" stroke="#fff" stroke-width="1"/>'
                )
            x += w
    else:
        out.append(f'<rect x="0" y="0" width="{width}" height="{bar_h}" fill="#f4f6f9" stroke="#d9dee5"/>')
    out.append("</svg>")
    items = []
    for part in parts_in:
        share = (part.value / total) if total else None
        pct = "—" if share is None else (percent_format(share) if percent_format else f"{share:.0%}")
        number = f'<a href="{escape(part.href)}">{part.value}</a>' if part.href else str(part.value)
        items.append((f"{escape(part.label)}: {number} ({pct})", part.href))
    return mark_safe(f'<figure class="chart-figure">{"".join(out)}{legend(items)}</figure>')
