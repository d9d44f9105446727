"""Intake on every channel: the completeness check, the dossier code, the first event.

Code sequences are locked before dossiers; the dossier is written once and its first event,
chained by hash, is recorded in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import DomainError, PermissionDenied, ValidationFailed
from motcua.core.text import nfc
from motcua.units.models import Role, ServiceCenter
from motcua.units.scoping import user_scope

from .. import codes
from ..lifecycle import process
from ..models import CodeSequence, Dossier, IntakeChannel, ReturnMethod, State
from .acting import follow_up
from .recording import record_event

ELECTRONIC_CHANNELS = frozenset({IntakeChannel.ONLINE, IntakeChannel.KIOSK})
# What changes on a new dossier after its insert: the chain head its events set, and the step the
# transfer of an electronic dossier enters. Only these are written again.
AFTER_EVENTS = ["event_count", "last_hash", "state", "step_position", "step_due_at", "department", "assignee"]


# -- inputs ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Applicant:
    """Người nộp hồ sơ, and the representative who files on their behalf if any."""

    name: str
    kind: str = "person"
    id_number: str = ""
    birth_date: object = None
    phone: str = ""
    email: str = ""
    address: str = ""
    representative_name: str = ""
    representative_id_number: str = ""
    representative_phone: str = ""

    def fields(self) -> dict:
        name = nfc(self.name)
        if not name:
            raise ValidationFailed(_("The applicant's name is required."), field="applicant.name")
        id_number = nfc(self.id_number).replace(" ", "")
        if id_number and not id_number.isalnum():
            raise ValidationFailed(
                _("The ID number may contain only letters and digits."), field="applicant.id_number"
            )
        return {
            "applicant_kind": self.kind,
            "applicant_name": name,
            "applicant_id_number": id_number,
            "applicant_birth_date": self.birth_date,
            "applicant_phone": nfc(self.phone),
            "applicant_email": nfc(self.email),
            "applicant_address": nfc(self.address),
            "representative_name": nfc(self.representative_name),
            "representative_id_number": nfc(self.representative_id_number),
            "representative_phone": nfc(self.representative_phone),
        }


@dataclass(frozen=True)
class ComponentCheck:
    """What the desk officer found for one required component: provided or not, and any problem."""

    component_id: int
    provided: bool
    problem: str = ""
    required: bool | None = None  # for conditional components: does the condition apply?


@dataclass
class IntakeResult:
    dossier: Dossier
    missing: list[dict] = field(default_factory=list)

    @property
    def received(self) -> bool:
        return self.dossier.state not in (
            State.RECEPTION_SUPPLEMENT,
            State.RECEPTION_REFUSED,
            State.SUBMITTED,
        )


# -- completeness (pure over the version's components) --------------------------------------------
def completeness_problems(version: ProcedureVersion, checks: list[ComponentCheck]) -> list[dict]:
    """Every missing or wrong component, in the procedure's order: asked for once, completely."""
    by_id = {c.component_id: c for c in checks}
    known = {c.id for c in version.components.all()}
    unknown = set(by_id) - known
    if unknown:
        raise ValidationFailed(
            _("Component %(ids)s is not part of this procedure.")
            % {"ids": ", ".join(map(str, sorted(unknown)))},
            field="components",
        )
    problems = []
    for component in version.components.all():
        check = by_id.get(component.id)
        required = component.mandatory if check is None or check.required is None else check.required
        if check is not None and check.provided and check.problem.strip():
            problems.append(
                {
                    "component": component.id,
                    "name": component.name,
                    "missing": False,
                    "problem": nfc(check.problem),
                }
            )
        elif required and (check is None or not check.provided):
            problems.append(
                {"component": component.id, "name": component.name, "missing": True, "problem": ""}
            )
    return problems


def _with_parts(version: ProcedureVersion, *parts: str) -> ProcedureVersion:
    """The version with its procedure and `parts` loaded: as given when the caller loaded them
    already (the API does), else read once."""
    loaded = getattr(version, "_prefetched_objects_cache", {})
    if all(part in loaded for part in parts) and ProcedureVersion.procedure.is_cached(version):
        return version
    return ProcedureVersion.objects.select_related("procedure").prefetch_related(*parts).get(pk=version.pk)


