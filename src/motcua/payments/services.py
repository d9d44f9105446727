"""Every write of payments: amounts owed and exemptions, bank transfers and their exceptions.

Cash and receipts are in `receipts.py`, the national payment platform in `paygov.py`. A payment
that changes what a dossier has paid locks the dossier row first (the same lock the lifecycle
takes), so two notifications for one dossier are judged one after the other.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Fee
from motcua.core.errors import Conflict, PermissionDenied, ValidationFailed
from motcua.core.text import nfc
from motcua.dossiers.models import Dossier
from motcua.units.models import Role
from motcua.units.scoping import user_scope

from . import fees, history, selectors
from .models import Charge, CollectingAccount, ExceptionKind, Method, Payment, PaymentStatus
from .vietqr import purpose_key

log = logging.getLogger("motcua.payments")
DESK_ROLES = (Role.DESK_OFFICER, Role.CENTER_ADMIN, Role.PROVINCE_ADMIN)


# -- what is owed ---------------------------------------------------------------------------------
def fee_rows(version) -> list[fees.FeeRow]:
    """The catalog's fee rows of a version with their payment settings."""
    rows = []
    for fee in Fee.objects.filter(version=version).select_related("payment_setting").order_by("position"):
        setting = getattr(fee, "payment_setting", None)
        item = fees.Item(setting.item) if setting and setting.item else fees.item_from_name(fee.name)
        payable_at = fees.PayableAt(setting.payable_at) if setting else fees.PayableAt.RECEIPT
        rows.append(fees.FeeRow(fee.position, fee.name, fee.rule, item, payable_at))
    return rows


@transaction.atomic
def charges_assess(*, dossier: Dossier) -> list[Charge]:
    """Freeze what the dossier owes from its version's fees, its channel and the pages and copies
    counted at intake (once; later calls keep it)."""
    existing = list(Charge.objects.filter(dossier=dossier).order_by("position"))
    if existing:
        return existing
    return _charges_create(dossier)


def _charges_create(dossier: Dossier) -> list[Charge]:
    lines = fees.assess(
        fee_rows(dossier.procedure_version),
        channel=dossier.channel,
        pages=dossier.fee_pages,
        copies=dossier.fee_copies,
    )
    return Charge.objects.bulk_create(
        [
            Charge(
                dossier=dossier,
                position=line.position,
                name=line.name,
                item=line.item.value,
                payable_at=line.payable_at.value,
                amount=line.amount,
            )
            for line in lines
        ]
    )


NOT_RECEIVED = frozenset({"reception_supplement", "reception_refused"})


def charges_ensure(dossier: Dossier) -> None:
    """Assess a dossier that has a code but no amounts owed yet (the listener does it when the
    lifecycle core publishes the event; this covers dossiers received before, or without it).
    The version a dossier was filed under is frozen, so a late assessment gives the same lines."""
    if not dossier.code or dossier.state in NOT_RECEIVED or Charge.objects.filter(dossier=dossier).exists():
        return
    try:
        with transaction.atomic():
            _charges_create(dossier)
    except IntegrityError:  # assessed at the same moment by another request
        pass


def _require_desk(actor, center_id) -> None:
    if not user_scope(actor).has_role(center_id, *DESK_ROLES):
        raise PermissionDenied(_("Only a desk officer of the collecting center can do this."))


@transaction.atomic
def charge_exempt(
    *, actor, dossier: Dossier, reason: str, positions: list[int] | None = None
) -> list[Charge]:
    """Miễn phí, lệ phí: exempt some (or all) lines, with the legal reason, in the dossier's history."""
    _require_desk(actor, dossier.receiving_center_id)
    reason = nfc(reason)
    if not reason:
        raise ValidationFailed(_("Give the legal reason for the exemption."), field="reason")
    charges = list(
        Charge.objects.select_for_update().filter(dossier=dossier, exempt=False).order_by("position")
    )
    if positions is not None:
        unknown = set(positions) - {c.position for c in charges}
        if unknown:
            raise ValidationFailed(_("No such fee line to exempt."), field="positions")
        charges = [c for c in charges if c.position in set(positions)]
    if not charges:
        raise Conflict(_("Nothing left to exempt."))
    now = timezone.now()
    for charge in charges:
        charge.exempt, charge.exemption_reason = True, reason
        charge.exempted_by, charge.exempted_at = actor, now
        charge.save(update_fields=["exempt", "exemption_reason", "exempted_by", "exempted_at"])
    history.record(
        dossier=dossier,
        action=history.FEE_EXEMPTED,
        actor=actor,
        reason=reason,
        payload={"lines": [{"position": c.position, "name": c.name, "amount": c.amount} for c in charges]},
        at=now,
    )
    return charges


