"""What people see of a dossier's fees: the panel data (pages) and the slip block (PDF)."""

from __future__ import annotations

import segno
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import selectors, services


def money_text(amount: int) -> str:
    """ "25.000 đồng" in Vietnamese, "25,000 VND" in English (always grouped, whole VND)."""
    separator = "," if (get_language() or "vi").startswith("en") else "."
    return _("%(amount)s VND") % {"amount": f"{amount:,}".replace(",", separator)}


def panel(dossier) -> dict:
    """Template context for a dossier's fee panel: status, amounts, the VietQR if one is due."""
    services.charges_ensure(dossier)
    balance = selectors.dossier_balance(dossier)
    if balance.status == "none" and not balance.lines:
        return {"show": False}
    qr = selectors.dossier_vietqr(dossier, balance)
    context = {
        "show": True,
        "dossier": dossier,
        "status": balance.status,
        "balance": balance,
        "owed_text": money_text(balance.owed),
        "outstanding_text": money_text(balance.outstanding),
        "fee_text": money_text(balance.totals.fee),
        "charge_text": money_text(balance.totals.charge),
        "lines": balance.lines,
        "qr": qr,
    }
    if qr:
        context["qr_svg"] = segno.make(qr["payload"], error="m").svg_inline(
            scale=4, border=2, svgclass="qr-code vietqr", title=_("VietQR for the fees")
        )
        context["qr_amount_text"] = money_text(qr["amount"])
    return context


def slip_block(dossier) -> list:
    """Slip 01: what is owed and, when a transfer is possible, the VietQR to pay it (A5, small)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    from motcua.dossiers.slips.layout import QRCode, Styles, esc, p

    services.charges_ensure(dossier)
    balance = selectors.dossier_balance(dossier)
    if not balance.lines:
        return []
    if balance.status == "paid":
        return [p(f"Phí, lệ phí: <b>{esc(_vnd(balance.owed))}</b> — đã thanh toán.", Styles.item)]
    if balance.status == "none":
        return [p("Phí, lệ phí: không thu.", Styles.item)]
    if balance.status == "unpriced":
        return [p("Phí, lệ phí: theo mức do Hội đồng nhân dân cấp tỉnh quy định.", Styles.item)]
    qr = selectors.dossier_vietqr(dossier, balance)
    text = (
        f"Phí, lệ phí phải nộp: <b>{esc(_vnd(balance.outstanding))}</b> "
        f"(phí {esc(_vnd(balance.totals.fee))}, lệ phí {esc(_vnd(balance.totals.charge))}). "
        "Nộp tiền mặt tại quầy"
    )
    if qr is None:
        return [p(text + ".", Styles.item)]
    account = qr["account"]
    text += (
        " hoặc chuyển khoản bằng mã VietQR bên cạnh: "
        f"{esc(account.bank_name)} {esc(account.account_number)}, "
        f"{esc(account.account_name)}, nội dung <b>{esc(qr['purpose'])}</b>."
    )
    table = Table([[p(text, Styles.item), QRCode(qr["payload"], 20 * mm)]], colWidths=[None, 22 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"
