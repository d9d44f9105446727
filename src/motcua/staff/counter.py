"""The counter reception desk (/quay/): the page a desk officer uses 40-50 times a day.

One page: find the procedure (accent-insensitive), scan the citizen ID card into the focused field
(a keyboard-wedge scanner types the QR string and Enter; htmx sends it to `scan` which fills the
applicant fields without submitting anything), tick the papers, attach scans or re-use earlier
ones, then one click: receive, ask for supplements or refuse. The form, its scans and re-uses go
in one POST: the dossier is made by `services.dossier_intake` and the scans are attached in the
same transaction, under an Idempotency-Key (one per rendered form), so a double click or a retry
never makes a second dossier. The slip opens ready to print on the next page.
"""

from __future__ import annotations

import json
import re
import uuid

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.catalog import rules as catalog_rules
from motcua.catalog import selectors as catalog
from motcua.core import idempotency
from motcua.core.errors import DomainError
from motcua.core.text import nfc, search_key
from motcua.dossiers import documents, reuse, services
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.codes import CODE_RE
from motcua.identity.cccd import CCCDError, parse_cccd_qr
from motcua.security.services import presence_record
from motcua.units.models import Role

from . import eform_views, selectors
from .access import staff_required
from .forms import IntakeForm

SEARCH_LIMIT = 12
REUSE_LIMIT = 20
MAX_FILES_PER_COMPONENT = 10
DECISIONS = {"receive": "receive", "supplement": "supplement", "refuse": "refuse"}
ID_NUMBER = re.compile(r"^(\d{9}|\d{12})$")


# -- reads ----------------------------------------------------------------------------------------
def _version(national_code: str):
    if not national_code:
        return None
    return (
        catalog.procedure_versions_in_force(catalog.today_local())
        .filter(procedure__national_code=national_code)
        .prefetch_related("components")
        .first()
    )


def _search(query: str):
    if not nfc(query):
        return []
    return list(catalog.procedure_versions_in_force(catalog.today_local(), query=query[:200])[:SEARCH_LIMIT])


def _dossier_by_code(user, query: str):
    """A dossier code typed (or scanned from a slip's QR) into the search: that dossier, in the
    user's units. Codes look like H15.50.05.13-261008-0975; lower case and spaces are forgiven."""
    code = "".join(nfc(query).split()).upper()
    if not CODE_RE.match(code):
        return None
    return dossier_selectors.dossiers_for_user(user).filter(code=code).first()


def _frequent(user) -> list:
    codes = [
        row["procedure_version__procedure__national_code"] for row in selectors.frequent_procedures(user)
    ]
    if not codes:
        return []
    versions = {
        v.procedure.national_code: v
        for v in catalog.procedure_versions_in_force(catalog.today_local()).filter(
            procedure__national_code__in=codes
        )
    }
    return [versions[c] for c in codes if c in versions]


def _center(centers: list, wanted=None):
    if not centers:
        return None
    for center in centers:
        if wanted is not None and str(center.pk) == str(wanted):
            return center
    return centers[0]


def _component_rows(version, data=None) -> list[dict]:
    """The checklist as the template shows it, with what was ticked/typed when re-shown."""
    rows = []
    for component in version.components.all():
        key = str(component.pk)
        rows.append(
            {
                "component": component,
                "provided": bool(data and data.get(f"provided-{key}")),
                "required": (
                    bool(data.get(f"required-{key}"))
                    if data is not None and "p" in data
                    else component.mandatory
                ),
                "problem": data.get(f"problem-{key}", "") if data else "",
            }
        )
    return rows


def _reusable(
    request: HttpRequest, id_number: str, version, chosen: dict[int, int] | None = None, center=None
) -> list[dict]:
    """Earlier scans of this citizen with the component of `version` they most likely are (a
    hint only: re-use is the officer's choice, since a form filled for one dossier is no paper
    for the next). Other communes' papers only after the card was scanned here (`dossiers.reuse`)."""
    id_number = nfc(id_number).replace(" ", "")
    if not ID_NUMBER.match(id_number):
        return []
    by_key = {search_key(c.name): c.pk for c in version.components.all()} if version else {}
    found, _present = reuse.reusable_list(
        actor=request.user,
        applicant_id_number=id_number,
        version=version,
        originals_only=True,
        limit=REUSE_LIMIT,
        center_id=getattr(center, "pk", None),
        request=request,
    )
    return [
        {
            "document": d,
            "suggested": by_key.get(search_key(d.component.name)) if d.component_id else None,
            "chosen": (chosen or {}).get(d.pk),
        }
        for d in found
    ]


