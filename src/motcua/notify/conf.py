"""Delivery settings: `MOTCUA_NOTIFY` in the Django settings overrides any of these defaults."""

from django.conf import settings

DEFAULTS = {
    "BACKOFF_BASE": 30.0,  # seconds before the first retry
    "BACKOFF_CAP": 1800.0,  # longest wait between two attempts
    "MAX_ATTEMPTS": 10,  # attempts before the dead-letter state (or the next channel)
    "CITIZEN_MAX_ATTEMPTS": 4,  # attempts on one citizen channel before falling back to the next
    "BREAKER_THRESHOLD": 5,  # consecutive failures that open a destination's breaker
    "BREAKER_COOLDOWN": 60.0,  # first rest of an open breaker, doubled at each trip in a row
    "BREAKER_MAX_COOLDOWN": 900.0,
    "LEASE": 120.0,  # seconds a claimed message is reserved for its worker
    "BATCH": 50,
    "SWEEP_INTERVAL": 60.0,  # the drain task re-schedules itself this often while work is left
    "HTTP_TIMEOUT": 10.0,
}


def conf(name: str):
    return getattr(settings, "MOTCUA_NOTIFY", {}).get(name, DEFAULTS[name])
