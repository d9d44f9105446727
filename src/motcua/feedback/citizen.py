"""A citizen proves a dossier is theirs with its code and lookup secret, as on the tracking page.

The same rules as `motcua.dossiers.tracking.track`: an unknown code and a wrong secret look the
same, the secret is compared in constant time, and failures are rate-limited in
their own bucket ("feedback", separate from tracking's: someone tracking a dossier at the kiosk
never blocks the next citizen's rating, nor the other way round).
"""

import hmac

from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, RateLimited
from motcua.core.ratelimit import LookupLimits
from motcua.dossiers.codes import normalize_secret
from motcua.dossiers.models import Dossier
from motcua.dossiers.tracking import _DUMMY_SECRET

LIMITS = LookupLimits(bucket="feedback")


def dossier_for_citizen(*, code: str, secret: str, client: str) -> Dossier:
    code = (code or "").strip().upper()[:60]
    if LIMITS.blocked(client=client, code=code):
        raise RateLimited(_("Too many failed lookups. Please try again in a few minutes."))
    dossier = (
        Dossier.objects.select_related("procedure_version", "center", "receiving_center")
        .filter(code=code)
        .first()
        if code
        else None
    )
    expected = dossier.secret if dossier is not None and dossier.secret else _DUMMY_SECRET
    if not hmac.compare_digest(normalize_secret(secret).encode(), expected.encode()) or dossier is None:
        LIMITS.failed(client=client, code=code)
        raise NotFound(_("No dossier matches this code and lookup secret."))
    return dossier