def _context(request: HttpRequest, *, version=None, form=None, data=None, error="", errors=None) -> dict:
    user = request.user
    centers = selectors.desk_centers(user)
    center = _center(centers, (data or {}).get("center") or request.GET.get("center"))
    query = request.GET.get("q", "")[:200]
    context = {
        "centers": centers,
        "center": center,
        "query": query,
        "results": _search(query),
        "found_dossier": _dossier_by_code(user, query),
        "frequent": [] if query else _frequent(user),
        "version": version,
        "error": error,
        "errors": errors or [],
    }
    if version is not None and center is not None:
        if form is None:
            form = IntakeForm(
                initial={
                    "p": version.procedure.national_code,
                    "idempotency_key": uuid.uuid4().hex,
                    "center": center.pk,
                    "channel": "counter",
                    "result_delivery": "counter",
                }
            )
        context.update(
            {
                "form": form,
                "components": _component_rows(version, data),
                "handling_centers": list(selectors.province_centers(center)) if version.boundary_free else [],
                "reusable": (
                    _reusable(
                        request, data.get("id_number", ""), version, _reuse_choices(version, data), center
                    )
                    if data
                    else []
                ),
                "id_number": (data or {}).get("id_number", ""),
                "counts": catalog_rules.fee_counts(fee.kind for fee in version.fees.all()),
            }
        )
    return context


# -- pages ----------------------------------------------------------------------------------------
@staff_required(Role.DESK_OFFICER)
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _submit(request)
    code = request.GET.get("p", "")[:40]
    version = _version(code)
    context = _context(request, version=version)
    if code and version is None:
        context["error"] = _("No procedure %(code)s is in force today.") % {"code": code}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "intake":
        return render(request, "staff/_intake.html", context)
    if version is None:
        context["waiting"] = selectors.desk_waiting(request.user, context["centers"])
    return render(request, "staff/desk.html", context)


@staff_required(Role.DESK_OFFICER)
@require_safe
def procedure_search(request: HttpRequest) -> HttpResponse:
    """The search results as an htmx fragment (typed-ahead, accent-insensitive)."""
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "staff/_procedure_results.html",
        {
            "query": query,
            "results": _search(query),
            "found_dossier": _dossier_by_code(request.user, query),
            "frequent": [] if query else _frequent(request.user),
        },
    )


def _present(request: HttpRequest, card, raw: str):
    """The card was read at this desk: the server-side proof of the citizen's presence (consent to
    re-use their papers from other communes). Returns the desk's center."""
    center = _center(selectors.desk_centers(request.user), request.POST.get("center"))
    if center is not None:
        presence_record(officer=request.user, center=center, id_number=card.id_number, raw_card=raw)
    return center


@staff_required(Role.DESK_OFFICER)
@require_POST
def scan(request: HttpRequest) -> HttpResponse:
    """Read the ID card QR string the scanner typed; answer the filled applicant fields (htmx
    out-of-band) and the citizen's earlier papers. Only the proof of presence is saved."""
    raw = request.POST.get("scan", "")
    try:
        card = parse_cccd_qr(raw)
    except CCCDError as exc:
        return render(
            request,
            "staff/_scan_status.html",
            {
                "error": _(
                    "This is not the QR code of a citizen ID card (7 fields separated by “|”). Scan "
                    "again, or type the details below."
                ),
                "detail": str(exc),
            },
        )
    version = _version(request.POST.get("p", "")[:40])
    center = _present(request, card, raw)
    values = {
        "applicant_name": card.full_name,
        "id_number": card.id_number,
        "birth_date": card.birth_date.strftime("%d/%m/%Y"),
        "address": card.address,
        "phone": request.POST.get("phone", "")[:20],
    }
    form = IntakeForm(initial=values)
    response = render(
        request,
        "staff/_scan_status.html",
        {
            "card": card,
            "form": form,
            "oob": True,
            "version": version,
            "reusable": _reusable(request, card.id_number, version, center=center),
            "id_number": card.id_number,
        },
    )
    response["HX-Trigger"] = json.dumps({"cccd-read": {"id_number": card.id_number}})
    return response


