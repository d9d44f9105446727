"""The kiosk at the center: touch, big buttons, a scanner instead of a keyboard.

A keyboard-wedge scanner types into the focused scan box and presses Enter: a chip ID card's QR
starts a filing with the citizen's data (the citizen only picks the procedure and confirms), a
slip's tracking QR shows that dossier. The kiosk keeps nothing about the previous citizen: no
session, no storage; the scanned text travels only in the forms of the page on screen, every
page is `no-store`, and the page returns to the start after a minute without a touch.

The kiosk's center is a device setting made once by a center administrator (kiosk_device.py,
/kiosk/thiet-lap/); a citizen is never asked to choose it.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.catalog import selectors as catalog
from motcua.core.errors import DomainError, NotFound
from motcua.core.ratelimit import client_ip
from motcua.dossiers import tracking
from motcua.dossiers.views import public_progress
from motcua.staff.access import staff_required
from motcua.units.models import Role
from motcua.units.scoping import user_scope

from . import mail, qr, selectors, services
from .forms import PHONE_RE, read_card
from .kiosk_device import kiosk_center, remember_center

DEFAULT_IDLE_SECONDS = 60
TRACK_PATH_RE = re.compile(r"/tra-cuu/(?P<code>[^/?#\s]+)/?$")
NONCE_RE = re.compile(r"^[0-9a-f]{32}$")
NOT_SET_UP = _lazy(
    "This kiosk is not set up for a center yet: please ask the center's staff, or file at the counter."
)


def _idle(request: HttpRequest) -> int:
    """Seconds without a touch before the kiosk resets; ?idle= shortens it (tests, staff)."""
    raw = request.GET.get("idle") or request.POST.get("idle") or ""
    try:
        return max(2, min(600, int(raw)))
    except ValueError:
        return DEFAULT_IDLE_SECONDS


def _kiosk_center(request: HttpRequest):
    return kiosk_center(request)


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    idle = _idle(request)
    if "kiosk_center" not in context:
        context["kiosk_center"] = _kiosk_center(request)
    context = {"idle": idle, "idle_qs": f"?idle={idle}" if idle != DEFAULT_IDLE_SECONDS else "", **context}
    return render(request, template, context, status=status)


def parse_tracking(text: str) -> tuple[str, str] | None:
    """(code, secret) from a slip's QR: <any host>/tra-cuu/<code>/?s=<secret>."""
    parts = urlsplit((text or "").strip())
    match = TRACK_PATH_RE.search(parts.path)
    if not match:
        return None
    secret = parse_qs(parts.query).get("s", [""])[0]
    return unquote(match["code"]).strip().upper(), secret.strip()


def _mask(id_number: str) -> str:
    """Only the last four digits on a screen in a public hall."""
    return "•" * max(0, len(id_number) - 4) + id_number[-4:]


# -- browsing -------------------------------------------------------------------------------------
@never_cache
@require_safe
def kiosk_home(request: HttpRequest) -> HttpResponse:
    fields = catalog.fields_with_counts(catalog.today_local())
    return _render(request, "portal/kiosk/home.html", {"fields": fields})


@never_cache
@require_safe
def kiosk_field(request: HttpRequest, field_code: str) -> HttpResponse:
    versions = list(catalog.procedure_versions_in_force(catalog.today_local(), field_code=field_code[:40]))
    if not versions:
        raise Http404(_("No procedures in this field."))
    field = versions[0].procedure.field
    return _render(request, "portal/kiosk/field.html", {"field": field, "versions": versions})


@never_cache
@require_safe
def kiosk_procedure(request: HttpRequest, national_code: str) -> HttpResponse:
    try:
        version = catalog.procedure_page_version(national_code, catalog.today_local())
    except NotFound as exc:
        raise Http404(_("No such procedure.")) from exc
    return _render(
        request, "portal/kiosk/procedure.html", {"version": version, "procedure": version.procedure}
    )


# -- scanning -------------------------------------------------------------------------------------
def _choose(request: HttpRequest, card_text: str, card) -> HttpResponse:
    groups = selectors.versions_by_field(catalog.today_local())
    return _render(
        request,
        "portal/kiosk/choose.html",
        {
            "card_text": card_text,
            "card": card,
            "groups": groups,
        },
    )


