"""Every write to dossiers: intake on every channel and each lifecycle action.

One keyword-only function per business action, all atomic. The dossier row is locked
(`select_for_update`) before any change; code counters are locked before dossiers. Each change
writes its event, chained by hash, in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from motcua.core.text import nfc
from motcua.reports import rollups
from motcua.units.models import Department, Role, ServiceCenter
from motcua.units.scoping import refuse_province_writes, user_scope
from motcua.workdays.selectors import calendar_for_center

from . import chain, codes, lifecycle
from .models import CodeCounter, Dossier, DossierEvent, IdempotencyRecord, IntakeChannel, ReturnMethod, State

ELECTRONIC_CHANNELS = frozenset({IntakeChannel.ONLINE, IntakeChannel.KIOSK})
SUPPLEMENT_REQUEST_WINDOW_DAYS = 3  # Decree 118: ask for supplements within 3 working days of receipt


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


# -- codes ----------------------------------------------------------------------------------------
def _allocate_code(center: ServiceCenter, at: datetime) -> str:
    """The next code of the agency for the day of `at`, gap-free: the counter row is locked and
    its increment commits or rolls back with the dossier that uses it."""
    day = timezone.localtime(at).date()
    CodeCounter.objects.bulk_create(
        [CodeCounter(agency_code=center.agency_code, day=day, last_number=0)], ignore_conflicts=True
    )
    counter = CodeCounter.objects.select_for_update().get(agency_code=center.agency_code, day=day)
    if counter.last_number >= codes.MAX_SEQUENCE:
        raise DomainError(
            _("The agency has issued 9,999 codes today; no more can be allocated."), code="code_exhausted"
        )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return codes.format_code(center.agency_code, day, counter.last_number)


# -- events ---------------------------------------------------------------------------------------
def _record(
    dossier: Dossier,
    *,
    action: str,
    from_state: str,
    actor,
    center: ServiceCenter,
    at: datetime,
    reason: str = "",
    payload: dict | None = None,
) -> DossierEvent:
    payload = payload or {}
    seq = dossier.event_count + 1
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    content = chain.event_content(
        dossier_id=dossier.pk,
        seq=seq,
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        actor_id=actor_id,
        center_id=center.pk,
        at=at,
        reason=reason,
        payload=payload,
    )
    digest = chain.event_hash(dossier.last_hash, content)
    event = DossierEvent.objects.create(
        dossier=dossier,
        seq=seq,
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        actor_id=actor_id,
        actor_name=str(actor) if actor_id else "",
        center=center,
        at=at,
        reason=reason,
        payload=payload,
        prev_hash=dossier.last_hash,
        hash=digest,
    )
    dossier.event_count, dossier.last_hash = seq, digest
    rollups.apply_event(dossier, event, from_state)  # report counters, in this same transaction
    return event


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# -- the internal process -------------------------------------------------------------------------
def processing_steps(version: ProcedureVersion) -> list[ProcessStep]:
    """The steps a dossier moves through after reception: the internal process without a leading
    reception step and a trailing return step (both desk-officer work done by intake and return)."""
    steps = list(version.steps.all())
    while steps and steps[0].role == Role.DESK_OFFICER:
        steps.pop(0)
    while steps and steps[-1].role == Role.DESK_OFFICER:
        steps.pop()
    return steps


def _step(dossier: Dossier, position: int | None) -> ProcessStep | None:
    if position is None:
        return None
    for step in processing_steps(dossier.procedure_version):
        if step.position == position:
            return step
    return None


def _calendar(dossier: Dossier):
    """The handling center's calendar, looked up once per dossier object: one action touches it
    several times (clock, step budget, outcome) and each lookup costs a query."""
    cached = getattr(dossier, "_handling_calendar", None)
    if cached is None or cached[0] != dossier.center_id:
        cached = (dossier.center_id, calendar_for_center(dossier.center))
        dossier._handling_calendar = cached
    return cached[1]


def _enter_step(dossier: Dossier, step: ProcessStep | None, at: datetime, assignee=None) -> None:
    calendar = _calendar(dossier)
    dossier.step_position = step.position if step else None
    dossier.assignee = assignee
    department = None
    if step and step.department_code:
        department = Department.objects.filter(center=dossier.center, code=step.department_code).first()
    dossier.department = department or dossier.department
    if step:
        dossier.step_due_at = calendar.add_working_hours(at, step.budget_days * calendar.daily_hours())
    else:
        dossier.step_due_at = dossier.due_at


def _start_clock(dossier: Dossier, at: datetime) -> None:
    calendar = _calendar(dossier)
    dossier.clock_started_at = at
    dossier.due_at = calendar.due(at, dossier.procedure_version.time_limit)
    dossier.paused_at = None


def _transfer_due(dossier: Dossier, at: datetime) -> datetime:
    """Paper dossiers go to the department the same working day, or by the next morning when
    received after the cut-off."""
    calendar = calendar_for_center(dossier.receiving_center)
    local = timezone.localtime(at, calendar.tz)
    if calendar.is_working_day(local.date()) and local.time() <= calendar.cutoff:
        return calendar.close_of(local.date())
    next_day = calendar.next_working_day(local.date())
    return calendar.intervals(next_day)[0][1]


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
    version = ProcedureVersion.objects.prefetch_related("components", "steps").get(pk=procedure_version.pk)
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
    if state == State.RECEIVED:
        dossier.code = _allocate_code(center, at)
        dossier.secret = codes.new_secret()
        dossier.received_at = dossier.submitted_at = at
        _start_clock(dossier, at)
        dossier.original_due_at = dossier.due_at
        dossier.step_due_at = _transfer_due(dossier, at) if channel not in ELECTRONIC_CHANNELS else None
        payload |= {"code": dossier.code, "due": _iso(dossier.due_at)}
        if dossier.boundary_free:
            payload["handling_center"] = handling.agency_code
    else:
        payload["problems"] = problems
    dossier.save()
    _record(
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
        _do_transfer(dossier, actor=actor, at=at)
    dossier.save()
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
    version = ProcedureVersion.objects.prefetch_related("components").get(pk=procedure_version.pk)
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
    _record(
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
    dossier.save()
    return dossier


# -- actions --------------------------------------------------------------------------------------
RECEPTION_SIDE = frozenset(
    {"receive", "reception_supplement", "reception_refuse", "transfer", "return", "withdraw", "supplement"}
)


def _roles_for(dossier: Dossier, user, action: str) -> frozenset[str]:
    scope = user_scope(user)
    center_id = dossier.receiving_center_id if action in RECEPTION_SIDE else dossier.center_id
    roles = scope.roles_in(center_id)
    if action in ("supplement", "withdraw", "return") and dossier.center_id != dossier.receiving_center_id:
        roles = roles | scope.roles_in(dossier.center_id)
    return roles


def _refusal(dossier: Dossier, user, action: str) -> str | None:
    """Why `user` cannot take `action` on `dossier` now, or None when they can."""
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        return _("Unknown action.")
    if dossier.state not in transition.sources:
        return _("This action is not possible while the dossier is “%(state)s”.") % {
            "state": dossier.get_state_display()
        }
    step = _step(dossier, dossier.step_position)
    steps = processing_steps(dossier.procedure_version)
    step_role = step.role if step else (Role.SPECIALIST if dossier.state == State.IN_PROGRESS else None)
    if not lifecycle.role_allows(transition, _roles_for(dossier, user, action), step_role):
        return _("Your role does not allow this action on this dossier.")
    if action == "forward" and step is not None and step.role == Role.LEADER:
        return _("A leader's step is approved, not forwarded.")
    if action == "approve" and step is not None and step.role != Role.LEADER:
        return _("Only a leader's step is approved.")
    if action == "send_back" and (step is None or step.position == steps[0].position):
        return _("The dossier is at the first step; there is no earlier step.")
    if action == "reappoint" and dossier.reappointed:
        return _("The appointment has already been reset once; it cannot be reset again.")
    return None


def available_actions(dossier: Dossier, user) -> list[str]:
    """The actions `user` can take on `dossier` now, in the table's order: pages and API use this."""
    return [a for a in lifecycle.TRANSITIONS if _refusal(dossier, user, a) is None]


