"""The declaration (tờ khai) as an A4 PDF in the official forms' layout, filled or blank.

National motto header, title, "Kính gửi", the fields by section as "Label: value" lines (a blank
value prints as a dotted line to write on), the commitment, place and date, and the signature
block: the citizen's drawn signature when there is one, else room for a handwritten one. Built
with the slips' machinery (reportlab, the vendored DejaVu Sans, NFC text).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    HRFlowable,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from motcua.catalog.eform import DEFAULT_COMMITMENT, FormSpec, sections
from motcua.core.text import nfc
from motcua.dossiers.slips.layout import FONT, FONT_BOLD, esc, register_fonts, signature_row
from motcua.dossiers.slips.vi import place_date

from .signature import picture_size

PAGE = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 12 * mm, 14 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X
DOTS = "……………………………………"
GREY = colors.HexColor("#555555")


def _style(name, size=10.5, *, bold=False, align=TA_LEFT, before=0, after=2, color=colors.black):
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=size * 1.3,
        alignment=align,
        spaceBefore=before,
        spaceAfter=after,
        textColor=color,
    )


class Styles:
    motto = _style("ef-motto", 11.5, bold=True, align=TA_CENTER, after=0)
    title = _style("ef-title", 14, bold=True, align=TA_CENTER, before=8, after=4)
    addressee = _style("ef-addressee", 11, align=TA_CENTER, after=8)
    section = _style("ef-section", 10.5, bold=True, before=5, after=1.5)
    line = _style("ef-line", 10.5, after=2)
    body = _style("ef-body", 10.5, align=TA_JUSTIFY, before=6, after=3)
    place = _style("ef-place", 10.5, align=TA_CENTER)
    sign_title = _style("ef-sign-title", 11, bold=True, align=TA_CENTER, after=0)
    sign_hint = _style("ef-sign-hint", 9.5, align=TA_CENTER, color=GREY, after=0)
    sign_name = _style("ef-sign-name", 11, bold=True, align=TA_CENTER)
    note = _style("ef-note", 8, color=GREY)


def _p(markup: str, style: ParagraphStyle) -> Paragraph:
    register_fonts()
    return Paragraph(nfc(markup), style)


@dataclass(frozen=True)
class Paper:
    """What the page says around the fields; a blank form leaves place and date to write."""

    addressee: str = ""
    place: str = ""
    on: date | None = None
    footer: str = ""
    signer_title: str = "NGƯỜI YÊU CẦU"


def _line(label: str, value: str, dots: str = DOTS) -> Paragraph:
    text = esc(value)
    return _p(f"{esc(label)}: <b>{text}</b>" if text else f"{esc(label)}: {dots}", Styles.line)


def _short(f) -> bool:
    """Fields that share a line with their neighbour, as on the printed forms."""
    return f.type in ("date", "choice", "id_number") or (f.type == "text" and len(f.label) <= 14)


def _rows(fields, values: dict[str, str]) -> list:
    """One line per field, two short neighbours side by side."""
    out: list = []
    pending = None
    for f in fields:
        if not _short(f):
            if pending is not None:
                out.append(_line(pending.label, values.get(pending.key, "")))
                pending = None
            out.append(_line(f.label, values.get(f.key, "")))
        elif pending is None:
            pending = f
        else:
            pair = Table(
                [[_line(g.label, values.get(g.key, ""), DOTS[:14]) for g in (pending, f)]],
                colWidths=[WIDTH / 2] * 2,
            )
            pair.setStyle(PAIR)
            out.append(pair)
            pending = None
    if pending is not None:
        out.append(_line(pending.label, values.get(pending.key, "")))
    return out


PAIR = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
)


def _signature_block(paper: Paper, name: str, signature: bytes | None) -> KeepTogether:
    when = place_date(paper.place, paper.on) if paper.place and paper.on else "……, ngày …… tháng …… năm ……"
    cell = [
        _p(esc(when), Styles.place),
        _p(esc(paper.signer_title), Styles.sign_title),
        _p("(Ký, ghi rõ họ, chữ đệm, tên)", Styles.sign_hint),
    ]
    if signature:
        width, height = picture_size(signature)
        box_w, box_h = 55 * mm, 24 * mm
        scale = min(box_w / width, box_h / height)
        cell.append(Spacer(1, 2 * mm))
        cell.append(Image(io.BytesIO(signature), width=width * scale, height=height * scale))
    else:
        cell.append(Spacer(1, 20 * mm))
    cell.append(_p(esc(name), Styles.sign_name))
    return KeepTogether([Spacer(1, 4 * mm), signature_row(["", cell], [WIDTH * 0.42, WIDTH * 0.58])])


def story(form: FormSpec, values: dict[str, str], paper: Paper, signature: bytes | None = None) -> list:
    out = [
        _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Styles.motto),
        _p("Độc lập - Tự do - Hạnh phúc", Styles.motto),
        HRFlowable(width="34%", thickness=0.7, color=colors.black, spaceBefore=2, spaceAfter=4),
        _p(esc(form.title), Styles.title),
        _p(f"Kính gửi: {esc(paper.addressee) or DOTS}", Styles.addressee),
    ]
    for heading, fields in sections(form):
        if heading:
            out.append(_p(esc(heading), Styles.section))
        out.extend(_rows(fields, values))
    out.append(_p(esc(form.commitment or DEFAULT_COMMITMENT), Styles.body))
    signer = values.get(form.signer, "") if form.signer else ""
    out.append(_signature_block(paper, signer, signature))
    return out


def render(
    form: FormSpec,
    values: dict[str, str] | None = None,
    paper: Paper | None = None,
    signature: bytes | None = None,
) -> bytes:
    """The PDF bytes; with no values, the blank form to fill by hand."""
    register_fonts()
    paper = paper or Paper()
    buffer = io.BytesIO()

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, 8 * mm, nfc(paper.footer))
        canvas.drawRightString(PAGE[0] - MARGIN_X, 8 * mm, f"Trang {doc.page}")
        canvas.restoreState()

    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        WIDTH,
        PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        title=nfc(form.title),
        author=nfc(paper.addressee),
        subject=nfc(paper.footer),
        creator="motcua",
        lang="vi",
        pageTemplates=[PageTemplate("declaration", frames=[frame], onPage=footer)],
    )
    doc.build(story(form, values or {}, paper, signature))
    return buffer.getvalue()
