"""Staff sign-in (/dang-nhap/), the TOTP step, enrolment of an authenticator app, sign-out.

The password is checked by `authenticate(request, ...)` so django-axes counts failures and locks a
username from an address after AXES_FAILURE_LIMIT of them; an address with
MOTCUA_LOGIN_FAILURES_PER_ADDRESS failures across all usernames is locked too (one password tried
against every account). A lock-out must not let anyone lock a colleague out: while locked, the right
password together with a valid second factor (a code of the app or a backup code) still signs the
user in. A correct password does not sign the user in yet when a second factor is needed: the user
id waits in the session ("pending") until the TOTP code is right. Leaders and administrators without
a device enrol one on that step (the demo users have none, so their first sign-in enrols); other
staff may enrol from their account page and are then asked for the code at every sign-in.
"""

from __future__ import annotations

import base64
import time

import segno
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.security import secondfactor
from motcua.security.models import SecurityEventKind
from motcua.security.services import security_event_record

from . import lockout
from .access import is_verified, landing_url, needs_second_factor, safe_next
from .forms import SignInForm, TokenForm

PENDING = "staff_pending_sign_in"
PENDING_SECONDS = 10 * 60
DEVICE_NAME = "Một cửa"


def _finish(request: HttpRequest, user, next_url: str | None) -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next(request, next_url) or landing_url(user))


def _confirmed_devices(user) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    user = request.user
    if user.is_authenticated and (is_verified(user) or not needs_second_factor(user)):
        return _finish(request, user, next_url)
    form = SignInForm(request.POST or None)
    status, locked = 200, False  # wrong details are a form error (200), as Django's LoginView does
    if request.method == "POST" and form.is_valid():
        username, password = form.cleaned_data["username"], form.cleaned_data["password"]
        if form.cleaned_data.get("token"):
            user = lockout.past_lock_out(request, username, password, form.cleaned_data["token"])
            if user is not None:
                security_event_record(kind=SecurityEventKind.LOCKED_SIGN_IN, actor=user, subject=user)
                auth_login(request, user, backend=lockout.PASSWORD_BACKEND)
                otp_login(request, user.otp_verdict.device)
                return _finish(request, user, next_url)
            locked, status = True, 429
            form.add_error(
                "token", _("The password or the code is not right (or there were too many wrong codes).")
            )
        elif lockout.address_locked(request):
            locked, status = True, 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None and getattr(request, "axes_locked_out", False):
                # Axes' middleware would replace this page with a bare English text; the page says
                # it in the user's language instead.
                request.axes_locked_out = False
                locked, status = True, 429
            elif user is None:
                form.add_error(None, _("The username or the password is not right."))
            elif _confirmed_devices(user) or needs_second_factor(user):
                request.session.cycle_key()
                request.session[PENDING] = {
                    "user": user.pk,
                    "backend": user.backend,
                    "next": next_url,
                    "since": time.time(),
                }
                return redirect("staff:second_factor")
            else:
                auth_login(request, user)
                return _finish(request, user, next_url)
    return render(
        request,
        "staff/sign_in.html",
        {"form": form, "next": next_url, "locked": locked, "cooloff_minutes": _cooloff_minutes()},
        status=status,
    )


def _cooloff_minutes() -> int:
    from django.conf import settings

    hours = getattr(settings, "AXES_COOLOFF_TIME", None) or 0
    return max(1, round(float(hours) * 60)) if hours else 0


def _pending_user(request: HttpRequest):
    """The user who gave the right password and still owes a code, or None (expired, absent)."""
    pending = request.session.get(PENDING)
    if not pending:
        return None, None
    if time.time() - pending.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return None, None
    user.backend = pending["backend"]
    return user, pending


def _complete(request: HttpRequest, user, device, pending: dict | None) -> HttpResponseRedirect:
    next_url = request.GET.get("next")
    if pending is not None:
        request.session.pop(PENDING, None)
        auth_login(request, user, backend=pending["backend"])
        next_url = next_url or pending.get("next")
    otp_login(request, device)
    return _finish(request, request.user, next_url)


def secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32 in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed device (made once, so a reload shows the same key)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _code_error(verdict: secondfactor.Verdict) -> str:
    """A plain "wrong code" until the account's codes are really locked."""
    if verdict.locked:
        minutes = max(1, -(-verdict.locked_seconds // 60))
        return ngettext(
            "Too many wrong codes. Wait %(minutes)d minute, then enter the code your app shows.",
            "Too many wrong codes. Wait %(minutes)d minutes, then enter the code your app shows.",
            minutes,
        ) % {"minutes": minutes}
    return _("The code is not right or has expired. Enter the code your app shows now.")


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Ask the TOTP code, or enrol a device first when the user has none and needs one."""
    pending_user, pending = _pending_user(request)
    user = pending_user or (request.user if request.user.is_authenticated else None)
    if user is None:
        messages.info(request, _("Sign in again: the previous attempt has expired."))
        return redirect("staff:sign_in")
    if pending is None and is_verified(user):
        return _finish(request, user, request.GET.get("next"))
    devices = _confirmed_devices(user)
    form = TokenForm(request.POST or None)
    if devices:
        if request.method == "POST" and form.is_valid():
            verdict = secondfactor.second_factor_check(user=user, code=form.cleaned_data["token"])
            if verdict.ok:
                if verdict.backup:
                    messages.warning(
                        request,
                        _("You signed in with a backup code; it cannot be used again. Codes left: %(n)d.")
                        % {"n": secondfactor.backup_codes_left(user)},
                    )
                return _complete(request, user, verdict.device, pending)
            form.add_error("token", _code_error(verdict))
        return render(request, "staff/second_factor.html", {"form": form, "user_name": str(user)})
    if not needs_second_factor(user) and pending is None:
        return redirect("staff:account")
    return _enrol(request, user, pending, form, required=True)


def _enrol(
    request: HttpRequest, user, pending: dict | None, form: TokenForm, *, required: bool
) -> HttpResponse:
    device = _enrolment_device(user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            verdict = secondfactor.enrolment_check(device, form.cleaned_data["token"])
            if verdict.ok:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
                messages.success(
                    request,
                    _(
                        "Two-step verification is on. From now on, enter the code "
                        "from your app after your password."
                    ),
                )
                return _complete(request, user, device, pending)
        form.add_error(
            "token",
            (_code_error(verdict) if verdict.locked else None)
            or _(
                "The code is not right. Check that the phone's clock is correct and enter the code your app "
                "shows now."
            ),
        )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        border=2,
        omitsize=True,
        svgclass="otp-qr",
        title=_("QR code to add the account to an authenticator app"),
    )
    return render(
        request,
        "staff/enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": secret_text(device),
            "required": required,
            "user_name": str(user),
            "username": user.get_username(),
        },
    )


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in user's security page: optional enrolment for desk officers and specialists."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('staff:sign_in')}?next={reverse('staff:account')}")
    if needs_second_factor(user) and not is_verified(user):
        return redirect("staff:second_factor")
    if _confirmed_devices(user):
        return render(
            request,
            "staff/account.html",
            {"enrolled": True, "backup_codes_left": secondfactor.backup_codes_left(user)},
        )
    return _enrol(request, user, None, TokenForm(request.POST or None), required=False)


@csrf_protect
@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        had_user = request.user.is_authenticated or BACKEND_SESSION_KEY in request.session
        auth_logout(request)
        if had_user:
            messages.info(request, _("You have signed out."))
        return redirect("staff:sign_in")
    if not request.user.is_authenticated:
        return redirect("staff:sign_in")
    return render(request, "staff/sign_out.html")