@transaction.atomic
def charge_set_amount(*, actor, dossier: Dossier, position: int, amount: int) -> Charge:
    """Enter the amount of a line the province sets (its People's Council resolution)."""
    _require_desk(actor, dossier.receiving_center_id)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValidationFailed(_("The amount must be a whole number of VND, not negative."), field="amount")
    charge = Charge.objects.select_for_update().filter(dossier=dossier, position=position).first()
    if charge is None:
        raise ValidationFailed(_("No such fee line."), field="position")
    if charge.amount is not None:
        raise Conflict(_("This line already has its amount."))
    charge.amount = amount
    charge.save(update_fields=["amount"])
    return charge


# -- bank transfers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Transfer:
    """An incoming transfer as the bank or intermediary reports it."""

    provider: str
    txn_id: str
    amount: int
    purpose: str
    account_number: str = ""
    bank_bin: str = ""
    payer_name: str = ""
    paid_at: datetime | None = None


def dossier_from_purpose(purpose: str) -> Dossier | None:
    """The dossier whose code is in the transfer purpose (banks may drop dots and dashes)."""
    text = purpose_key(purpose)
    seen: set[str] = set()
    for match in re.finditer(r"(?=([0-9]{10}))", text):
        digits = match.group(1)
        suffix = f"-{digits[:6]}-{digits[6:]}"
        if suffix in seen:
            continue
        seen.add(suffix)
        for dossier in Dossier.objects.filter(code__endswith=suffix).select_related(
            "receiving_center__commune"
        ):
            if purpose_key(dossier.code) in text:
                return dossier
    return None


def _classify(balance: selectors.Balance, amount: int) -> str:
    """'' when the amount settles exactly what is still owed, else the exception kind."""
    if balance.status == "unpriced":
        return ExceptionKind.UNPRICED
    if balance.outstanding == 0:
        return ExceptionKind.DUPLICATE if balance.paid else ExceptionKind.OVERPAID
    if amount < balance.outstanding:
        return ExceptionKind.UNDERPAID
    if amount > balance.outstanding:
        return ExceptionKind.OVERPAID
    return ""


def _confirmed_event(payment: Payment, *, actor=None, attached: bool = False) -> None:
    history.record(
        dossier=payment.dossier,
        action=history.PAYMENT_CONFIRMED,
        actor=actor,
        payload={
            "payment": payment.pk,
            "method": payment.method,
            "amount": payment.amount,
            "provider": payment.provider,
            "transaction": payment.provider_txn_id,
            "attached": attached,
            "paid_at": timezone.localtime(payment.paid_at).isoformat(),
        },
    )


def payment_settle(payment: Payment, dossier: Dossier | None) -> Payment:
    """Judge a new payment against its dossier (locked) and save it: confirmed or an exception."""
    if dossier is None:
        payment.status, payment.exception_kind = PaymentStatus.EXCEPTION, ExceptionKind.UNMATCHED
        payment.save()
        log.warning("payment %s matches no dossier: %r", payment.provider_txn_id, payment.purpose)
        return payment
    Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
    charges_ensure(dossier)
    payment.dossier, payment.center_id = dossier, dossier.receiving_center_id
    kind = _classify(selectors.dossier_balance(dossier), payment.amount)
    payment.status = PaymentStatus.EXCEPTION if kind else PaymentStatus.CONFIRMED
    payment.exception_kind = kind
    payment.save()
    if kind:
        log.warning("payment %s for %s is an exception: %s", payment.provider_txn_id, dossier.code, kind)
    else:
        _confirmed_event(payment)
    return payment


