"""JSON API for dossiers (`/api/v1/dossiers/...`) and public tracking (`/api/v1/track/...`).

Thin: parse, call a service or selector, shape the answer. Every endpoint is scoped through
`dossiers_for_user`; POSTs that create or change dossiers honour `Idempotency-Key`.
"""

from datetime import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from motcua.api.auth import staff_auth
from motcua.api.fields import OFFSET_MAX, Code, Column, Day, Email, Id, Reason, Text
from motcua.api.idempotency import once
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_versions_in_force, today_local
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.ratelimit import client_ip
from motcua.core.text import LIST_MAX
from motcua.security.models import ReadAction
from motcua.security.services import dossier_read_record
from motcua.units.models import ServiceCenter
from motcua.units.scoping import centers_for_user, user_scope

from . import documents, reuse, scans, selectors, services, slips, tracking
from .models import Dossier
from .services.intake import MAX_COPIES, MAX_PAGES

router = Router(tags=["dossiers"], auth=staff_auth)
public_router = Router(tags=["tracking"])


# -- schemas --------------------------------------------------------------------------------------
class ApplicantIn(Schema):
    name: Column(Dossier, "applicant_name")
    kind: Column(Dossier, "applicant_kind") = "person"
    id_number: Column(Dossier, "applicant_id_number") = ""
    birth_date: Day | None = None
    phone: Column(Dossier, "applicant_phone") = ""
    email: Email = ""
    address: Column(Dossier, "applicant_address") = ""
    representative_name: Column(Dossier, "representative_name") = ""
    representative_id_number: Column(Dossier, "representative_id_number") = ""
    representative_phone: Column(Dossier, "representative_phone") = ""


class ComponentIn(Schema):
    component: Id
    provided: bool = True
    problem: Reason = ""
    required: bool | None = None


class IntakeIn(Schema):
    procedure: Code = Field(..., description="National code of the procedure")
    channel: Column(Dossier, "channel") = Field("counter", description="counter, post, kiosk or online")
    center: Code | None = Field(None, description="Agency code of the receiving center (default: yours)")
    handling_center: Code | None = Field(None, description="Agency code of the handling unit (boundary-free)")
    applicant: ApplicantIn
    components: list[ComponentIn] = Field([], max_length=LIST_MAX)
    decision: Text(20) | None = Field(None, description="None: by completeness; 'refuse' with a reason")
    reason: Reason = ""
    postal_tracking_number: Column(Dossier, "postal_tracking_number") = ""
    result_delivery: Column(Dossier, "result_delivery") = Field(
        "counter", description="counter, post or electronic"
    )
    pages: int = Field(1, ge=1, le=MAX_PAGES, description="Pages a per-page fee counts (certified copies)")
    copies: int = Field(1, ge=1, le=MAX_COPIES, description="Copies asked for (per-copy fees)")


class ActionIn(Schema):
    reason: Reason = ""
    assignee: Id | None = None
    to_step: int | None = Field(None, ge=1, le=32767)
    new_due: Day | None = None
    agency: Text(300) = ""
    budget_days: Decimal | None = Field(None, ge=0, le=365, decimal_places=2)
    method: Text(20) = ""
    problems: list[Reason] = Field([], max_length=LIST_MAX)


class ErrorOut(Schema):
    detail: str
    code: str


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def dossier_out(dossier: Dossier, user=None, *, with_secret: bool = False) -> dict:
    body = {
        "id": dossier.pk,
        "slips": slips.slips_available(dossier),
        "code": dossier.code,
        "procedure": dossier.procedure_version.procedure.national_code,
        "procedure_name": dossier.procedure_version.name,
        "version": dossier.procedure_version.version,
        "channel": dossier.channel,
        "state": dossier.state,
        "state_label": str(dossier.get_state_display()),
        "receiving_center": dossier.receiving_center.agency_code,
        "handling_center": dossier.center.agency_code,
        "boundary_free": dossier.boundary_free,
        "department": dossier.department.code if dossier.department_id else None,
        "step": dossier.step_position,
        "assignee": dossier.assignee_id,
        "applicant": {
            "name": dossier.applicant_name,
            "kind": dossier.applicant_kind,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
            "representative_name": dossier.representative_name,
        },
        "submitted_at": _iso(dossier.submitted_at),
        "received_at": _iso(dossier.received_at),
        "due_at": _iso(dossier.due_at),
        "step_due_at": _iso(dossier.step_due_at),
        "supplement_count": dossier.supplement_count,
        "reappointed": dossier.reappointed,
        "finished_at": _iso(dossier.finished_at),
        "returned_at": _iso(dossier.returned_at),
        "outcome": dossier.outcome or None,
        "postal_tracking_number": dossier.postal_tracking_number,
        "result_delivery": dossier.result_delivery,
        "pages": dossier.fee_pages,
        "copies": dossier.fee_copies,
    }
    if user is not None:
        body["actions"] = services.available_actions(dossier, user)
    if with_secret:
        body["secret"] = dossier.secret
    return body


