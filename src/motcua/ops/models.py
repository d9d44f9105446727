"""What the background worker leaves behind for operators: its heartbeat and its scheduled runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Nhịp của tiến trình nền: one row per task worker, touched every few seconds while it runs.

    `/readyz` and the metrics read it: a worker that stopped beating is dead or cut off."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.host}:{self.pid}"


class ScheduledRun(models.Model):
    """Lần chạy định kỳ: the last run of one scheduled job (draft purge, orphan sweep, ...).

    The row is locked while a worker decides whether the job is due, so with several workers each
    job runs once per period."""

    name = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    result = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.name
