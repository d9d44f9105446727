"""Public tracking by code and lookup secret: what the applicant may see, nothing more."""

import hmac
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, RateLimited
from motcua.core.ratelimit import LookupLimits

from .codes import normalize_secret
from .lifecycle import event_label
from .models import Dossier, DossierEvent
from .services import processing_steps

# Failed lookups of the tracking pages and API (the citizen's feedback pages count their own).
LIMITS = LookupLimits(bucket="track")
_DUMMY_SECRET = "X" * 10


def initials(name: str) -> str:
    """ "Trần Thị Ánh Nguyệt" -> "T. T. Á. N.": enough to recognize one's own dossier."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part)


def track(*, code: str, secret: str, client: str) -> dict:
    """The public view of one dossier. Unknown code and wrong secret look the same; repeated
    failures from one client are refused for a while, so codes cannot be enumerated."""
    code = (code or "").strip().upper()[:60]
    if LIMITS.blocked(client=client, code=code):
        raise RateLimited(_("Too many failed lookups. Please try again in a few minutes."))
    # order_by() drops Meta.ordering: compiling it was a fifth of a lookup's time (bench profile).
    dossier = next(
        iter(
            Dossier.objects.select_related("procedure_version__procedure", "receiving_center", "center")
            .filter(code=code)
            .order_by()[:1]
        ),
        None,
    )
    expected = dossier.secret if dossier and dossier.secret else _DUMMY_SECRET
    if not hmac.compare_digest(normalize_secret(secret).encode(), expected.encode()) or dossier is None:
        LIMITS.failed(client=client, code=code)
        raise NotFound(_("No dossier matches this code and lookup secret."))
    return tracking_data(dossier)


@lru_cache(maxsize=4096)
def _step_names(version_id: int) -> dict[int, str]:
    """Step names of a version. A version a dossier was filed under is frozen (the catalog makes a
    new version instead of editing it), so the names can be kept for the life of the process."""
    from motcua.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.prefetch_related("steps").get(pk=version_id)
    return {step.position: step.name for step in processing_steps(version)}


def tracking_data(dossier: Dossier) -> dict:
    """Instants are aware datetimes in Vietnam's zone (the API encodes them as ISO 8601)."""
    version = dossier.procedure_version
    current = _step_names(version.pk).get(dossier.step_position) if dossier.step_position else None
    events = (
        DossierEvent.objects.filter(dossier=dossier).order_by("seq").values_list("action", "to_state", "at")
    )

    def iso(value):
        return timezone.localtime(value) if value else None

    return {
        "code": dossier.code,
        "procedure": {"code": version.procedure.national_code, "name": version.name},
        "applicant_initials": initials(dossier.applicant_name),
        "receiving_center": dossier.receiving_center.name,
        "handling_center": dossier.center.name,
        "state": dossier.state,
        "state_label": str(dossier.get_state_display()),
        "current_step": current,
        "submitted_at": iso(dossier.submitted_at),
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "reappointed": dossier.reappointed,
        "outcome": dossier.outcome or None,
        "returned_at": iso(dossier.returned_at),
        "history": [
            {"action": action, "label": event_label(action), "state": state, "at": iso(at)}
            for action, state, at in events
        ],
    }
