"""Who may open the staff pages, where each role lands, and who must use a second factor.

A staff page needs a signed-in user with at least one role. Leaders and administrators (and
superusers) must also have passed a TOTP check in this session: a password alone is not enough
for the people who approve dossiers or manage accounts. Specialists and desk officers may enrol
a TOTP device; once they have one it is asked for at every sign-in.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from motcua.units.models import Role
from motcua.units.scoping import Scope, needs_second_factor, roles_of, user_scope


def centers_with_role(scope: Scope, *roles: str) -> list[int]:
    return sorted(center_id for center_id, held in scope.roles_by_center.items() if held & set(roles))


def is_verified(user) -> bool:
    """Whether this session passed a TOTP check (django-otp's middleware sets `otp_device`)."""
    return getattr(user, "otp_device", None) is not None


def landing_url(user) -> str:
    """The page each role starts from: the counter, the inbox, the approval queue or the admin."""
    roles = roles_of(user)
    if user.is_superuser and not user_scope(user).center_ids:
        return reverse("admin:index")
    if Role.DESK_OFFICER in roles:
        return reverse("staff:counter")
    if Role.LEADER in roles:
        return reverse("staff:approvals")
    return reverse("staff:inbox")


def safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def sign_in_redirect(request: HttpRequest, view_name: str = "staff:sign_in") -> HttpResponseRedirect:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse(view_name)}?{query}")


def staff_required(*roles: str):
    """A staff page: signed in, holding a role (one of `roles` when given), second factor passed
    when the user's roles demand it."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return sign_in_redirect(request)
            held = roles_of(user)
            if not held:
                return render(
                    request,
                    "staff/forbidden.html",
                    {
                        "message": _(
                            "Your account has no role in any service center yet. Ask the center "
                            "administrator to give you one."
                        )
                    },
                    status=403,
                )
            if needs_second_factor(user) and not is_verified(user):
                return sign_in_redirect(request, "staff:second_factor")
            if roles and not held & set(roles):
                return render(
                    request,
                    "staff/forbidden.html",
                    {"message": _("This page is for another role. Your own start page is linked below.")},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