def _lock(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update()
        .select_related("procedure_version__procedure", "center__commune", "receiving_center__commune")
        .get(pk=dossier.pk)
    )


def _do_transfer(dossier: Dossier, *, actor, at: datetime) -> None:
    steps = processing_steps(dossier.procedure_version)
    from_state = dossier.state
    dossier.state = State.IN_PROGRESS
    _enter_step(dossier, steps[0] if steps else None, at)
    _record(
        dossier,
        action="transfer",
        from_state=from_state,
        actor=actor,
        center=dossier.receiving_center,
        at=at,
        payload={
            "step": dossier.step_position,
            "department": dossier.department_id,
            "handling_center": dossier.center.agency_code,
            "step_due": _iso(dossier.step_due_at),
        },
    )


def _staff_of(center: ServiceCenter, user_id, roles: set[str]):
    from motcua.units.models import StaffRole

    staff = (
        StaffRole.objects.filter(center=center, user_id=user_id, role__in=roles)
        .select_related("user")
        .first()
    )
    if staff is None:
        raise ValidationFailed(
            _("The assignee must be staff of the handling center with the step's role."), field="assignee"
        )
    return staff.user


@transaction.atomic
def dossier_act(
    *,
    actor,
    dossier: Dossier,
    action: str,
    reason: str = "",
    assignee_id: int | None = None,
    to_step: int | None = None,
    new_due: date | None = None,
    agency: str = "",
    budget_days: Decimal | None = None,
    method: str = "",
    problems: list[str] | None = None,
    at: datetime | None = None,
) -> Dossier:
    """Take one lifecycle action. Refuses, with a clear message and no change, what the transition
    table, the role or the rules do not allow."""
    at = at or timezone.now()
    dossier = _lock(dossier)
    refuse_province_writes(actor, dossier.receiving_center_id, dossier.center_id)  # 403, not 409
    refusal = _refusal(dossier, actor, action)
    if refusal:
        raise Conflict(refusal, code="action_not_allowed")
    transition = lifecycle.TRANSITIONS[action]
    reason = nfc(reason)
    if transition.needs_reason and not reason and not problems:
        raise ValidationFailed(_("Give the reason."), field="reason")
    from_state = dossier.state
    calendar = _calendar(dossier)
    steps = processing_steps(dossier.procedure_version)
    step = _step(dossier, dossier.step_position)
    payload: dict = {}
    center = dossier.center

    if action == "receive":
        version = dossier.procedure_version
        scanned = set(dossier.documents.values_list("component_id", flat=True))
        missing = [c.name for c in version.components.all() if c.mandatory and c.id not in scanned]
        dossier.state = State.RECEIVED
        dossier.received_at = at
        dossier.counted = True
        _start_clock(dossier, at)
        dossier.original_due_at = dossier.due_at
        payload = {"due": _iso(dossier.due_at), "not_scanned": missing}
        center = dossier.receiving_center
        _record(
            dossier,
            action=action,
            from_state=from_state,
            actor=actor,
            center=center,
            at=at,
            reason=reason,
            payload=payload,
        )
        _do_transfer(dossier, actor=actor, at=at)
        dossier.save()
        return dossier
    if action in ("reception_supplement", "reception_refuse"):
        dossier.state = transition.target
        payload = {"problems": [nfc(p) for p in (problems or []) if nfc(p)]}
        center = dossier.receiving_center
    elif action == "transfer":
        _do_transfer(dossier, actor=actor, at=at)
        dossier.save()
        return dossier
    elif action == "assign":
        user = _staff_of(dossier.center, assignee_id, {step.role} if step else {Role.SPECIALIST, Role.LEADER})
        dossier.assignee = user
        payload = {"assignee": user.pk, "assignee_name": str(user)}
    elif action in ("forward", "approve"):
        positions = [s.position for s in steps]
        following = (
            steps[positions.index(step.position) + 1]
            if step is not None and step.position in positions[:-1]
            else None
        )
        if following is None:  # the last step (sign and issue), or a procedure without steps
            dossier.state = State.RESULT_READY
            dossier.step_position = None
            dossier.step_due_at = None
            dossier.assignee = None
            dossier.finished_at = at
            dossier.outcome = lifecycle.outcome_for(at, dossier.due_at, calendar.tz)
            payload = {"issued": True, "outcome": dossier.outcome}
        else:
            assignee = _staff_of(dossier.center, assignee_id, {following.role}) if assignee_id else None
            _enter_step(dossier, following, at, assignee)
            payload = {"step": following.position, "step_due": _iso(dossier.step_due_at)}
    elif action == "send_back":
        earlier = [s for s in steps if s.position < step.position]
        target = next((s for s in earlier if s.position == to_step), None) if to_step else earlier[-1]
        if target is None:
            raise ValidationFailed(_("Choose an earlier step to send the dossier back to."), field="to_step")
        _enter_step(dossier, target, at)
        payload = {"step": target.position, "from_step": step.position}
    elif action == "request_supplement":
        items = [nfc(p) for p in (problems or []) if nfc(p)]
        dossier.state = State.SUPPLEMENT_REQUESTED
        dossier.paused_at = at
        dossier.supplement_count += 1
        used = calendar.working_days_between(dossier.received_at, at)
        payload = {
            "problems": items,
            "count": dossier.supplement_count,
            "within_window": used <= SUPPLEMENT_REQUEST_WINDOW_DAYS,
        }
    elif action == "supplement":
        dossier.state = State.IN_PROGRESS
        paused_at = dossier.paused_at
        _start_clock(dossier, at)
        _enter_step(dossier, step, at, dossier.assignee)
        payload = {"due": _iso(dossier.due_at), "paused_since": _iso(paused_at)}
        center = dossier.receiving_center
    elif action == "interagency_transfer":
        if not nfc(agency):
            raise ValidationFailed(_("Name the agency the dossier goes to."), field="agency")
        days = Decimal(budget_days if budget_days is not None else 0)
        if days <= 0:
            raise ValidationFailed(
                _("Give the other agency's time budget in working days."), field="budget_days"
            )
        dossier.state = State.INTERAGENCY
        dossier.step_due_at = calendar.add_working_hours(at, days * calendar.daily_hours())
        payload = {"agency": nfc(agency), "budget_days": str(days), "step_due": _iso(dossier.step_due_at)}
    elif action == "interagency_return":
        dossier.state = State.IN_PROGRESS
        _enter_step(dossier, step, at, dossier.assignee)
        payload = {"step": dossier.step_position}
    elif action == "refuse":
        dossier.state = State.REFUSED
        dossier.finished_at = at
        dossier.step_due_at = None
        dossier.outcome = lifecycle.outcome_for(at, dossier.due_at or at, calendar.tz)
        payload = {"outcome": dossier.outcome}
    elif action == "reappoint":
        previous_due = dossier.due_at
        _reappoint(dossier, calendar=calendar, new_due=new_due, at=at)
        payload = {"previous_due": _iso(previous_due), "due": _iso(dossier.due_at)}
    elif action == "return":
        if method not in ("counter", "post", "electronic"):
            raise ValidationFailed(
                _("Choose how the result is returned: counter, post or electronic."), field="method"
            )
        dossier.state = State.RETURNED
        dossier.returned_at = at
        dossier.return_method = method
        payload = {"method": method, "outcome": dossier.outcome}
        center = dossier.receiving_center
    elif action == "withdraw":
        dossier.state = State.WITHDRAWN
        dossier.finished_at = at
        dossier.step_due_at = None
        center = dossier.receiving_center
    _record(
        dossier,
        action=action,
        from_state=from_state,
        actor=actor,
        center=center,
        at=at,
        reason=reason,
        payload=payload,
    )
    dossier.save()
    return dossier


