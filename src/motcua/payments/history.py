"""Payments in the dossier's history: one chained event per confirmed payment, exemption or refund.

The lifecycle core's `dossier_record(...)` records a declared event that does not change the state,
under the dossier's row lock and hash chain, and publishes it to listeners. Until that core is on
this branch, the same event goes through the dossiers app's own chained writer.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PAYMENT_CONFIRMED = "payment_confirmed"
FEE_EXEMPTED = "fee_exempted"
PAYMENT_REFUNDED = "payment_refunded"
ACTIONS = (PAYMENT_CONFIRMED, FEE_EXEMPTED, PAYMENT_REFUNDED)
# How the history and the slips word them (the official slips are Vietnamese only).
LABELS = {
    PAYMENT_CONFIRMED: (_("Fees paid"), "Đã thanh toán phí, lệ phí"),
    FEE_EXEMPTED: (_("Fees exempted"), "Miễn phí, lệ phí"),
    PAYMENT_REFUNDED: (_("Payment refunded"), "Hoàn trả tiền đã nộp"),
}


def declare_labels() -> None:
    """Give the dossier history and slips the wording of the payment events. The lifecycle core's
    `lifecycle.register(Action(...))` replaces this once it is on this branch."""
    from motcua.dossiers import lifecycle
    from motcua.dossiers.slips import vi

    labels = getattr(lifecycle, "ACTION_LABELS", None)
    for action, (label, vi_label) in LABELS.items():
        if labels is not None:
            labels.setdefault(action, label)
        vi.ACTION.setdefault(action, vi_label)


def record(*, dossier, action: str, payload: dict, actor=None, reason: str = "", at: datetime | None = None):
    """Append `action` to the dossier's history (in the caller's transaction)."""
    at = at or timezone.now()
    try:
        from motcua.dossiers.services import dossier_record
    except ImportError:  # the lifecycle core has not landed yet
        dossier_record = None
    if dossier_record is not None:
        return dossier_record(
            actor=actor, dossier=dossier, action=action, payload=payload, reason=reason, at=at
        )
    from motcua.dossiers import services as dossier_services

    locked = dossier_services._lock(dossier)
    event = dossier_services._record(
        locked,
        action=action,
        from_state=locked.state,
        actor=actor,
        center=locked.receiving_center,
        at=at,
        reason=reason,
        payload=payload,
    )
    locked.save(update_fields=["event_count", "last_hash", "updated_at"])
    dossier.event_count, dossier.last_hash = locked.event_count, locked.last_hash
    return event