# -- codes ----------------------------------------------------------------------------------------
def _allocate_code(center: ServiceCenter, at: datetime) -> str:
    """The next code of the agency for the day of `at`, gap-free: the sequence row is locked and
    its increment commits or rolls back with the dossier that uses it."""
    day = timezone.localtime(at).date()
    CodeSequence.objects.bulk_create(
        [CodeSequence(agency_code=center.agency_code, day=day, last_number=0)], ignore_conflicts=True
    )
    sequence = CodeSequence.objects.select_for_update().get(agency_code=center.agency_code, day=day)
    if sequence.last_number >= codes.MAX_SEQUENCE:
        raise DomainError(
            _("The agency has issued 9,999 codes today; no more can be allocated."), code="code_exhausted"
        )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return codes.format_code(center.agency_code, day, sequence.last_number)


# -- intake ---------------------------------------------------------------------------------------
def _check_intake(
    *,
    actor,
    center: ServiceCenter,
    version: ProcedureVersion,
    channel: str,
    handling_center: ServiceCenter | None,
) -> ServiceCenter:
    if channel not in IntakeChannel.values:
        raise ValidationFailed(_("Unknown channel %(channel)s.") % {"channel": channel}, field="channel")
    handling = handling_center or center
    if handling.pk != center.pk:
        if not version.boundary_free:
            raise DomainError(
                _("This procedure is not on the boundary-free list: it must be filed at the competent unit."),
                code="not_boundary_free",
            )
        if handling.commune.province_id != center.commune.province_id:
            raise DomainError(
                _("Boundary-free reception is for units of the same province."), code="other_province"
            )
    today = timezone.localdate()
    if version.effective_from > today or (version.effective_to and version.effective_to < today):
        raise DomainError(
            _("This version of the procedure is not in force today."), code="version_not_in_force"
        )
    return handling


MAX_PAGES = 10_000
MAX_COPIES = 1_000


def _check_counts(pages, copies) -> None:
    """The pages and copies a fee is computed from: whole numbers from 1."""
    if type(pages) is not int or not 1 <= pages <= MAX_PAGES:
        raise ValidationFailed(
            _("The number of pages is a whole number from 1 to %(max)s.") % {"max": MAX_PAGES},
            field="pages",
        )
    if type(copies) is not int or not 1 <= copies <= MAX_COPIES:
        raise ValidationFailed(
            _("The number of copies is a whole number from 1 to %(max)s.") % {"max": MAX_COPIES},
            field="copies",
        )


