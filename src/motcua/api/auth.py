"""Authentication for the API: bearer tokens for integrations, the session for pages."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str) -> str:
    """A new token for `user`; the clear value is shown once and never stored."""
    token = "mc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=token[3:11], digest=_digest(token))
    return token


@transaction.atomic
def token_revoke(*, token: str) -> bool:
    return bool(
        ApiToken.objects.filter(digest=_digest(token), revoked_at=None).update(revoked_at=timezone.now())
    )


def user_for_token(token: str):
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at=None, user__is_active=True)
        .first()
    )
    return row.user if row else None


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
