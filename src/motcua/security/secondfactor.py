"""The second factor: a TOTP code from the authenticator app, or a one-time backup code.

django-otp's own throttle (1, 2, 4… seconds after each wrong code) is switched off
(`OTP_TOTP_THROTTLE_FACTOR = 0`): it made one wrong code followed by the right one answer "too
many wrong codes, wait 1 second". The rule here is a real lock-out instead: after
`MOTCUA_OTP_FAILURES` wrong codes in a row the account's codes are refused for
`MOTCUA_OTP_LOCK_SECONDS`; below that a wrong code is just wrong. Failures are counted on the
user's TOTP devices (django-otp's failure counter and timestamp), so every process sees them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import BackupCode, SecurityEvent, SecurityEventKind

BACKUP_CODE_COUNT = 10
BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on paper
BACKUP_CODE = re.compile(r"^[a-z0-9]{4}-?[a-z0-9]{4}$")
TOTP_CODE = re.compile(r"^\d{6}$")


def max_failures() -> int:
    return int(getattr(settings, "MOTCUA_OTP_FAILURES", 5))


def lock_seconds() -> int:
    return int(getattr(settings, "MOTCUA_OTP_LOCK_SECONDS", 300))


@dataclass(frozen=True)
class Verdict:
    """What a code was: `ok` with the device to mark the session with, `wrong`, or `locked`
    (with the seconds left). `backup` when a backup code was used."""

    ok: bool
    device: TOTPDevice | None = None
    locked_seconds: int = 0
    backup: bool = False

    @property
    def locked(self) -> bool:
        return self.locked_seconds > 0


def normalize(code: str) -> str:
    return re.sub(r"[\s]", "", str(code or "")).lower()


def _locked_for(devices: list[TOTPDevice], now) -> int:
    worst = 0
    for device in devices:
        if device.throttling_failure_count >= max_failures() and device.throttling_failure_timestamp:
            until = device.throttling_failure_timestamp + timedelta(seconds=lock_seconds())
            worst = max(worst, int((until - now).total_seconds()) + 1 if until > now else 0)
    return worst


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{normalize(code).replace('-', '')}".encode()).hexdigest()


def _use_backup_code(user, code: str, now) -> bool:
    wanted = normalize(code).replace("-", "")
    for row in BackupCode.objects.select_for_update().filter(user=user, used_at=None):
        if hmac.compare_digest(row.digest, _digest(row.salt, wanted)):
            BackupCode.objects.filter(pk=row.pk).update(used_at=now)
            SecurityEvent.objects.create(kind=SecurityEventKind.BACKUP_CODE_USED, actor=user, subject=user)
            return True
    return False


@transaction.atomic
def second_factor_check(*, user, code: str) -> Verdict:
    """Check a code of `user`'s confirmed devices (or one of their unused backup codes), counting a
    wrong one. The device rows are locked so that parallel guesses are counted one by one."""
    now = timezone.now()
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id"))
    if not devices:
        return Verdict(ok=False)
    locked = _locked_for(devices, now)
    if locked:
        return Verdict(ok=False, locked_seconds=locked)
    value = normalize(code)
    if TOTP_CODE.match(value):
        for device in devices:
            if device.verify_token(value):
                for other in devices:
                    if other.pk != device.pk and other.throttling_failure_count:
                        other.throttle_reset()
                return Verdict(ok=True, device=device)
    elif BACKUP_CODE.match(value) and _use_backup_code(user, value, now):
        for device in devices:
            device.throttle_reset()
        return Verdict(ok=True, device=devices[0], backup=True)
    for device in devices:
        if not TOTP_CODE.match(value):  # verify_token counted the TOTP failures already
            device.throttle_increment()
    devices = list(TOTPDevice.objects.filter(pk__in=[d.pk for d in devices]))
    return Verdict(ok=False, locked_seconds=_locked_for(devices, timezone.now()))


def enrolment_check(device: TOTPDevice, code: str) -> Verdict:
    """The code of a device being enrolled (not yet confirmed), with the same lock-out rule."""
    now = timezone.now()
    locked = _locked_for([device], now)
    if locked:
        return Verdict(ok=False, locked_seconds=locked)
    if TOTP_CODE.match(normalize(code)) and device.verify_token(normalize(code)):
        return Verdict(ok=True, device=device)
    device.refresh_from_db()
    return Verdict(ok=False, locked_seconds=_locked_for([device], timezone.now()))


def _new_code() -> str:
    raw = "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def backup_codes_create(*, user, count: int = BACKUP_CODE_COUNT) -> list[str]:
    """New backup codes for `user` (the old ones stop working). The clear codes are returned once
    to be shown and printed; only salted hashes are stored."""
    BackupCode.objects.filter(user=user).delete()
    codes = [_new_code() for _ in range(count)]
    BackupCode.objects.bulk_create(
        [BackupCode(user=user, salt=(salt := secrets.token_hex(8)), digest=_digest(salt, c)) for c in codes]
    )
    SecurityEvent.objects.create(kind=SecurityEventKind.BACKUP_CODES_CREATED, actor=user, subject=user)
    return codes


def backup_codes_left(user) -> int:
    return BackupCode.objects.filter(user=user, used_at=None).count()
