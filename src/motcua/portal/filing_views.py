"""Online filing (nộp hồ sơ trực tuyến): choose a center, fill the applicant, upload the papers,
review, submit. Works without JavaScript; every step is a plain form post.

The work lives in a Draft reached by its token, so a citizen can stop and resume with a link.
Pages that show a draft carry personal data: never cached, never indexed.
"""

from __future__ import annotations

import functools

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.catalog import selectors as catalog
from motcua.core.errors import DomainError, NotFound, ValidationFailed
from motcua.core.ratelimit import client_ip, hit
from motcua.dossiers import documents

from . import mail, qr, selectors, services
from .forms import CARD_ERROR, ApplicantForm, applicant_initial, card_values, read_card, result_choices
from .models import Draft

PAGE_SIZE = 30
DRAFTS_PER_HOUR = 30  # per client address: enough for a family, not for a flood


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


# -- which procedures -----------------------------------------------------------------------------
@require_safe
def filing_list(request: HttpRequest) -> HttpResponse:
    today = catalog.today_local()
    query = request.GET.get("q", "")[:200]
    field_code = request.GET.get("field", "")[:40]
    versions = selectors.online_versions_in_force(today, query=query, field_code=field_code)
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "field_code": field_code,
        "fields": catalog.fields_with_counts(today),
        "on": today,
    }
    return render(request, "portal/filing_list.html", context)


def _version_or_404(request: HttpRequest, national_code: str):
    """The version in force offered online, or the response that says why not."""
    try:
        version = catalog.procedure_page_version(national_code, catalog.today_local())
    except NotFound as exc:
        raise Http404(_("No such procedure.")) from exc
    if not selectors.offers_online(version):
        return None, render(request, "portal/filing_not_online.html", {"version": version}, status=404)
    return version, None


# -- drafts by token ------------------------------------------------------------------------------
class _DraftGone(Exception):
    pass


def _draft_or_404(token) -> Draft:
    try:
        return selectors.draft_get(token)
    except NotFound as exc:
        raise _DraftGone from exc


def _gone(request: HttpRequest) -> HttpResponse:
    """An expired or unknown draft link: say so in words, with the way to start again."""
    context = {
        "title": _("This draft does not exist or has expired."),
        "message": _(
            "Drafts are kept for %(days)d days after the last change. Please start the filing again."
        )
        % {"days": mail.draft_days()},
        "link": reverse("portal:filing_list"),
        "link_text": _("File a dossier online"),
    }
    return _private(render(request, "portal/message.html", context, status=404))


