"""Every write of the citizen pages: drafts of online filings, their files, submission, kiosk filing.

Keyword-only, atomic. Submission goes through dossiers.services.dossier_submit_online and
dossiers.documents.document_upload, the same paths the API uses.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion
from motcua.core import idempotency
from motcua.core.errors import DomainError, NotFound, ValidationFailed
from motcua.dossiers import documents
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, IntakeChannel, ReturnMethod
from motcua.identity.cccd import CitizenCard
from motcua.units.models import ServiceCenter

from . import mail
from .forms import REQUIRED_KEYS
from .models import Draft, DraftFile
from .selectors import offers_online, requires_uploads

logger = logging.getLogger(__name__)

MAX_FILES_PER_COMPONENT = 10
DRAFT_PREFIX = "drafts"


def draft_lifetime() -> timedelta:
    return timedelta(days=mail.draft_days())


def _storage():
    return DraftFile._meta.get_field("file").storage


def _discard(name: str) -> None:
    try:
        _storage().delete(name)
    except Exception:
        logger.exception("Could not delete the draft file %s", name)


def _discard_after_commit(names: list[str]) -> None:
    if names:
        transaction.on_commit(lambda: [_discard(n) for n in names])


def _lock(draft: Draft) -> Draft:
    try:
        return Draft.objects.select_for_update().get(pk=draft.pk)
    except Draft.DoesNotExist:
        raise NotFound(_("This draft no longer exists.")) from None


def _check_editable(draft: Draft) -> None:
    if draft.dossier_id is not None:
        raise DomainError(_("This draft has already been submitted."), code="draft_submitted")


# -- drafts ---------------------------------------------------------------------------------------
@transaction.atomic
def draft_create(
    *, procedure_version: ProcedureVersion, center: ServiceCenter | None = None, applicant: dict | None = None
) -> Draft:
    """Start a draft of an online filing for a version offered online."""
    if not offers_online(procedure_version):
        raise DomainError(_("This procedure is not offered online."), code="not_online")
    draft = Draft.objects.create(
        procedure_version=procedure_version,
        center=center,
        applicant={},
        expires_at=timezone.now() + draft_lifetime(),
    )
    if applicant:
        _apply_applicant(draft, applicant)
        draft.save()
    return draft


def _apply_applicant(draft: Draft, values: dict) -> None:
    draft.applicant = {**draft.applicant, **values}
    email = draft.applicant.get("email", "")
    if email and email != draft.link_sent_to:
        mail.send_draft_link(to=email, procedure_name=draft.procedure_version.name, token=draft.token)
        draft.link_sent_to = email


@transaction.atomic
def draft_save(
    *, draft: Draft, center: ServiceCenter | None | bool = False, applicant: dict | None = None
) -> Draft:
    """Keep what the citizen typed. `center` False leaves the center as it was; `applicant` holds
    only valid values (forms.ApplicantForm.valid_values). Each save extends the draft's life."""
    locked = _lock(draft)
    _check_editable(locked)
    locked.procedure_version = draft.procedure_version  # already loaded, for the e-mail's wording
    if center is not False:
        locked.center = center or None
    if applicant:
        _apply_applicant(locked, applicant)
    locked.expires_at = timezone.now() + draft_lifetime()
    locked.save()
    draft.center, draft.applicant, draft.expires_at = locked.center, locked.applicant, locked.expires_at
    draft.link_sent_to = locked.link_sent_to
    return draft


def _draft_storage_name(inspected: documents.Inspected) -> str:
    local = timezone.localtime()
    return f"{DRAFT_PREFIX}/{local:%Y/%m}/{inspected.sha256[:2]}/{uuid.uuid4().hex}.{inspected.extension}"


@transaction.atomic
def draft_file_add(*, draft: Draft, component_id: int, upload) -> DraftFile:
    """Add a scan for one required component. The bytes are checked like a dossier document
    (PDF, JPEG or PNG by content, size limit, PDF opens) and hashed; the same bytes for the same
    component again return the existing row."""
    locked = _lock(draft)
    _check_editable(locked)
    component = locked.procedure_version.components.filter(pk=component_id).first()
    if component is None:
        raise ValidationFailed(_("This paper is not part of the procedure."), field="component")
    content = upload if isinstance(upload, File) else File(upload)
    label = documents.clean_file_name(content.name) or _("unnamed file")
    inspected = documents.inspect_upload(content, label)
    existing = DraftFile.objects.filter(draft=locked, component=component, sha256=inspected.sha256).first()
    if existing is not None:
        return existing
    if DraftFile.objects.filter(draft=locked, component=component).count() >= MAX_FILES_PER_COMPONENT:
        raise ValidationFailed(
            _("At most %(count)d files per paper.") % {"count": MAX_FILES_PER_COMPONENT}, field="file"
        )
    content.seek(0)
    name = _storage().save(_draft_storage_name(inspected), content, max_length=200)
    try:
        row = DraftFile.objects.create(
            draft=locked,
            component=component,
            file=name,
            original_name=label,
            content_type=inspected.content_type,
            size=inspected.size,
            sha256=inspected.sha256,
        )
    except BaseException:
        _discard(name)
        raise
    locked.expires_at = timezone.now() + draft_lifetime()
    locked.save(update_fields=["expires_at", "updated_at"])
    return row


@transaction.atomic
def draft_file_remove(*, draft: Draft, file_id) -> None:
    locked = _lock(draft)
    _check_editable(locked)
    row = DraftFile.objects.filter(draft=locked, pk=file_id).first()
    if row is None:
        return  # already removed (a repeated click)
    name = row.file.name
    row.delete()
    _discard_after_commit([name])


