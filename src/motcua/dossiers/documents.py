"""Scans of a dossier's papers (số hóa hồ sơ): upload, re-use of earlier scans, viewing.

The type of a file is read from its bytes, never from its name or the declared content type:
only PDF, JPEG and PNG are kept, and a PDF must open (not encrypted, not damaged). Files are
stored through Django's default storage under a random name that says nothing about the citizen;
their SHA-256 is stored with them. Re-using an earlier scan of the same applicant adds a row
pointing to the same stored file (no copy) with `reused_from` set to the original upload: that
link is what the digitization and re-use indicators count.

Stored files are shared between an upload and its re-uses, so a file may only be deleted when no
row names it: `orphan_files_sweep` is the one place that deletes stored scans after the fact.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import logging
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import RequiredComponent
from motcua.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from motcua.core.text import nfc
from motcua.security.services import dossier_read_record
from motcua.units.scoping import refuse_province_writes, user_scope

from . import events, lifecycle, scans
from .models import Document, Dossier, State
from .reuse import check_source, reusable_documents  # another commune's paper needs consent
from .selectors import dossiers_for_user

logger = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
SIGNATURE_BYTES = 8192  # what `filetype` looks at
ONLINE_STATES = frozenset({State.SUBMITTED, State.SUPPLEMENT_REQUESTED})  # a citizen may add papers
STORAGE_PREFIX = "dossiers"
MAX_ORIGIN_HOPS = 20


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOTCUA_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _storage():
    return Document._meta.get_field("file").storage


# -- no orphan files ------------------------------------------------------------------------------
# Names stored by the running upload; deleted again if it fails, including when the commit of its
# own transaction fails. A failure of an outer transaction after a successful return is left to
# `orphan_files_sweep` (Django has no on-rollback hook).
_stored_now: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "motcua_stored_now", default=None
)


def _discard(name: str) -> None:
    try:
        _storage().delete(name)
    except Exception:  # the original error matters more; the sweep will find the file
        logger.exception("Could not delete the stored file %s of a failed upload", name)


def _deletes_stored_files_on_failure(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        stored: list[str] = []
        token = _stored_now.set(stored)
        try:
            return func(*args, **kwargs)
        except BaseException:
            for name in stored:
                _discard(name)
            raise
        finally:
            _stored_now.reset(token)

    return wrapper


def _store(content: File, name: str) -> str:
    stored = _storage().save(name, content, max_length=Document._meta.get_field("file").max_length)
    pending = _stored_now.get()
    if pending is not None:
        pending.append(stored)
    return stored


# -- names and content ----------------------------------------------------------------------------
def clean_file_name(raw: str | None, limit: int = 255) -> str:
    """The citizen's file name for display: NFC, no folders, no control or bidi characters (a
    right-to-left override can make "fdp.exe" look like "exe.pdf"), at most `limit` characters
    keeping the extension."""
    name = unicodedata.normalize("NFC", str(raw or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = nfc("".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf")))
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) <= 10:
            name = stem[: limit - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:limit]
    return name


def _as_file(upload) -> File:
    if isinstance(upload, File):
        return upload
    if isinstance(upload, tuple) and len(upload) == 2:
        name, data = upload
        if isinstance(data, (bytes, bytearray, memoryview)):
            return ContentFile(bytes(data), name=str(name or ""))
        return File(data, name=str(name or ""))
    raise TypeError("upload must be a django File / UploadedFile or a (name, bytes) pair")


@dataclass(frozen=True)
class Inspected:
    """What the bytes of an upload are: checked type, size and SHA-256."""

    content_type: str
    extension: str
    size: int
    sha256: str


def inspect_upload(content: File, label: str) -> Inspected:
    """Read the upload once in chunks (hashing and counting as it goes, stopping past the limit),
    decide its type from its first bytes, and for a PDF make sure that it opens."""
    import filetype

    limit = max_upload_bytes()
    too_large = ValidationFailed(
        _("“%(name)s” is larger than the limit of %(limit)s.")
        % {"name": label, "limit": filesizeformat(limit)},
        code="file_too_large",
        field="file",
    )
    try:
        declared = content.size
    except (AttributeError, OSError):
        declared = None
    if isinstance(declared, int) and declared > limit:
        raise too_large
    digest, size, head = hashlib.sha256(), 0, bytearray()
    for chunk in content.chunks():
        size += len(chunk)
        if size > limit:
            raise too_large
        digest.update(chunk)
        if len(head) < SIGNATURE_BYTES:
            head += chunk[: SIGNATURE_BYTES - len(head)]
    if size == 0:
        raise ValidationFailed(_("“%(name)s” is empty.") % {"name": label}, code="file_empty", field="file")
    kind = filetype.guess(bytes(head))
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationFailed(
            _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": label}, code="file_type", field="file"
        )
    if kind.mime == "application/pdf":
        _check_pdf(content, label)
    else:
        scans.check_image(content, label)
    return Inspected(kind.mime, ALLOWED_TYPES[kind.mime], size, digest.hexdigest())


def _check_pdf(content: File, label: str) -> None:
    from pypdf import PdfReader

    content.seek(0)
    try:
        stream = getattr(content, "file", None)
        reader = PdfReader(stream if stream is not None else content)
        encrypted = reader.is_encrypted
        pages = None if encrypted else len(reader.pages)
        if not encrypted:
            scans.refuse_active_pdf(reader, label)
    except ValidationFailed:
        raise
    except Exception:  # pypdf raises many kinds of errors on damaged input
        logger.info("Refused a damaged PDF", exc_info=True)
        raise ValidationFailed(
            _("“%(name)s” is a damaged PDF file that cannot be opened.") % {"name": label},
            code="pdf_damaged",
            field="file",
        ) from None
    finally:
        content.seek(0)
    if encrypted:
        raise ValidationFailed(
            _("“%(name)s” is a password-protected PDF; upload a copy without a password.") % {"name": label},
            code="pdf_encrypted",
            field="file",
        )
    if not pages:
        raise ValidationFailed(
            _("“%(name)s” is a PDF without pages.") % {"name": label}, code="pdf_damaged", field="file"
        )


def storage_name(inspected: Inspected, at: datetime) -> str:
    """dossiers/YYYY/MM/<first two hex digits of the hash>/<random>.<ext>: nothing of the citizen's
    file name, and folders stay small."""
    local = timezone.localtime(at)
    return f"{STORAGE_PREFIX}/{local:%Y/%m}/{inspected.sha256[:2]}/{uuid.uuid4().hex}.{inspected.extension}"


# -- rules shared by upload and re-use ------------------------------------------------------------
def _lock(dossier: Dossier) -> Dossier:
    try:
        return Dossier.objects.select_for_update().get(pk=getattr(dossier, "pk", dossier))
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Dossier not found.")) from None


def _is_citizen(actor) -> bool:
    return actor is None or not getattr(actor, "is_authenticated", False)


def _check_scope(actor, dossier: Dossier) -> None:
    """Staff of the receiving or handling center; anyone else does not see the dossier. No actor
    is the applicant on the portal, which has checked the code and secret."""
    if _is_citizen(actor):
        return
    scope = user_scope(actor)
    if not (scope.roles_in(dossier.receiving_center_id) or scope.roles_in(dossier.center_id)):
        raise NotFound(_("Dossier not found."))  # outside the scope looks like missing
    refuse_province_writes(actor, dossier.receiving_center_id, dossier.center_id)


def _check_open(actor, dossier: Dossier, label: str) -> None:
    """Staff add papers while the dossier is open; the applicant only while a submission or a
    supplement is awaited."""
    if _is_citizen(actor):
        if dossier.state not in ONLINE_STATES:
            raise PermissionDenied(
                _("“%(name)s” cannot be added online: the dossier is not waiting for the applicant's papers.")
                % {"name": label}
            )
        return
    if dossier.state in lifecycle.TERMINAL:
        raise DomainError(
            _("“%(name)s” cannot be added: the dossier is closed (%(state)s).")
            % {"name": label, "state": dossier.get_state_display()},
            code="dossier_closed",
        )


def _component(dossier: Dossier, component_id, label: str) -> RequiredComponent | None:
    if component_id is None:
        return None
    try:
        return RequiredComponent.objects.get(pk=int(component_id), version_id=dossier.procedure_version_id)
    except (RequiredComponent.DoesNotExist, ValueError, TypeError):
        raise ValidationFailed(
            _("“%(name)s”: the chosen component is not part of this dossier's procedure.") % {"name": label},
            code="unknown_component",
            field="component",
        ) from None


def _same_content(dossier: Dossier, component: RequiredComponent | None, sha256: str) -> Document | None:
    """The dossier already holds these bytes for this component: a retry, answered with the row
    it made (the dossier row lock makes the check and the insert one step)."""
    return (
        Document.objects.filter(dossier=dossier, component=component, sha256=sha256)
        .select_related("component")
        .order_by("id")
        .first()
    )


def _stamp(document: Document, at: datetime | None) -> Document:
    if at is not None:  # uploaded_at is auto_now_add: set the given instant afterwards
        Document.objects.filter(pk=document.pk).update(uploaded_at=at)
        document.uploaded_at = at
    return document


# -- services -------------------------------------------------------------------------------------
@_deletes_stored_files_on_failure
@transaction.atomic
def document_upload(
    *, actor, dossier: Dossier, component_id: int | None = None, upload, at: datetime | None = None
) -> Document:
    """Add a scan to a dossier. `upload` is an UploadedFile (any django File) or a (name, bytes)
    pair. Uploading the same bytes again for the same dossier and component returns the first row."""
    content = _as_file(upload)
    original_name = clean_file_name(content.name)
    label = original_name or _("unnamed file")
    dossier = _lock(dossier)
    _check_scope(actor, dossier)
    _check_open(actor, dossier, label)
    component = _component(dossier, component_id, label)
    inspected = inspect_upload(content, label)
    existing = _same_content(dossier, component, inspected.sha256)
    if existing is not None:
        return existing
    name = _store(content, storage_name(inspected, at or timezone.now()))
    document = Document.objects.create(
        dossier=dossier,
        component=component,
        file=name,
        original_name=original_name or f"document.{inspected.extension}",
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        applicant_id_number=dossier.applicant_id_number,
        uploaded_by=None if _is_citizen(actor) else actor,
    )
    events.publish_document(document)  # e.g. report rollups (digitized, re-used), in this transaction
    return _stamp(document, at)


def _origin(document: Document) -> Document:
    seen = 0
    while document.reused_from_id is not None and seen < MAX_ORIGIN_HOPS:
        document = Document.objects.get(pk=document.reused_from_id)
        seen += 1
    return document


@transaction.atomic
def document_reuse(
    *,
    actor,
    dossier: Dossier,
    component_id: int | None,
    source_document_id: int,
    at: datetime | None = None,
    request=None,
    channel: str = "page",
) -> Document:
    """Add an earlier scan of the same applicant to `dossier` without copying its bytes: the new
    row names the same stored file and points to the original upload. Re-using the same source
    (or the same bytes) again for the same dossier and component returns the existing row."""
    dossier = _lock(dossier)
    _check_scope(actor, dossier)
    if not dossier.applicant_id_number:
        raise ValidationFailed(
            _("The dossier has no applicant ID number, so no earlier papers can be re-used."),
            code="no_id_number",
            field="source",
        )
    try:
        source = Document.objects.get(
            pk=int(source_document_id), applicant_id_number=dossier.applicant_id_number
        )
    except (Document.DoesNotExist, ValueError, TypeError):
        # another applicant's paper looks exactly like a missing one: ids cannot be probed
        raise NotFound(_("Document not found.")) from None
    origin = _origin(source)
    check_source(actor=actor, dossier=dossier, source=source, origin=origin, request=request, channel=channel)
    label = origin.original_name
    _check_open(actor, dossier, label)
    component = _component(dossier, component_id, label)
    existing = _same_content(dossier, component, origin.sha256)
    if existing is not None:
        return existing
    if not _storage().exists(origin.file.name):
        raise DomainError(
            _("The stored file of “%(name)s” is missing; scan the paper again.") % {"name": label},
            code="file_missing",
        )
    document = Document.objects.create(
        dossier=dossier,
        component=component,
        file=origin.file.name,
        original_name=origin.original_name,
        content_type=origin.content_type,
        size=origin.size,
        sha256=origin.sha256,
        title=origin.title,
        applicant_id_number=dossier.applicant_id_number,
        reused_from=origin,
        uploaded_by=None if _is_citizen(actor) else actor,
    )
    events.publish_document(document)  # e.g. report rollups (digitized, re-used), in this transaction
    return _stamp(document, at)


# -- reads ----------------------------------------------------------------------------------------
def documents_for_user(user) -> QuerySet:
    """Scans of the dossiers the user may see (the same scope as `dossiers_for_user`)."""
    return Document.objects.filter(dossier_id__in=dossiers_for_user(user).values("pk")).select_related(
        "dossier", "component"
    )


def document_open(*, user, document_id, request=None, channel: str = "page") -> tuple[File, str, str]:
    """The stored file opened for reading, its checked content type and the citizen's file name,
    for an inline view. Outside the user's scope the document does not exist. The read is recorded
    in the read audit."""
    try:
        document = documents_for_user(user).get(pk=int(document_id))
    except (Document.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Document not found.")) from None
    try:
        handle = _storage().open(document.file.name, "rb")
    except (FileNotFoundError, OSError):
        logger.error("Stored file %s of document %s is missing", document.file.name, document.pk)
        raise NotFound(_("The file of this document is missing.")) from None
    dossier_read_record(
        user=user,
        dossier=document.dossier,
        action="document_view",
        request=request,
        channel=channel,
        detail={"document": document.pk},
    )
    return handle, document.content_type, document.original_name


# -- maintenance ----------------------------------------------------------------------------------
def _walk(storage, folder: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(dirs):
        yield from _walk(storage, f"{folder}/{sub}")


def orphan_files_sweep(
    *,
    older_than: timedelta = timedelta(days=1),
    dry_run: bool = False,
    now: datetime | None = None,
    batch_size: int = 500,
) -> list[str]:
    """Delete stored scans that no document names and that are older than `older_than` (left by
    an outer transaction that rolled back after a successful upload). Files younger than that may
    belong to a transaction still running, so they are kept. Returns the names found."""
    storage = _storage()
    cutoff = (now or timezone.now()) - older_than
    found: list[str] = []
    batch: list[str] = []

    def flush() -> None:
        referenced = set(Document.objects.filter(file__in=batch).values_list("file", flat=True))
        for name in batch:
            if name in referenced:
                continue
            try:
                modified = storage.get_modified_time(name)
            except (NotImplementedError, OSError):
                continue
            if modified > cutoff:
                continue
            found.append(name)
            if not dry_run:
                _discard(name)
        batch.clear()

    for name in _walk(storage, STORAGE_PREFIX):
        batch.append(name)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return found


__all__ = [
    "ALLOWED_TYPES",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "Inspected",
    "clean_file_name",
    "document_open",
    "document_reuse",
    "document_upload",
    "documents_for_user",
    "inspect_upload",
    "max_upload_bytes",
    "orphan_files_sweep",
    "reusable_documents",
    "storage_name",
]
