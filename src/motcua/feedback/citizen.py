"""A citizen proves a dossier is theirs with its code and lookup secret, as on the tracking page.

The same rules as `motcua.dossiers.tracking.track`: an unknown code and a wrong secret look the
same, the secret is compared in constant time, and failures count in the tracking page's own
rate-limit bucket, so guessing cannot be spread across the tracking and the feedback pages.
"""

import hmac

from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, RateLimited
from motcua.core.ratelimit import blocked, hit
from motcua.dossiers.codes import normalize_secret
from motcua.dossiers.models import Dossier
from motcua.dossiers.tracking import _DUMMY_SECRET, FAILED_LOOKUPS_PER_WINDOW, WINDOW_SECONDS

BUCKET = "track"


def dossier_for_citizen(*, code: str, secret: str, client: str) -> Dossier:
    if blocked(BUCKET, client, limit=FAILED_LOOKUPS_PER_WINDOW):
        raise RateLimited(_("Too many failed lookups. Please try again in a few minutes."))
    code = (code or "").strip().upper()[:60]
    dossier = (
        Dossier.objects.select_related("procedure_version", "center", "receiving_center")
        .filter(code=code)
        .first()
        if code
        else None
    )
    expected = dossier.secret if dossier is not None and dossier.secret else _DUMMY_SECRET
    if not hmac.compare_digest(normalize_secret(secret).encode(), expected.encode()) or dossier is None:
        hit(BUCKET, client, limit=FAILED_LOOKUPS_PER_WINDOW, window_seconds=WINDOW_SECONDS)
        raise NotFound(_("No dossier matches this code and lookup secret."))
    return dossier