@staff_required(Role.DESK_OFFICER)
@require_safe
def reusable(request: HttpRequest) -> HttpResponse:
    """Earlier digitized papers of the citizen whose ID number was just typed (htmx fragment)."""
    id_number = nfc(request.GET.get("id_number", "")[:20]).replace(" ", "")
    id_number = id_number if ID_NUMBER.match(id_number) else ""
    version = _version(request.GET.get("p", "")[:40])
    center = _center(selectors.desk_centers(request.user), request.GET.get("center"))
    return render(
        request,
        "staff/_reuse.html",
        {
            "reusable": _reusable(request, id_number, version, center=center),
            "version": version,
            "id_number": id_number,
        },
    )


# -- the intake POST ------------------------------------------------------------------------------
def component_checks(version, data, reused: set[int]) -> list[services.ComponentCheck]:
    """What the officer ticked. A component with a re-used earlier scan counts as provided:
    a digitized paper need not be handed in again."""
    checks = []
    for component in version.components.all():
        key = str(component.pk)
        required = bool(data.get(f"required-{key}")) if component.condition else None
        checks.append(
            services.ComponentCheck(
                component_id=component.pk,
                provided=bool(data.get(f"provided-{key}")) or component.pk in reused,
                problem=nfc(data.get(f"problem-{key}", ""))[:1000],
                required=required,
            )
        )
    return checks


def _reuse_choices(version, data) -> dict[int, int]:
    """{earlier document id: component id} from the re-use selects."""
    components = {c.pk for c in version.components.all()}
    chosen = {}
    for key, value in data.items():
        if key.startswith("reuse-") and value:
            try:
                document_id, component_id = int(key[6:]), int(value)
            except ValueError:
                continue
            if component_id in components:
                chosen[document_id] = component_id
    return chosen


def _uploads(request: HttpRequest, version) -> tuple[list[tuple[int, object, str]], list[str]]:
    """Every scan sent with the form, checked (type read from the bytes) before anything is made."""
    uploads, problems = [], []
    for component in version.components.all():
        files = request.FILES.getlist(f"file-{component.pk}")
        if len(files) > MAX_FILES_PER_COMPONENT:
            problems.append(_("At most %(n)d files per paper.") % {"n": MAX_FILES_PER_COMPONENT})
            continue
        for upload in files:
            label = documents.clean_file_name(upload.name) or _("unnamed file")
            try:
                inspected = documents.inspect_upload(upload, label)
            except DomainError as exc:
                problems.append(exc.message)
                continue
            uploads.append((component.pk, upload, inspected.sha256))
    return uploads, problems


def _fingerprint(data, uploads) -> str:
    fields = sorted((k, v) for k, v in data.lists() if k not in ("csrfmiddlewaretoken", "idempotency_key"))
    return idempotency.request_fingerprint(
        ["staff counter intake", fields, [(c, sha) for c, _u, sha in uploads]]
    )


def _redisplay(request: HttpRequest, version, form, *, error="", errors=None, status=422) -> HttpResponse:
    data = request.POST
    context = _context(request, version=version, form=form, data=data, error=error, errors=errors)
    if request.FILES:
        context["errors"] = [
            *context["errors"],
            _("Files are not kept when the form is shown again: choose the scans again."),
        ]
    return render(request, "staff/desk.html", context, status=status)


