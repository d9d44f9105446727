"""The states a dossier moves through and the pure rules about them (no database)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from ..models import Outcome, State

STEP_ROLE = "step_role"  # "the role the procedure's internal process gives the current step"
DESK, SPECIALIST, LEADER = "desk_officer", "specialist", "leader"

ACTIVE = frozenset({State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED, State.INTERAGENCY})
OPEN = ACTIVE | {State.SUBMITTED, State.RESULT_READY}
TERMINAL = frozenset(
    {State.RETURNED, State.REFUSED, State.WITHDRAWN, State.RECEPTION_SUPPLEMENT, State.RECEPTION_REFUSED}
)
ALL = frozenset(State.values)


def role_allows(roles_needed: frozenset[str], roles: frozenset[str], step_role: str | None) -> bool:
    """Whether someone holding `roles` may act, given the role of the dossier's current step."""
    if roles_needed & roles:
        return True
    return STEP_ROLE in roles_needed and step_role is not None and step_role in roles


def outcome_for(finished_at: datetime, due_at: datetime, tz: ZoneInfo) -> Outcome:
    """Early when finished on a day before the appointment day; on time up to the appointment
    instant; late after it."""
    if finished_at > due_at:
        return Outcome.LATE
    if finished_at.astimezone(tz).date() < due_at.astimezone(tz).date():
        return Outcome.EARLY
    return Outcome.ON_TIME
