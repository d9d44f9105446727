"""Transfer for processing (chuyển xử lý) of paper dossiers by the 15:00 rule, automatically.

Electronic dossiers (online, kiosk) are transferred at reception. A paper dossier received at the
counter or by post keeps `step_due_at` = the moment it must reach the department: the close of
the same working day, or the next morning when received after the cut-off (services._transfer_due).
The desk officer normally transfers it when handing over the papers (the counter's result page and
the desk's "waiting to be transferred" list have the button); whatever is still at the counter when
its time comes is transferred here, in the name of the officer who received it.

`dossiers_transfer_due` is a plain idempotent function (a dossier already transferred is no longer
RECEIVED and is skipped; each transfer is its own transaction through `services.dossier_act`), run by
the task `tasks.transfer_due_dossiers` and by `motcua transfer_due` (cron or the worker's schedule;
see docs/operations.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from motcua.core.errors import DomainError

from . import services
from .models import Dossier, State

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass
class TransferRun:
    transferred: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def due_for_transfer(now: datetime | None = None):
    """Received dossiers whose transfer time (the 15:00 rule) has come."""
    return (
        Dossier.objects.filter(state=State.RECEIVED, step_due_at__lte=now or timezone.now())
        .select_related("created_by")
        .order_by("step_due_at", "id")
    )


def dossiers_transfer_due(*, now: datetime | None = None, limit: int = BATCH) -> TransferRun:
    """Transfer every received dossier whose time has come. Safe to run as often as wanted, by
    several workers at once: `dossier_act` locks the row and refuses a dossier already moved."""
    run = TransferRun()
    now = now or timezone.now()
    for dossier in due_for_transfer(now)[:limit]:
        try:
            services.dossier_act(actor=dossier.created_by, dossier=dossier, action="transfer", at=now)
        except DomainError as exc:
            # e.g. transferred meanwhile by the officer, or the receiving officer lost the role
            run.failed.append((dossier.code, exc.message))
            logger.warning("Automatic transfer of %s refused: %s", dossier.code, exc.message)
        else:
            run.transferred.append(dossier.code)
    return run
