"""The receipt (biên lai điện tử) as an A5 PDF, on the slips' layout (DejaVu Sans, vector QR)."""

from __future__ import annotations

import io

from django.conf import settings
from django.urls import reverse
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

from motcua.core.text import nfc
from motcua.dossiers.slips import vi
from motcua.dossiers.slips.layout import (
    FONT,
    GREY,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE,
    Heading,
    Styles,
    esc,
    field,
    grid,
    header,
    p,
    register_fonts,
    signatures,
)

from .fees import Item

ITEM_TEXT = {Item.FEE.value: "Phí", Item.CHARGE.value: "Lệ phí"}


def receipt_url(receipt) -> str:
    return settings.PUBLIC_URL + reverse("payments:receipt_lookup", args=[receipt.lookup_key])


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def receipt_number(receipt) -> str:
    return f"{receipt.number:07d}"


def render_receipt(receipt) -> bytes:
    register_fonts()
    center = receipt.center
    commune = center.commune
    heading = Heading(
        center_lines=(center.name,),
        place_date=vi.place_date(
            vi.place_name(commune.name, commune.division_type), vi.local(receipt.issued_at)
        ),
        form=receipt.template_symbol,
        title="BIÊN LAI THU PHÍ, LỆ PHÍ",
        code_lines=[
            ("Mẫu số", receipt.template_symbol),
            ("Ký hiệu", receipt.series),
            ("Số", receipt_number(receipt)),
        ],
        qr_url=receipt_url(receipt),
        qr_caption="Quét mã để tra cứu biên lai điện tử:",
    )
    story = [
        field("Đơn vị thu", receipt.unit_name),
        field("Người nộp", receipt.payer_name),
        field("Địa chỉ", receipt.payer_address),
    ]
    if receipt.dossier_id:
        story.append(field("Mã hồ sơ", receipt.dossier.code))
    rows = [[p(h, Styles.cell_head) for h in ("STT", "Nội dung thu", "Loại", "Số tiền (đồng)")]]
    for i, line in enumerate(receipt.lines, start=1):
        rows.append(
            [
                p(str(i), Styles.cell_center),
                p(esc(line["name"]), Styles.cell),
                p(ITEM_TEXT.get(line["item"], ""), Styles.cell_center),
                p(vnd(line["amount"]), Styles.cell_center),
            ]
        )
    rows.append(
        [
            p(""),
            p("<b>Tổng cộng</b>", Styles.cell),
            p(""),
            p(f"<b>{vnd(receipt.total)}</b>", Styles.cell_center),
        ]
    )
    story.append(grid(rows, [8, 62, 14, 24]))
    story.append(field("Số tiền bằng chữ", receipt.total_words, Styles.remark))
    story.append(field("Hình thức thanh toán", receipt.payment.get_method_display()))
    story.append(field("Thời điểm thu", vi.instant(receipt.issued_at)))
    if receipt.replaces_id:
        old = receipt.replaces
        story.append(
            p(
                esc(
                    f"Biên lai này thay thế biên lai mẫu số {old.template_symbol}, ký hiệu {old.series}, "
                    f"số {receipt_number(old)} ngày {vi.day(old.issued_at)}. "
                    f"Lý do: {receipt.replacement_reason}"
                ),
                Styles.remark,
            )
        )
    story.append(
        signatures(
            [
                ("NGƯỜI NỘP TIỀN", "(Ký, ghi rõ họ tên)", receipt.payer_name),
                ("NGƯỜI THU TIỀN", "(Ký điện tử)", receipt.collector_name),
            ]
        )
    )
    subject = f"{receipt.template_symbol} {receipt.series} {receipt_number(receipt)}"

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6.8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, 6 * mm, nfc(f"Biên lai điện tử (Nghị định 123/2020/NĐ-CP) · {subject}"))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title="Biên lai thu phí, lệ phí",
        author=nfc(center.name),
        subject=subject,
    )
    doc.build(header(heading) + story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
