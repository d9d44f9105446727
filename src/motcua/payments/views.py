"""Payments pages: the bank webhook, the public receipt lookup, and the staff pages (cash at the
counter, receipts, exceptions to resolve, the daily reconciliation)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.core.errors import DomainError, ValidationFailed
from motcua.core.ratelimit import client_ip
from motcua.core.text import is_ascii_digits
from motcua.dossiers.selectors import dossier_get_for_user
from motcua.staff.access import staff_required
from motcua.units.models import Role

from . import paygov, pdf, receipts, reconcile, selectors, services, webhook
from .display import panel
from .models import PaymentStatus
from .selectors import tracking_dossier

DESK = (Role.DESK_OFFICER, Role.CENTER_ADMIN, Role.PROVINCE_ADMIN)


# -- outside systems ------------------------------------------------------------------------------
@csrf_exempt
@require_POST
def bank_webhook(request: HttpRequest) -> HttpResponse:
    body = request.body
    if not webhook.signature_ok(webhook.secret(), body, request.headers.get(webhook.SIGNATURE_HEADER)):
        reason = "unsigned" if not request.headers.get(webhook.SIGNATURE_HEADER) else "bad signature"
        webhook.reject("bank", reason, body=body, remote_addr=client_ip(request))
        return JsonResponse({"success": False, "detail": _("Signature missing or wrong.")}, status=401)
    try:
        transfer = webhook.parse_transfer(body)
        payment, created = services.transfer_record(transfer=transfer)
    except DomainError as exc:
        webhook.reject("bank", f"invalid: {exc.field}", body=body, remote_addr=client_ip(request))
        return JsonResponse(
            {"success": False, "detail": exc.message, "code": exc.code, "field": exc.field}, status=422
        )
    return JsonResponse({"success": True, "created": created, "status": payment.status})


@csrf_exempt
@require_POST
def paygov_callback(request: HttpRequest) -> HttpResponse:
    status, answer = paygov.handle_callback(request.body, remote_addr=client_ip(request))
    return JsonResponse(answer, status=status)


@require_POST
def paygov_pay(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's "pay online" button on the tracking page: start and go to the platform."""
    secret = request.POST.get("s", "").strip()
    try:
        dossier = tracking_dossier(code=code, secret=secret, client=client_ip(request))
        tx = paygov.paygov_start(dossier=dossier, ip=client_ip(request))
    except DomainError as exc:
        return render(request, "payments/message.html", {"message": exc.message}, status=exc.status)
    return HttpResponseRedirect(tx.pay_url, status=303)


@require_safe
def receipt_lookup(request: HttpRequest, key: str) -> HttpResponse:
    """Tra cứu biên lai: what the receipt's QR code opens, for anyone holding the paper."""
    try:
        receipt = selectors.receipt_by_lookup_key(key)
    except DomainError as exc:
        return render(request, "payments/receipt_public.html", {"error": exc.message}, status=404)
    if request.GET.get("pdf"):
        return _pdf(receipt)
    return render(
        request, "payments/receipt_public.html", {"receipt": receipt, "number": pdf.receipt_number(receipt)}
    )


def _pdf(receipt) -> HttpResponse:
    response = HttpResponse(pdf.render_receipt(receipt), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="bien-lai-{receipt.series}-{pdf.receipt_number(receipt)}.pdf"'
    )
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response


# -- staff ----------------------------------------------------------------------------------------
@staff_required(*DESK)
@require_http_methods(["GET", "POST"])
def cash(request: HttpRequest, ref: str) -> HttpResponse:
    """Thu tiền mặt: what the dossier owes, the collect button, then the receipt to print."""
    try:
        dossier = dossier_get_for_user(request.user, ref)
    except DomainError as exc:
        return render(request, "staff/forbidden.html", {"message": exc.message}, status=404)
    error = ""
    if request.method == "POST":
        try:
            receipt = _cash_post(request, dossier)
        except DomainError as exc:
            error = exc.message
        else:
            if receipt is None:  # an amount entered or an exemption: the page again, updated
                return HttpResponseRedirect(request.path, status=303)
            return HttpResponseRedirect(reverse("payments:receipt", args=[receipt.pk]), status=303)
    context = panel(dossier) | {"dossier": dossier, "error": error}
    return render(request, "payments/cash.html", context, status=422 if error else 200)


