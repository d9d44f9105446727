"""The words the staff pages use for states, channels, roles, actions and events.

Context-qualified (pgettext) so that the staff catalog words its own pages without changing how
other apps (API, admin, slips) word the same values. Actions and events are worded where each
action is declared (`dossiers.lifecycle`).
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from motcua.catalog.choices import PaperForm
from motcua.dossiers import lifecycle
from motcua.dossiers.models import IntakeChannel, Outcome, ReturnMethod, State
from motcua.units.models import Role

STATE = {
    State.SUBMITTED: pgettext_lazy("dossier state", "Submitted online"),
    State.RECEIVED: pgettext_lazy("dossier state", "Received"),
    State.IN_PROGRESS: pgettext_lazy("dossier state", "In progress"),
    State.SUPPLEMENT_REQUESTED: pgettext_lazy("dossier state", "Waiting for supplements"),
    State.INTERAGENCY: pgettext_lazy("dossier state", "At another agency"),
    State.RESULT_READY: pgettext_lazy("dossier state", "Result ready"),
    State.RETURNED: pgettext_lazy("dossier state", "Result returned"),
    State.REFUSED: pgettext_lazy("dossier state", "Refused"),
    State.WITHDRAWN: pgettext_lazy("dossier state", "Withdrawn"),
    State.RECEPTION_SUPPLEMENT: pgettext_lazy("dossier state", "Not received: supplements needed"),
    State.RECEPTION_REFUSED: pgettext_lazy("dossier state", "Not received: refused"),
}

CHANNEL = {
    IntakeChannel.COUNTER: pgettext_lazy("channel", "At the counter"),
    IntakeChannel.ONLINE: pgettext_lazy("channel", "Online"),
    IntakeChannel.POST: pgettext_lazy("channel", "By post"),
    IntakeChannel.KIOSK: pgettext_lazy("channel", "Kiosk"),
}

RETURN_METHOD = {
    ReturnMethod.COUNTER: pgettext_lazy("return method", "At the counter"),
    ReturnMethod.POST: pgettext_lazy("return method", "By post"),
    ReturnMethod.ELECTRONIC: pgettext_lazy("return method", "Electronically"),
}

OUTCOME = {
    Outcome.EARLY: pgettext_lazy("outcome", "Early"),
    Outcome.ON_TIME: pgettext_lazy("outcome", "On time"),
    Outcome.LATE: pgettext_lazy("outcome", "Late"),
}

ROLE = {
    Role.DESK_OFFICER: pgettext_lazy("role", "Desk officer"),
    Role.SPECIALIST: pgettext_lazy("role", "Specialist"),
    Role.LEADER: pgettext_lazy("role", "Leader"),
    Role.CENTER_ADMIN: pgettext_lazy("role", "Center administrator"),
    Role.PROVINCE_ADMIN: pgettext_lazy("role", "Province administrator"),
}

PAPER_FORM = {
    PaperForm.ORIGINAL: pgettext_lazy("paper form", "Original"),
    PaperForm.COPY: pgettext_lazy("paper form", "Copy"),
    PaperForm.CERTIFIED_COPY: pgettext_lazy("paper form", "Certified copy"),
    PaperForm.ORIGINAL_TO_COMPARE: pgettext_lazy("paper form", "Copy with original to compare"),
    PaperForm.ELECTRONIC: pgettext_lazy("paper form", "Electronic data"),
}

DEADLINE = {
    "overdue": pgettext_lazy("deadline", "Overdue"),
    "due_soon": pgettext_lazy("deadline", "Due soon"),
}

SLIP = {
    "01": pgettext_lazy("slip", "Receipt and appointment slip"),
    "02": pgettext_lazy("slip", "Supplement request slip"),
    "03": pgettext_lazy("slip", "Refusal slip"),
    "04": pgettext_lazy("slip", "Apology and new appointment slip"),
    "05": pgettext_lazy("slip", "Process control slip"),
}


def state(value: str) -> str:
    label = STATE.get(value)
    return str(label) if label is not None else value


def channel(value: str) -> str:
    label = CHANNEL.get(value)
    return str(label) if label is not None else value


def event(action: str) -> str:
    """The history line of an action: declared with the action (`dossiers.lifecycle`)."""
    return lifecycle.event_label(action)


def action(name: str) -> str:
    """What an action's button says: declared with the action (`dossiers.lifecycle`)."""
    return lifecycle.button_label(name)


def role(value: str) -> str:
    label = ROLE.get(value)
    return str(label) if label is not None else value


def return_method(value: str) -> str:
    label = RETURN_METHOD.get(value)
    return str(label) if label is not None else value


def outcome(value: str) -> str:
    label = OUTCOME.get(value)
    return str(label) if label is not None else value


def slip(number: str) -> str:
    label = SLIP.get(number)
    return str(label) if label is not None else number


def paper_form(value: str) -> str:
    label = PAPER_FORM.get(value)
    return str(label) if label is not None else value
