"""Pure rules of delivery: backoff with jitter, the per-destination circuit breaker, HMAC
signatures of webhooks, SMS text and Zalo ZNS parameters, portal dates. No database here."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from unidecode import unidecode

VN = ZoneInfo("Asia/Ho_Chi_Minh")


# -- backoff ----------------------------------------------------------------------------------------
def backoff_seconds(attempt: int, *, base: float, cap: float, jitter: float) -> float:
    """The wait before attempt `attempt + 1` after `attempt` failures (1-based): base · 2^(n-1),
    capped, then scaled by a factor in [1 - 1/2, 1] ("equal jitter"): `jitter` in [0, 1] is the
    random draw, so retries of many messages spread out instead of hitting a receiver together."""
    if attempt < 1:
        return 0.0
    exponent = min(attempt - 1, 62)
    raw = min(cap, base * math.pow(2, exponent))
    jitter = min(max(jitter, 0.0), 1.0)
    return raw / 2 + raw / 2 * jitter


# -- circuit breaker --------------------------------------------------------------------------------
CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


@dataclass(frozen=True)
class Breaker:
    """The state of one destination: closed (sending), open (resting until `open_until`), or
    half open (one probe may go; its result closes or re-opens the breaker)."""

    state: str = CLOSED
    failures: int = 0
    open_until: datetime | None = None
    trips: int = 0


def breaker_allows(breaker: Breaker, now: datetime) -> bool:
    """Closed: send. Open: only once the rest is over (then one probe). Half open: a probe is out;
    another may go only if that probe's lease ran out (its worker died)."""
    if breaker.state == CLOSED:
        return True
    return breaker.open_until is not None and now >= breaker.open_until


def breaker_probe(breaker: Breaker, now: datetime, *, lease: float) -> Breaker:
    """The state while one probe is out: half open, with the probe's lease as its deadline."""
    return replace(breaker, state=HALF_OPEN, open_until=now + timedelta(seconds=lease))


def breaker_after(
    breaker: Breaker, *, ok: bool, now: datetime, threshold: int, cooldown: float, max_cooldown: float
) -> Breaker:
    """The state after one delivery result. `threshold` consecutive failures open it for
    `cooldown` seconds, doubled at each trip in a row (capped); a failed probe re-opens it at
    once; a success closes it."""
    if ok:
        return Breaker()
    failures = breaker.failures + 1
    if breaker.state != CLOSED or failures >= threshold:
        rest = min(max_cooldown, cooldown * math.pow(2, min(breaker.trips, 30)))
        return Breaker(OPEN, failures, now + timedelta(seconds=rest), breaker.trips + 1)
    return replace(breaker, failures=failures)


# -- webhook signatures -----------------------------------------------------------------------------
SIGNATURE_HEADER = "X-Motcua-Signature"
TIMESTAMP_HEADER = "X-Motcua-Timestamp"
REPLAY_WINDOW_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256 with the subscription's secret over "<timestamp>.<body>"."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, *, now: int, window: int = REPLAY_WINDOW_SECONDS
) -> bool:
    """What a receiver checks: the signature matches and the timestamp is within `window`
    seconds of its clock (a captured request replayed later is refused)."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > window:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)


# -- SMS and ZNS ------------------------------------------------------------------------------------
SMS_SEGMENT = 160  # GSM 7-bit characters per segment (70 with Unicode, which brandname SMS avoid)
SMS_MULTIPART_SEGMENT = 153  # a concatenated message loses 7 characters per part to its header


def sms_text(text: str) -> str:
    """Vietnamese without diacritics, on one line, in plain ASCII ("Hồ sơ" -> "Ho so")."""
    ascii_text = unidecode(text.replace("Đ", "D").replace("đ", "d"))
    return re.sub(r"\s+", " ", ascii_text).strip()


def sms_segments(text: str) -> int:
    if len(text) <= SMS_SEGMENT:
        return 1
    return math.ceil(len(text) / SMS_MULTIPART_SEGMENT)


# Limits of ZNS template parameters by type (Zalo's published template rules).
ZNS_LIMITS = {"name": 30, "code": 30, "address": 200, "date": 20, "text": 200, "number": 20}


def zns_param(value: str, kind: str) -> str:
    """A parameter cut to its type's limit (with an ellipsis) rather than refused by Zalo."""
    limit = ZNS_LIMITS.get(kind, ZNS_LIMITS["text"])
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def zns_phone(phone: str) -> str:
    """`84…` without the leading 0 or +, as ZNS wants; "" when it is not a Vietnamese mobile."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84"):
        digits = digits[2:]
    digits = digits.lstrip("0")
    return "84" + digits if 8 <= len(digits) <= 10 else ""


# -- portal -----------------------------------------------------------------------------------------
def portal_date(value: datetime | None) -> str:
    """`yyyyMMddHHmmss` in Vietnam time, "" for no date."""
    return value.astimezone(VN).strftime("%Y%m%d%H%M%S") if value else ""
