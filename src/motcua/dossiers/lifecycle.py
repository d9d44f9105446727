"""The dossier lifecycle as data (pure): which action moves which state, and who may take it.

Pages, API, CLI and tasks all ask `allowed(...)` through `services.available_actions`; services
refuse anything else with a clear message. `STEP_ROLE` means "the role the procedure's internal
process gives the current step".
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from .models import Outcome, State

STEP_ROLE = "step_role"
DESK, SPECIALIST, LEADER = "desk_officer", "specialist", "leader"

ACTIVE = frozenset({State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED, State.INTERAGENCY})
OPEN = ACTIVE | {State.SUBMITTED, State.RESULT_READY}
TERMINAL = frozenset(
    {State.RETURNED, State.REFUSED, State.WITHDRAWN, State.RECEPTION_SUPPLEMENT, State.RECEPTION_REFUSED}
)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: decided by the internal process (next step or result ready)
    roles: frozenset[str]
    needs_reason: bool = False


def _t(action, sources, target, roles, needs_reason=False) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), needs_reason)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        # Reception of an online (or kiosk) submission by a desk officer.
        _t("receive", {State.SUBMITTED}, State.RECEIVED, {DESK}),
        _t("reception_supplement", {State.SUBMITTED}, State.RECEPTION_SUPPLEMENT, {DESK}, True),
        _t("reception_refuse", {State.SUBMITTED}, State.RECEPTION_REFUSED, {DESK}, True),
        # Transfer of a paper dossier to the department handling the first internal step.
        _t("transfer", {State.RECEIVED}, State.IN_PROGRESS, {DESK}),
        # The internal process.
        _t("assign", {State.IN_PROGRESS}, State.IN_PROGRESS, {LEADER, STEP_ROLE}),
        _t("forward", {State.IN_PROGRESS}, None, {STEP_ROLE}),
        _t("approve", {State.IN_PROGRESS}, None, {LEADER}),
        _t("send_back", {State.IN_PROGRESS}, State.IN_PROGRESS, {STEP_ROLE, LEADER}, True),
        _t("request_supplement", {State.IN_PROGRESS}, State.SUPPLEMENT_REQUESTED, {SPECIALIST, LEADER}, True),
        _t("supplement", {State.SUPPLEMENT_REQUESTED}, State.IN_PROGRESS, {DESK, SPECIALIST}),
        _t("interagency_transfer", {State.IN_PROGRESS}, State.INTERAGENCY, {SPECIALIST, LEADER}, True),
        _t("interagency_return", {State.INTERAGENCY}, State.IN_PROGRESS, {DESK, SPECIALIST, LEADER}),
        _t("refuse", {State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED}, State.REFUSED, {LEADER}, True),
        # Apology and new appointment (slip 04): once, at least one working day before the due instant.
        _t(
            "reappoint",
            {State.RECEIVED, State.IN_PROGRESS, State.INTERAGENCY},
            None,
            {LEADER, DESK},
            True,
        ),
        _t("return", {State.RESULT_READY}, State.RETURNED, {DESK}),
        _t("withdraw", OPEN, State.WITHDRAWN, {DESK}, True),
    )
}

ACTION_LABELS = {
    "submit": _("Submitted online"),
    "intake": _("Reception at the counter"),
    "receive": _("Received"),
    "reception_supplement": _("Supplements requested at reception"),
    "reception_refuse": _("Refused at reception"),
    "transfer": _("Transferred for processing"),
    "assign": _("Assigned to a specialist"),
    "forward": _("Step completed, forwarded"),
    "approve": _("Approved by the leader"),
    "send_back": _("Sent back to an earlier step"),
    "request_supplement": _("Supplements requested"),
    "supplement": _("Supplements received"),
    "interagency_transfer": _("Sent to another agency"),
    "interagency_return": _("Back from the other agency"),
    "refuse": _("Refused"),
    "reappoint": _("Apology and new appointment"),
    "return": _("Result returned"),
    "withdraw": _("Withdrawn at the applicant's request"),
}

# Actions that keep the state (and so must not change the outcome of a dossier).
STATE_KEEPING = frozenset({"assign", "send_back", "reappoint"})


def role_allows(transition: Transition, roles: frozenset[str], step_role: str | None) -> bool:
    if transition.roles & roles:
        return True
    return STEP_ROLE in transition.roles and step_role is not None and step_role in roles


def outcome_for(finished_at: datetime, due_at: datetime, tz: ZoneInfo) -> Outcome:
    """Early when finished on a day before the appointment day; on time up to the appointment
    instant; late after it."""
    if finished_at > due_at:
        return Outcome.LATE
    if finished_at.astimezone(tz).date() < due_at.astimezone(tz).date():
        return Outcome.EARLY
    return Outcome.ON_TIME
