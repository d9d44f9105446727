"""Fixed-window limits on Django's cache.

The cache must be shared by every process for a limit to mean anything: set MOTCUA_REDIS_URL in
production (the default local-memory cache counts per worker, so three workers allow three times
the limit). Windows are numbered from the clock (`clock`, replaceable in tests), so a window ends
at the same instant for every process and a count can never outlive it.

`LookupLimits` guards a public lookup by dossier code and secret (tracking, the citizen's feedback)
in three counts, so that one person's mistakes never lock out everyone behind the same address:
- per client AND code: a person mistyping their own secret, or guessing one dossier from one
  address — blocks that client for that code only, until the window ends;
- per client: one address trying many codes (enumeration) — a much higher limit, because a
  kiosk or a center's shared address serves many citizens;
- per code, from all clients: guessing one dossier's secret from many addresses — a short window,
  so the applicant with the right secret waits at most a minute.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

clock = time.time


def client_ip(request) -> str:
    # Behind a reverse proxy set MOTCUA_TRUST_X_FORWARDED_FOR=1 so the client's address is used.
    from django.conf import settings

    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _cache_key(bucket: str, key: str, window_seconds: int, now: float | None) -> str:
    # Keys may hold user input (a typed code): hashed, they are short and safe for any cache.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    number = int((clock() if now is None else now) // window_seconds)
    return f"rl:{bucket}:{digest}:{window_seconds}:{number}"


def hit(bucket: str, key: str, *, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one event; True while the count in the current window is within `limit`."""
    cache_key = _cache_key(bucket, key, window_seconds, now)
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return 1 <= limit
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        return 1 <= limit
    return count <= limit


def count(bucket: str, key: str, *, window_seconds: int, now: float | None = None) -> int:
    return cache.get(_cache_key(bucket, key, window_seconds, now)) or 0


def blocked(bucket: str, key: str, *, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """True once more than `limit` events were counted in the current window."""
    return count(bucket, key, window_seconds=window_seconds, now=now) > limit


@dataclass(frozen=True)
class LookupLimits:
    """Failed lookups allowed by code and secret (see the module's docstring)."""

    bucket: str
    # `limit` failures in a window are answered (404); the next attempt is refused (429).
    per_client_and_code: int = 10
    per_client: int = 100
    per_code: int = 30
    window_seconds: int = 600
    code_window_seconds: int = 60

    def _counts(self, client: str, code: str):
        yield f"{self.bucket}:cc", f"{client}\n{code}", self.per_client_and_code, self.window_seconds
        yield f"{self.bucket}:c", client, self.per_client, self.window_seconds
        yield f"{self.bucket}:k", code, self.per_code, self.code_window_seconds

    def blocked(self, *, client: str, code: str, now: float | None = None) -> bool:
        """Checked before the secret is: while blocked, the right secret is refused too (else the
        block would not slow guessing); each block ends with its window."""
        return any(
            count(bucket, key, window_seconds=window, now=now) >= limit
            for bucket, key, limit, window in self._counts(client, code)
        )

    def failed(self, *, client: str, code: str, now: float | None = None) -> None:
        for bucket, key, limit, window in self._counts(client, code):
            hit(bucket, key, limit=limit, window_seconds=window, now=now)
