"""The public check of a result (xác thực kết quả): by the QR's unguessable id, or by uploading a PDF.

What it tells is what the holder would show: valid / altered / revoked (and why), who signed and
when, the procedure, the dossier code and the holder's initials — nothing else personal. An id
that matches nothing gets the same answer as any unknown one; failed look-ups are rate-limited
per client like tracking, so ids cannot be enumerated (they are 192 random bits anyway).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, RateLimited
from motcua.core.ratelimit import LookupLimits
from motcua.dossiers.tracking import initials

from . import keys, validation
from .models import ResultDocument

logger = logging.getLogger(__name__)

LIMITS = LookupLimits(bucket="result-check")
VALID, ALTERED, REVOKED, UNKNOWN = "valid", "altered", "revoked", "unknown"
ID_MAX = 64
VERDICT_SECONDS = 3600
CHECK_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what secrets.token_urlsafe makes


@dataclass
class CheckAnswer:
    status: str  # valid | altered | revoked | unknown (an upload that is no result of this system)
    title: str = ""
    procedure: str = ""
    dossier_code: str = ""
    holder_initials: str = ""
    issuer: str = ""
    signers: list[dict] = field(default_factory=list)
    signed_at: datetime | None = None
    revoked_at: datetime | None = None
    revoke_reason: str = ""
    problem: str = ""


def _answer(result: ResultDocument, status: str, problem: str = "") -> CheckAnswer:
    dossier = result.dossier
    return CheckAnswer(
        status=status,
        title=result.title,
        procedure=dossier.procedure_version.name,
        dossier_code=dossier.code or "",
        holder_initials=initials(result.holder_name),
        issuer=dossier.center.name,
        signers=[
            {"name": s.get("name", ""), "organization": s.get("organization", ""), "role": s.get("role", "")}
            for s in result.signers
        ],
        signed_at=timezone.localtime(result.signed_at) if result.signed_at else None,
        revoked_at=timezone.localtime(result.revoked_at) if result.revoked_at else None,
        revoke_reason=result.revoke_reason if result.revoked_at else "",
        problem=problem,
    )


def validated(data: bytes, digest: str) -> tuple[str, str]:
    """(status, problem) of pyHanko's validation of these bytes. The cryptographic verdict on given
    bytes and given roots does not change, so it is kept by the bytes' SHA-256 and the roots'
    fingerprint; what can change — revocation, the stored file — is read on every check."""
    key = f"result-verdict:{keys.trust_fingerprint()}:{digest}"
    cached = cache.get(key)
    if cached is None:
        verdict = validation.validate_pdf(data, roots=keys.trust_roots())
        cached = (verdict.status, verdict.problem)
        cache.set(key, cached, VERDICT_SECONDS)
    return cached[0], cached[1]


def _verdict(result: ResultDocument, data: bytes, digest: str) -> CheckAnswer:
    if result.revoked:
        return _answer(result, REVOKED)
    if digest != result.signed_sha256:
        return _answer(result, ALTERED, "hash_mismatch")
    status, problem = validated(data, digest)
    if status != validation.VALID:
        return _answer(result, ALTERED, problem or status)
    return _answer(result, VALID)


def _by_check_id(check_id: str) -> ResultDocument | None:
    return (
        ResultDocument.objects.filter(check_id=check_id, signed_sha256__gt="")
        .select_related("dossier__procedure_version", "dossier__center")
        .first()
    )


def check_by_id(*, check_id: str, client: str) -> CheckAnswer:
    """The answer for the QR's id. The stored signed file is validated each time (and compared
    with its recorded SHA-256), so a file changed in storage shows as altered."""
    check_id = (check_id or "").strip()[:ID_MAX]
    if LIMITS.blocked(client=client, code=check_id):
        raise RateLimited(_("Too many failed lookups. Please try again in a few minutes."))
    result = _by_check_id(check_id) if CHECK_ID.fullmatch(check_id) else None  # junk never reaches the DB
    if result is None:
        LIMITS.failed(client=client, code=check_id)
        raise NotFound(_("No result matches this address."))
    try:
        with default_storage.open(result.signed_file.name, "rb") as handle:
            data = handle.read()
    except OSError:
        logger.error("The signed file of result %s is missing", result.pk)
        return _answer(result, ALTERED, "file_missing")
    return _verdict(result, data, hashlib.sha256(data).hexdigest())


def check_upload(data: bytes) -> CheckAnswer:
    """Is `data` an unaltered result of this system? Its SHA-256 must be a signed result's, and its
    signatures must validate; else it is unknown (never a result of this system, or altered)."""
    digest = hashlib.sha256(data).hexdigest()
    result = (
        ResultDocument.objects.filter(signed_sha256=digest)
        .select_related("dossier__procedure_version", "dossier__center")
        .first()
    )
    if result is None:  # never signed here, or altered: the signatures say which, for the log
        status, problem = validated(data, digest)
        problem = "not_a_result" if status in (validation.UNSIGNED, validation.DAMAGED) else problem
        return CheckAnswer(UNKNOWN, problem=problem or "not_a_result")
    return _verdict(result, data, digest)
