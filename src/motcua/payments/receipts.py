"""Cash at the counter and electronic receipts (biên lai điện tử, Decree 123/2020/NĐ-CP).

A receipt carries the template symbol and series of the center's receipt book and a number that
is sequential per center, template, series and year: the counter row is locked in the receipt's
transaction, so a rolled-back receipt gives its number back and numbers have no gaps. A receipt is
never edited: a wrong one is replaced by a new receipt that references it.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, ValidationFailed
from motcua.core.text import nfc
from motcua.dossiers.models import Dossier

from . import history, selectors, services
from .models import Method, Payment, PaymentStatus, Receipt, ReceiptBook, ReceiptCounter
from .services import _require_desk
from .words import amount_in_words


def _book(center) -> tuple[str, str]:
    book = ReceiptBook.objects.filter(center=center).first()
    if book is None:
        book = ReceiptBook(center=center)  # the defaults
    return book.template_symbol, book.series


def _next_number(center, template_symbol: str, series: str, year: int) -> int:
    ReceiptCounter.objects.bulk_create(
        [ReceiptCounter(center=center, template_symbol=template_symbol, series=series, year=year)],
        ignore_conflicts=True,
    )
    counter = ReceiptCounter.objects.select_for_update().get(
        center=center, template_symbol=template_symbol, series=series, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def receipt_lines(dossier: Dossier) -> list[dict]:
    """The fee lines due now, each with its budget item, for the receipt."""
    balance = selectors.dossier_balance(dossier)
    stages = selectors.stages_due(dossier)
    return [
        {"name": line.name, "item": line.item.value, "amount": line.due}
        for line in balance.lines
        if line.payable_at in stages and line.due > 0
    ]


def _issue(
    *,
    payment: Payment,
    actor,
    payer_name: str,
    payer_address: str,
    lines: list[dict],
    at: datetime,
    replaces: Receipt | None = None,
    reason: str = "",
) -> Receipt:
    center = payment.center
    template_symbol, series = (replaces.template_symbol, replaces.series) if replaces else _book(center)
    year = timezone.localtime(at).year
    total = sum(line["amount"] for line in lines)
    return Receipt.objects.create(
        center=center,
        payment=payment,
        dossier=payment.dossier,
        template_symbol=template_symbol,
        series=series,
        year=year,
        number=_next_number(center, template_symbol, series, year),
        lookup_key=secrets.token_hex(10),
        issued_at=at,
        unit_name=center.name,
        payer_name=payer_name,
        payer_address=payer_address,
        lines=lines,
        total=total,
        total_words=amount_in_words(total),
        collector=actor,
        collector_name=actor.full_name or actor.get_full_name() or actor.username,
        replaces=replaces,
        replacement_reason=reason,
    )


@transaction.atomic
def cash_collect(*, actor, dossier: Dossier, payer_name: str = "", at: datetime | None = None) -> Receipt:
    """Thu tiền mặt: the desk officer collects what the dossier owes now and issues the receipt."""
    at = at or timezone.now()
    _require_desk(actor, dossier.receiving_center_id)
    dossier = Dossier.objects.select_for_update().select_related("receiving_center").get(pk=dossier.pk)
    services.charges_ensure(dossier)
    balance = selectors.dossier_balance(dossier)
    if balance.status == "unpriced":
        raise Conflict(_("Enter the amount the province sets before collecting."), code="unpriced")
    if balance.outstanding <= 0:
        raise Conflict(_("Nothing is owed for this dossier."), code="nothing_owed")
    if balance.paid:
        raise Conflict(
            _("Part of the fees is already paid; resolve the payments before collecting cash."),
            code="partly_paid",
        )
    payer = nfc(payer_name) or dossier.representative_name or dossier.applicant_name
    payment = Payment.objects.create(
        center=dossier.receiving_center,
        dossier=dossier,
        method=Method.CASH,
        status=PaymentStatus.CONFIRMED,
        amount=balance.outstanding,
        payer_name=payer,
        paid_at=at,
        collector=actor,
    )
    receipt = _issue(
        payment=payment,
        actor=actor,
        payer_name=payer,
        payer_address=dossier.applicant_address,
        lines=receipt_lines(dossier),
        at=at,
    )
    history.record(
        dossier=dossier,
        action=history.PAYMENT_CONFIRMED,
        actor=actor,
        payload={
            "payment": payment.pk,
            "method": Method.CASH,
            "amount": payment.amount,
            "receipt": str(receipt),
            "paid_at": timezone.localtime(at).isoformat(),
        },
    )
    return receipt


@transaction.atomic
def receipt_replace(
    *,
    actor,
    receipt: Receipt,
    reason: str,
    payer_name: str = "",
    payer_address: str | None = None,
    at: datetime | None = None,
) -> Receipt:
    """Biên lai thay thế: a new receipt, with its own number, that cancels and references `receipt`."""
    at = at or timezone.now()
    old = Receipt.objects.select_for_update().get(pk=receipt.pk)
    _require_desk(actor, old.center_id)
    reason = nfc(reason)
    if not reason:
        raise ValidationFailed(_("Say why the receipt is replaced."), field="reason")
    if Receipt.objects.filter(replaces=old).exists():
        raise Conflict(_("This receipt has already been replaced."), code="already_replaced")
    return _issue(
        payment=old.payment,
        actor=actor,
        payer_name=nfc(payer_name) or old.payer_name,
        payer_address=old.payer_address if payer_address is None else nfc(payer_address),
        lines=old.lines,
        at=at,
        replaces=old,
        reason=reason,
    )
