"""Public tracking pages: by code and lookup secret, or straight from a slip's QR code."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.ratelimit import client_ip

from . import tracking


def track_form(request):
    code = request.GET.get("code", "").strip()
    secret = request.GET.get("s", "").strip()
    if code and secret:
        return track_page(request, code)
    return render(request, "dossiers/track.html", {"code": code, "secret": secret})


def track_page(request, code: str):
    secret = request.GET.get("s", "")
    context = {"code": code, "secret": secret}
    status = 200
    try:
        context["data"] = tracking.track(code=code, secret=secret, client=client_ip(request))
    except DomainError as exc:
        context["error"] = exc.message
        status = exc.status
    if not secret:
        context.pop("error", None)
        context["error"] = _("Enter the lookup secret printed on your receipt.")
        status = 200
    return render(request, "dossiers/track.html", context, status=status)
