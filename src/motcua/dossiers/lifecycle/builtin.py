"""The standard actions of every center, one declaration each (the five steps of Decree 118 and the
internal process). Labels: `button` is what a person orders, `event` the history line, `slip` the
fixed Vietnamese wording of printed slips."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.units.models import Role

from ..models import State
from . import process
from .base import HANDLING, RECEPTION, Action, Context, register
from .states import DESK, LEADER, OPEN, SPECIALIST, STEP_ROLE, outcome_for

SUPPLEMENT_REQUEST_WINDOW_DAYS = 3  # Decree 118: ask for supplements within 3 working days of receipt


def _problems(ctx: Context) -> list[str]:
    return [nfc(p) for p in ctx.problems if nfc(p)]


# -- appliers -------------------------------------------------------------------------------------
def _receive(ctx: Context) -> dict:
    dossier = ctx.dossier
    scanned = set(dossier.documents.values_list("component_id", flat=True))
    components = dossier.procedure_version.components.all()
    dossier.received_at = ctx.at
    dossier.counted = True
    process.start_clock(dossier, ctx.at)
    dossier.original_due_at = dossier.due_at
    ctx.follow = "transfer"  # electronic dossiers go to the department at once
    return {
        "due": process.iso(dossier.due_at),
        "not_scanned": [c.name for c in components if c.mandatory and c.id not in scanned],
    }


def _reception_problems(ctx: Context) -> dict:
    return {"problems": _problems(ctx)}


def _transfer(ctx: Context) -> dict:
    dossier = ctx.dossier
    process.enter_step(dossier, ctx.steps[0] if ctx.steps else None, ctx.at)
    return {
        "step": dossier.step_position,
        "department": dossier.department_id,
        "handling_center": dossier.center.agency_code,
        "step_due": process.iso(dossier.step_due_at),
    }


def _assign(ctx: Context) -> dict:
    roles = {ctx.step.role} if ctx.step else {Role.SPECIALIST, Role.LEADER}
    user = process.staff_of(ctx.dossier.center, ctx.assignee_id, roles)
    ctx.dossier.assignee = user
    return {"assignee": user.pk, "assignee_name": str(user)}


def _advance(ctx: Context) -> dict:
    """Forward or approve: the next step of the internal process, or the result when none is left."""
    dossier, steps, step = ctx.dossier, ctx.steps, ctx.step
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
        dossier.finished_at = ctx.at
        dossier.outcome = outcome_for(ctx.at, dossier.due_at, ctx.calendar.tz)
        return {"issued": True, "outcome": dossier.outcome}
    assignee = (
        process.staff_of(dossier.center, ctx.assignee_id, {following.role}) if ctx.assignee_id else None
    )
    process.enter_step(dossier, following, ctx.at, assignee)
    return {"step": following.position, "step_due": process.iso(dossier.step_due_at)}


def _send_back(ctx: Context) -> dict:
    earlier = [s for s in ctx.steps if s.position < ctx.step.position]
    target = next((s for s in earlier if s.position == ctx.to_step), None) if ctx.to_step else earlier[-1]
    if target is None:
        raise ValidationFailed(_("Choose an earlier step to send the dossier back to."), field="to_step")
    process.enter_step(ctx.dossier, target, ctx.at)
    return {"step": target.position, "from_step": ctx.step.position}


def _request_supplement(ctx: Context) -> dict:
    dossier = ctx.dossier
    dossier.paused_at = ctx.at
    dossier.supplement_count += 1
    used = ctx.calendar.working_days_between(dossier.received_at, ctx.at)
    return {
        "problems": _problems(ctx),
        "count": dossier.supplement_count,
        "within_window": used <= SUPPLEMENT_REQUEST_WINDOW_DAYS,
    }


def _supplement(ctx: Context) -> dict:
    dossier = ctx.dossier
    paused_at = dossier.paused_at
    process.start_clock(dossier, ctx.at)  # the clock restarts from zero once the dossier is complete
    process.enter_step(dossier, ctx.step, ctx.at, dossier.assignee)
    return {"due": process.iso(dossier.due_at), "paused_since": process.iso(paused_at)}


def _interagency_transfer(ctx: Context) -> dict:
    agency = nfc(ctx.agency)
    if not agency:
        raise ValidationFailed(_("Name the agency the dossier goes to."), field="agency")
    days = Decimal(ctx.budget_days if ctx.budget_days is not None else 0)
    if days <= 0:
        raise ValidationFailed(_("Give the other agency's time budget in working days."), field="budget_days")
    ctx.dossier.step_due_at = ctx.calendar.add_working_hours(ctx.at, days * ctx.calendar.daily_hours())
    return {"agency": agency, "budget_days": str(days), "step_due": process.iso(ctx.dossier.step_due_at)}


def _interagency_return(ctx: Context) -> dict:
    process.enter_step(ctx.dossier, ctx.step, ctx.at, ctx.dossier.assignee)
    return {"step": ctx.dossier.step_position}


def _finish(ctx: Context) -> None:
    dossier = ctx.dossier
    dossier.finished_at = ctx.at
    dossier.step_due_at = None


def _refuse(ctx: Context) -> dict:
    _finish(ctx)
    ctx.dossier.outcome = outcome_for(ctx.at, ctx.dossier.due_at or ctx.at, ctx.calendar.tz)
    return {"outcome": ctx.dossier.outcome}


def _reappoint(ctx: Context) -> dict:
    previous_due = ctx.dossier.due_at
    process.reappoint(ctx.dossier, calendar=ctx.calendar, new_due=ctx.new_due, at=ctx.at)
    return {"previous_due": process.iso(previous_due), "due": process.iso(ctx.dossier.due_at)}


def _return(ctx: Context) -> dict:
    if ctx.method not in ("counter", "post", "electronic"):
        raise ValidationFailed(
            _("Choose how the result is returned: counter, post or electronic."), field="method"
        )
    ctx.dossier.returned_at = ctx.at
    ctx.dossier.return_method = ctx.method
    return {"method": ctx.method, "outcome": ctx.dossier.outcome}


def _withdraw(ctx: Context) -> dict:
    _finish(ctx)
    return {}


# -- further rules --------------------------------------------------------------------------------
def _not_a_leader_step(ctx: Context) -> str | None:
    if ctx.step is not None and ctx.step.role == Role.LEADER:
        return _("A leader's step is approved, not forwarded.")
    return None


def _a_leader_step(ctx: Context) -> str | None:
    if ctx.step is not None and ctx.step.role != Role.LEADER:
        return _("Only a leader's step is approved.")
    return None


def _has_earlier_step(ctx: Context) -> str | None:
    if ctx.step is None or ctx.step.position == ctx.steps[0].position:
        return _("The dossier is at the first step; there is no earlier step.")
    return None


def _not_reappointed(ctx: Context) -> str | None:
    if ctx.dossier.reappointed:
        return _("The appointment has already been reset once; it cannot be reset again.")
    return None


# -- the declarations -----------------------------------------------------------------------------
def _declare(name, sources, target, roles, *, event, slip, button=None, **options) -> Action:
    return register(
        Action(name, frozenset(sources), target, frozenset(roles), event, slip, button, **options)
    )


# Dossiers are created by intake services, not by a button; their events are declared for the
# history and the slips.
_declare(
    "submit",
    (),
    State.SUBMITTED,
    (),
    event=pgettext_lazy("event", "Submitted online"),
    slip="Nộp hồ sơ trực tuyến",
)
_declare(
    "intake",
    (),
    None,
    (),
    event=pgettext_lazy("event", "Reception at the counter"),
    slip="Tiếp nhận hồ sơ",
)
# Reception of an online (or kiosk) submission by a desk officer.
_declare(
    "receive",
    {State.SUBMITTED},
    State.RECEIVED,
    {DESK},
    side=RECEPTION,
    apply=_receive,
    button=pgettext_lazy("action", "Receive"),
    event=pgettext_lazy("event", "Received"),
    slip="Tiếp nhận hồ sơ nộp trực tuyến",
)
_declare(
    "reception_supplement",
    {State.SUBMITTED},
    State.RECEPTION_SUPPLEMENT,
    {DESK},
    side=RECEPTION,
    needs_reason=True,
    inputs=("problems", "reason"),
    apply=_reception_problems,
    button=pgettext_lazy("action", "Ask for supplements (not received)"),
    event=pgettext_lazy("event", "Supplements requested at reception"),
    slip="Hướng dẫn bổ sung, chưa tiếp nhận",
)
_declare(
    "reception_refuse",
    {State.SUBMITTED},
    State.RECEPTION_REFUSED,
    {DESK},
    side=RECEPTION,
    needs_reason=True,
    inputs=("reason",),
    apply=_reception_problems,
    button=pgettext_lazy("action", "Refuse to receive"),
    event=pgettext_lazy("event", "Refused at reception"),
    slip="Từ chối tiếp nhận hồ sơ",
)
# Transfer of a paper dossier to the department handling the first internal step.
_declare(
    "transfer",
    {State.RECEIVED},
    State.IN_PROGRESS,
    {DESK},
    side=RECEPTION,
    apply=_transfer,
    button=pgettext_lazy("action", "Transfer for processing"),
    event=pgettext_lazy("event", "Transferred for processing"),
    slip="Chuyển hồ sơ đến bộ phận giải quyết",
)
# The internal process.
_declare(
    "assign",
    {State.IN_PROGRESS},
    State.IN_PROGRESS,
    {LEADER, STEP_ROLE},
    inputs=("assignee",),
    apply=_assign,
    button=pgettext_lazy("action", "Assign"),
    event=pgettext_lazy("event", "Assigned"),
    slip="Phân công xử lý",
)
_declare(
    "forward",
    {State.IN_PROGRESS},
    None,
    {STEP_ROLE},
    inputs=("next_assignee",),
    apply=_advance,
    check=_not_a_leader_step,
    button=pgettext_lazy("action", "Complete this step and forward"),
    event=pgettext_lazy("event", "Step completed, forwarded"),
    slip="Chuyển bước xử lý tiếp theo",
)
_declare(
    "approve",
    {State.IN_PROGRESS},
    None,
    {LEADER},
    inputs=("next_assignee",),
    apply=_advance,
    check=_a_leader_step,
    button=pgettext_lazy("action", "Approve"),
    event=pgettext_lazy("event", "Approved by the leader"),
    slip="Phê duyệt",
)
_declare(
    "send_back",
    {State.IN_PROGRESS},
    State.IN_PROGRESS,
    {STEP_ROLE, LEADER},
    needs_reason=True,
    inputs=("to_step", "reason"),
    apply=_send_back,
    check=_has_earlier_step,
    button=pgettext_lazy("action", "Send back to an earlier step"),
    event=pgettext_lazy("event", "Sent back to an earlier step"),
    slip="Trả lại bước trước",
)
_declare(
    "request_supplement",
    {State.IN_PROGRESS},
    State.SUPPLEMENT_REQUESTED,
    {SPECIALIST, LEADER},
    needs_reason=True,
    inputs=("problems", "reason"),
    apply=_request_supplement,
    button=pgettext_lazy("action", "Ask for supplements"),
    event=pgettext_lazy("event", "Supplements requested"),
    slip="Yêu cầu bổ sung hồ sơ",
)
_declare(
    "supplement",
    {State.SUPPLEMENT_REQUESTED},
    State.IN_PROGRESS,
    {DESK, SPECIALIST},
    side=RECEPTION,
    either_side=True,
    apply=_supplement,
    button=pgettext_lazy("action", "Supplements received"),
    event=pgettext_lazy("event", "Supplements received"),
    slip="Nhận hồ sơ bổ sung",
)
_declare(
    "interagency_transfer",
    {State.IN_PROGRESS},
    State.INTERAGENCY,
    {SPECIALIST, LEADER},
    needs_reason=True,
    inputs=("agency", "budget_days", "reason"),
    apply=_interagency_transfer,
    button=pgettext_lazy("action", "Send to another agency"),
    event=pgettext_lazy("event", "Sent to another agency"),
    slip="Chuyển cơ quan phối hợp (liên thông)",
)
_declare(
    "interagency_return",
    {State.INTERAGENCY},
    State.IN_PROGRESS,
    {DESK, SPECIALIST, LEADER},
    apply=_interagency_return,
    button=pgettext_lazy("action", "Back from the other agency"),
    event=pgettext_lazy("event", "Back from the other agency"),
    slip="Nhận lại hồ sơ từ cơ quan phối hợp",
)
_declare(
    "refuse",
    {State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED},
    State.REFUSED,
    {LEADER},
    needs_reason=True,
    inputs=("reason",),
    apply=_refuse,
    button=pgettext_lazy("action", "Refuse"),
    event=pgettext_lazy("event", "Refused"),
    slip="Từ chối giải quyết hồ sơ",
)
# Apology and new appointment (slip 04): once, at least one working day before the due instant.
_declare(
    "reappoint",
    {State.RECEIVED, State.IN_PROGRESS, State.INTERAGENCY},
    None,
    {LEADER, DESK},
    side=HANDLING,
    needs_reason=True,
    inputs=("new_due", "reason"),
    apply=_reappoint,
    check=_not_reappointed,
    button=pgettext_lazy("action", "Apologize and set a new appointment"),
    event=pgettext_lazy("event", "Apology and new appointment"),
    slip="Xin lỗi, hẹn lại ngày trả kết quả",
)
_declare(
    "return",
    {State.RESULT_READY},
    State.RETURNED,
    {DESK},
    side=RECEPTION,
    either_side=True,
    inputs=("method",),
    apply=_return,
    button=pgettext_lazy("action", "Return the result"),
    event=pgettext_lazy("event", "Result returned"),
    slip="Trả kết quả",
)
_declare(
    "withdraw",
    OPEN,
    State.WITHDRAWN,
    {DESK},
    side=RECEPTION,
    either_side=True,
    needs_reason=True,
    inputs=("reason",),
    apply=_withdraw,
    button=pgettext_lazy("action", "Withdraw at the applicant's request"),
    event=pgettext_lazy("event", "Withdrawn at the applicant's request"),
    slip="Rút hồ sơ theo đề nghị",
)
