"""Jobs the task worker runs on a schedule (no cron to set up).

Apps register a job in their `AppConfig.ready()`:

    from motcua.ops.schedule import register
    register("purge-drafts", every=timedelta(hours=1), run=draft_purge_expired)

`run()` takes no argument, is idempotent and returns something short to record (a count). The
worker calls `run_due()` between tasks; a `ScheduledRun` row per job, locked while it is checked,
makes each job run once per period however many workers there are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .database import is_unavailable

logger = logging.getLogger("motcua.ops")


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], object]


JOBS: dict[str, Job] = {}


def register(name: str, *, every: timedelta, run: Callable[[], object]) -> None:
    JOBS[name] = Job(name, every, run)


def _claim(job: Job, now) -> bool:
    """Mark the job started if it is due; False when another worker ran it within its period."""
    from .models import ScheduledRun

    with transaction.atomic():
        ScheduledRun.objects.get_or_create(name=job.name)
        row = ScheduledRun.objects.select_for_update().get(name=job.name)
        if row.started_at and row.started_at > now - job.every:
            return False
        row.started_at = now
        row.save(update_fields=["started_at"])
    return True


def run_due(*, now=None) -> list[str]:
    """Run every job whose period has passed; the names of the jobs run. A failing job is recorded
    and does not stop the others; a lost database connection propagates (the worker backs off)."""
    from .models import ScheduledRun

    now = now or timezone.now()
    ran = []
    for job in list(JOBS.values()):
        if not _claim(job, now):
            continue
        result, error = "", ""
        try:
            result = str(job.run())[:200]
        except Exception as exc:
            if is_unavailable(exc):
                raise
            logger.exception("Scheduled job %s failed", job.name)
            error = f"{type(exc).__name__}: {exc}"
        ScheduledRun.objects.filter(name=job.name).update(
            finished_at=timezone.now(), result=result, error=error
        )
        ran.append(job.name)
    return ran
