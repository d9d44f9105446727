"""Reads of payments: what a dossier owes and has paid, accounts, exceptions, receipts (scoped)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.units.scoping import scope_queryset, user_scope

from . import fees
from .models import Charge, CollectingAccount, Payment, PaymentStatus, Receipt
from .vietqr import PURPOSE_MAX, VietQRError, purpose_key, vietqr_payload

SETTLED = (PaymentStatus.CONFIRMED, PaymentStatus.ATTACHED)
# States in which the amounts payable at the return are due as well.
RETURN_STATES = frozenset({"result_ready", "returned"})


@dataclass(frozen=True)
class Balance:
    """What a dossier owes now, has paid, and still owes; phí and lệ phí apart."""

    lines: list[fees.Line]
    totals: fees.Totals
    owed: int
    paid: int

    @property
    def outstanding(self) -> int:
        return max(self.owed - self.paid, 0)

    @property
    def status(self) -> str:
        """none (nothing owed), unpriced, unpaid, partial, paid."""
        if self.totals.unpriced:
            return "unpriced"
        if self.owed == 0:
            return "paid" if self.paid else "none"
        if self.paid >= self.owed:
            return "paid"
        return "partial" if self.paid else "unpaid"


def charge_lines(charges) -> list[fees.Line]:
    return [
        fees.Line(
            position=c.position,
            name=c.name,
            item=fees.Item(c.item),
            payable_at=fees.PayableAt(c.payable_at),
            amount=c.amount,
            exempt=c.exempt,
        )
        for c in charges
    ]


def stages_due(dossier) -> tuple[fees.PayableAt, ...]:
    if dossier.state in RETURN_STATES:
        return (fees.PayableAt.RECEIPT, fees.PayableAt.RETURN)
    return (fees.PayableAt.RECEIPT,)


def paid_amount(dossier) -> int:
    return Payment.objects.filter(dossier=dossier, status__in=SETTLED).aggregate(s=Sum("amount"))["s"] or 0


def dossier_balance(dossier) -> Balance:
    lines = charge_lines(Charge.objects.filter(dossier=dossier).order_by("position"))
    due_lines = [line for line in lines if line.payable_at in stages_due(dossier)]
    totals = fees.totals(due_lines)
    return Balance(lines=lines, totals=totals, owed=totals.total, paid=paid_amount(dossier))


def account_for_center(center) -> CollectingAccount | None:
    """The center's own active account, else its province's."""
    accounts = CollectingAccount.objects.filter(is_active=True)
    own = accounts.filter(center=center).order_by("id").first()
    if own is not None:
        return own
    return accounts.filter(province_id=center.commune.province_id).order_by("id").first()


def dossier_vietqr(dossier, balance: Balance | None = None) -> dict | None:
    """The dynamic VietQR for what the dossier still owes, or None when nothing is to be transferred."""
    if not dossier.code:
        return None
    balance = balance or dossier_balance(dossier)
    if balance.status not in ("unpaid", "partial"):
        return None
    account = account_for_center(dossier.receiving_center)
    if account is None:
        return None
    purpose = transfer_purpose(dossier.code)
    try:
        payload = vietqr_payload(
            bin=account.bank_bin, account=account.account_number, amount=balance.outstanding, purpose=purpose
        )
    except VietQRError:
        return None
    return {"payload": payload, "account": account, "amount": balance.outstanding, "purpose": purpose}


def transfer_purpose(code: str) -> str:
    """The transfer's purpose: the dossier code, or its letters and digits alone when the code is
    longer than the 25 characters a purpose holds (a long agency code). Banks drop dots and
    dashes anyway; the webhook's matcher compares letters and digits only."""
    return code if len(code) <= PURPOSE_MAX else purpose_key(code)[:PURPOSE_MAX]


def payments_for_user(user) -> QuerySet:
    """Payments of the user's centers, and for province administrators the unmatched transfers
    into their province's accounts (which have no center yet)."""
    scope = user_scope(user)
    qs = Payment.objects.select_related("dossier", "center", "account")
    if scope.everything:
        return qs
    return qs.filter(
        Q(center_id__in=scope.center_ids)
        | Q(center__isnull=True, account__province_id__in=scope.province_codes)
    )


def exceptions_for_user(user) -> QuerySet:
    return payments_for_user(user).filter(status=PaymentStatus.EXCEPTION).order_by("paid_at", "id")


def payment_get_for_user(user, payment_id) -> Payment:
    try:
        return payments_for_user(user).get(pk=int(payment_id))
    except (Payment.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Payment not found.")) from None


def receipts_for_user(user) -> QuerySet:
    return scope_queryset(Receipt.objects.select_related("payment", "dossier", "center"), user)


def receipt_get_for_user(user, receipt_id) -> Receipt:
    try:
        return receipts_for_user(user).get(pk=int(receipt_id))
    except (Receipt.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Receipt not found.")) from None


def receipt_by_lookup_key(key: str) -> Receipt:
    try:
        return Receipt.objects.select_related("center").get(lookup_key=str(key))
    except Receipt.DoesNotExist:
        raise NotFound(_("Receipt not found.")) from None


def accounts_for_user(user) -> QuerySet:
    scope = user_scope(user)
    qs = CollectingAccount.objects.select_related("center", "province")
    if scope.everything:
        return qs
    return qs.filter(Q(center_id__in=scope.center_ids) | Q(province_id__in=scope.province_codes))


def tracking_dossier(*, code: str, secret: str, client: str):
    """The dossier a citizen holds the code and lookup secret of (the tracking page's own check,
    with its rate limit on failures)."""
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.tracking import track

    data = track(code=code, secret=secret, client=client)
    return Dossier.objects.select_related("receiving_center__commune").get(code=data["code"])


def paid_online_by_center(*, center_ids, start, end) -> dict[int, int]:
    """{center id: dossiers received in [start, end) there and paid online} for the service index
    (a transfer or the national platform, settled; cash does not count)."""
    from django.db.models import Count

    from .models import Method

    rows = (
        Payment.objects.filter(
            status__in=SETTLED,
            method__in=(Method.TRANSFER, Method.PAYGOV),
            dossier__receiving_center_id__in=list(center_ids),
            dossier__received_at__gte=start,
            dossier__received_at__lt=end,
        )
        .values("dossier__receiving_center")
        .annotate(n=Count("dossier", distinct=True))
    )
    return {r["dossier__receiving_center"]: r["n"] for r in rows}
