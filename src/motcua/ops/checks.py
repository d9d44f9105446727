"""Deployment checks: the public demo key must never serve real data."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
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


NOT_SENDING = ("console", "dummy", "locmem", "filebased")


@register(Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs):
    """Citizens' messages (draft links, dossier codes, results) must leave the machine."""
    if not settings.DEMO and any(f".{name}." in settings.EMAIL_BACKEND for name in NOT_SENDING):
        return [
            Warning(
                f"E-mail is not sent: MOTCUA_EMAIL_BACKEND is {settings.EMAIL_BACKEND}.",
                hint="Leave MOTCUA_EMAIL_BACKEND unset (SMTP) and set MOTCUA_EMAIL_HOST and its account.",
                id="motcua.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Rate limits (tracking secrets, sign-in, ratings) and cached answers must be shared by every
    web process: with a per-process cache each process counts alone."""
    if not settings.DEMO and "locmem" in settings.CACHES["default"]["BACKEND"]:
        return [
            Warning(
                "MOTCUA_REDIS_URL is not set: each web process keeps its own rate limits and cache.",
                hint="Set MOTCUA_REDIS_URL (e.g. redis://127.0.0.1:6379/0): README, Running in production.",
                id="motcua.W003",
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
