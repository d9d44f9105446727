"""Results rendered from a template, for the simple procedures of the catalog (extracts, certified
copies, confirmations): an A4 page in the official layout with the dossier's data, leaving room at
the bottom for the signature stamps. The wording is the fixed Vietnamese of official documents.
"""

from __future__ import annotations

import io
import re

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer, Table, TableStyle

from motcua.core.text import nfc, search_key
from motcua.dossiers.slips import vi
from motcua.dossiers.slips.layout import Styles, _style, esc, field, p

# Results whose name starts with one of these are rendered from the template; the others are
# attached by the specialist (a permit's drawings, a land certificate...).
RENDERED_PREFIXES = (
    "trich luc",
    "ban sao trich luc",
    "giay xac nhan",
    "van ban xac nhan",
    "ban sao duoc chung thuc",
)
TITLE = _style("result-title", 15, bold=True, align=TA_CENTER, leading=19, before=10, after=4)
SUBTITLE = _style("result-subtitle", 10, align=TA_CENTER, leading=13, after=8)
BODY = _style("result-body", 11, leading=15, after=3)
HEADER = _style("result-header", 10, bold=True, align=TA_CENTER, leading=13)
HEADER_PLAIN = _style("result-header-plain", 10, align=TA_CENTER, leading=13)
PLACE = _style("result-place", 11, align=TA_CENTER)
STAMP_ROOM = 40 * mm  # the signature stamps are drawn in the last 40 mm of the page


def result_title(result_type: str) -> str:
    """The result's name without notes: "Giấy khai sinh (bản chính); bản sao..." → "Giấy khai sinh"."""
    title = re.split(r"\s*[;(]", nfc(result_type or ""), maxsplit=1)[0].strip()
    return title[:300]


def renderable(result_type: str) -> bool:
    key = search_key(result_title(result_type))
    return bool(key) and key.startswith(RENDERED_PREFIXES)


def _header(agency: str) -> Table:
    left = [p(esc(agency.upper()), HEADER)]
    right = [
        p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEADER),
        p("Độc lập - Tự do - Hạnh phúc", HEADER_PLAIN),
    ]
    table = Table([[left, right]], colWidths=[70 * mm, 100 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def render_result(dossier, *, title: str, at) -> bytes:
    """The result of `dossier` as a PDF: heading, the holder's data, the procedure, the dossier code."""
    version = dossier.procedure_version
    center = dossier.center
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm + STAMP_ROOM,
        title=nfc(title),
        author=nfc(center.name),
        creator="Một cửa",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="result", frames=[frame])])
    lines = [
        ("Họ và tên", dossier.applicant_name),
        ("Ngày sinh", vi.day(dossier.applicant_birth_date) if dossier.applicant_birth_date else ""),
        ("Số định danh cá nhân", dossier.applicant_id_number),
        ("Nơi cư trú", dossier.applicant_address),
    ]
    story = [
        _header(center.name),
        Spacer(1, 8 * mm),
        p(esc(title.upper()), TITLE),
        p(esc(f"Theo hồ sơ số {dossier.code} — thủ tục “{version.name}”"), SUBTITLE),
    ]
    story += [field(label, value, BODY) for label, value in lines if value]
    story += [
        Spacer(1, 4 * mm),
        p(
            esc(
                f"{center.name} xác nhận nội dung trên theo hồ sơ đã tiếp nhận và giải quyết ngày "
                f"{vi.day(at)}. Văn bản điện tử được ký số có giá trị pháp lý như bản giấy "
                "(Nghị định 45/2020/NĐ-CP)."
            ),
            BODY,
        ),
        Spacer(1, 4 * mm),
        p(esc(vi.place_date(vi.place_name(center.commune.name, center.commune.division_type), at)), PLACE),
        p("Kiểm tra tính xác thực: quét mã QR trên chữ ký số.", Styles.note),
    ]
    doc.build(story)
    return buffer.getvalue()
