"""The worker's side: one task drains the outbox. It is enqueued when a transaction that wrote
messages commits, and it schedules itself again (a sweep) while messages wait for a retry, so a
retry is never forgotten, even after the worker was killed mid-run."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from . import delivery
from .conf import conf


@task()
def drain_outbox() -> dict:
    now = timezone.now()
    _schedule_sweep(now + timedelta(seconds=conf("SWEEP_INTERVAL")), only_if_work=True)
    stats = delivery.drain()
    nxt = delivery.next_due(timezone.now())
    if nxt is not None:
        _schedule_sweep(max(nxt, timezone.now()), only_if_work=False)
    return {"delivered": stats.delivered, "failed": stats.failed, "deferred": stats.deferred}


def _waiting(before=None) -> bool:
    """A drain is already queued (to run by `before`, when given)."""
    try:
        from django_tasks_db.models import DBTaskResult, get_date_max
    except ImportError:  # another backend: it runs tasks its own way
        return False
    qs = DBTaskResult.objects.filter(task_path=drain_outbox.module_path, status="READY")
    if before is not None:
        qs = qs.filter(Q(run_after__lte=before) | Q(run_after=get_date_max()))
    return qs.exists()


def _schedule_sweep(when, *, only_if_work: bool) -> None:
    if only_if_work and delivery.next_due(when) is None:
        return
    if _waiting(before=when):
        return
    drain_outbox.using(run_after=when).enqueue()


def kick() -> None:
    """After a commit that wrote messages: a drain as soon as a worker is free (one is enough)."""
    if _waiting(before=timezone.now()):
        return
    drain_outbox.enqueue()
