"""Prometheus metrics: requests and latencies (counted by the middleware in each process), the
task queue and the worker heartbeat (read from the database when scraped).

Under `motcua serve` the gunicorn processes share PROMETHEUS_MULTIPROC_DIR, so one scrape of
/metrics adds up every process."""

from __future__ import annotations

import os

from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter("motcua_http_requests_total", "HTTP requests answered.", ["method", "view", "status"])
LATENCY = Histogram(
    "motcua_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DATABASE_UNAVAILABLE = Counter(
    "motcua_database_unavailable_total", "Requests answered 503 because the database was unreachable."
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class QueueCollector:
    """Background tasks by status, the oldest waiting task's age, and the freshest heartbeat's age."""

    def collect(self):
        from django.db.models import Count, Min
        from django_tasks_db.models import DBTaskResult

        from .models import WorkerHeartbeat

        depth = GaugeMetricFamily("motcua_tasks", "Background tasks by status.", labels=["status"])
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by("status"):
            depth.add_metric([row["status"].lower()], row["n"])
        yield depth
        now = timezone.now()
        oldest = DBTaskResult.objects.ready().aggregate(at=Min("enqueued_at"))["at"]
        yield GaugeMetricFamily(
            "motcua_tasks_oldest_ready_seconds",
            "Age of the oldest task waiting to run (0: none).",
            value=(now - oldest).total_seconds() if oldest else 0,
        )
        seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        yield GaugeMetricFamily(
            "motcua_worker_heartbeat_age_seconds",
            "Seconds since a task worker last beat (-1: never).",
            value=(now - seen).total_seconds() if seen else -1,
        )
        yield from _outbox(now)


def _outbox(now):
    """The notifications outbox's backlog: messages not delivered yet by status, dead letters,
    and the age of the oldest message waiting (its index on status serves both queries)."""
    from django.db.models import Count, Min

    from motcua.notify.models import OutboxMessage, Status

    waiting = (Status.PENDING, Status.SENDING, Status.DEAD)
    backlog = GaugeMetricFamily(
        "motcua_outbox_messages", "Notification messages not delivered yet, by status.", labels=["status"]
    )
    counts = dict(
        OutboxMessage.objects.filter(status__in=waiting).values_list("status").annotate(n=Count("id"))
    )
    for status in waiting:
        backlog.add_metric([str(status)], counts.get(status, 0))
    yield backlog
    oldest = OutboxMessage.objects.filter(status=Status.PENDING).aggregate(at=Min("created_at"))["at"]
    yield GaugeMetricFamily(
        "motcua_outbox_oldest_pending_seconds",
        "Age of the oldest notification message waiting to be sent (0: none).",
        value=max(0.0, (now - oldest).total_seconds()) if oldest else 0,
    )


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUESTS, LATENCY, DATABASE_UNAVAILABLE):
            registry.register(collector)
    registry.register(QueueCollector())
    return generate_latest(registry)