# -- completeness ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def draft_problems(draft: Draft) -> list[Problem]:
    """What is still needed before the draft can be submitted, in the order of the page."""
    problems: list[Problem] = []
    if draft.center_id is None or not draft.center or not draft.center.is_active:
        problems.append(Problem("center", _("Choose the center that receives your dossier.")))
    messages = {
        "name": _("Enter the applicant's full name."),
        "id_number": _("Enter the citizen ID number."),
        "phone": _("Enter a phone number the center can call."),
        "address": _("Enter the permanent address."),
    }
    for key in REQUIRED_KEYS:
        if not draft.applicant.get(key):
            problems.append(Problem(key, messages[key]))
    if requires_uploads(draft.procedure_version):
        provided = {f.component_id for f in draft.files.all()}
        for component in draft.procedure_version.components.all():
            if component.mandatory and not component.condition and component.pk not in provided:
                problems.append(Problem(f"file_{component.pk}", _("Upload a scan or photo of this paper.")))
    return problems


def _applicant(values: dict) -> dossier_services.Applicant:
    birth = values.get("birth_date") or None
    return dossier_services.Applicant(
        name=values.get("name", ""),
        id_number=values.get("id_number", ""),
        birth_date=date.fromisoformat(birth) if birth else None,
        phone=values.get("phone", ""),
        email=values.get("email", ""),
        address=values.get("address", ""),
    )


# -- submission -----------------------------------------------------------------------------------
@transaction.atomic
def draft_submit(*, draft: Draft, at: datetime | None = None) -> Dossier:
    """Turn the draft into a dossier with its documents, in one transaction. A draft submitted
    before returns its dossier: a second click, a retry or a reload makes no second dossier (the
    draft row is locked, so two racing submissions queue and the second sees the first)."""
    locked = _lock(draft)
    if locked.dossier_id is not None:
        return Dossier.objects.get(pk=locked.dossier_id)
    fresh = Draft.objects.select_related("procedure_version__procedure", "center__commune").get(pk=locked.pk)
    problems = draft_problems(fresh)
    if problems:
        raise ValidationFailed(problems[0].message, field=problems[0].field)
    version = fresh.procedure_version
    files = list(DraftFile.objects.filter(draft=fresh).order_by("component_id", "id"))
    provided = {f.component_id for f in files}
    checks = [dossier_services.ComponentCheck(c.id, c.id in provided) for c in version.components.all()]
    values = fresh.applicant
    dossier = dossier_services.dossier_submit_online(
        center=fresh.center,
        procedure_version=version,
        applicant=_applicant(values),
        components=checks,
        channel=IntakeChannel.ONLINE,
        result_delivery=values.get("result_delivery") or ReturnMethod.ELECTRONIC,
        at=at,
    )
    for row in files:
        try:
            handle = _storage().open(row.file.name, "rb")
        except (FileNotFoundError, OSError):
            raise DomainError(
                _("The file “%(name)s” of this draft is missing; remove it and upload it again.")
                % {"name": row.original_name},
                code="file_missing",
            ) from None
        with handle:
            documents.document_upload(
                actor=None,
                dossier=dossier,
                component_id=row.component_id,
                upload=File(handle, name=row.original_name),
                at=at,
            )
    stored = [row.file.name for row in files]
    DraftFile.objects.filter(draft=fresh).delete()
    email = values.get("email", "")
    # The dossier now holds the applicant's data; the draft keeps only the way back to it.
    Draft.objects.filter(pk=fresh.pk).update(
        dossier=dossier,
        submitted_at=dossier.submitted_at,
        applicant={"email": email} if email else {},
        expires_at=timezone.now() + draft_lifetime(),
    )
    _discard_after_commit(stored)
    if email:
        mail.send_submitted(
            to=email,
            procedure_name=version.name,
            code=dossier.code,
            secret=dossier.secret,
            center_name=fresh.center.name,
        )
    return dossier


# -- kiosk ----------------------------------------------------------------------------------------
def kiosk_submit(
    *,
    center: ServiceCenter,
    procedure_version: ProcedureVersion,
    card: CitizenCard,
    nonce: str,
    phone: str = "",
) -> Dossier:
    """A kiosk filing from the chip ID card: the citizen only confirms. The confirmation page
    carries a one-time nonce, so a double tap or a reload replays the first answer."""
    fingerprint = idempotency.request_fingerprint(
        {"center": center.pk, "version": procedure_version.pk, "id": card.id_number}
    )

    def run():
        dossier = dossier_services.dossier_submit_online(
            center=center,
            procedure_version=procedure_version,
            applicant=dossier_services.Applicant(
                name=card.full_name,
                id_number=card.id_number,
                birth_date=card.birth_date,
                address=card.address,
                phone=phone,
            ),
            components=[],
            channel=IntakeChannel.KIOSK,
            result_delivery=ReturnMethod.COUNTER,
        )
        return 201, {"dossier": dossier.pk}

    _status, body = idempotency.idempotent(
        key=f"kiosk:{nonce}" if nonce else None, scope="kiosk", fingerprint=fingerprint, run=run
    )
    return Dossier.objects.select_related("procedure_version__procedure", "receiving_center").get(
        pk=body["dossier"]
    )


# -- housekeeping ---------------------------------------------------------------------------------
def draft_purge_expired(*, now: datetime | None = None) -> int:
    """Delete expired drafts and their files (submitted ones too: the dossier has everything)."""
    from .selectors import expired_drafts

    count = 0
    for draft in expired_drafts(now).iterator():
        with transaction.atomic():
            names = list(DraftFile.objects.filter(draft=draft).values_list("file", flat=True))
            draft.delete()
            _discard_after_commit(names)
        count += 1
    return count
