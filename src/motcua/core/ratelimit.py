"""A small fixed-window limiter on Django's cache (per process with the default local-memory cache;
shared across processes when MOTCUA_REDIS_URL configures Redis)."""

from django.core.cache import cache


def client_ip(request) -> str:
    # Behind a reverse proxy set MOTCUA_TRUST_X_FORWARDED_FOR=1 so the client's address is used.
    from django.conf import settings

    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(bucket: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event; True while the count in the current window is within `limit`."""
    cache_key = f"rl:{bucket}:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit


def blocked(bucket: str, key: str, *, limit: int) -> bool:
    value = cache.get(f"rl:{bucket}:{key}")
    return value is not None and value > limit
