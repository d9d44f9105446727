"""The dossier lifecycle: states (pure rules), one declaration per action, and the internal process.

`base` holds what an action is and the registry; `builtin` declares the standard actions; other
apps declare theirs with `register(...)` in their `AppConfig.ready()`. `services.dossier_act` and
`services.available_actions` are the only code that runs them.
"""

from . import builtin  # noqa: F401  (declares the standard actions)
from .base import (
    ACTIONS,
    HANDLING,
    INPUTS,
    RECEPTION,
    Action,
    Context,
    button_label,
    event_label,
    get,
    offered,
    register,
    slip_label,
    unregister,
)
from .builtin import SUPPLEMENT_REQUEST_WINDOW_DAYS
from .states import ACTIVE, ALL, DESK, LEADER, OPEN, SPECIALIST, STEP_ROLE, TERMINAL, outcome_for, role_allows

__all__ = [
    "ACTIONS",
    "ACTIVE",
    "ALL",
    "Action",
    "Context",
    "DESK",
    "HANDLING",
    "INPUTS",
    "LEADER",
    "OPEN",
    "RECEPTION",
    "SPECIALIST",
    "STEP_ROLE",
    "SUPPLEMENT_REQUEST_WINDOW_DAYS",
    "TERMINAL",
    "button_label",
    "event_label",
    "get",
    "offered",
    "outcome_for",
    "register",
    "role_allows",
    "slip_label",
    "unregister",
]