def _receiving_center(user, agency_code: str | None) -> ServiceCenter:
    """The center named by its agency code (one indexed read; the scope is checked in Python, so a
    province administrator's hundred centers never become an `IN (…)` list), or the user's only one."""
    if agency_code:
        center = ServiceCenter.objects.select_related("commune").filter(agency_code=agency_code).first()
        if center is None or center.pk not in user_scope(user).center_ids and not user_scope(user).everything:
            raise NotFound(_("Service center %(code)s not found.") % {"code": agency_code})
        return center
    mine = list(centers_for_user(user)[:2])
    if len(mine) != 1:
        raise ValidationFailed(_("Say which center receives the dossier (field “center”)."), field="center")
    return mine[0]


def _version_in_force(national_code: str) -> ProcedureVersion:
    """The version in force with what intake needs (its procedure, components and steps): intake
    reads it once."""
    version = (
        procedure_versions_in_force(today_local())
        .filter(procedure__national_code=national_code)
        .order_by()
        .prefetch_related("components", "steps")
        .first()
    )
    if version is None:
        raise NotFound(_("Procedure %(code)s not found or not in force.") % {"code": national_code})
    return version


# -- staff endpoints ------------------------------------------------------------------------------
@router.post(
    "/dossiers",
    response={201: dict, 200: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: dict},
)
def create_dossier(request, payload: IntakeIn):
    """Receive a dossier (counter, post, kiosk, or an online one received electronically)."""
    user = request.auth

    def run():
        center = _receiving_center(user, payload.center)
        handling = None
        if payload.handling_center:
            handling = (
                ServiceCenter.objects.select_related("commune")
                .filter(agency_code=payload.handling_center)
                .first()
            )
            if handling is None:
                raise NotFound(_("Service center %(code)s not found.") % {"code": payload.handling_center})
        result = services.dossier_intake(
            actor=user,
            center=center,
            procedure_version=_version_in_force(payload.procedure),
            channel=payload.channel,
            applicant=services.Applicant(**payload.applicant.dict()),
            components=[
                services.ComponentCheck(c.component, c.provided, c.problem, c.required)
                for c in payload.components
            ],
            decision=payload.decision,
            reason=payload.reason,
            handling_center=handling,
            postal_tracking_number=payload.postal_tracking_number,
            result_delivery=payload.result_delivery,
            pages=payload.pages,
            copies=payload.copies,
        )
        body = dossier_out(result.dossier, with_secret=bool(result.dossier.code))
        body["missing"] = result.missing
        return 201, body

    return once(request, scope=f"user:{user.pk}", route="POST /dossiers", payload=payload, run=run)


@router.get("/dossiers", response=dict)
def list_dossiers(
    request,
    state: str | None = None,
    procedure: str | None = None,
    field: str | None = None,
    channel: str | None = None,
    mine: bool = False,
    overdue: bool = False,
    due_soon: bool = False,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=OFFSET_MAX),
):
    """Open dossiers of your centers, soonest due first: the inbox."""
    due_before = None
    if due_soon:
        from motcua.workdays.selectors import calendar_for

        due_before = selectors.due_soon_threshold(calendar_for())
    qs = selectors.inbox(
        request.auth,
        state=state,
        procedure=procedure,
        field=field,
        channel=channel,
        mine=mine,
        overdue=overdue,
        due_before=due_before,
    )
    rows = list(qs[offset : offset + limit])
    return {"count": qs.count(), "results": [dossier_out(d) for d in rows]}


@router.get("/dossiers/{code}", response={200: dict, 404: ErrorOut})
def get_dossier(request, code: str):
    dossier = selectors.dossier_get_for_user(request.auth, code)
    dossier_read_record(user=request.auth, dossier=dossier, request=request, channel="api")
    return dossier_out(dossier, request.auth)


@router.post(
    "/dossiers/{code}/actions/{action}",
    response={200: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: dict},
)
def take_action(request, code: str, action: str, payload: ActionIn):
    """Take one lifecycle action; `GET /dossiers/{code}` lists those you may take now."""
    user = request.auth

    def run():
        dossier = selectors.dossier_get_for_user(user, code)
        dossier = services.dossier_act(
            actor=user,
            dossier=dossier,
            action=action,
            reason=payload.reason,
            assignee_id=payload.assignee,
            to_step=payload.to_step,
            new_due=payload.new_due,
            agency=payload.agency,
            budget_days=payload.budget_days,
            method=payload.method,
            problems=payload.problems,
        )
        return 200, dossier_out(dossier, user)

    return once(
        request,
        scope=f"user:{user.pk}",
        route=f"POST /dossiers/{code}/actions/{action}",
        payload=payload,
        run=run,
    )