def _confirm(
    request: HttpRequest,
    card_text: str,
    card,
    national_code: str,
    *,
    error: str = "",
    phone: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        version = catalog.procedure_page_version(national_code, catalog.today_local())
    except NotFound:
        return _choose(request, card_text, card)
    center = _kiosk_center(request)
    context = {
        "card_text": card_text,
        "card": card,
        "masked_id": _mask(card.id_number),
        "version": version,
        "procedure": version.procedure,
        "kiosk_center": center,
        "nonce": uuid.uuid4().hex,
        "error": error,
        "phone": phone,
    }
    return _render(request, "portal/kiosk/confirm.html", context, status=status)


@never_cache
@require_POST
def kiosk_scan(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("scan", "")[:1000]
    card = read_card(text)
    if card is not None:
        procedure = request.POST.get("procedure", "")[:40]
        if procedure:
            return _confirm(request, text, card, procedure)
        return _choose(request, text, card)
    found = parse_tracking(text)
    if found and found[0]:
        code, secret = found
        url = reverse("portal:kiosk_track", args=[code]) + f"?s={secret}"
        idle = _idle(request)
        if idle != DEFAULT_IDLE_SECONDS:
            url += f"&idle={idle}"
        return redirect(url)
    fields = catalog.fields_with_counts(catalog.today_local())
    error = (
        _(
            "This code could not be read. Scan the QR code on the chip ID card, or the QR code on a "
            "dossier slip."
        )
        if text.strip()
        else ""
    )
    return _render(
        request, "portal/kiosk/home.html", {"fields": fields, "error": error}, status=422 if error else 200
    )


@never_cache
@require_POST
def kiosk_confirm(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("card", "")[:1000]
    card = read_card(text)
    if card is None:
        return redirect(reverse("portal:kiosk_home"))
    return _confirm(request, text, card, request.POST.get("procedure", "")[:40])


@never_cache
@require_POST
def kiosk_submit(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("card", "")[:1000]
    card = read_card(text)
    if card is None:
        return redirect(reverse("portal:kiosk_home"))
    national_code = request.POST.get("procedure", "")[:40]
    phone = re.sub(r"[\s.\-()]", "", request.POST.get("phone", ""))[:20]
    if phone and not PHONE_RE.match(phone):
        return _confirm(
            request,
            text,
            card,
            national_code,
            phone=phone,
            status=422,
            error=_("Enter a Vietnamese phone number, e.g. 0909 123 456."),
        )
    center = _kiosk_center(request)
    if center is None:
        return _confirm(request, text, card, national_code, phone=phone, status=409, error=str(NOT_SET_UP))
    try:
        version = catalog.procedure_page_version(national_code, catalog.today_local())
    except NotFound:
        return _choose(request, text, card)
    nonce = request.POST.get("nonce", "")
    try:
        dossier = services.kiosk_submit(
            center=center,
            procedure_version=version,
            card=card,
            phone=phone,
            nonce=nonce if NONCE_RE.match(nonce) else "",
        )
    except DomainError as exc:
        return _confirm(
            request,
            text,
            card,
            national_code,
            phone=phone,
            error=exc.message,
            status=exc.status if exc.status < 500 else 400,
        )
    url = mail.tracking_url(dossier.code, dossier.secret)
    return _render(
        request,
        "portal/kiosk/done.html",
        {
            "dossier": dossier,
            "version": version,
            "secret": mail.secret_text(dossier.secret),
            "qr_svg": qr.svg_inline(url, title=_("QR code to follow the dossier")),
            "kiosk_center": center,
        },
    )


@never_cache
@require_safe
def kiosk_track(request: HttpRequest, code: str) -> HttpResponse:
    secret = request.GET.get("s", "").strip()
    context: dict = {"code": code[:60], "secret": secret}
    status = 200
    try:
        data = tracking.track(code=code, secret=secret, client=client_ip(request))
    except DomainError as exc:
        context["error"] = exc.message
        status = exc.status
    else:
        context["data"] = data
        context["progress"] = public_progress(data)
    return _render(request, "portal/kiosk/track.html", context, status=status)


# -- device setup by a center administrator -------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
@staff_required(Role.CENTER_ADMIN)
def kiosk_setup(request: HttpRequest) -> HttpResponse:
    """Make this browser the kiosk of one of the user's centers, then sign the user out."""
    scope = user_scope(request.user)
    centers = [
        c for c in selectors.active_centers() if scope.everything or scope.has_role(c.pk, Role.CENTER_ADMIN)
    ]
    error = ""
    if request.method == "POST":
        center = next((c for c in centers if str(c.pk) == request.POST.get("center", "")), None)
        if center is not None:
            response = remember_center(redirect(reverse("portal:kiosk_home")), center)
            logout(request)  # a kiosk in the public hall must not stay signed in
            return response
        error = _("Choose one of your centers.")
    context = {"centers": centers, "current": kiosk_center(request), "error": error}
    return _render(request, "portal/kiosk/setup.html", context, status=422 if error else 200)
