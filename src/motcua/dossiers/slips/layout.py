"""The page of a slip (reportlab platypus): A5 portrait, DejaVu Sans embedded, the official header,
title, code and QR block, field lines, tables and signature blocks.

Every piece of text goes through `esc` (NFC, then XML-escaped for reportlab's paragraph markup),
so text typed as NFD on some keyboards prints with precomposed glyphs and extracts as NFC.
"""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from motcua.core.text import nfc

FONT = "MotcuaDejaVuSans"
FONT_BOLD = "MotcuaDejaVuSans-Bold"
FONTS_DIR = Path(__file__).resolve().parents[2] / "core" / "fonts"

PAGE = A5  # 148 x 210 mm, as the slips of Circular 01/2018
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 12 * mm, 7 * mm, 10 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X
QR_SIZE = 19 * mm  # still read at arm's length from a 300 dpi print
GREY = colors.HexColor("#555555")

_font_lock = threading.Lock()
_fonts_ready = False


def register_fonts() -> None:
    """Registers the vendored DejaVu Sans once per process (parsing the TTF files is the slow
    part); reportlab embeds the subset of glyphs each PDF uses, with a ToUnicode map."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _font_lock:
        if _fonts_ready:
            return
        pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
        # No oblique face is vendored: <i> falls back to the upright one rather than failing.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
        # Binary streams instead of ASCII85: smaller files and a few milliseconds less per slip
        # (the pure-Python encoder is slow on the embedded font subsets).
        rl_config.useA85 = 0
        _fonts_ready = True


def esc(value) -> str:
    """Text for paragraph markup: NFC, trimmed, XML-escaped."""
    return escape(nfc("" if value is None else str(value)))


def _style(
    name: str,
    size: float = 9,
    *,
    bold: bool = False,
    align=TA_LEFT,
    leading: float | None = None,
    before: float = 0,
    after: float = 0,
    color=colors.black,
    indent: float = 0,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=leading or size * 1.32,
        alignment=align,
        spaceBefore=before,
        spaceAfter=after,
        textColor=color,
        leftIndent=indent,
        firstLineIndent=-indent if indent else 0,
    )


class Styles:
    header = _style("slip-header", 7.2, bold=True, align=TA_CENTER, leading=9.2)
    header_plain = _style("slip-header-plain", 7.6, align=TA_CENTER, leading=9.6)
    title = _style("slip-title", 11.5, bold=True, align=TA_CENTER, leading=14.5, before=2, after=1)
    subtitle = _style("slip-subtitle", 8, align=TA_CENTER, color=GREY)
    body = _style("slip-body", 8.4, leading=10.6, after=0.8)
    remark = _style("slip-remark", 8.4, leading=10.6, before=2.5, after=0.8)
    item = _style("slip-item", 8.4, leading=10.6, after=0.8, indent=4 * mm)
    quote = ParagraphStyle("slip-quote", parent=body, leftIndent=5 * mm, spaceBefore=1, spaceAfter=2)
    numbered = _style("slip-numbered", 8.4, leading=10.6, before=1.4, after=0.6)
    heading = _style("slip-heading", 8.4, bold=True, leading=10.6, before=3, after=1.2)
    code = _style("slip-code", 10, leading=13.5)
    note = _style("slip-note", 7.4, leading=9.4, color=GREY)
    cell = _style("slip-cell", 7.4, leading=8.8)
    cell_head = _style("slip-cell-head", 7.4, bold=True, align=TA_CENTER, leading=8.8)
    cell_center = _style("slip-cell-center", 7.4, align=TA_CENTER, leading=8.8)
    sign_title = _style("slip-sign-title", 8.4, bold=True, align=TA_CENTER, leading=10.5)
    sign_hint = _style("slip-sign-hint", 7.4, align=TA_CENTER, color=GREY)
    sign_name = _style("slip-sign-name", 8.8, bold=True, align=TA_CENTER)


def p(markup: str, style: ParagraphStyle = Styles.body) -> Paragraph:
    """A paragraph of already-escaped markup (see `esc`)."""
    register_fonts()  # paragraphs resolve their fonts when made, not when drawn
    return Paragraph(nfc(markup), style)


def field(label: str, value, style: ParagraphStyle = Styles.body) -> Paragraph:
    """ "Label: value" with the value in bold; an empty value prints as a dotted blank to fill in."""
    text = esc(value)
    return p(f"{esc(label)}: <b>{text}</b>" if text else f"{esc(label)}: ……………………", style)


def numbered(items: list[str], style: ParagraphStyle = Styles.item) -> list[Paragraph]:
    return [p(f"{i}. {esc(text)}", style) for i, text in enumerate(items, start=1)]


@functools.lru_cache(maxsize=2048)
def qr_operators(content: str) -> tuple[int, str]:
    """The QR code of `content` as PDF fill operators in module units, and its width in modules.

    Cached: choosing the best mask is most of a slip's QR cost, and slips are reprinted."""
    rows = segno.make_qr(content, error="m").matrix
    count = len(rows)
    ops = []
    for y, row in enumerate(rows):
        x = 0
        while x < count:
            if row[x] & 1:
                start = x
                while x < count and row[x] & 1:
                    x += 1
                ops.append(f"{start} {count - y - 1} {x - start} 1 re")
            else:
                x += 1
    ops.append("f")
    return count, "\n".join(ops)


