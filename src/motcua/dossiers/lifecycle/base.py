"""What an action is: one declaration per action, and the registry every part of the system reads.

A declaration says where the action may start (source states), where it leads (a target state, or
None when the internal process decides), who may take it, which inputs it needs, the function that
applies it, and every word people see: the button, the history line and the slip wording. Pages,
API, forms, slips and the history read from here; `services.dossier_act` runs lock → check → apply
→ record → save around it. Apps declare their own actions with `register(...)` in their
`AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import Dossier

# The inputs an action may ask for; the staff form and the API schema know each of them.
INPUTS = frozenset(
    {
        "reason",
        "problems",
        "assignee",
        "next_assignee",
        "to_step",
        "new_due",
        "agency",
        "budget_days",
        "method",
    }
)
RECEPTION, HANDLING = "reception", "handling"


@dataclass
class Context:
    """One taking of an action: what the actor gave and what the dossier is at now."""

    dossier: Dossier
    actor: Any
    at: datetime
    from_state: str
    calendar: Any
    steps: list
    step: Any
    reason: str = ""
    assignee_id: int | None = None
    to_step: int | None = None
    new_due: date | None = None
    agency: str = ""
    budget_days: Decimal | None = None
    method: str = ""
    problems: list[str] = field(default_factory=list)
    follow: str | None = None  # an action applied right after this one in the same transaction


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    target: str | None  # None: decided by `apply` (the internal process), or unchanged
    roles: frozenset[str]
    event: Any  # the history line (lazy translation), e.g. "Approved by the leader"
    slip: str  # the fixed Vietnamese wording printed on slips (official documents)
    button: Any = None  # what the button says (lazy translation); None: not offered to people
    inputs: tuple[str, ...] = ()
    needs_reason: bool = False  # a reason (or a list of problems) is required
    side: str = HANDLING  # whose roles count and where the event is recorded
    either_side: bool = False  # the handling unit's staff may also take it (boundary-free dossiers)
    apply: Callable[[Context], dict] | None = None  # changes the dossier, returns the event payload
    check: Callable[[Context], str | None] | None = None  # a further rule: why not, or None

    def __post_init__(self):
        unknown = set(self.inputs) - INPUTS
        if unknown:
            raise ValueError(f"action {self.name}: unknown inputs {sorted(unknown)}")

    @property
    def offered(self) -> bool:
        """Offered to people as a button (system events like "submit" or a bank's confirmation
        are recorded by their own services, never taken from a page)."""
        return self.button is not None


ACTIONS: dict[str, Action] = {}


def register(action: Action, *, replace: bool = False) -> Action:
    if action.name in ACTIONS and not replace:
        raise ValueError(f"action {action.name} is declared twice")
    ACTIONS[action.name] = action
    return action


def unregister(name: str) -> None:
    ACTIONS.pop(name, None)


def get(name: str) -> Action | None:
    return ACTIONS.get(name)


def offered() -> list[Action]:
    """The actions people can take, in declaration order."""
    return [a for a in ACTIONS.values() if a.offered]


def event_label(name: str) -> str:
    action = ACTIONS.get(name)
    return str(action.event) if action is not None else name


def button_label(name: str) -> str:
    action = ACTIONS.get(name)
    if action is None:
        return name
    return str(action.button if action.button is not None else action.event)


def slip_label(name: str) -> str:
    action = ACTIONS.get(name)
    return action.slip if action is not None else name