def _reappoint(dossier: Dossier, *, calendar, new_due: date | None, at: datetime) -> None:
    """Slip 04: once, at least one working day of office time before the due instant; the new
    appointment is the close of a later working day."""
    if dossier.due_at is None:
        raise DomainError(_("The dossier has no appointment to reset."), code="no_appointment")
    if new_due is None:
        raise ValidationFailed(_("Give the new appointment date."), field="new_due")
    if calendar.office_time_between(at, dossier.due_at) < timedelta(hours=float(calendar.daily_hours())):
        raise DomainError(
            _("An apology and new appointment must be issued at least one working day before the due date."),
            code="too_late_to_reappoint",
        )
    if not calendar.is_working_day(new_due):
        raise ValidationFailed(_("The new appointment must fall on a working day."), field="new_due")
    new_instant = calendar.close_of(new_due)
    if new_instant <= dossier.due_at:
        raise ValidationFailed(_("The new appointment must be later than the current one."), field="new_due")
    dossier.due_at = new_instant
    dossier.reappointed = True


# -- idempotency ----------------------------------------------------------------------------------
def request_fingerprint(data) -> str:
    return hashlib.sha256(chain.canonical({"data": data})).hexdigest()


def idempotent(*, key: str | None, scope: str, fingerprint: str, run):
    """Run `run()` once per (scope, key): a retry gets the first (status, body) back.

    `run` returns (status, body) and is executed inside the same transaction as the record, so a
    crash leaves neither; two racing retries cannot both commit (unique key), and the loser
    replays the winner's answer.
    """
    if not key:
        return run()
    key = key.strip()[:120]
    for _attempt in range(3):
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is not None:
            if existing.request_hash != fingerprint:
                raise DomainError(
                    _("This Idempotency-Key was already used for a different request."),
                    code="idempotency_conflict",
                )
            return existing.status, existing.response
        try:
            with transaction.atomic():
                status, body = run()
                IdempotencyRecord.objects.create(
                    scope=scope, key=key, request_hash=fingerprint, status=status, response=body
                )
                return status, body
        except IntegrityError:
            continue  # a concurrent retry committed first: replay its answer
    raise DomainError(_("Please retry the request."), code="retry")