class QRCode(Flowable):
    """A QR code drawn as vector rectangles: crisp at any print resolution, no image to decode."""

    BORDER = 2  # modules of quiet zone; the white margin around the block adds to it

    def __init__(self, content: str, size: float = QR_SIZE):
        super().__init__()
        self.content = content
        self.size = size
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self) -> None:
        count, operators = qr_operators(self.content)
        module = self.size / (count + 2 * self.BORDER)
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.translate(self.BORDER * module, self.BORDER * module)
        canvas.scale(module, module)
        canvas.addLiteral(operators)
        canvas.restoreState()


@dataclass(frozen=True)
class Heading:
    """What every slip prints above its body."""

    center_lines: tuple[str, ...]  # ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "XÃ MỸ AN HƯNG")
    place_date: str  # "Mỹ An Hưng, ngày 02 tháng 3 năm 2026"
    form: str  # "01"
    title: str
    code_lines: list[tuple[str, str]]  # (label, value): the code and lookup secret, or the reference
    qr_url: str
    qr_caption: str


def header(h: Heading) -> list[Flowable]:
    left = [
        p("<br/>".join(esc(line.upper()) for line in h.center_lines), Styles.header),
        HRFlowable(width="30%", thickness=0.6, color=colors.black, spaceBefore=1.5, spaceAfter=0),
    ]
    right = [
        p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Styles.header),
        p("Độc lập - Tự do - Hạnh phúc", Styles.header),
        HRFlowable(width="62%", thickness=0.6, color=colors.black, spaceBefore=1.5, spaceAfter=3),
        p(esc(h.place_date), Styles.header_plain),
    ]
    table = Table([[left, right]], colWidths=[WIDTH * 0.49, WIDTH * 0.51])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    code_cell = [p(f"{esc(label)}: <b>{esc(value)}</b>", Styles.code) for label, value in h.code_lines]
    code_cell.append(Spacer(1, 1.5 * mm))
    code_cell.append(p(esc(h.qr_caption), Styles.note))
    code_cell.append(p(esc(h.qr_url), Styles.note))
    ident = Table([[code_cell, QRCode(h.qr_url)]], colWidths=[WIDTH - QR_SIZE - 4 * mm, QR_SIZE + 4 * mm])
    ident.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (0, 0), "MIDDLE"),
                ("VALIGN", (1, 0), (1, 0), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [
        table,
        Spacer(1, 2 * mm),
        p(esc(h.title), Styles.title),
        Spacer(1, 1.5 * mm),
        ident,
        HRFlowable(width="100%", thickness=0.4, color=GREY, spaceBefore=1.5 * mm, spaceAfter=1.5 * mm),
    ]


def signatures(blocks: list[tuple[str, str, str]]) -> Flowable:
    """Signature blocks side by side: (title, hint, printed name); a single block sits on the right."""
    return KeepTogether(signature_flowables(blocks))


def signature_flowables(blocks: list[tuple[str, str, str]]) -> list[Flowable]:
    """The flowables of `signatures`, to be kept together with what precedes them (a KeepTogether
    inside another always breaks the page: reportlab sizes the inner one as "infinite")."""
    cells = []
    for title, hint, name in blocks:
        cells.append(
            [
                p(esc(title), Styles.sign_title),
                p(esc(hint), Styles.sign_hint),
                Spacer(1, 11 * mm),
                p(esc(name), Styles.sign_name),
            ]
        )
    if len(cells) == 1:
        cells.insert(0, "")
    return [Spacer(1, 2 * mm), signature_row(cells, [WIDTH / len(cells)] * len(cells), padding=2)]


def signature_row(cells: list, widths: list[float], *, padding: float = 0) -> Table:
    """One row of signature cells (each a list of flowables; "" leaves a column empty), top-aligned:
    slips and the printed declarations (eforms) lay out their signatures with it."""
    table = Table([cells], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), padding),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ]
        )
    )
    return table


def grid(rows: list[list], widths_mm: list[float], *, header_rows: int = 1) -> Table:
    """A ruled table of paragraphs whose header row repeats on every page it spans."""
    scale = WIDTH / (sum(widths_mm) * mm)
    table = Table(rows, colWidths=[w * mm * scale for w in widths_mm], repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#777777")),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#EEEEEE")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
            ]
        )
    )
    return table


def build(story: list[Flowable], *, title: str, form: str, author: str, subject: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6.8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, 6 * mm, nfc(f"Mẫu số {form} (theo Thông tư 01/2018/TT-VPCP) · {subject}"))
        canvas.drawRightString(PAGE[0] - MARGIN_X, 6 * mm, f"Trang {doc.page}")
        canvas.restoreState()

    # A frame without inner padding, so that full-width tables line up with the paragraphs.
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
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=nfc(title),
        author=nfc(author),
        subject=nfc(subject),
        creator="motcua",
        lang="vi",
        pageTemplates=[PageTemplate("slip", frames=[frame], onPage=footer)],
    )
    doc.build(story)
    return buffer.getvalue()