@transaction.atomic
def dossier_intake(
    *,
    actor,
    center: ServiceCenter,
    procedure_version: ProcedureVersion,
    channel: str,
    applicant: Applicant,
    components: list[ComponentCheck],
    decision: str | None = None,
    reason: str = "",
    handling_center: ServiceCenter | None = None,
    postal_tracking_number: str = "",
    result_delivery: str = "counter",
    pages: int = 1,
    copies: int = 1,
    at: datetime | None = None,
) -> IntakeResult:
    """Reception (tiếp nhận) by a desk officer at the counter, from the post or a kiosk.

    `decision` None receives a complete dossier and asks for supplements otherwise; "refuse"
    refuses it with `reason`. Only a received dossier gets a code and an appointment; the other
    two outcomes are kept for their slips but are not counted as dossiers.
    """
    at = at or timezone.now()
    scope = user_scope(actor)
    if not scope.has_role(center.pk, Role.DESK_OFFICER):
        raise PermissionDenied(_("Only a desk officer of this center can receive dossiers."))
    version = _with_parts(procedure_version, "components", "steps")
    handling = _check_intake(
        actor=actor, center=center, version=version, channel=channel, handling_center=handling_center
    )
    if result_delivery not in ReturnMethod.values:
        raise ValidationFailed(
            _("Choose how the result is returned: counter, post or electronic."), field="result_delivery"
        )
    if channel == IntakeChannel.POST and not nfc(postal_tracking_number):
        raise ValidationFailed(
            _("A dossier received by post needs its postal tracking number."), field="postal_tracking_number"
        )
    problems = completeness_problems(version, components)
    reason = nfc(reason)
    _check_counts(pages, copies)
    if decision == "refuse":
        if not reason:
            raise ValidationFailed(_("Give the reason for refusing."), field="reason")
        state = State.RECEPTION_REFUSED
    elif decision in (None, "receive", "supplement"):
        if decision == "receive" and problems:
            raise DomainError(
                _("The dossier is not complete: %(items)s.")
                % {"items": "; ".join(p["name"] for p in problems)},
                code="incomplete",
            )
        if decision == "supplement" and not problems:
            raise DomainError(_("Nothing is missing: receive the dossier instead."), code="complete")
        state = State.RECEPTION_SUPPLEMENT if problems else State.RECEIVED
    else:
        raise ValidationFailed(_("Unknown decision %(d)s.") % {"d": decision}, field="decision")

    dossier = Dossier(
        procedure_version=version,
        field_id=version.procedure.field_id,
        receiving_center=center,
        center=handling,
        channel=channel,
        boundary_free=handling.pk != center.pk,
        postal_tracking_number=nfc(postal_tracking_number),
        result_delivery=result_delivery,
        fee_pages=pages,
        fee_copies=copies,
        state=state,
        created_by=actor,
        counted=state == State.RECEIVED,
        **applicant.fields(),
    )
    payload: dict = {
        "procedure": version.procedure.national_code,
        "version": version.version,
        "channel": channel,
        "components": [{"component": c.component_id, "provided": c.provided} for c in components],
        "result_delivery": result_delivery,
    }
    if (pages, copies) != (1, 1):
        payload |= {"pages": pages, "copies": copies}
    if state == State.RECEIVED:
        dossier.code = _allocate_code(center, at)
        dossier.secret = codes.new_secret()
        dossier.received_at = dossier.submitted_at = at
        process.start_clock(dossier, at)
        dossier.original_due_at = dossier.due_at
        dossier.step_due_at = (
            process.transfer_due(dossier, at) if channel not in ELECTRONIC_CHANNELS else None
        )
        payload |= {"code": dossier.code, "due": process.iso(dossier.due_at)}
        if dossier.boundary_free:
            payload["handling_center"] = handling.agency_code
    else:
        payload["problems"] = problems
    dossier.save()
    record_event(
        dossier,
        action="intake",
        from_state="",
        actor=actor,
        center=center,
        at=at,
        reason=reason,
        payload=payload,
    )
    if state == State.RECEIVED and channel in ELECTRONIC_CHANNELS:
        follow_up(dossier, actor=actor, at=at, action="transfer")
    dossier.save(update_fields=AFTER_EVENTS)
    return IntakeResult(dossier=dossier, missing=problems)


@transaction.atomic
def dossier_submit_online(
    *,
    center: ServiceCenter,
    procedure_version: ProcedureVersion,
    applicant: Applicant,
    components: list[ComponentCheck],
    channel: str = IntakeChannel.ONLINE,
    handling_center: ServiceCenter | None = None,
    result_delivery: str = "electronic",
    actor=None,
    at: datetime | None = None,
) -> Dossier:
    """A citizen's online (or kiosk) submission. It gets its code and lookup secret at once, so the
    citizen can follow it; a desk officer then receives it, asks for supplements or refuses it."""
    at = at or timezone.now()
    if channel not in ELECTRONIC_CHANNELS:
        raise ValidationFailed(_("Online submissions come from the portal or a kiosk."), field="channel")
    version = _with_parts(procedure_version, "components")
    handling = _check_intake(
        actor=actor, center=center, version=version, channel=channel, handling_center=handling_center
    )
    if channel == IntakeChannel.ONLINE and not {"online_full", "online_partial"} & set(version.channels):
        raise DomainError(_("This procedure is not offered online."), code="not_online")
    completeness_problems(version, components)  # refuses unknown components; gaps are the officer's call
    dossier = Dossier(
        procedure_version=version,
        field_id=version.procedure.field_id,
        receiving_center=center,
        center=handling,
        channel=channel,
        boundary_free=handling.pk != center.pk,
        state=State.SUBMITTED,
        submitted_at=at,
        counted=False,
        result_delivery=result_delivery,
        **applicant.fields(),
    )
    dossier.code = _allocate_code(center, at)
    dossier.secret = codes.new_secret()
    dossier.save()
    record_event(
        dossier,
        action="submit",
        from_state="",
        actor=actor,
        center=center,
        at=at,
        payload={
            "procedure": version.procedure.national_code,
            "version": version.version,
            "channel": channel,
            "code": dossier.code,
            "components": [{"component": c.component_id, "provided": c.provided} for c in components],
        },
    )
    dossier.save(update_fields=AFTER_EVENTS)
    return dossier