def transfer_record(*, transfer: Transfer) -> tuple[Payment, bool]:
    """Record a transfer once per provider transaction id; (payment, created).

    A replay of a known transaction id returns the first record unchanged. Anything that does not
    settle exactly what a dossier owes becomes an exception for a desk officer.
    """
    if not transfer.txn_id:
        raise ValidationFailed(_("The transaction id is required."), field="transaction_id")
    if isinstance(transfer.amount, bool) or not isinstance(transfer.amount, int) or transfer.amount <= 0:
        raise ValidationFailed(_("The amount must be a positive whole number of VND."), field="amount")
    existing = Payment.objects.filter(provider=transfer.provider, provider_txn_id=transfer.txn_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _transfer_create(transfer), True
    except IntegrityError:  # the same transaction delivered twice at the same moment
        existing = Payment.objects.filter(provider=transfer.provider, provider_txn_id=transfer.txn_id).first()
        if existing is None:
            raise
        return existing, False


def _transfer_create(transfer: Transfer) -> Payment:
    account = None
    if transfer.account_number:
        accounts = CollectingAccount.objects.filter(account_number=transfer.account_number)
        if transfer.bank_bin:
            accounts = accounts.filter(bank_bin=transfer.bank_bin)
        account = accounts.order_by("id").first()
    dossier = dossier_from_purpose(transfer.purpose)
    payment = Payment(
        center_id=account.center_id if account else None,
        account=account,
        method=Method.TRANSFER,
        amount=transfer.amount,
        provider=transfer.provider,
        provider_txn_id=transfer.txn_id,
        purpose=nfc(transfer.purpose)[:300],
        payer_name=nfc(transfer.payer_name)[:200],
        paid_at=transfer.paid_at or timezone.now(),
    )
    if payment.account is None and dossier is not None:
        payment.account = selectors.account_for_center(dossier.receiving_center)
    return payment_settle(payment, dossier)


# -- exceptions -----------------------------------------------------------------------------------
@transaction.atomic
def payment_refund(*, actor, payment: Payment, note: str) -> Payment:
    """Hoàn trả: the transfer is sent back to the payer (outside the system); the exception closes."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    _require_exception_officer(actor, payment)
    note = nfc(note)
    if not note:
        raise ValidationFailed(_("Say how the money was refunded."), field="note")
    payment.status, payment.resolved_by, payment.resolved_at = PaymentStatus.REFUNDED, actor, timezone.now()
    payment.resolution_note = note
    payment.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    if payment.dossier_id:
        history.record(
            dossier=payment.dossier,
            action=history.PAYMENT_REFUNDED,
            actor=actor,
            reason=note,
            payload={"payment": payment.pk, "amount": payment.amount},
        )
    return payment


@transaction.atomic
def payment_attach(*, actor, payment: Payment, dossier: Dossier, note: str = "") -> Payment:
    """Ghi nhận: an officer applies an exception's money to a dossier (after checking with the payer)."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    _require_exception_officer(actor, payment)
    _require_desk(actor, dossier.receiving_center_id)
    Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
    payment.dossier, payment.center_id = dossier, dossier.receiving_center_id
    payment.status, payment.resolved_by, payment.resolved_at = PaymentStatus.ATTACHED, actor, timezone.now()
    payment.resolution_note = nfc(note)
    payment.save()
    _confirmed_event(payment, actor=actor, attached=True)
    return payment


def _require_exception_officer(actor, payment: Payment) -> None:
    if payment.status != PaymentStatus.EXCEPTION:
        raise Conflict(_("This payment is not waiting to be resolved."))
    scope = user_scope(actor)
    if payment.center_id:
        _require_desk(actor, payment.center_id)
    elif not (scope.everything or (payment.account and payment.account.province_id in scope.province_codes)):
        raise PermissionDenied(_("Only the province's administrators can resolve this payment."))
