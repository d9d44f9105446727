"""JSON API of electronic results: the public check by id (the QR's), and for staff the dossier's
result, making it from the template, signing it and revoking it (the same services as the pages;
attaching a PDF is done on the result page)."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from motcua.api.auth import staff_auth
from motcua.core.errors import NotFound
from motcua.core.ratelimit import client_ip
from motcua.dossiers.selectors import dossier_get_for_user

from . import checks, services
from .models import ResultDocument

router = Router(tags=["results"], auth=staff_auth)
public_router = Router(tags=["results"])


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


class RevokeIn(Schema):
    reason: str


def result_out(result: ResultDocument | None) -> dict:
    if result is None:
        return {"result": None}
    return {
        "result": {
            "id": result.pk,
            "title": result.title,
            "kind": result.kind,
            "signed": result.signed,
            "signed_at": result.signed_at,
            "signers": [{"name": s.get("name", ""), "role": s.get("role", "")} for s in result.signers],
            "sha256": result.signed_sha256 or None,
            "check_url": services.check_url(result.check_id) if result.signed else None,
            "revoked_at": result.revoked_at,
            "revoke_reason": result.revoke_reason or None,
        }
    }


@public_router.get("/results/check/{check_id}", response={200: dict, 404: ErrorOut, 429: ErrorOut})
def check(request, check_id: str):
    """What the QR's page says: valid / altered / revoked, who signed, when, the procedure, the code."""
    return asdict(checks.check_by_id(check_id=check_id, client=client_ip(request)))


@router.get("/dossiers/{code}/result", response={200: dict, 404: ErrorOut})
def dossier_result(request, code: str):
    dossier = dossier_get_for_user(request.auth, code)
    return result_out(services.current_result(dossier))


@router.post(
    "/dossiers/{code}/result/render",
    response={201: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def dossier_result_render(request, code: str):
    dossier = dossier_get_for_user(request.auth, code)
    return Status(201, result_out(services.result_render(actor=request.auth, dossier=dossier)))


@router.post(
    "/dossiers/{code}/result/sign",
    response={200: dict, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def dossier_result_sign(request, code: str):
    """Sign the current result with the caller's key (a remote signature waits for the phone)."""
    dossier = dossier_get_for_user(request.auth, code)
    return Status(200, result_out(services.result_sign(actor=request.auth, dossier=dossier)))


@router.post(
    "/results/{result_id}/revoke",
    response={200: dict, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def result_revoke(request, result_id: int, payload: RevokeIn):
    in_range = 0 < result_id < 2**63  # no integer beyond the database's reaches a query
    result = (
        ResultDocument.objects.filter(pk=result_id).select_related("dossier").first() if in_range else None
    )
    if result is None:
        raise NotFound(_("Result not found."))
    dossier_get_for_user(request.auth, result.dossier.code or str(result.dossier_id))  # scoped: 404 outside
    revoked = services.result_revoke(actor=request.auth, result_id=result_id, reason=payload.reason)
    return Status(200, result_out(revoked))
