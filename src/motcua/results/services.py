"""Every write of the results app: attach or render a result, sign it (at the approval, or after it
with a local or remote key), revoke it, deliver it electronically. Keyword-only, atomic.

A signed file and its record never part: the signed bytes are stored under a new random name, then
the row naming them is written in the same transaction; a failure deletes the file again, and a
crash between the two leaves a file that no row names, which `motcua`'s orphan-file sweep removes
(every FileField of the default storage counts). Signing is idempotent: a current result that is
already signed is returned as it is, never signed twice.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.core.text import nfc
from motcua.dossiers import store
from motcua.dossiers.documents import clean_file_name, inspect_upload
from motcua.dossiers.models import Dossier, State
from motcua.dossiers.services import dossier_record
from motcua.units.models import Role
from motcua.units.scoping import refuse_province_writes, user_scope

from . import history, keys, remote, render, signing
from .models import KeyKind, ResultDocument, ResultKind

logger = logging.getLogger(__name__)

ATTACH_STATES = frozenset({State.IN_PROGRESS, State.RESULT_READY})
SIGN_STATES = frozenset({State.RESULT_READY, State.RETURNED})
REMOTE_MESSAGES = {
    remote.REFUSED: gettext_noop("The signer refused the signature on their phone; nothing was signed."),
    remote.TIMEOUT: gettext_noop("The signer did not confirm in time; nothing was signed. Try again."),
    remote.UNAVAILABLE: gettext_noop(
        "The remote signing service is unavailable; nothing was signed. Try again later."
    ),
    remote.BAD_ANSWER: gettext_noop(
        "The remote signing service gave an answer that cannot be used; nothing was signed."
    ),
}


# -- helpers --------------------------------------------------------------------------------------
def check_url(check_id: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.PUBLIC_URL.rstrip("/") + reverse("results:check", args=[check_id])


def new_check_id() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits: cannot be guessed or enumerated


def _lock(dossier) -> Dossier:
    try:
        return (
            Dossier.objects.select_for_update()
            .select_related("procedure_version__procedure", "center__commune")
            .get(pk=getattr(dossier, "pk", dossier))
        )
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Dossier not found.")) from None


def _require(actor, dossier: Dossier, *roles: str) -> None:
    scope = user_scope(actor)
    if not scope.roles_in(dossier.center_id) and not scope.roles_in(dossier.receiving_center_id):
        raise NotFound(_("Dossier not found."))
    refuse_province_writes(actor, dossier.center_id)
    if not scope.has_role(dossier.center_id, *roles):
        raise PermissionDenied(_("Your role does not allow this action on this dossier."))


def current_result(dossier) -> ResultDocument | None:
    return (
        ResultDocument.objects.filter(dossier_id=getattr(dossier, "pk", dossier), revoked_at__isnull=True)
        .order_by("-id")
        .first()
    )


def _store_bytes(data: bytes, at: datetime) -> str:
    local = timezone.localtime(at)
    name = f"results/{local:%Y/%m}/{uuid.uuid4().hex}.pdf"
    return default_storage.save(name, ContentFile(data))


def _discard(*names: str) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # the sweep finds what is left
            logger.exception("Could not delete %s after a failed write", name)


def _draft(dossier: Dossier, *, actor, kind: str, title: str, data: bytes, at: datetime) -> ResultDocument:
    """Store `data` as the dossier's unsigned result (replacing an unsigned draft)."""
    name = _store_bytes(data, at)
    try:
        result = current_result(dossier)
        if result is not None and result.signed:
            raise Conflict(
                _("The result is already signed; revoke it before issuing another."), code="result_signed"
            )
        if result is None:
            result = ResultDocument(dossier=dossier, check_id=new_check_id(), created_by=actor)
        result.kind, result.title = kind, title
        result.original_file, result.original_sha256 = name, hashlib.sha256(data).hexdigest()
        result.holder_name, result.holder_id_number = dossier.applicant_name, dossier.applicant_id_number
        result.save()
    except BaseException:
        _discard(name)
        raise
    return result


def default_title(dossier: Dossier) -> str:
    return render.result_title(dossier.procedure_version.result_type) or dossier.procedure_version.name


# -- attach and render ----------------------------------------------------------------------------
@transaction.atomic
def result_attach(*, actor, dossier, upload, title: str = "", at: datetime | None = None) -> ResultDocument:
    """The specialist (or leader) attaches the result as a PDF, checked like every upload."""
    at = at or timezone.now()
    dossier = _lock(dossier)
    _require(actor, dossier, Role.SPECIALIST, Role.LEADER)
    if dossier.state not in ATTACH_STATES:
        raise Conflict(
            _("A result can be attached while the dossier is being processed or its result is ready."),
            code="action_not_allowed",
        )
    content = upload if hasattr(upload, "chunks") else ContentFile(upload[1], name=upload[0])
    label = clean_file_name(content.name) or _("unnamed file")
    inspected = inspect_upload(content, label)
    if inspected.content_type != "application/pdf":
        raise ValidationFailed(_("The result must be a PDF file."), code="file_type", field="file")
    content.seek(0)
    data = content.read()
    title = nfc(title)[:300] or default_title(dossier)
    return _draft(dossier, actor=actor, kind=ResultKind.ATTACHED, title=title, data=data, at=at)


