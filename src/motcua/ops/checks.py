"""Deployment checks: the public demo key must never serve real data."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


def demo_key_in_use() -> bool:
    return settings.SECRET_KEY == settings.DEMO_SECRET_KEY


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    if demo_key_in_use():
        return [
            Error(
                "MOTCUA_SECRET_KEY is not set: the public demo key signs sessions and tokens.",
                hint="Set MOTCUA_SECRET_KEY to a long random value (e.g. `openssl rand -base64 48`).",
                id="motcua.E001",
            )
        ]
    return []


def refuse_demo_key() -> None:
    """Called by `motcua serve` and the WSGI/ASGI entry points: no serving with the public key
    unless the demo is explicitly on (MOTCUA_DEMO=1, as `make run` sets)."""
    if demo_key_in_use() and not settings.DEMO:
        raise ImproperlyConfigured(
            "Refusing to start with the public demo secret key: set MOTCUA_SECRET_KEY, or MOTCUA_DEMO=1 "
            "for a demonstration with made-up data."
        )