def _submit(request: HttpRequest) -> HttpResponse:
    user = request.user
    data = request.POST
    version = _version(data.get("p", "")[:40])
    if version is None:
        raise Http404(_("No such procedure is in force today."))
    form = IntakeForm(data)
    decision = data.get("decision", "")
    if decision not in DECISIONS:
        # Enter in a field (or the scan without JavaScript): fill from the card, never submit.
        return _fill_from_scan(request, version, form)
    if not form.is_valid():
        return _redisplay(request, version, form, errors=[_("Check the fields marked below.")])
    centers = selectors.desk_centers(user)
    center = next((c for c in centers if c.pk == form.cleaned_data["center"]), None)
    if center is None:
        raise Http404(_("Service center not found."))
    handling = None
    if version.boundary_free and form.cleaned_data.get("handling_center"):
        handling = selectors.province_centers(center).filter(pk=form.cleaned_data["handling_center"]).first()
    reuse = _reuse_choices(version, data)
    uploads, problems = _uploads(request, version)
    declaration = eform_views.read(version, data)  # the filled e-form, if any (stored on receipt)
    problems += declaration.problems if declaration and decision == "receive" else []
    if problems:
        return _redisplay(request, version, form, errors=problems)
    cleaned = form.cleaned_data

    def run():
        result = services.dossier_intake(
            actor=user,
            center=center,
            procedure_version=version,
            channel=cleaned["channel"],
            applicant=services.Applicant(
                name=cleaned["applicant_name"],
                id_number=cleaned["id_number"],
                birth_date=cleaned.get("birth_date"),
                phone=cleaned["phone"],
                address=cleaned["address"],
            ),
            components=component_checks(
                version, data, set(reuse.values()) | eform_views.provided(version, declaration)
            ),
            decision=DECISIONS[decision],
            reason=cleaned["reason"],
            handling_center=handling,
            postal_tracking_number=cleaned["postal_tracking_number"] if cleaned["channel"] == "post" else "",
            result_delivery=cleaned["result_delivery"],
            pages=cleaned.get("pages") or 1,
            copies=cleaned.get("copies") or 1,
        )
        dossier = result.dossier  # the ticket being served is linked by the queue (an intake listener)
        if result.received:
            for component_id, upload, _sha in uploads:
                documents.document_upload(
                    actor=user, dossier=dossier, component_id=component_id, upload=upload
                )
            for document_id, component_id in reuse.items():
                documents.document_reuse(
                    actor=user,
                    dossier=dossier,
                    component_id=component_id,
                    source_document_id=document_id,
                    request=request,
                )
            if declaration is not None:
                eform_views.attach(actor=user, dossier=dossier, entry=declaration)
        return 201, {"dossier": dossier.pk}

    try:
        _status, body = idempotency.idempotent(
            key=cleaned["idempotency_key"],
            scope=f"user:{user.pk}",
            fingerprint=_fingerprint(data, uploads),
            run=run,
        )
    except DomainError as exc:
        if exc.code == "idempotency_conflict":
            return _redisplay(
                request,
                version,
                form,
                status=409,
                error=_(
                    "This form was already sent with other details. "
                    "Open a new intake to receive another dossier."
                ),
            )
        return _redisplay(request, version, form, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("staff:counter_result", args=[body["dossier"]]), status=303)


def _fill_from_scan(request: HttpRequest, version, form: IntakeForm) -> HttpResponse:
    """Without JavaScript the scanner's Enter submits the form: read the card and show the form
    again with the applicant filled in. No dossier is made."""
    data = request.POST.copy()
    raw = data.get("scan", "")
    error = ""
    if raw:
        try:
            card = parse_cccd_qr(raw)
        except CCCDError as exc:
            error = _(
                "This is not the QR code of a citizen ID card (7 fields separated by “|”). Scan "
                "again, or type the details below."
            )
            error = f"{error} ({exc})"
        else:
            _present(request, card, raw)
            for key, value in {
                "applicant_name": card.full_name,
                "id_number": card.id_number,
                "birth_date": card.birth_date.strftime("%d/%m/%Y"),
                "address": card.address,
            }.items():
                data[key] = value
    data["scan"] = ""
    form = IntakeForm(data)
    form.errors.clear()  # not a submission: show the values, not "required" errors
    context = _context(request, version=version, form=form, data=data, error=error)
    return render(request, "staff/desk.html", context, status=200)
