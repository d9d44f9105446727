"""Authentication for the API: bearer tokens for integrations, the session for pages.

A token acts as its user, narrowed to the token's center and role when it has them; it expires
(`MOTCUA_API_TOKEN_DAYS`, 90 days by default) and records when it was last used. Making one for a
user whose roles need a second factor (leaders, administrators) needs a valid TOTP or backup code
of that user: a token must not be a way around the second factor of the web sign-in.
"""

import dataclasses
import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.units.models import Role
from motcua.units.scoping import Scope, user_scope

from .models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_days() -> int:
    return int(getattr(settings, "MOTCUA_API_TOKEN_DAYS", 90))


def _needs_second_factor(user) -> bool:
    from motcua.units.scoping import needs_second_factor

    return needs_second_factor(user)


@transaction.atomic
def token_create(
    *,
    user,
    name: str,
    days: int | None = None,
    center=None,
    role: str = "",
    otp_code: str = "",
    actor=None,
) -> str:
    """A new token for `user`; the clear value is shown once and never stored. For a user who signs
    in with a second factor, `otp_code` must be one of their valid codes."""
    from motcua.security.models import SecurityEventKind
    from motcua.security.secondfactor import second_factor_check
    from motcua.security.services import security_event_record

    days = token_days() if days is None else int(days)
    if not 1 <= days <= 366:
        raise ValidationFailed(_("A token lives from 1 to 366 days."), field="days")
    if role and role not in Role.values:
        raise ValidationFailed(_("Unknown role."), field="role")
    scope = user_scope(user)
    if center is not None and not scope.everything and not scope.roles_in(center.pk):
        raise ValidationFailed(_("The user has no role in this center."), field="center")
    if role and not scope.everything and not any(role in r for r in scope.roles_by_center.values()):
        raise ValidationFailed(_("The user does not hold this role."), field="role")
    second_factor = _needs_second_factor(user)
    if second_factor:
        if not otp_code:
            raise PermissionDenied(
                _("This user signs in with a second factor: give a current code of their authenticator app.")
            )
        verdict = second_factor_check(user=user, code=otp_code)
        if not verdict.ok:
            raise PermissionDenied(
                _("Too many wrong codes: try again later.")
                if verdict.locked
                else _("The code is not right or has expired.")
            )
    token = "mc_" + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[3:11],
        digest=_digest(token),
        expires_at=timezone.now() + timedelta(days=days),
        center=center,
        role=role,
    )
    security_event_record(
        kind=SecurityEventKind.API_TOKEN_CREATED,
        actor=actor or user,
        subject=user,
        center_id=center.pk if center is not None else None,
        detail={
            "token": row.prefix,
            "name": name,
            "days": days,
            "role": role,
            "second_factor": second_factor,
        },
    )
    return token


@transaction.atomic
def token_revoke(*, token: str) -> bool:
    return bool(
        ApiToken.objects.filter(digest=_digest(token), revoked_at=None).update(revoked_at=timezone.now())
    )


def narrowed_scope(scope: Scope, center_id: int | None, role: str) -> Scope:
    """The user's scope cut down to the token's center and role."""
    if scope.everything:
        if center_id is None and not role:
            return scope
        roles = frozenset([role] if role else Role.values)
        if center_id is None:  # a superuser's role-only token: no center to act in
            return Scope(False, frozenset(), frozenset(), {})
        return Scope(False, frozenset([center_id]), frozenset(), {center_id: roles})
    by_center = {
        c: (r & {role} if role else r)
        for c, r in scope.roles_by_center.items()
        if center_id is None or c == center_id
    }
    by_center = {c: r for c, r in by_center.items() if r}
    provinces = (
        scope.province_codes
        if (not role or role == Role.PROVINCE_ADMIN) and center_id is None
        else frozenset()
    )
    return dataclasses.replace(
        scope, center_ids=frozenset(by_center), province_codes=provinces, roles_by_center=by_center
    )


def user_for_token(token: str, *, now: datetime | None = None):
    now = now or timezone.now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at=None, user__is_active=True, expires_at__gt=now)
        .first()
    )
    if row is None:
        return None
    if row.last_used_at is None or row.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    user = row.user
    if row.center_id is not None or row.role:
        user._motcua_scope = narrowed_scope(user_scope(user), row.center_id, row.role)
    user.api_token_id = row.pk
    return user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class StaffSession(SessionAuth):
    """The page's session (with CSRF for writes), for the htmx pages calling the API. Without a
    signed-in session there is nothing to protect: no CSRF check, so a client without a token gets
    the 401 asking for one instead of "CSRF check Failed"."""

    def _get_key(self, request):
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None
        return super()._get_key(request)


staff_auth = [BearerToken(), StaffSession()]

__all__ = ["token_create", "token_revoke", "user_for_token", "staff_auth"]
