"""Which key signs, which roots are trusted, which timestamp authority stamps.

Settings: `MOTCUA_RESULTS_TRUST` — PEM files of the CA roots a result's signatures must chain to
(default: the demo CA, MOTCUA_PKI_DIR/ca/ca.pem); `MOTCUA_RESULTS_TSA_URL` — an RFC 3161
timestamp authority (none by default). The roots are read once per file version.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from django.conf import settings

from . import remote, signing
from .models import KeyKind, RemoteSigningService, SigningKey

_roots_lock = threading.Lock()
_roots: dict[tuple, tuple[list, str]] = {}


def pki_dir() -> Path:
    return Path(getattr(settings, "MOTCUA_PKI_DIR", None) or Path(settings.DATA_DIR) / "pki")


def demo_ca_dir() -> Path:
    return pki_dir() / "ca"


def trust_paths() -> list[Path]:
    configured = getattr(settings, "MOTCUA_RESULTS_TRUST", None)
    if configured:
        return [Path(p) for p in ([configured] if isinstance(configured, (str, Path)) else configured)]
    return [demo_ca_dir() / "ca.pem"]


def _load_roots() -> tuple[list, str]:
    paths = [p for p in trust_paths() if p.exists()]
    key = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
    with _roots_lock:
        if key not in _roots:
            _roots.clear()
            roots = [signing.load_certificate(p) for p in paths]
            fingerprint = hashlib.sha256(b"".join(c.dump() for c in roots)).hexdigest()[:16]
            _roots[key] = (roots, fingerprint)
        return _roots[key]


def trust_roots() -> list:
    return _load_roots()[0]


def trust_fingerprint() -> str:
    """Changes when the trusted roots change (cached verdicts are keyed by it)."""
    return _load_roots()[1]


def timestamper():
    url = getattr(settings, "MOTCUA_RESULTS_TSA_URL", "") or ""
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url)


def key_of(user, center_id: int) -> SigningKey | None:
    """The leader's (a user or a user id) active key at the center (None: none there)."""
    return (
        SigningKey.objects.filter(user_id=getattr(user, "pk", user), center_id=center_id, active=True)
        .select_related("service")
        .order_by("-id")
        .first()
    )


def seal_of(center_id: int) -> SigningKey | None:
    """The organization's seal key (a PKCS#12 file) at the center, if any."""
    return (
        SigningKey.objects.filter(user__isnull=True, center_id=center_id, active=True, kind=KeyKind.PKCS12)
        .order_by("-id")
        .first()
    )


def local_signer(key: SigningKey) -> signing.LoadedSigner:
    return signing.load_pkcs12(key.path, key.password)


def remote_client(service: RemoteSigningService) -> remote.RemoteClient:
    return remote.RemoteClient(
        service.base_url,
        service.api_key,
        poll_seconds=float(service.poll_seconds),
        timeout_seconds=float(service.timeout_seconds),
    )
