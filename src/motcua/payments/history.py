"""Payments in the dossier's history: a declared system event per confirmed payment, exemption or
refund, recorded with `dossier_record(...)` (row lock, hash chain, listeners). The declarations
(history wording, slip wording) are registered in `PaymentsConfig.ready()`."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

PAYMENT_CONFIRMED = "payment_confirmed"
FEE_EXEMPTED = "fee_exempted"
PAYMENT_REFUNDED = "payment_refunded"
ACTIONS = (PAYMENT_CONFIRMED, FEE_EXEMPTED, PAYMENT_REFUNDED)
# How the history and the slips word them (the official slips are Vietnamese only).
LABELS = {
    PAYMENT_CONFIRMED: (_("Fees paid"), "Đã thanh toán phí, lệ phí"),
    FEE_EXEMPTED: (_("Fees exempted"), "Được miễn phí, lệ phí"),
    PAYMENT_REFUNDED: (_("Payment refunded"), "Hoàn trả tiền đã nộp"),
}


def declare() -> None:
    """System events (no button): any state, recorded at the receiving center, which collects."""
    from motcua.dossiers import lifecycle

    for name, (event, slip) in LABELS.items():
        if lifecycle.get(name) is None:
            lifecycle.register(
                lifecycle.Action(
                    name=name,
                    sources=frozenset(),
                    target=None,
                    roles=frozenset(),
                    event=event,
                    slip=slip,
                    side=lifecycle.RECEPTION,
                )
            )


def record(*, dossier, action: str, payload: dict, actor=None, reason: str = "", at: datetime | None = None):
    """Append `action` to the dossier's history (in the caller's transaction)."""
    from motcua.dossiers.services import dossier_record

    return dossier_record(actor=actor, dossier=dossier, action=action, payload=payload, reason=reason, at=at)
