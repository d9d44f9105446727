"""The background task worker that outlives database restarts, beats a heartbeat and runs the schedule.

django-tasks-db's `db_worker` dies on the first lost connection (its loop re-raises every
OperationalError that is not "database is locked"). This worker claims tasks the same way, but a
lost database makes it drop its connections and retry with a growing pause (0.5 s doubling to 30 s)
instead of exiting; each pass also touches its `WorkerHeartbeat` row and runs due scheduled jobs.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import schedule
from .database import backoff, drop_connections, is_unavailable

logger = logging.getLogger("motcua.ops")
HEARTBEAT_SECONDS = 5.0


class ResilientWorker(Worker):
    def __init__(self, *, schedule_jobs: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.schedule_jobs = schedule_jobs
        self.started_at = timezone.now()
        self._last_beat = 0.0
        self.failures = 0

    def beat(self, *, force: bool = False) -> None:
        from .models import WorkerHeartbeat

        if not force and time.monotonic() - self._last_beat < HEARTBEAT_SECONDS:
            return
        if not self._last_beat:  # workers that stopped a day ago are gone for good
            WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": timezone.now(),
            },
        )
        self._last_beat = time.monotonic()
        if self.schedule_jobs:
            schedule.run_due()

    def claim_one(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def step(self) -> bool:
        """One pass: heartbeat (and schedule), then at most one task. True when a task ran."""
        close_old_connections()
        self.beat()
        task_result = self.claim_one()
        if task_result is not None:
            self.run_task(task_result)
        close_old_connections()
        return task_result is not None

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        while self.running:
            try:
                ran = self.step()
            except Exception as exc:
                if not is_unavailable(exc):
                    raise
                if is_locked_database_exception(exc):
                    ran = False
                else:
                    self.failures += 1
                    delay = backoff(self.failures)
                    logger.warning("Database unavailable (%s); retrying in %.1f s.", exc, delay)
                    drop_connections()
                    time.sleep(delay)
                    continue
            if self.failures:
                logger.warning("Database reachable again after %d failed attempt(s).", self.failures)
                self.failures = 0
            if self.batch and not ran:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and not ran:
                time.sleep(self.interval)
