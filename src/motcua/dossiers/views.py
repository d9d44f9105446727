"""Public tracking pages: by code and lookup secret, or straight from a slip's QR code.

What is shown is `tracking.tracking_data`: the procedure, the state and current step, the
appointment and the history, with the applicant as initials only. Failed lookups are rate-limited
by `tracking.track`. The page is never cached: its address may carry the secret.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.errors import DomainError
from motcua.core.ratelimit import client_ip

from . import tracking
from .models import Outcome, State

# The road every dossier travels, as the citizen sees it.
STAGES = (
    ("submitted", gettext_lazy("Filed")),
    ("received", gettext_lazy("Received")),
    ("processing", gettext_lazy("Being processed")),
    ("ready", gettext_lazy("Result ready")),
    ("returned", gettext_lazy("Result returned")),
)
STAGE_OF_STATE = {
    State.SUBMITTED: 0,
    State.RECEIVED: 1,
    State.IN_PROGRESS: 2,
    State.SUPPLEMENT_REQUESTED: 2,
    State.INTERAGENCY: 2,
    State.RESULT_READY: 3,
    State.RETURNED: 4,
}
STATE_HINTS = {
    State.SUBMITTED: gettext_lazy("A desk officer will check the papers and receive the dossier."),
    State.SUPPLEMENT_REQUESTED: gettext_lazy(
        "Papers are missing: please contact the center or bring them to the counter. "
        "The time limit restarts when the dossier is complete."
    ),
    State.RESULT_READY: gettext_lazy("The result is ready: collect it as you chose when filing."),
    State.RECEPTION_SUPPLEMENT: gettext_lazy(
        "The dossier was not received because papers are missing. Please contact the center."
    ),
    State.RECEPTION_REFUSED: gettext_lazy("The dossier was not received. Please contact the center."),
    State.REFUSED: gettext_lazy("The dossier was refused. Please contact the center for the reason."),
}


def public_progress(data: dict) -> dict:
    """Template-ready extras for a tracking result: the stages with their status, a hint and the
    outcome's label. Shared by the tracking page and the kiosk."""
    state = data["state"]
    current = STAGE_OF_STATE.get(state)
    stages = []
    for index, (key, label) in enumerate(STAGES):
        if current is None:
            status = "todo"
        elif index < current or (index == current == len(STAGES) - 1):
            status = "done"
        elif index == current:
            status = "current"
        else:
            status = "todo"
        stages.append({"key": key, "label": label, "status": status})
    outcome = data.get("outcome")
    return {
        "stages": stages,
        "stopped": current is None,
        "hint": STATE_HINTS.get(state, ""),
        "outcome_label": Outcome(outcome).label if outcome in Outcome.values else "",
        "tone": "warn" if state in (State.SUPPLEMENT_REQUESTED,) else ("stop" if current is None else "ok"),
    }


def _render(request, context: dict, status: int = 200):
    response = render(request, "dossiers/track.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def track_form(request):
    code = request.GET.get("code", "").strip()
    secret = request.GET.get("s", "").strip()
    if code and secret:
        return track_page(request, code)
    context = {"code": code[:60], "secret": secret[:40]}
    if code and not secret:
        context["error"] = _("Enter the lookup secret printed on your receipt.")
    return _render(request, context)


@never_cache
@require_safe
def track_page(request, code: str):
    secret = request.GET.get("s", "").strip()
    context = {"code": code[:60], "secret": secret[:40]}
    if not secret:
        context["error"] = _("Enter the lookup secret printed on your receipt.")
        return _render(request, context)
    status = 200
    try:
        data = tracking.track(code=code, secret=secret, client=client_ip(request))
    except DomainError as exc:
        context["error"] = exc.message
        status = exc.status
    else:
        context["data"] = data
        context["progress"] = public_progress(data)
    return _render(request, context, status)
