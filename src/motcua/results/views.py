"""Pages of electronic results: the public check (by QR or by upload), the citizen's download from
the tracking page, and the staff's result page (attach, render, sign, revoke). Thin: each calls a
service or a check and renders its answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.core.errors import DomainError, NotFound, ValidationFailed
from motcua.core.ratelimit import client_ip, hit
from motcua.dossiers import tracking
from motcua.dossiers.documents import max_upload_bytes
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get_for_user
from motcua.staff.access import staff_required
from motcua.units.models import Role
from motcua.units.scoping import user_scope

from . import checks, keys, services
from . import render as templates
from .models import ResultDocument

UPLOAD_LIMIT_PER_HOUR = 60  # uploads to the public check per client


def _public(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"  # the check id is in the address; Origin stays set
    return response


@never_cache
@require_safe
def check_page(request: HttpRequest, check_id: str) -> HttpResponse:
    try:
        answer = checks.check_by_id(check_id=check_id, client=client_ip(request))
    except DomainError as exc:  # unknown and guessed ids look the same: 404, same words
        return _public(request, "results/check.html", {"error": exc.message}, exc.status)
    return _public(request, "results/check.html", {"answer": answer})


@never_cache
@require_http_methods(["GET", "POST"])
def check_upload(request: HttpRequest) -> HttpResponse:
    context: dict = {"limit": max_upload_bytes()}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if not hit("result-upload", client_ip(request), limit=UPLOAD_LIMIT_PER_HOUR, window_seconds=3600):
            context["error"], status = _("Too many checks from your address. Please try again later."), 429
        elif upload is None:
            context["error"], status = _("Choose a PDF file to check."), 422
        elif upload.size > max_upload_bytes():
            context["error"], status = _("The file is larger than the limit."), 422
        else:
            context["answer"] = checks.check_upload(upload.read())
            context["uploaded"] = True
    return _public(request, "results/check_upload.html", context, status)


@never_cache
@require_safe
def download(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's signed result, from the tracking page (code and lookup secret, rate-limited
    like tracking). The first download by the citizen returns the result electronically."""
    secret = request.GET.get("s", "").strip()
    try:
        tracking.track(code=code, secret=secret, client=client_ip(request))
    except DomainError as exc:
        return _public(request, "results/check.html", {"error": exc.message}, exc.status)
    dossier = Dossier.objects.get(code=code.strip().upper())
    result = services.current_result(dossier)
    if result is None or not result.signed:
        raise Http404(_("No signed result is available for this dossier yet."))
    services.result_deliver(dossier=dossier)
    return _file(result.signed_file.name, f"{dossier.code}-ket-qua.pdf")


def _file(name: str, filename: str) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except OSError:
        raise Http404(_("The file of this result is missing.")) from None
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response


# -- staff ----------------------------------------------------------------------------------------
def _dossier(request, ref: str) -> Dossier:
    try:
        return dossier_get_for_user(request.user, ref)
    except NotFound:
        raise Http404(_("Dossier not found.")) from None


@staff_required(Role.SPECIALIST, Role.LEADER, Role.DESK_OFFICER)
@require_http_methods(["GET", "POST"])
def staff_result(request: HttpRequest, ref: str) -> HttpResponse:
    dossier = _dossier(request, ref)
    error, status = None, 200
    if request.method == "POST":
        try:
            _act(request, dossier)
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(reverse("results:staff_result", args=[ref]), status=303)
    scope = user_scope(request.user)
    result = services.current_result(dossier)
    context = {
        "dossier": dossier,
        "ref": ref,
        "result": result,
        "revoked": ResultDocument.objects.filter(dossier=dossier, revoked_at__isnull=False).order_by("-id"),
        "error": error,
        "can_attach": scope.has_role(dossier.center_id, Role.SPECIALIST, Role.LEADER)
        and dossier.state in services.ATTACH_STATES
        and not (result and result.signed),
        "can_render": templates.renderable(dossier.procedure_version.result_type),
        "is_leader": scope.has_role(dossier.center_id, Role.LEADER),
        "has_key": keys.key_of(request.user, dossier.center_id) is not None,
        "can_sign": dossier.state in services.SIGN_STATES,
        "check_url": services.check_url(result.check_id) if result and result.signed else "",
    }
    return render(request, "results/staff_result.html", context, status=status)


def _act(request: HttpRequest, dossier: Dossier) -> None:
    user, what = request.user, request.POST.get("do", "")
    if what == "attach":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(_("Choose a PDF file to attach."), field="file")
        services.result_attach(
            actor=user, dossier=dossier, upload=upload, title=request.POST.get("title", "")
        )
        messages.success(request, _("The result is attached; a leader signs it."))
    elif what == "render":
        services.result_render(actor=user, dossier=dossier)
        messages.success(request, _("The result is made from the template; a leader signs it."))
    elif what == "sign":
        services.result_sign(actor=user, dossier=dossier)
        messages.success(request, _("The result is signed."))
    elif what == "revoke":
        raw = request.POST.get("result", "")
        result_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else 0
        if not ResultDocument.objects.filter(pk=result_id, dossier=dossier).exists():
            raise NotFound(_("Result not found."))
        services.result_revoke(actor=user, result_id=result_id, reason=request.POST.get("reason", ""))
        messages.success(request, _("The result is revoked."))
    else:
        raise NotFound(_("Unknown action."))


@staff_required()
@require_safe
def staff_file(request: HttpRequest, ref: str, pk: int, which: str) -> HttpResponse:
    dossier = _dossier(request, ref)
    result = ResultDocument.objects.filter(pk=pk, dossier=dossier).first() if pk < 2**63 else None
    if result is None or which not in ("goc", "da-ky"):
        raise Http404(_("Result not found."))
    field = result.original_file if which == "goc" else result.signed_file
    if not field:
        raise Http404(_("Result not found."))
    suffix = "" if which == "goc" else "-da-ky"
    return _file(field.name, f"{dossier.code or dossier.pk}-ket-qua{suffix}.pdf")