@transaction.atomic
def result_render(*, actor, dossier, at: datetime | None = None) -> ResultDocument:
    """Render the result from the template, for procedures whose result is an extract or a
    confirmation (`render.renderable`)."""
    at = at or timezone.now()
    dossier = _lock(dossier)
    _require(actor, dossier, Role.SPECIALIST, Role.LEADER)
    if dossier.state not in ATTACH_STATES:
        raise Conflict(
            _("A result can be attached while the dossier is being processed or its result is ready."),
            code="action_not_allowed",
        )
    return _render_draft(dossier, actor=actor, at=at)


def _render_draft(dossier: Dossier, *, actor, at: datetime) -> ResultDocument:
    if not render.renderable(dossier.procedure_version.result_type):
        raise Conflict(
            _("This procedure's result has no template: attach the result as a PDF."), code="no_template"
        )
    title = default_title(dossier)
    data = render.render_result(dossier, title=title, at=at)
    return _draft(dossier, actor=actor, kind=ResultKind.RENDERED, title=title, data=data, at=at)


# -- signing --------------------------------------------------------------------------------------
def _sign_bytes(data: bytes, *, signer, result: ResultDocument, seal=None, timestamper=None) -> bytes:
    url = check_url(result.check_id)
    signed = signing.sign_pdf(
        data,
        signer=signer,
        field_name=signing.SIGNER_FIELD,
        stamp=signing.Stamp("Ký số bởi / Signed by:", url),
        reason=f"Phê duyệt kết quả: {result.title}"[:200],
        timestamper=timestamper,
    )
    if seal is not None:
        signed = signing.sign_pdf(
            signed,
            signer=seal,
            field_name=signing.SEAL_FIELD,
            stamp=signing.Stamp("Dấu của cơ quan / Seal:", url),
            left=True,
            timestamper=timestamper,
        )
    return signed


def _who(signer, role: str, at: datetime) -> dict:
    cert = signer.signing_cert
    return {
        "role": role,
        "name": signing.subject_name(cert),
        "organization": signing.subject_org(cert),
        "serial": format(cert.serial_number, "x"),
        "at": at.isoformat(),
    }


def _finish(result: ResultDocument, signed: bytes, *, actor, signers: list, at: datetime) -> ResultDocument:
    """Store the signed bytes, write the row and keep the result in the holder's store."""
    name = _store_bytes(signed, at)
    try:
        result.signed_file = name
        result.signed_sha256 = hashlib.sha256(signed).hexdigest()
        result.signed_size = len(signed)
        result.signers = signers
        result.signed_at, result.signed_by = at, actor
        kept = store.document_keep_result(
            dossier=result.dossier,
            file_name=name,
            size=len(signed),
            sha256=result.signed_sha256,
            title=result.title,
            holder_id_number=result.holder_id_number,
            original_name=f"{result.title} - {result.dossier.code or result.dossier_id}.pdf",
            actor=actor,
        )
        result.store_document = kept
        result.save()
    except BaseException:
        _discard(name)
        raise
    return result


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def sign_at_approval(event, dossier) -> None:
    """Listener of the approval that makes the result ready: the approving leader's key (a PKCS#12
    file) signs the current result — or the result rendered from the template — in the approval's
    own transaction, with the organization's seal when the center has one. Without a local key, or
    without a result, the dossier waits for an explicit signature."""
    if event.to_state != State.RESULT_READY or event.actor_id is None:
        return
    key = keys.key_of(event.actor_id, dossier.center_id)
    if key is None or key.kind != KeyKind.PKCS12:
        return
    actor = event.actor
    result = current_result(dossier)
    if result is not None and result.signed:
        return
    if result is None:
        if not render.renderable(dossier.procedure_version.result_type):
            return
        result = _render_draft(dossier, actor=actor, at=event.at)
    seal_key = keys.seal_of(dossier.center_id)
    try:
        signer = keys.local_signer(key)
        seal = keys.local_signer(seal_key) if seal_key else None
        signed = _sign_bytes(
            _read(result.original_file.name),
            signer=signer,
            seal=seal,
            result=result,
            timestamper=keys.timestamper(),
        )
    except Exception:  # no database work above: the approval stands, the result waits for "Sign"
        logger.exception("The result of dossier %s could not be signed at the approval", dossier.pk)
        return
    who = [_who(signer, "signer", event.at)] + ([_who(seal, "seal", event.at)] if seal else [])
    result.dossier = dossier
    _finish(result, signed, actor=actor, signers=who, at=event.at)