def handles_gone_drafts(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _DraftGone:
            return _gone(request)

    return wrapper


# -- the form -------------------------------------------------------------------------------------
def _form_context(
    request,
    *,
    version,
    draft: Draft | None,
    form: ApplicantForm,
    centers,
    file_errors=None,
    card_error="",
    card_text="",
    notice="",
) -> dict:
    components = list(version.components.all())
    files = list(draft.files.all()) if draft else []
    by_component = {c.pk: [f for f in files if f.component_id == c.pk] for c in components}
    waived = services.waived_components(draft) if draft else set()
    file_errors = file_errors or {}
    errors = [(f"id_{name}", error) for name, errs in form.errors.items() for error in errs]
    errors += [
        (f"file_{pk}", f"{c.name}: {file_errors[pk]}") for c in components if (pk := c.pk) in file_errors
    ]
    if card_error:
        errors.insert(0, ("card", card_error))
    selected = form["center"].value()
    return {
        "version": version,
        "procedure": version.procedure,
        "draft": draft,
        "link_state": mail.sent_state(mail.draft_link_key(draft.token, draft.link_sent_to))
        if draft and draft.link_sent_to
        else "",
        # on screen, the address the citizen is using; e-mails use PUBLIC_URL
        "draft_url": request.build_absolute_uri(reverse("portal:draft", args=[draft.token])) if draft else "",
        "form": form,
        "center_groups": selectors.centers_by_province(centers),
        "selected_center": str(selected or ""),
        "components": [
            (c, by_component.get(c.pk, []), file_errors.get(c.pk, ""), c.pk in waived) for c in components
        ],
        "requires_uploads": selectors.requires_uploads(version),
        "error_summary": errors,
        "card_error": card_error,
        "card_text": card_text,
        "notice": notice,
        "max_upload": documents.max_upload_bytes(),
        "form_action": reverse("portal:draft", args=[draft.token]) if draft else request.path,
    }


def _render_form(request, status: int = 200, **kwargs) -> HttpResponse:
    response = render(request, "portal/filing_form.html", _form_context(request, **kwargs), status=status)
    return _private(response)


def _unbound_form(draft: Draft | None, centers, initial: dict | None = None) -> ApplicantForm:
    values = applicant_initial(draft.applicant if draft else {})
    values["center"] = draft.center_id if draft and draft.center_id else ""
    if initial:
        values.update(initial)
    return ApplicantForm(initial=values, center_ids=[c.pk for c in centers])


def _card_initial(card) -> dict:
    values = applicant_initial(card_values(card))
    return {key: values[key] for key in ("name", "id_number", "birth_date", "address")}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def filing_start(request: HttpRequest, national_code: str) -> HttpResponse:
    version, refusal = _version_or_404(request, national_code)
    if refusal:
        return refusal
    centers = selectors.active_centers()
    if request.method != "POST":
        return _render_form(
            request, version=version, draft=None, form=_unbound_form(None, centers), centers=centers
        )
    if request.POST.get("action") == "card":
        text = request.POST.get("card", "")
        card = read_card(text)
        if card is None:
            return _render_form(
                request,
                version=version,
                draft=None,
                form=_unbound_form(None, centers),
                centers=centers,
                card_error=str(CARD_ERROR),
                card_text=text[:500],
                status=422,
            )
        form = _unbound_form(None, centers, _card_initial(card))
        return _render_form(
            request,
            version=version,
            draft=None,
            form=form,
            centers=centers,
            notice=_("The fields were filled from the ID card. Check them, then continue."),
        )
    if not hit("draft", client_ip(request), limit=DRAFTS_PER_HOUR, window_seconds=3600):
        response = render(
            request,
            "portal/message.html",
            {
                "title": _("Too many drafts"),
                "message": _(
                    "Too many drafts were started from this connection. Please try again in an hour."
                ),
            },
            status=429,
        )
        return _private(response)
    draft = services.draft_create(procedure_version=version)
    return _handle_post(request, selectors.draft_get(draft.token), centers)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@handles_gone_drafts
def draft_page(request: HttpRequest, token) -> HttpResponse:
    draft = _draft_or_404(token)
    if draft.dossier_id:
        return _done(request, draft)
    centers = selectors.active_centers()
    if request.method == "POST":
        return _handle_post(request, draft, centers)
    notice = _("Your draft is saved.") if request.GET.get("luu") else ""
    if request.GET.get("the"):
        notice = _("The fields were filled from the ID card. Check them, then continue.")
    return _render_form(
        request,
        version=draft.procedure_version,
        draft=draft,
        form=_unbound_form(draft, centers),
        centers=centers,
        notice=notice,
    )


def _handle_post(request: HttpRequest, draft: Draft, centers) -> HttpResponse:
    version = draft.procedure_version
    action = request.POST.get("action", "save")
    url = reverse("portal:draft", args=[draft.token])
    try:
        if action == "card":
            text = request.POST.get("card", "")
            card = read_card(text)
            if card is None:
                return _render_form(
                    request,
                    version=version,
                    draft=draft,
                    form=_unbound_form(draft, centers),
                    centers=centers,
                    card_error=str(CARD_ERROR),
                    card_text=text[:500],
                    status=422,
                )
            services.draft_save(draft=draft, applicant=card_values(card))
            return redirect(f"{url}?the=1#applicant", permanent=False)

        form = ApplicantForm(request.POST, center_ids=[c.pk for c in centers], complete=False)
        form.is_valid()
        center = False
        if "center" in form.cleaned_data:
            picked = form.cleaned_data["center"]
            center = next((c for c in centers if c.pk == picked), None)
        values = form.valid_values()
        values["waived"] = [
            c.pk
            for c in version.components.all()
            if c.mandatory and c.condition and request.POST.get(f"waive_{c.pk}")
        ]
        services.draft_save(draft=draft, center=center, applicant=values)

        file_errors: dict[int, str] = {}
        remove = request.POST.get("remove")
        if remove:
            services.draft_file_remove(draft=draft, file_id=remove)
        for component in version.components.all():
            upload = request.FILES.get(f"file_{component.pk}")
            if upload is None:
                continue
            try:
                services.draft_file_add(draft=draft, component_id=component.pk, upload=upload)
            except ValidationFailed as exc:
                file_errors[component.pk] = exc.message
    except DomainError as exc:  # e.g. submitted meanwhile from another tab
        if exc.code == "draft_submitted":
            return redirect(url)
        raise
    draft = selectors.draft_get(draft.token)
    if form.errors or file_errors:
        return _render_form(
            request,
            version=version,
            draft=draft,
            form=form,
            centers=centers,
            file_errors=file_errors,
            status=422,
        )
    if action == "review":
        problems = services.draft_problems(draft)
        if problems:
            for problem in problems:
                if problem.field.startswith("file_"):
                    file_errors[int(problem.field[5:])] = problem.message
                else:
                    form.add_error(problem.field, problem.message)
            return _render_form(
                request,
                version=version,
                draft=draft,
                form=form,
                centers=centers,
                file_errors=file_errors,
                status=422,
            )
        return redirect(reverse("portal:draft_review", args=[draft.token]))
    if remove:
        return redirect(f"{url}#papers")
    return redirect(f"{url}?luu=1")


# -- review and submit ----------------------------------------------------------------------------
@never_cache
@require_safe
@handles_gone_drafts
def draft_review(request: HttpRequest, token) -> HttpResponse:
    draft = _draft_or_404(token)
    if draft.dossier_id:
        return redirect(reverse("portal:draft", args=[draft.token]))
    if services.draft_problems(draft):
        return redirect(reverse("portal:draft", args=[draft.token]))
    return _review(request, draft)


def _review(request, draft: Draft, error: str = "", status: int = 200, problems=()) -> HttpResponse:
    version = draft.procedure_version
    files = list(draft.files.all())
    waived = services.waived_components(draft)
    components = [
        (c, [f for f in files if f.component_id == c.pk], c.pk in waived and bool(c.condition))
        for c in version.components.all()
    ]
    names = {f"file_{c.pk}": c.name for c in version.components.all()}
    context = {
        "draft": draft,
        "version": version,
        "procedure": version.procedure,
        "applicant": applicant_initial(draft.applicant),
        "result_label": dict(result_choices()).get(draft.applicant.get("result_delivery") or "electronic"),
        "components": components,
        "error": error,
        # everything still missing, at once (a file removed in another tab, say)
        "problems": [f"{names[p.field]}: {p.message}" if p.field in names else p.message for p in problems],
    }
    return _private(render(request, "portal/filing_review.html", context, status=status))


@never_cache
@require_POST
@handles_gone_drafts
def draft_submit(request: HttpRequest, token) -> HttpResponse:
    draft = _draft_or_404(token)
    if not draft.dossier_id:
        problems = services.draft_problems(draft)
        if problems:
            return _review(
                request, draft, error=_("The dossier cannot be submitted yet:"), status=422, problems=problems
            )
    try:
        services.draft_submit(draft=draft)
    except DomainError as exc:
        return _review(request, draft, error=exc.message, status=exc.status if exc.status < 500 else 400)
    return redirect(reverse("portal:draft", args=[draft.token]))


def _done(request: HttpRequest, draft: Draft) -> HttpResponse:
    dossier = draft.dossier
    url = mail.tracking_url(dossier.code, dossier.secret)
    context = {
        "draft": draft,
        "dossier": dossier,
        "version": draft.procedure_version,
        "center": dossier.receiving_center,
        "secret": mail.secret_text(dossier.secret),
        "tracking_path": reverse("dossiers:track", args=[dossier.code]) + "?s=" + dossier.secret,
        "tracking_url": url,
        "qr_svg": qr.svg_inline(url, title=_("QR code to follow the dossier")),
        "email": draft.applicant.get("email", ""),
        "email_state": mail.sent_state(mail.submitted_key(dossier.code)),
    }
    return _private(render(request, "portal/filing_done.html", context))
