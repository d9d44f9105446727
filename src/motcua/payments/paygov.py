"""Adapter for the national payment platform (PayGov, through the national public service portal).

Start: a signed message (the fields of DOMAIN.md, `MaXacThuc` = SHA-256 hex of the field values
joined by "|", then "|" and the shared hash key) is POSTed to the platform, which answers with the
address where the citizen pays. Callback: the platform POSTs the result with the same fields plus
`MaLoi` ("00" = paid) and its own transaction id `MaGiaoDich`, signed the same way. The check code is
always verified: a forged or altered callback is refused and logged, and records nothing.

The start call is an outside call: it runs after the transaction row is committed, never inside a
request's transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, DomainError

from . import selectors, services, webhook
from .models import Charge, Method, PayGovTransaction, Payment

log = logging.getLogger("motcua.payments")
PROVIDER = "paygov"
REQUEST_FIELDS = (
    "LoaiBanTin",
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "LoaiHinhThanhToan",
    "MaKenhThanhToan",
    "MaThietBi",
    "NgonNgu",
    "MaTienTe",
    "MaNganHang",
    "ThongTinGiaoDich",
    "ThoiGianGD",
    "Ip",
)
CALLBACK_FIELDS = REQUEST_FIELDS + ("MaLoi", "MaGiaoDich")
SUCCESS = "00"
TIMEOUT = 10  # seconds


class PayGovError(DomainError):
    code = "paygov_unavailable"
    status = 502


def check_code(message: dict, fields: tuple[str, ...], hash_key: str) -> str:
    """MaXacThuc: SHA-256 (hex) of the field values joined by "|", followed by "|" and the hash key."""
    text = "|".join(str(message.get(name, "")) for name in fields) + "|" + hash_key
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_ok(message: dict, fields: tuple[str, ...], hash_key: str) -> bool:
    given = str(message.get("MaXacThuc", "")).lower()
    return bool(hash_key) and hmac.compare_digest(check_code(message, fields, hash_key), given)


def timestamp(at: datetime) -> str:
    return timezone.localtime(at).strftime("%Y%m%d%H%M%S")


def build_request(tx: PayGovTransaction, *, ip: str, payer_name: str, charges: list[Charge], account) -> dict:
    message = {
        "LoaiBanTin": "PAY",
        "PhienBan": "1.0.0",
        "MaDoiTac": settings.MOTCUA_PAYGOV_PARTNER,
        "MaThamChieu": tx.reference,
        "SoTien": tx.amount,
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": "1",
        "MaThietBi": "1",
        "NgonNgu": "vi",
        "MaTienTe": "VND",
        "MaNganHang": "",
        "ThongTinGiaoDich": f"Thanh toan phi, le phi ho so {tx.dossier.code}",
        "ThoiGianGD": timestamp(tx.started_at),
        "Ip": ip,
    }
    message["ThongTinBienLai"] = {
        "PhiLePhi": [
            {"LoaiPhiLePhi": int(c.item), "MaPhiLePhi": str(c.position), "SoTien": c.amount or 0}
            for c in charges
            if not c.exempt and c.amount
        ],
        "HoTenNguoiNop": payer_name,
        "MaCoQuanQD": tx.dossier.receiving_center.agency_code,
        "TKThuHuong": account.account_number if account else "",
        "MaNHThuHuong": account.bank_bin if account else "",
    }
    message["UrlCallback"] = settings.PUBLIC_URL + reverse("payments:paygov_callback")
    message["MaXacThuc"] = check_code(message, REQUEST_FIELDS, settings.MOTCUA_PAYGOV_HASH_KEY)
    return message


@transaction.atomic
def _create(dossier, amount: int) -> PayGovTransaction:
    count = PayGovTransaction.objects.filter(dossier=dossier).count()
    return PayGovTransaction.objects.create(
        dossier=dossier, reference=f"{dossier.code}-{count + 1}", amount=amount, started_at=timezone.now()
    )


def paygov_start(*, dossier, ip: str = "127.0.0.1") -> PayGovTransaction:
    """Start a payment of what the dossier still owes; returns the transaction with its pay address."""
    if not settings.MOTCUA_PAYGOV_URL or not settings.MOTCUA_PAYGOV_HASH_KEY:
        raise PayGovError(_("The national payment platform is not configured."))
    services.charges_ensure(dossier)
    balance = selectors.dossier_balance(dossier)
    if balance.status not in ("unpaid", "partial"):
        raise Conflict(_("Nothing is owed for this dossier."), code="nothing_owed")
    tx = _create(dossier, balance.outstanding)
    charges = list(Charge.objects.filter(dossier=dossier).order_by("position"))
    account = selectors.account_for_center(dossier.receiving_center)
    message = build_request(tx, ip=ip, payer_name=dossier.applicant_name, charges=charges, account=account)
    tx.request = message
    try:
        answer = _post(settings.MOTCUA_PAYGOV_URL.rstrip("/") + "/thanh-toan", message)
    except PayGovError:
        tx.state = "failed"
        tx.save(update_fields=["request", "state"])
        raise
    if str(answer.get("MaLoi")) != SUCCESS or not answer.get("UrlThanhToan"):
        tx.state, tx.callback = "failed", answer
        tx.save(update_fields=["request", "state", "callback"])
        raise PayGovError(
            _("The national payment platform refused the payment (code %(code)s).")
            % {"code": answer.get("MaLoi")}
        )
    tx.pay_url = str(answer["UrlThanhToan"])[:500]
    tx.save(update_fields=["request", "pay_url"])
    return tx


def _post(url: str, message: dict) -> dict:
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - configured URL
            return json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        log.warning("PayGov start failed: %s", exc)
        raise PayGovError(
            _("The national payment platform cannot be reached; try again or pay at the counter.")
        ) from exc


def handle_callback(body: bytes, *, remote_addr: str = "") -> tuple[int, dict]:
    """(HTTP status, answer) for a callback of the platform; only a valid check code records anything."""
    try:
        message = json.loads(body.decode("utf-8"))
        if not isinstance(message, dict):
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        webhook.reject(PROVIDER, "malformed", body=body, remote_addr=remote_addr)
        return 400, {"MaLoi": "01", "MoTa": "malformed"}
    if not check_ok(message, CALLBACK_FIELDS, settings.MOTCUA_PAYGOV_HASH_KEY):
        webhook.reject(PROVIDER, "bad check code", body=body, remote_addr=remote_addr)
        return 401, {"MaLoi": "02", "MoTa": "MaXacThuc"}
    try:
        callback_record(message)
    except DomainError as exc:
        webhook.reject(PROVIDER, f"refused: {exc.code}", body=body, remote_addr=remote_addr)
        return 422, {"MaLoi": "03", "MoTa": exc.message}
    return 200, {"MaLoi": SUCCESS, "MoTa": "OK"}


@transaction.atomic
def callback_record(message: dict) -> PayGovTransaction:
    """Settle the transaction named by a verified callback (once; replays change nothing)."""
    tx = (
        PayGovTransaction.objects.select_for_update()
        .filter(reference=str(message.get("MaThamChieu")))
        .first()
    )
    if tx is None:
        raise DomainError(_("Unknown payment reference."), code="unknown_reference")
    if tx.state != "started":
        return tx
    tx.callback, tx.finished_at = message, timezone.now()
    if str(message.get("MaLoi")) != SUCCESS:
        tx.state = "failed"
        tx.save(update_fields=["callback", "finished_at", "state"])
        return tx
    try:
        amount = int(message.get("SoTien"))
    except (TypeError, ValueError):
        raise DomainError(_("The amount must be a positive whole number of VND."), code="invalid") from None
    payment = Payment(
        method=Method.PAYGOV,
        amount=amount,
        provider=PROVIDER,
        provider_txn_id=str(message.get("MaGiaoDich") or tx.reference)[:100],
        purpose=tx.reference,
        payer_name=tx.dossier.applicant_name,
        paid_at=timezone.now(),
        account=selectors.account_for_center(tx.dossier.receiving_center),
        raw=message,
    )
    tx.payment = services.payment_settle(payment, tx.dossier)
    tx.state = "paid"
    tx.save(update_fields=["callback", "finished_at", "state", "payment"])
    return tx
