"""Exports: any report table as CSV or Excel, the periodic report on the handling of
administrative procedures as PDF (A4, DejaVu Sans) and Excel, and the dossier lists behind the
numbers (built in the background, see tasks.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .figures import Counts
from .periods import Period
from .selectors import Filters, Unit

INT, PCT, DAYS, TEXT = "int", "pct", "days", "text"
EPOCH = date(2000, 1, 1)


@dataclass
class Table:
    """A table as the page shows it: columns (header, kind) and rows of plain values."""

    name: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[list] = field(default_factory=list)
    subtitle: str = ""

    @property
    def headers(self) -> list[str]:
        return [str(h) for h, _kind in self.columns]


def _csv_value(value, kind: str):
    if value is None:
        return ""
    if kind == PCT:
        return f"{value * 100:.1f}"
    if kind == DAYS:
        return f"{value:.2f}"
    return value


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte order mark (so that Excel reads Vietnamese right), comma-separated;
    percentages as numbers 0-100 with the unit in the header."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"{h} (%)" if kind == PCT else h for h, kind in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(v, kind) for v, (_h, kind) in zip(row, table.columns, strict=False)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = (table.name or "report")[:31]
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([table.subtitle])
    sheet.append(table.headers)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([None if v is None else v for v in row])
    for index, (header, kind) in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 40 if kind == TEXT else max(10, min(18, len(str(header)) + 2))
        number_format = {PCT: "0.0%", DAYS: "0.00", INT: "#,##0"}.get(kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=4, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "B4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(table: Table, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file extension)."""
    if fmt == "csv":
        return to_csv(table), "text/csv; charset=utf-8", "csv"
    if fmt == "xlsx":
        return to_xlsx(table), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    raise ValueError(fmt)


# -- the periodic report ---------------------------------------------------------------------------
@dataclass
class PeriodicRow:
    label: str
    carried: int
    received: int
    received_online: int
    handled: int
    early: int
    on_time: int
    late: int
    withdrawn: int
    pending: int

    @property
    def to_handle(self) -> int:
        return self.carried + self.received

    @property
    def received_direct(self) -> int:
        return self.received - self.received_online


@dataclass
class PeriodicReport:
    unit: Unit
    period: Period
    rows: list[PeriodicRow]
    total: PeriodicRow
    generated_at: datetime


def _row(label: str, before: Counts, during: Counts) -> PeriodicRow:
    carried = before["received"] - before["handled"] - before["withdrawn_pending"]
    pending = carried + during["received"] - during["handled"] - during["withdrawn_pending"]
    return PeriodicRow(
        label,
        carried,
        during["received"],
        during["received_online"],
        during["handled"],
        during["early"],
        during["on_time"],
        during["late"],
        during["withdrawn_pending"],
        pending,
    )


def periodic_report(unit: Unit, period: Period) -> PeriodicReport:
    """Received, handled (early / on time / late) and pending dossiers by field for a month or a
    quarter (or any period), with those carried over from before: carried + received = handled +
    withdrawn + pending. Three queries, from the rollups only."""
    filters = Filters()
    before = selectors.counts_by("field", unit.center_ids, EPOCH, period.start - timedelta(days=1), filters)
    during = selectors.counts_by("field", unit.center_ids, period.start, period.end, filters)
    names = selectors.field_names(set(before) | set(during))
    rows = [
        _row(names.get(k, "?"), before.get(k, Counts()), during.get(k, Counts()))
        for k in set(before) | set(during)
    ]
    rows = [r for r in rows if r.carried or r.received or r.handled or r.pending or r.withdrawn]
    rows.sort(key=lambda r: r.label)
    total = _row(_("Total"), Counts.total(before.values()), Counts.total(during.values()))
    return PeriodicReport(unit, period, rows, total, timezone.localtime())


def _periodic_columns() -> list[tuple[str, str]]:
    return [
        (_("Field"), TEXT),
        (_("Carried over"), INT),
        (_("Received online"), INT),
        (_("Received in person or by post"), INT),
        (_("Total to handle"), INT),
        (_("Handled"), INT),
        (_("Early"), INT),
        (_("On time"), INT),
        (_("Late"), INT),
        (_("Withdrawn"), INT),
        (_("Pending at the end"), INT),
    ]


def _periodic_values(r: PeriodicRow) -> list:
    return [
        r.label,
        r.carried,
        r.received_online,
        r.received_direct,
        r.to_handle,
        r.handled,
        r.early,
        r.on_time,
        r.late,
        r.withdrawn,
        r.pending,
    ]


def periodic_table(report: PeriodicReport) -> Table:
    title = _("Report on the handling of administrative procedures")
    return Table(
        "bao-cao-giai-quyet-tthc",
        title,
        _periodic_columns(),
        [_periodic_values(r) for r in report.rows] + [_periodic_values(report.total)],
        subtitle=f"{report.unit.name} · {report.period.label}",
    )


