"""The bank's (or payment intermediary's) webhook for incoming transfers.

    POST /thanh-toan/ngan-hang/webhook/
    X-Signature: <hex HMAC-SHA256 of the raw body with MOTCUA_BANK_WEBHOOK_SECRET> (or "sha256=<hex>")
    {"transaction_id": "FT26061...", "amount": 20000, "description": "H15.50.05.13-261008-0975",
     "account_number": "257678859", "bank_bin": "970416", "payer_name": "...",
     "transaction_time": "2026-03-02T10:15:00+07:00"}

Answers {"success": true} once recorded (also for a replay, and for a transfer that became an
exception: the money is on record and a desk officer resolves it), so the sender stops retrying.
Unsigned or wrongly signed bodies are refused (401) and logged; nothing is recorded from them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

from .models import RejectedNotification
from .services import Transfer

log = logging.getLogger("motcua.payments")
SIGNATURE_HEADER = "X-Signature"
PROVIDER = "bank"


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """Constant-time check of the body's HMAC; an empty secret accepts nothing."""
    if not secret or not header:
        return False
    given = header.strip()
    if given.lower().startswith("sha256="):
        given = given[7:]
    return hmac.compare_digest(signature(secret, body), given.lower())


def reject(source: str, reason: str, *, body: bytes, remote_addr: str = "") -> None:
    log.warning("%s notification refused (%s) from %s", source, reason, remote_addr)
    RejectedNotification.objects.create(
        source=source,
        reason=reason,
        remote_addr=remote_addr[:64],
        body=body[:4000].decode("utf-8", "replace"),
    )


def parse_transfer(body: bytes) -> Transfer:
    """The transfer a signed body reports; ValidationFailed when a field is missing or malformed."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed(_("The body is not JSON."), field="body") from None
    if isinstance(data, dict) and isinstance(data.get("data"), list) and len(data["data"]) == 1:
        data = data["data"][0]  # intermediaries that wrap one transaction in a list
    if not isinstance(data, dict):
        raise ValidationFailed(_("The body is not a JSON object."), field="body")
    txn = str(_first(data, TXN_KEYS) or "").strip()
    amount = _first(data, AMOUNT_KEYS)
    if isinstance(amount, str) and amount.strip().isdigit():
        amount = int(amount.strip())
    if not txn:
        raise ValidationFailed(_("The transaction id is required."), field="transaction_id")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed(_("The amount must be a positive whole number of VND."), field="amount")
    if str(data.get("transferType", "in")).lower() == "out":
        raise ValidationFailed(_("Only incoming transfers are recorded."), field="transferType")
    paid_at = None
    when = _first(data, TIME_KEYS)
    if when:
        try:
            paid_at = datetime.fromisoformat(str(when))
        except ValueError:
            raise ValidationFailed(
                _("The transaction time is not ISO 8601."), field="transaction_time"
            ) from None
        if timezone.is_naive(paid_at):
            paid_at = timezone.make_aware(paid_at)
    return Transfer(
        provider=PROVIDER,
        txn_id=txn[:100],
        amount=amount,
        purpose=str(_first(data, PURPOSE_KEYS) or ""),
        account_number=str(_first(data, ACCOUNT_KEYS) or "").strip(),
        bank_bin=str(data.get("bank_bin") or "").strip(),
        payer_name=str(data.get("payer_name") or "").strip(),
        paid_at=paid_at,
    )


# Our field names first, then the names common intermediaries use for the same thing.
TXN_KEYS = ("transaction_id", "id", "tid", "referenceCode", "reference")
AMOUNT_KEYS = ("amount", "transferAmount")
PURPOSE_KEYS = ("description", "content", "addInfo")
ACCOUNT_KEYS = ("account_number", "accountNumber", "subAccount")
TIME_KEYS = ("transaction_time", "transactionDate", "when")


def _first(data: dict, keys: tuple[str, ...]):
    for key in keys:
        if data.get(key) not in (None, ""):
            return data[key]
    return None


def secret() -> str:
    return getattr(settings, "MOTCUA_BANK_WEBHOOK_SECRET", "")
