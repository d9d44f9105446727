"""The report tables as plain rows (for CSV and Excel), built from what the pages show."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .exports import DAYS, INT, PCT, TEXT, Table


def kpi_columns(first: str) -> list[tuple[str, str]]:
    return [
        (first, TEXT),
        (_("Received"), INT),
        (_("Online"), PCT),
        (_("Handled"), INT),
        (_("Early"), INT),
        (_("On time"), INT),
        (_("Late"), INT),
        (_("Early or on time"), PCT),
        (_("In progress"), INT),
        (_("Overdue now"), INT),
        (_("Supplement requests"), INT),
        (_("Refused"), INT),
        (_("Withdrawn"), INT),
        (_("Average processing time (working days)"), DAYS),
        (_("Digitized"), PCT),
        (_("Results issued electronically"), PCT),
    ]


def kpi_values(label: str, counts, figures) -> list:
    return [
        label,
        counts["received"],
        figures["online_share"],
        counts["handled"],
        counts["early"],
        counts["on_time"],
        counts["late"],
        figures["in_time_share"],
        counts["in_progress"],
        counts["overdue"],
        counts["supplement_requests"],
        counts["refused"],
        counts["withdrawn"],
        figures["average_days"],
        figures["digitized_share"],
        figures["electronic_share"],
    ]


def kpi_table(name: str, title: str, first: str, rows, subtitle: str = "", total=None) -> Table:
    values = [
        kpi_values(
            r.label if not r.code or name != "procedures" else f"{r.code} {r.label}", r.counts, r.figures
        )
        for r in rows
    ]
    if total is not None:
        values.append(kpi_values(_("Total"), total.counts, total.figures))
    return Table(name, title, kpi_columns(first), values, subtitle)


def _group_points(score, key: str) -> float | None:
    """A group's points, or None (an empty cell) when none of its indicators had data: the page
    shows "—" there, and a file must not say 0.00 where the page says "no data"."""
    found = next((gs for gs in score.groups if gs.spec.key == key), None) if score else None
    return found.points if found is not None and found.computable else None


def ranking_table(rows, groups, subtitle: str = "") -> Table:
    columns = [
        (_("Rank"), INT),
        (_("Commune or ward"), TEXT),
        (_("Score (of 100)"), DAYS),
        (_("Points computable"), DAYS),
    ]
    columns += [(str(g.label), DAYS) for g in groups]
    columns += [
        (_("Rank in the previous period"), INT),
        (_("Change in rank"), INT),
        (_("Change in score"), DAYS),
    ]
    values = []
    for row in rows:
        score = row.ranked.score
        line = [row.ranked.rank, row.name, score.total if score else None, score.coverage if score else None]
        line += [_group_points(score, g.key) for g in groups]
        line += [row.ranked.previous_rank, row.ranked.rank_change, row.ranked.score_change]
        values.append(line)
    return Table("xep-hang", _("Service index ranking of communes"), columns, values, subtitle)


def indicator_table(score, subtitle: str = "") -> Table:
    columns = [
        (_("Group"), TEXT),
        (_("Indicator"), TEXT),
        (_("Value"), PCT),
        (_("Full points at"), PCT),
        (_("Points"), DAYS),
        (_("Maximum"), DAYS),
        (_("Note"), TEXT),
    ]
    values = []
    for group in score.groups:
        for item in group.indicators:
            values.append(
                [
                    str(group.spec.label),
                    str(item.spec.label),
                    item.value.ratio if item.value.status == "ok" else None,  # as on the page
                    item.spec.threshold,
                    item.points,
                    item.max_points,
                    str(item.value.note or ""),
                ]
            )
    return Table("chi-so", _("Service index"), columns, values, subtitle)


def officer_table(rows, subtitle: str = "") -> Table:
    columns = [
        (_("Officer"), TEXT),
        (_("Service center"), TEXT),
        (_("Received"), INT),
        (_("Supplements asked at reception"), INT),
        (_("Refused at reception"), INT),
        (_("Returned"), INT),
        (_("Handled"), INT),
        (_("Late"), INT),
        (_("Target for the period"), DAYS),
        (_("Attainment"), PCT),
    ]
    values = [
        [
            r.label,
            r.extra["center"].name,
            r.counts["received"],
            r.counts["reception_supplement"],
            r.counts["reception_refused"],
            r.counts["returned"],
            r.counts["handled"],
            r.counts["late"],
            r.extra["target"],
            r.extra["attainment"],
        ]
        for r in rows
    ]
    return Table("can-bo", _("Staff productivity"), columns, values, subtitle)
