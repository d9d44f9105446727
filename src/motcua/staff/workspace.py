"""The workspace of specialists and leaders: the inbox (/viec/), the dossier page (/ho-so/<code>/)
with its documents, history, slips and actions, and the leaders' approval queue (/phe-duyet/).

Every dossier is read through `dossier_get_for_user` (outside the user's units it does not exist);
the action buttons are exactly `services.available_actions(dossier, user)` and each one calls
`services.dossier_act`, whose refusal is shown on the page with nothing changed.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.catalog.models import Field
from motcua.core import idempotency
from motcua.core.errors import DomainError, NotFound
from motcua.dossiers import documents, lifecycle, scans, services, slips
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Dossier, IntakeChannel
from motcua.security.models import ReadAction
from motcua.security.services import dossier_read_record
from motcua.units.models import Role, StaffRole
from motcua.workdays.selectors import calendar_for_center

from . import labels, selectors
from .access import staff_required
from .forms import RETURN_METHODS, ActionForm

PAGE_SIZE = 25
QUEUE_LIMIT = 100
WHO = ("all", "department", "mine")


# What each action asks for, besides the button.
def _get(user, ref: str) -> Dossier:
    try:
        return dossier_selectors.dossier_get_for_user(user, ref)
    except NotFound:
        raise Http404(_("Dossier not found.")) from None


def ref_of(dossier: Dossier) -> str:
    return dossier.code or str(dossier.pk)


class Calendars:
    """One calendar per handling center, built once per request."""

    def __init__(self):
        self._by_center: dict[int, object] = {}

    def __call__(self, center):
        if center.pk not in self._by_center:
            self._by_center[center.pk] = calendar_for_center(center)
        return self._by_center[center.pk]


def _steps_by_position(dossier: Dossier) -> dict[int, object]:
    return {s.position: s for s in services.processing_steps(dossier.procedure_version)}


def _rows(dossiers) -> list[dict]:
    calendars = Calendars()
    rows = []
    for dossier in dossiers:
        steps = _steps_by_position(dossier)
        step = steps.get(dossier.step_position)
        rows.append(
            {
                "dossier": dossier,
                "ref": ref_of(dossier),
                "step": step,
                "deadline": dossier_selectors.deadline_status(dossier, calendars(dossier.center)),
            }
        )
    return rows


# -- inbox ----------------------------------------------------------------------------------------
@staff_required()
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    get = request.GET
    open_states = [s.value for s in lifecycle.OPEN]
    state = get.get("state", "") if get.get("state", "") in open_states else ""
    channel = get.get("channel", "") if get.get("channel", "") in IntakeChannel.values else ""
    who = get.get("who", "all") if get.get("who") in WHO else "all"
    procedure, field = get.get("procedure", "")[:40], get.get("field", "")[:40]
    qs = dossier_selectors.inbox(
        user,
        state=state or None,
        procedure=procedure or None,
        field=field or None,
        channel=channel or None,
        mine=who == "mine",
    )
    departments = list(
        StaffRole.objects.filter(user=user, department__isnull=False).values_list("department_id", flat=True)
    )
    if who == "department":
        qs = qs.filter(department_id__in=departments)
    qs = qs.prefetch_related("procedure_version__steps").order_by(F("due_at").asc(nulls_last=True), "id")
    page = Paginator(qs, PAGE_SIZE).get_page(get.get("page"))
    procedures = (
        dossier_selectors.dossiers_for_user(user)
        .filter(state__in=open_states)
        .values_list("procedure_version__procedure__national_code", "procedure_version__name")
        .order_by("procedure_version__name")
        .distinct()
    )
    context = {
        "page": page,
        "rows": _rows(page.object_list),
        "filters": {"state": state, "channel": channel, "who": who, "procedure": procedure, "field": field},
        "states": [(s, labels.state(s)) for s in open_states],
        "channels": [(c, labels.channel(c)) for c in IntakeChannel.values],
        "fields": Field.objects.order_by("name").values_list("code", "name"),
        "procedures": list(dict.fromkeys(procedures)),
        "has_department": bool(departments),
        "filtered": any((state, channel, procedure, field, who != "all")),
    }
    return render(request, "staff/inbox.html", context)


# -- the dossier page -----------------------------------------------------------------------------
def _event_details(event) -> list[str]:
    payload = event.payload or {}
    details = []
    if payload.get("assignee_name"):
        details.append(_("Assigned to %(name)s") % {"name": payload["assignee_name"]})
    for problem in payload.get("problems") or []:
        details.append(
            problem["name"] + (f": {problem['problem']}" if problem.get("problem") else "")
            if isinstance(problem, dict)
            else str(problem)
        )
    if payload.get("agency"):
        details.append(_("Agency: %(agency)s") % {"agency": payload["agency"]})
    if payload.get("method"):
        details.append(_("Returned: %(method)s") % {"method": labels.return_method(payload["method"])})
    return details


def _dossier_context(
    request: HttpRequest,
    dossier: Dossier,
    *,
    error: str = "",
    failed_action: str = "",
    form: ActionForm | None = None,
) -> dict:
    user = request.user
    prefetch_related_objects([dossier], "procedure_version__steps", "procedure_version__components")
    steps = services.processing_steps(dossier.procedure_version)
    by_position = {s.position: s for s in steps}
    step = by_position.get(dossier.step_position)
    actions = services.available_actions(dossier, user)
    later = [s for s in steps if step is not None and s.position > step.position]
    earlier = [s for s in steps if step is not None and s.position < step.position]
    staff_cache: dict[frozenset, list] = {}

    def staff(roles) -> list:
        key = frozenset(roles)
        if key not in staff_cache:
            staff_cache[key] = selectors.assignable_staff(dossier.center_id, set(roles))
        return staff_cache[key]

    forms = []
    for name in actions:
        declared = lifecycle.get(name)
        fields = tuple(f for f in declared.inputs if f != "next_assignee" or later)
        entry = {
            "name": name,
            "label": labels.action(name),
            "fields": fields,
            "needs_reason": declared.needs_reason,
            "key": uuid.uuid4().hex,
            "open": name == failed_action,
        }
        if "assignee" in fields:
            entry["assignees"] = staff({step.role} if step else {Role.SPECIALIST, Role.LEADER})
        if "next_assignee" in fields and later:
            entry["next_step"] = later[0]
            entry["assignees"] = staff({later[0].role})
        if "to_step" in fields:
            entry["earlier"] = earlier
        if "method" in fields:
            entry["methods"] = RETURN_METHODS
        forms.append(entry)
    events = list(dossier_selectors.dossier_events(dossier))
    calendar = calendar_for_center(dossier.center)
    return {
        "dossier": dossier,
        "ref": ref_of(dossier),
        "step": step,
        "steps": steps,
        "deadline": dossier_selectors.deadline_status(dossier, calendar),
        "events": [
            {"event": e, "label": labels.event(e.action), "details": _event_details(e)} for e in events
        ],
        "documents": list(
            dossier.documents.select_related("component").order_by("component__position", "id")
        ),
        "slips": [(number, labels.slip(number)) for number in slips.slips_available(dossier)],
        "actions": actions,
        "action_forms": forms,
        "error": error,
        "failed_action": failed_action,
        "form": form,
    }


@staff_required()
@require_safe
def dossier_page(request: HttpRequest, ref: str) -> HttpResponse:
    dossier = _get(request.user, ref)
    dossier_read_record(user=request.user, dossier=dossier, request=request)
    return render(request, "staff/dossier.html", _dossier_context(request, dossier))


@staff_required()
@require_POST
def dossier_action(request: HttpRequest, ref: str, action: str) -> HttpResponse:
    user = request.user
    dossier = _get(user, ref)
    form = ActionForm(request.POST)
    declared = lifecycle.get(action)
    if declared is None or not declared.offered:
        raise Http404(_("Unknown action."))

    def redisplay(message: str, status: int) -> HttpResponse:
        context = _dossier_context(request, dossier, error=message, failed_action=action, form=form)
        return render(request, "staff/dossier.html", context, status=status)

    if not form.is_valid():
        return redisplay(" ".join(str(e) for errors in form.errors.values() for e in errors), 422)
    data = form.cleaned_data
    assignee = data.get("assignee")

    def run():
        changed = services.dossier_act(
            actor=user,
            dossier=dossier,
            action=action,
            reason=data.get("reason") or "",
            assignee_id=assignee,
            to_step=data.get("to_step"),
            new_due=data.get("new_due"),
            agency=data.get("agency") or "",
            budget_days=data.get("budget_days"),
            method=data.get("method") or "",
            problems=form.problem_list(),
        )
        return 200, {"dossier": changed.pk, "state": changed.state}

    fingerprint = idempotency.request_fingerprint(
        [
            "staff action",
            ref,
            action,
            sorted(
                (k, v) for k, v in request.POST.lists() if k not in ("csrfmiddlewaretoken", "idempotency_key")
            ),
        ]
    )
    try:
        idempotency.idempotent(
            key=data.get("idempotency_key") or None, scope=f"user:{user.pk}", fingerprint=fingerprint, run=run
        )
    except DomainError as exc:
        dossier.refresh_from_db()
        return redisplay(exc.message, exc.status)
    messages.success(request, _("Done: %(action)s.") % {"action": labels.action(action)})
    back = request.POST.get("next", "")
    if back.startswith(reverse("staff:counter")) and url_has_allowed_host_and_scheme(back, None):
        return HttpResponseRedirect(back, status=303)  # the counter's buttons return to the counter
    return HttpResponseRedirect(reverse("staff:dossier", args=[ref_of(dossier)]), status=303)


# -- documents and slips --------------------------------------------------------------------------
@staff_required()
@require_safe
@xframe_options_sameorigin
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    try:
        handle, content_type, name = documents.document_open(
            user=request.user, document_id=pk, request=request
        )
    except NotFound:
        raise Http404(_("Document not found.")) from None
    return scans.file_response(handle, content_type=content_type, name=name)


@staff_required()
@require_safe
def document_viewer(request: HttpRequest, pk: int) -> HttpResponse:
    """The inline viewer of one scan (htmx fragment): PDFs in a frame, images as images."""
    document = documents.documents_for_user(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404(_("Document not found."))
    return render(request, "staff/_viewer.html", {"document": document})


@staff_required()
@require_safe
@xframe_options_sameorigin
def slip_pdf(request: HttpRequest, ref: str, kind: str) -> HttpResponse:
    dossier = _get(request.user, ref)
    try:
        pdf = slips.render_slip(dossier, kind)
    except DomainError as exc:
        return render(request, "staff/forbidden.html", {"message": exc.message}, status=404)
    number = slips.slip_kind(kind)
    dossier_read_record(
        user=request.user,
        dossier=dossier,
        action=ReadAction.SLIP_VIEW,
        request=request,
        target=f"{ref_of(dossier)} · {number}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{ref_of(dossier)}-{number}.pdf"'
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response


# -- the approval queue ---------------------------------------------------------------------------
@staff_required(Role.LEADER)
@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    user = request.user
    report = None
    if request.method == "POST":
        report = _bulk_approve(request)
        if not report["failed"]:
            for line in report["ok"]:
                messages.success(request, _("Approved: %(code)s.") % {"code": line})
            return HttpResponseRedirect(reverse("staff:approvals"), status=303)
    qs = selectors.approval_queue(user).prefetch_related("procedure_version__steps")
    dossiers = list(qs[:QUEUE_LIMIT])
    return render(
        request,
        "staff/approvals.html",
        {
            "rows": _rows(dossiers),
            "count": len(dossiers),
            "more": qs.count() if len(dossiers) == QUEUE_LIMIT else 0,
            "report": report,
        },
    )


def _bulk_approve(request: HttpRequest) -> dict:
    """Each approval its own `dossier_act` (its own transaction): one refused dossier does not stop
    the others, and the page says which succeeded and which did not, and why."""
    user = request.user
    ok, failed = [], []
    for ref in list(dict.fromkeys(request.POST.getlist("dossier")))[:QUEUE_LIMIT]:
        dossier = None
        try:
            dossier = dossier_selectors.dossier_get_for_user(user, ref)
            services.dossier_act(actor=user, dossier=dossier, action="approve")
        except DomainError as exc:
            failed.append({"ref": ref_of(dossier) if dossier else ref, "message": exc.message})
        else:
            ok.append(ref_of(dossier))
    if not ok and not failed:
        failed.append({"ref": "", "message": _("Select at least one dossier to approve.")})
    return {"ok": ok, "failed": failed}
