"""The declaration e-form on the counter desk ("citizens don't write").

When the procedure has an e-form, the intake page shows it under the applicant: the ID-card scan
fills it (never over what the officer typed) together with what the applicant declared before,
the citizen signs on the tablet (a canvas) or the officer prints it for a handwritten signature.
Sent with the intake, a filled form counts as the declaration paper and is stored as its PDF.
Fields are posted as `ef-<key>`, the drawn signature as a PNG data URL in `ef_signature`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog import selectors as catalog
from motcua.catalog.eform import FormSpec, clean_values, prefill, sections
from motcua.eforms import pdf, services
from motcua.eforms.selectors import earlier_values, form_component, version_form
from motcua.eforms.signature import SignatureError, signature_png
from motcua.identity.cccd import CCCDError, parse_cccd_qr
from motcua.units.models import Role

from . import selectors
from .access import staff_required

PREFIX = "ef-"


@dataclass
class Entry:
    """The e-form as sent with an intake."""

    form: FormSpec
    values: dict[str, str]
    signature: bytes | None = None
    problems: list[str] = field(default_factory=list)


def _raw(form: FormSpec, data) -> dict[str, str]:
    return {f.key: str(data.get(PREFIX + f.key, ""))[:400] for f in form.fields}


def read(version, data) -> Entry | None:
    """The filled e-form of an intake POST; None when the procedure has none or nothing was typed
    (the officer then receives a scanned or handwritten declaration as before)."""
    form = version_form(version)
    if form is None:
        return None
    raw = _raw(form, data)
    if not any(v.strip() for v in raw.values()):
        return None
    values, problems = clean_values(form, raw)
    entry = Entry(form=form, values=values)
    for key, message in problems.items():
        entry.problems.append(
            _("Declaration, %(label)s: %(problem)s") % {"label": form.field(key).label, "problem": message}
        )
    try:
        entry.signature = signature_png(data.get("ef_signature"))
    except SignatureError as exc:
        entry.problems.append(str(exc))
    return entry


def provided(version, entry: Entry | None) -> set[int]:
    """The component a complete e-form stands for (counted as handed in)."""
    if entry is None or entry.problems:
        return set()
    component = form_component(version, entry.form)
    return {component.pk} if component else set()


def attach(*, actor, dossier, entry: Entry):
    return services.declaration_attach(
        actor=actor, dossier=dossier, values=entry.values, signature=entry.signature
    )


# -- what the page shows --------------------------------------------------------------------------
def form_context(version, data=None, *, card=None, earlier=None, errors=None) -> dict | None:
    form = version_form(version)
    if form is None:
        return None
    current = _raw(form, data) if data is not None else {}
    values = prefill(form, current=current, card=card, earlier=earlier)
    if errors is None and data is not None and any(current.values()):
        errors = clean_values(form, current)[1]
    return {
        "form": form,
        "sections": [
            (
                heading,
                [
                    {"field": f, "value": values.get(f.key, ""), "error": (errors or {}).get(f.key, "")}
                    for f in fs
                ],
            )
            for heading, fs in sections(form)
        ],
        "component": form_component(version, form),
        "national_code": version.procedure.national_code,
    }


def _version(request: HttpRequest):
    code = request.POST.get("p", "")[:40]
    version = (
        catalog.procedure_versions_in_force(catalog.today_local())
        .filter(procedure__national_code=code)
        .prefetch_related("components")
        .first()
        if code
        else None
    )
    if version is None or not version.form:
        raise Http404(_("No such procedure is in force today."))
    return version


@staff_required(Role.DESK_OFFICER)
@require_POST
def fill(request: HttpRequest) -> HttpResponse:
    """The e-form's fields filled from the scanned card and the applicant's earlier declarations,
    keeping every value already there. Nothing is saved."""
    version = _version(request)
    card, problem = None, ""
    if request.POST.get("scan", "").strip():
        try:
            card = parse_cccd_qr(request.POST["scan"])
        except CCCDError as exc:
            problem = str(exc)
    id_number = card.id_number if card else request.POST.get(PREFIX + "requester_id_number", "")
    earlier = earlier_values(request.user, id_number)
    context = form_context(version, request.POST, card=card, earlier=earlier, errors={})
    context["problem"] = problem
    context["filled_from"] = card is not None
    return render(request, "staff/_eform_fields.html", context)


@staff_required(Role.DESK_OFFICER)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The declaration as it stands, to print for a handwritten signature (or to check)."""
    version = _version(request)
    form = version_form(version)
    values, _problems = clean_values(form, _raw(form, request.POST))
    try:
        signature = signature_png(request.POST.get("ef_signature"))
    except SignatureError:
        signature = None
    centers = selectors.desk_centers(request.user)
    center = next(
        (c for c in centers if str(c.pk) == request.POST.get("center")), centers[0] if centers else None
    )
    paper = services.paper_for(version, center, catalog.today_local(), "Bản nháp, chưa tiếp nhận")
    response = HttpResponse(pdf.render(form, values, paper, signature), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="to-khai-{version.procedure.national_code}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