def _prepare_sign(actor, dossier) -> tuple[ResultDocument, object]:
    dossier = Dossier.objects.select_related("center", "procedure_version").get(pk=dossier.pk)
    _require(actor, dossier, Role.LEADER)
    if dossier.state not in SIGN_STATES:
        raise Conflict(_("The result is signed once the dossier is approved."), code="action_not_allowed")
    result = current_result(dossier)
    if result is None:
        raise Conflict(_("No result to sign: attach or render the result first."), code="no_result")
    key = keys.key_of(actor, dossier.center_id)
    if key is None:
        raise Conflict(_("You have no signing key at this center."), code="no_signing_key")
    return result, key


def result_sign(*, actor, dossier, at: datetime | None = None) -> ResultDocument:
    """A leader signs the dossier's current result after the approval. A remote signature is asked
    for outside any transaction (the signer confirms on their phone); the signed file and its
    record are then written in one transaction, if the result did not change meanwhile."""
    result, key = _prepare_sign(actor, dossier)
    if result.signed:
        return result  # idempotent: a retry after success answers with the signed result
    original = _read(result.original_file.name)
    try:
        if key.kind == KeyKind.REMOTE:
            if key.service is None or not key.service.active:
                raise Conflict(_("The remote signing service is not configured."), code="no_signing_key")
            signer = remote.RemoteSigner(
                keys.remote_client(key.service),
                key.credential_id,
                description=f"{result.title} - {result.dossier.code}",
            )
        else:
            signer = keys.local_signer(key)
        seal_key = keys.seal_of(result.dossier.center_id)
        seal = keys.local_signer(seal_key) if seal_key else None
        at = at or timezone.now()
        signed = _sign_bytes(
            original, signer=signer, seal=seal, result=result, timestamper=keys.timestamper()
        )
    except remote.RemoteSigningError as exc:
        logger.warning("Remote signing failed for result %s: %s", result.pk, exc)
        raise Conflict(_(REMOTE_MESSAGES[exc.code]), code=f"remote_{exc.code}") from None
    except signing.KeyError_:
        logger.exception("Signing key %s cannot be used", key.pk)
        raise Conflict(
            _("Your signing key cannot be opened; ask the administrator."), code="bad_key"
        ) from None
    who = [_who(signer, "signer", at)] + ([_who(seal, "seal", at)] if seal else [])
    return _record_signature(result, signed, actor=actor, signers=who, at=at)


@transaction.atomic
def _record_signature(result: ResultDocument, signed: bytes, *, actor, signers: list, at) -> ResultDocument:
    dossier = _lock(result.dossier_id)
    fresh = ResultDocument.objects.select_for_update().get(pk=result.pk)
    if fresh.signed:
        return fresh  # a concurrent signature won: keep it, drop ours
    if fresh.revoked or fresh.original_sha256 != result.original_sha256:
        raise Conflict(
            _("The result changed while it was being signed; sign it again."), code="result_changed"
        )
    fresh.dossier = dossier
    fresh = _finish(fresh, signed, actor=actor, signers=signers, at=at)
    dossier_record(
        actor=actor,
        dossier=dossier,
        action=history.RESULT_SIGNED,
        payload={"check": fresh.check_id[:6], "signers": [s["name"] for s in signers]},
        at=at,
    )
    return fresh


# -- revocation and delivery ----------------------------------------------------------------------
@transaction.atomic
def result_revoke(*, actor, result_id: int, reason: str, at: datetime | None = None) -> ResultDocument:
    """A leader revokes a result with a reason: the public check says so, and it leaves the store."""
    at = at or timezone.now()
    try:
        result = ResultDocument.objects.select_for_update().get(pk=int(result_id))
    except (ResultDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Result not found.")) from None
    dossier = _lock(result.dossier_id)
    _require(actor, dossier, Role.LEADER)
    reason = nfc(reason)
    if not reason:
        raise ValidationFailed(_("Give the reason."), field="reason")
    if result.revoked:
        return result
    result.revoked_at, result.revoked_by, result.revoke_reason = at, actor, reason[:2000]
    result.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    if result.store_document_id:
        store.document_retire(document_id=result.store_document_id, at=at)
    dossier_record(
        actor=actor,
        dossier=dossier,
        action=history.RESULT_REVOKED,
        reason=reason,
        payload={"check": result.check_id[:6]},
        at=at,
    )
    return result


@transaction.atomic
def result_deliver(*, dossier, at: datetime | None = None) -> bool:
    """The citizen downloaded the signed result from the tracking page: the result is returned
    electronically (once; later downloads change nothing). True when this call returned it."""
    dossier = _lock(dossier)
    result = current_result(dossier)
    if dossier.state != State.RESULT_READY or result is None or not result.signed:
        return False
    dossier_record(actor=None, dossier=dossier, action=history.RESULT_DELIVERED, at=at)
    return True


def guard_electronic_return(event, dossier) -> None:
    """Listener of the desk's "return": a result is returned electronically only when a signed,
    unrevoked electronic result exists (what the "results issued electronically" indicator counts)."""
    if (event.payload or {}).get("method") != "electronic":
        return
    result = current_result(dossier)
    if result is None or not result.signed:
        raise Conflict(
            _(
                "There is no signed electronic result to return: sign the result first, "
                "or return it at the counter."
            ),
            code="no_signed_result",
        )
