"""The built-in scheduled jobs: expired online-filing drafts, files that no record refers to, paper
dossiers due for transfer, the read audit's purge and queue bookings that were never checked in."""

from __future__ import annotations

import os
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from .schedule import register

# A file is written before the row that names it commits: younger files may still get their row.
ORPHAN_GRACE = timedelta(hours=int(os.environ.get("MOTCUA_ORPHAN_GRACE_HOURS", "24")))


def referenced_files() -> set[str]:
    """Every storage name that a FileField of any model holds."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.storage is default_storage:
                names.update(
                    n
                    for n in model._default_manager.exclude(**{field.name: ""}).values_list(
                        field.name, flat=True
                    )
                    if n
                )
    return names


def _walk(storage, folder: str = ""):
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in dirs:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def orphan_files_sweep(*, now=None, grace: timedelta = ORPHAN_GRACE) -> int:
    """Delete uploaded files that no record refers to and that are older than `grace`."""
    now = now or timezone.now()
    keep = referenced_files()
    removed = 0
    for name in list(_walk(default_storage)):
        if name in keep or name.startswith("."):
            continue
        try:
            if default_storage.get_modified_time(name) > now - grace:
                continue
        except (FileNotFoundError, NotImplementedError):
            continue
        default_storage.delete(name)
        removed += 1
    return removed


def _purge_drafts() -> int:
    from motcua.portal.services import draft_purge_expired

    return draft_purge_expired()


def _hours(name: str, default: int) -> timedelta:
    return timedelta(hours=float(os.environ.get(name, str(default))))


register("purge-drafts", every=_hours("MOTCUA_PURGE_DRAFTS_HOURS", 1), run=_purge_drafts)
register("sweep-orphan-files", every=_hours("MOTCUA_ORPHAN_SWEEP_HOURS", 24), run=orphan_files_sweep)


def _transfer_due() -> int:
    """Paper dossiers whose 15:00-rule transfer time has come go to their department."""
    from motcua.dossiers.transfers import dossiers_transfer_due

    return len(dossiers_transfer_due().transferred)


def _purge_read_audit() -> int:
    from motcua.security.services import purge_expired_read_audit

    return purge_expired_read_audit()


register("transfer-due-dossiers", every=timedelta(minutes=5), run=_transfer_due)
register("purge-read-audit", every=_hours("MOTCUA_READ_AUDIT_PURGE_HOURS", 24), run=_purge_read_audit)


def _mark_missed_bookings() -> int:
    """Queue bookings not checked in by their slot's end plus the grace become no-shows."""
    from motcua.queueing.appointments import appointments_mark_missed

    return appointments_mark_missed()


register("queue-no-show-bookings", every=timedelta(minutes=5), run=_mark_missed_bookings)


def _purge_expired_tokens() -> int:
    """API tokens expired for over a week can never sign in again: deleted (the week leaves the
    administrators time to see which integration stopped, and why)."""
    from motcua.api.models import ApiToken

    deleted, _ = ApiToken.objects.filter(expires_at__lt=timezone.now() - timedelta(days=7)).delete()
    return deleted


register("purge-expired-api-tokens", every=_hours("MOTCUA_TOKEN_PURGE_HOURS", 24), run=_purge_expired_tokens)