@router.get("/dossiers/{code}/events", response={200: list[dict], 404: ErrorOut})
def list_events(request, code: str):
    dossier = selectors.dossier_get_for_user(request.auth, code)
    return [
        {
            "seq": e.seq,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor": e.actor_name,
            "center": e.center.agency_code,
            "at": _iso(e.at),
            "reason": e.reason,
            "payload": e.payload,
            "hash": e.hash,
        }
        for e in selectors.dossier_events(dossier)
    ]


@router.get("/dossiers/{code}/slips/{kind}", response={404: ErrorOut, 409: ErrorOut})
def slip_pdf(request, code: str, kind: str):
    """A printable slip (A5 PDF): 01 receipt, 02 supplement, 03 refusal, 04 apology, 05 process control.
    `{code}` may be the id of an intake that got no code."""
    dossier = selectors.dossier_get_for_user(request.auth, code)
    kind = kind.removesuffix(".pdf")
    pdf = slips.render_slip(dossier, kind)
    dossier_read_record(
        user=request.auth,
        dossier=dossier,
        action=ReadAction.SLIP_VIEW,
        request=request,
        channel="api",
        target=f"{dossier.code or dossier.pk} · {kind}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code or dossier.pk}-{kind}.pdf"'
    return response


# -- documents ------------------------------------------------------------------------------------
def document_out(document) -> dict:
    return {
        "id": document.pk,
        "component": document.component_id,
        "name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "reused_from": document.reused_from_id,
        "uploaded_at": _iso(document.uploaded_at),
        "url": f"/api/v1/documents/{document.pk}/file",
    }


@router.get("/dossiers/{code}/documents", response={200: list[dict], 404: ErrorOut})
def list_documents(request, code: str):
    dossier = selectors.dossier_get_for_user(request.auth, code)
    return [document_out(d) for d in dossier.documents.all()]


@router.post(
    "/dossiers/{code}/documents",
    response={201: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: dict},
)
def upload_document(request, code: str, file: UploadedFile = File(...), component: Id | None = Form(None)):
    """Upload one scan (PDF, JPEG or PNG; the type is read from the content) for a component."""
    dossier = selectors.dossier_get_for_user(request.auth, code)
    document = documents.document_upload(
        actor=request.auth, dossier=dossier, component_id=component, upload=file
    )
    return Status(201, document_out(document))


class ReuseIn(Schema):
    source_document: Id
    component: Id | None = None


@router.post(
    "/dossiers/{code}/documents/reuse",
    response={201: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: dict},
)
def reuse_document(request, code: str, payload: ReuseIn):
    """Re-use a paper the same applicant had digitized for an earlier dossier."""
    dossier = selectors.dossier_get_for_user(request.auth, code)
    document = documents.document_reuse(
        actor=request.auth,
        dossier=dossier,
        component_id=payload.component,
        source_document_id=payload.source_document,
        request=request,
        channel="api",
    )
    return Status(201, document_out(document))


@router.get("/dossiers/{code}/reusable-documents", response={200: list[dict], 404: ErrorOut})
def reusable(request, code: str):
    """The applicant's earlier scans this user may re-use: their own centers' papers; other
    communes' papers only after the citizen's ID card was scanned at this user's desk, and only
    those the procedure asks for. Each listing is recorded in the read audit."""
    dossier = selectors.dossier_get_for_user(request.auth, code)
    found, _present = reuse.reusable_list(
        actor=request.auth,
        applicant_id_number=dossier.applicant_id_number,
        version=dossier.procedure_version,
        exclude_dossier=dossier,
        request=request,
        channel="api",
    )
    return [document_out(d) for d in found]


@router.get("/documents/{document_id}/file", response={404: ErrorOut})
def document_file(request, document_id: Id):
    handle, content_type, name = documents.document_open(
        user=request.auth, document_id=document_id, request=request, channel="api"
    )
    return scans.file_response(handle, content_type=content_type, name=name)


# -- public ---------------------------------------------------------------------------------------
@public_router.get("/track/{code}", response={200: dict, 404: ErrorOut, 429: ErrorOut})
def track(request, code: str, secret: str = ""):
    """Public tracking with the code and the lookup secret printed on the slip."""
    return tracking.track(code=code, secret=secret, client=client_ip(request))


@public_router.get("/bench/bare", include_in_schema=False)
def bare(request):
    """A bare endpoint with no database access: the benchmark's yardstick for tracking."""
    return {"ok": True}
