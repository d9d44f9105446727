"""Background tasks of the dossiers app (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from .transfers import dossiers_transfer_due


@task()
def transfer_due_dossiers() -> int:
    """Transfer the paper dossiers whose time has come by the 15:00 rule (idempotent). Meant to
    run every few minutes during office hours; returns how many were transferred."""
    return len(dossiers_transfer_due().transferred)
