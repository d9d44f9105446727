"""JSON API of payments (staff, scoped by unit and role): what a dossier owes, exemptions, cash with
its receipt, exceptions to resolve, the daily reconciliation. The bank webhook and the PayGov
callback are plain endpoints (`views.py`) with their own signatures, not this API's tokens."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from motcua.api.auth import staff_auth
from motcua.api.idempotency import once
from motcua.core.errors import ValidationFailed
from motcua.dossiers.selectors import dossier_get_for_user

from . import pdf, receipts, reconcile, selectors, services

router = Router(tags=["payments"], auth=staff_auth)


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


class ExemptIn(Schema):
    reason: str
    positions: list[int] | None = None


class CashIn(Schema):
    payer_name: str = ""


class AmountIn(Schema):
    amount: int = Field(
        ..., ge=0, le=1_000_000_000, description="Whole VND, as the province's resolution sets"
    )


class ResolveIn(Schema):
    action: str  # "attach" or "refund"
    dossier: str = ""
    note: str = ""


class ReplaceIn(Schema):
    reason: str
    payer_name: str = ""


def balance_out(dossier) -> dict:
    services.charges_ensure(dossier)
    balance = selectors.dossier_balance(dossier)
    qr = selectors.dossier_vietqr(dossier, balance)
    return {
        "dossier": dossier.code,
        "status": balance.status,
        "owed": balance.owed,
        "paid": balance.paid,
        "outstanding": balance.outstanding,
        "fee": balance.totals.fee,
        "charge": balance.totals.charge,
        "lines": [
            {
                "position": line.position,
                "name": line.name,
                "item": "fee" if line.item == "1" else "charge",
                "payable_at": line.payable_at.value,
                "amount": line.amount,
                "exempt": line.exempt,
            }
            for line in balance.lines
        ],
        "vietqr": qr["payload"] if qr else None,
    }


def payment_out(payment) -> dict:
    return {
        "id": payment.pk,
        "method": payment.method,
        "status": payment.status,
        "exception": payment.exception_kind or None,
        "amount": payment.amount,
        "dossier": payment.dossier.code if payment.dossier_id else None,
        "purpose": payment.purpose,
        "provider_txn_id": payment.provider_txn_id or None,
        "paid_at": payment.paid_at.isoformat(),
    }


def receipt_out(receipt) -> dict:
    return {
        "id": receipt.pk,
        "template_symbol": receipt.template_symbol,
        "series": receipt.series,
        "number": pdf.receipt_number(receipt),
        "year": receipt.year,
        "total": receipt.total,
        "total_words": receipt.total_words,
        "payer": receipt.payer_name,
        "lines": receipt.lines,
        "replaces": receipt.replaces_id,
        "lookup_url": pdf.receipt_url(receipt),
    }


@router.get("/dossiers/{code}/fees", response={200: dict, 404: ErrorOut})
def dossier_fees(request, code: str):
    """What the dossier owes (phí and lệ phí apart), has paid and still owes, with its VietQR."""
    return balance_out(dossier_get_for_user(request.auth, code))


@router.post(
    "/dossiers/{code}/fees/exempt",
    response={200: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def dossier_exempt(request, code: str, payload: ExemptIn):
    user = request.auth

    def run():
        dossier = dossier_get_for_user(user, code)
        services.charges_ensure(dossier)
        services.charge_exempt(
            actor=user, dossier=dossier, reason=payload.reason, positions=payload.positions
        )
        return 200, balance_out(dossier)

    return once(
        request, scope=f"user:{user.pk}", route=f"POST /dossiers/{code}/fees/exempt", payload=payload, run=run
    )


@router.post(
    "/dossiers/{code}/fees/{position}/amount",
    response={200: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def dossier_fee_amount(request, code: str, position: int, payload: AmountIn):
    """Enter the amount of a fee line that the province sets (its People's Council resolution)."""
    user = request.auth

    def run():
        dossier = dossier_get_for_user(user, code)
        services.charges_ensure(dossier)
        services.charge_set_amount(actor=user, dossier=dossier, position=position, amount=payload.amount)
        return 200, balance_out(dossier)

    return once(
        request,
        scope=f"user:{user.pk}",
        route=f"POST /dossiers/{code}/fees/{position}/amount",
        payload=payload,
        run=run,
    )


@router.post("/dossiers/{code}/cash", response={201: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def dossier_cash(request, code: str, payload: CashIn):
    """Cash at the counter: records the payment and issues the electronic receipt."""
    user = request.auth

    def run():
        dossier = dossier_get_for_user(user, code)
        receipt = receipts.cash_collect(actor=user, dossier=dossier, payer_name=payload.payer_name)
        return 201, receipt_out(receipt)

    return once(
        request, scope=f"user:{user.pk}", route=f"POST /dossiers/{code}/cash", payload=payload, run=run
    )


@router.get("/payments/exceptions", response=list[dict])
def payment_exceptions(request):
    return [payment_out(p) for p in selectors.exceptions_for_user(request.auth)[:500]]


@router.post(
    "/payments/{payment_id}/resolve",
    response={200: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def payment_resolve(request, payment_id: int, payload: ResolveIn):
    user = request.auth
    payment = selectors.payment_get_for_user(user, payment_id)
    if payload.action == "attach":
        dossier = dossier_get_for_user(user, payload.dossier.strip() or "0")
        payment = services.payment_attach(actor=user, payment=payment, dossier=dossier, note=payload.note)
    elif payload.action == "refund":
        payment = services.payment_refund(actor=user, payment=payment, note=payload.note)
    else:
        raise ValidationFailed(_("Choose attach or refund."), field="action")
    return Status(200, payment_out(payment))


@router.get("/receipts/{receipt_id}", response={200: dict, 404: ErrorOut})
def get_receipt(request, receipt_id: int):
    return receipt_out(selectors.receipt_get_for_user(request.auth, receipt_id))


@router.get("/receipts/{receipt_id}/pdf", response={404: ErrorOut})
def get_receipt_pdf(request, receipt_id: int):
    receipt = selectors.receipt_get_for_user(request.auth, receipt_id)
    return HttpResponse(pdf.render_receipt(receipt), content_type="application/pdf")


@router.post(
    "/receipts/{receipt_id}/replace",
    response={201: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def replace_receipt(request, receipt_id: int, payload: ReplaceIn):
    user = request.auth
    receipt = selectors.receipt_get_for_user(user, receipt_id)
    new = receipts.receipt_replace(
        actor=user, receipt=receipt, reason=payload.reason, payer_name=payload.payer_name
    )
    return Status(201, receipt_out(new))


@router.get("/payments/reconciliation", response=dict)
def reconciliation(request, day: date):
    rows = reconcile.daily_rows(day, user=request.auth)
    return {
        "date": day.isoformat(),
        "rows": [r.as_dict() for r in rows],
        "matches": not reconcile.mismatched(rows),
    }
