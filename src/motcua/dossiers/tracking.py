"""Public tracking by code and lookup secret: what the applicant may see, nothing more."""

import hmac
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, RateLimited
from motcua.core.ratelimit import LookupLimits

from .codes import normalize_secret
from .lifecycle import event_label
from .models import Dossier, DossierEvent, IntakeChannel, State
from .services import processing_steps

# Failed lookups of the tracking pages and API (the citizen's feedback pages count their own).
LIMITS = LookupLimits(bucket="track")
_DUMMY_SECRET = "X" * 10
CACHE_SECONDS = 3600


def initials(name: str) -> str:
    """ "Trần Thị Ánh Nguyệt" -> "T. T. Á. N.": enough to recognize one's own dossier."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part)


def track(*, code: str, secret: str, client: str) -> dict:
    """The public view of one dossier. Unknown code and wrong secret look the same; repeated
    failures from one client are refused for a while, so codes cannot be enumerated."""
    code = (code or "").strip().upper()[:60]
    if LIMITS.blocked(client=client, code=code):
        raise RateLimited(_("Too many failed lookups. Please try again in a few minutes."))
    # One indexed read of what the check needs; order_by() drops Meta.ordering (its compilation was
    # a fifth of a lookup's time in a bench profile).
    row = next(
        iter(Dossier.objects.filter(code=code).order_by().values_list("pk", "secret", "last_hash")[:1]), None
    )
    expected = row[1] if row and row[1] else _DUMMY_SECRET
    if not hmac.compare_digest(normalize_secret(secret).encode(), expected.encode()) or row is None:
        LIMITS.failed(client=client, code=code)
        raise NotFound(_("No dossier matches this code and lookup secret."))
    return cached_tracking_data(row[0], row[2])


def _cache_key(dossier_id: int, head: str, language: str | None = None) -> str:
    return f"track:{dossier_id}:{head[:24]}:{language or get_language() or settings.LANGUAGE_CODE}"


def cached_tracking_data(dossier_id: int, head: str) -> dict:
    """The public answer for the dossier whose history ends in `head` (its last event's hash), built
    once and kept in the shared cache (Redis when configured, else this process's memory).

    The key is the head read in the same request, so an answer can never be older than the last
    committed event, whichever process cached it; an answer is stored only if it was built from
    that very head. After each commit the previous head's answers are dropped (memory only)."""
    key = _cache_key(dossier_id, head)
    data = cache.get(key)
    if data is None:
        dossier = (
            Dossier.objects.select_related("procedure_version__procedure", "receiving_center", "center")
            .order_by()
            .get(pk=dossier_id)
        )
        data = tracking_data(dossier)
        if dossier.last_hash == head:
            cache.set(key, data, CACHE_SECONDS)
    return data


def forget_previous_answer(event, dossier) -> None:
    """After-commit listener: the answers for the history before `event` are unreachable now (their
    key names the old head); drop them to free the cache."""
    if event.prev_hash:
        cache.delete_many(
            [_cache_key(dossier.pk, event.prev_hash, code) for code, _name in settings.LANGUAGES]
        )


@lru_cache(maxsize=4096)
def _step_names(version_id: int) -> dict[int, str]:
    """Step names of a version. A version a dossier was filed under is frozen (the catalog makes a
    new version instead of editing it), so the names can be kept for the life of the process."""
    from motcua.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.prefetch_related("steps").get(pk=version_id)
    return {step.position: step.name for step in processing_steps(version)}


def state_label(dossier: Dossier) -> str:
    """The state as the citizen reads it; a kiosk filing waiting for reception says "kiosk", not
    "online"."""
    if dossier.state == State.SUBMITTED and dossier.channel == IntakeChannel.KIOSK:
        return _("Filed at the kiosk, awaiting reception")
    return dossier.get_state_display()


def _event_label(dossier: Dossier, action: str) -> str:
    if action == "submit" and dossier.channel == IntakeChannel.KIOSK:
        return _("Filed at the kiosk")
    return event_label(action)


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
        "state_label": str(state_label(dossier)),
        "current_step": current,
        "submitted_at": iso(dossier.submitted_at),
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "reappointed": dossier.reappointed,
        "outcome": dossier.outcome or None,
        "returned_at": iso(dossier.returned_at),
        "history": [
            {"action": action, "label": str(_event_label(dossier, action)), "state": state, "at": iso(at)}
            for action, state, at in events
        ],
    }
