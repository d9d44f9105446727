"""Sign-in lock-outs that cannot be turned against a colleague.

django-axes locks a username from one address after AXES_FAILURE_LIMIT wrong passwords. On top:
- an address is locked after MOTCUA_LOGIN_FAILURES_PER_ADDRESS failures across every username
  (one password tried against all accounts); counted from axes' own rows, so every process agrees;
- while locked, the right password together with a valid second factor (TOTP or backup code) gets
  through: whoever locked the account does not have the owner's phone. A wrong pair counts as a
  failure again and answers the same as any other refusal, so the form tells nothing about which
  part was wrong.
"""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import user_login_failed
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum
from django.utils import timezone

from motcua.security.secondfactor import second_factor_check

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def address_failures(request) -> int:
    ip = get_client_ip_address(request)
    if not ip:
        return 0
    since = timezone.now() - (get_cool_off(request) or timedelta(minutes=15))
    found = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gt=since).aggregate(
        n=Sum("failures_since_start")
    )
    return found["n"] or 0


def address_locked(request) -> bool:
    limit = int(getattr(settings, "MOTCUA_LOGIN_FAILURES_PER_ADDRESS", 20))
    return bool(limit) and address_failures(request) >= limit


def past_lock_out(request, username: str, password: str, code: str):
    """The user when the password and the second factor are both right (locked or not), else None
    after counting a failure."""
    user = ModelBackend().authenticate(request, username=username, password=password)
    if user is not None and user.is_active:
        verdict = second_factor_check(user=user, code=code)
        if verdict.ok:
            user.otp_verdict = verdict
            return user
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    request.axes_locked_out = False  # the page says it in Vietnamese, not axes' bare English text
    return None


__all__ = ["PASSWORD_BACKEND", "address_failures", "address_locked", "past_lock_out"]