def _cash_post(request: HttpRequest, dossier):
    """The cash page's three forms: the amount of a line the province sets, an exemption with its
    legal reason, or the cash itself (which gives the receipt)."""
    op = request.POST.get("op", "cash")
    if op == "amount":
        raw = request.POST.get("amount", "").replace(".", "").replace(" ", "")
        if not is_ascii_digits(raw) or len(raw) > 10:
            raise ValidationFailed(
                _("The amount must be a whole number of VND, not negative."), field="amount"
            )
        position = request.POST.get("position", "")
        services.charge_set_amount(
            actor=request.user,
            dossier=dossier,
            position=int(position) if is_ascii_digits(position) else -1,
            amount=int(raw),
        )
        return None
    if op == "exempt":
        services.charge_exempt(actor=request.user, dossier=dossier, reason=request.POST.get("reason", ""))
        return None
    return receipts.cash_collect(
        actor=request.user, dossier=dossier, payer_name=request.POST.get("payer_name", "")
    )


@staff_required(*DESK)
@require_safe
def receipt_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        receipt = selectors.receipt_get_for_user(request.user, pk)
    except DomainError as exc:
        return render(request, "staff/forbidden.html", {"message": exc.message}, status=404)
    return render(
        request, "payments/receipt.html", {"receipt": receipt, "number": pdf.receipt_number(receipt)}
    )


@staff_required(*DESK)
@require_safe
@xframe_options_sameorigin
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        receipt = selectors.receipt_get_for_user(request.user, pk)
    except DomainError as exc:
        return render(request, "staff/forbidden.html", {"message": exc.message}, status=404)
    return _pdf(receipt)


@staff_required(*DESK)
@require_POST
def receipt_replace(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        receipt = selectors.receipt_get_for_user(request.user, pk)
        new = receipts.receipt_replace(
            actor=request.user,
            receipt=receipt,
            reason=request.POST.get("reason", ""),
            payer_name=request.POST.get("payer_name", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("payments:receipt", args=[pk]), status=303)
    return HttpResponseRedirect(reverse("payments:receipt", args=[new.pk]), status=303)


@staff_required(*DESK)
@require_safe
def exceptions(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "payments/exceptions.html",
        {
            "exceptions": selectors.exceptions_for_user(user)[:200],
            "recent": selectors.payments_for_user(user).exclude(status=PaymentStatus.EXCEPTION)[:50],
        },
    )


@staff_required(*DESK)
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        payment = selectors.payment_get_for_user(request.user, pk)
        if request.POST.get("action") == "attach":
            dossier = dossier_get_for_user(request.user, request.POST.get("dossier", "").strip() or "0")
            services.payment_attach(
                actor=request.user, payment=payment, dossier=dossier, note=request.POST.get("note", "")
            )
            messages.success(
                request, _("The payment is attached to dossier %(code)s.") % {"code": dossier.code}
            )
        else:
            services.payment_refund(actor=request.user, payment=payment, note=request.POST.get("note", ""))
            messages.success(request, _("The payment is marked as refunded."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("payments:exceptions"), status=303)


@staff_required(*DESK, Role.LEADER)
@require_safe
def reconciliation(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("date", "")
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day, raw = timezone.localdate(), ""
        messages.error(request, _("The date must be YYYY-MM-DD."))
    rows = reconcile.daily_rows(day, user=request.user)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return reconcile.export_response(rows, day, fmt)
    return render(
        request,
        "payments/reconciliation.html",
        {"day": day, "rows": rows, "mismatch": reconcile.mismatched(rows)},
    )