def periodic_pdf(report: PeriodicReport) -> bytes:
    """The periodic report on A4 landscape with DejaVu Sans embedded."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    from motcua.dossiers.slips.layout import FONT, FONT_BOLD, register_fonts

    register_fonts()
    out = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("Report on the handling of administrative procedures"),
        author="Một cửa",
    )
    title = ParagraphStyle("t", fontName=FONT_BOLD, fontSize=13, leading=17, alignment=TA_CENTER)
    sub = ParagraphStyle("s", fontName=FONT, fontSize=9.5, leading=13, alignment=TA_CENTER)
    cell = ParagraphStyle("c", fontName=FONT, fontSize=8, leading=10)
    head = ParagraphStyle("h", fontName=FONT_BOLD, fontSize=7.6, leading=9.5, alignment=TA_CENTER)
    note = ParagraphStyle("n", fontName=FONT, fontSize=7.5, leading=10, textColor=colors.HexColor("#444444"))

    def p(text, style=cell):
        return Paragraph(escape(str(text)), style)

    story = [
        p(_("Report on the handling of administrative procedures").upper(), title),
        p(
            f"{report.unit.name} — {report.period.label} "
            f"({report.period.start:%d/%m/%Y} – {report.period.end:%d/%m/%Y})",
            sub,
        ),
        Spacer(1, 5 * mm),
    ]
    header1 = [
        p(_("Field"), head),
        p(_("Dossiers to handle"), head),
        "",
        "",
        "",
        p(_("Handled"), head),
        "",
        "",
        "",
        p(_("Withdrawn"), head),
        p(_("Pending at the end"), head),
    ]
    header2 = [
        "",
        p(_("Carried over"), head),
        p(_("Received online"), head),
        p(_("Received in person or by post"), head),
        p(_("Total"), head),
        p(_("Total"), head),
        p(_("Early"), head),
        p(_("On time"), head),
        p(_("Late"), head),
        "",
        "",
    ]
    body = []
    for r in [*report.rows, report.total]:
        values = _periodic_values(r)
        body.append([p(values[0])] + [f"{v:,}".replace(",", ".") for v in values[1:]])
    widths = [62 * mm] + [19.5 * mm] * 10
    table = PdfTable([header1, header2, *body], colWidths=widths, repeatRows=2)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("FONT", (0, -1), (-1, -1), FONT_BOLD, 8),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
                ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#eeeeee")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f4f4f4")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 2), (-1, -1), "RIGHT"),
                ("SPAN", (0, 0), (0, 1)),
                ("SPAN", (1, 0), (4, 0)),
                ("SPAN", (5, 0), (8, 0)),
                ("SPAN", (9, 0), (9, 1)),
                ("SPAN", (10, 0), (10, 1)),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    for line in (
        _(
            "Carried over: received before the period and neither handled nor withdrawn at its start. "
            "Carried over + received = handled + withdrawn + pending at the end."
        ),
        _(
            "Handled: result ready, or refused after reception; early, on time or late against the "
            "appointment. Intakes not received (supplements asked for or refused at reception) "
            "are not dossiers."
        ),
        _("Generated by Một cửa on %(at)s from the report rollups.")
        % {"at": report.generated_at.strftime("%d/%m/%Y %H:%M")},
    ):
        story.append(p(line, note))
    doc.build(story)
    return out.getvalue()


# -- dossier lists -----------------------------------------------------------------------------------
def dossier_columns() -> list[tuple[str, str]]:
    return [
        (_("Dossier code"), TEXT),
        (_("Procedure"), TEXT),
        (_("Field"), TEXT),
        (_("Channel"), TEXT),
        (_("Time of reception"), TEXT),
        (_("Appointment"), TEXT),
        (_("Finished at"), TEXT),
        (_("State"), TEXT),
        (_("Outcome"), TEXT),
        (_("Handling center"), TEXT),
    ]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def dossier_rows(dossiers: Iterable) -> Iterable[list]:
    for d in dossiers:
        yield [
            d.code or f"#{d.pk}",
            d.procedure_version.name,
            d.field.name,
            str(d.get_channel_display()),
            _when(d.received_at),
            _when(d.due_at),
            _when(d.finished_at),
            str(d.get_state_display()),
            str(d.get_outcome_display()) if d.outcome else "",
            d.center.name,
        ]


def stream_table(
    name: str, title: str, columns: Sequence[tuple[str, str]], rows: Iterable[list], fmt: str, target
) -> int:
    """Write a possibly large table to a binary file-like `target` without holding it in memory
    (CSV row by row; Excel in write-only mode). Returns the number of rows."""
    count = 0
    if fmt == "csv":
        target.write("\ufeff".encode())
        text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow([str(h) for h, _k in columns])
        for row in rows:
            writer.writerow(row)
            count += 1
        text.detach()
        return count
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(name[:31] or "export")
    sheet.append([title])
    sheet.append([str(h) for h, _k in columns])
    for row in rows:
        sheet.append(row)
        count += 1
    book.save(target)
    return count
