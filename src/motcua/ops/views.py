"""/healthz (the process answers), /readyz (database, cache, worker heartbeat), /metrics."""

from __future__ import annotations

import hmac
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .database import UNAVAILABLE, database_answers

LOOPBACK = {"127.0.0.1", "::1"}


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process serves requests. Touches nothing else (a database outage is not a
    reason to restart app processes)."""
    return JsonResponse({"status": "ok"})


def _worker_status() -> str:
    from .models import WorkerHeartbeat

    if settings.TASKS.get("default", {}).get("BACKEND") != "django_tasks_db.DatabaseBackend":
        return "ok"  # no database queue: no worker to watch
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if seen is None:
        return "no worker has started"
    age = (timezone.now() - seen).total_seconds()
    return "ok" if age <= settings.MOTCUA_WORKER_STALE_SECONDS else f"last heartbeat {age:.0f} s ago"


def _cache_status() -> str:
    key = f"motcua:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:  # Redis down raises its own errors; the answer is the same
        return f"{type(exc).__name__}"
    return "ok" if ok else "not answering"


@never_cache
@require_safe
def readyz(request):
    """Readiness: 200 when the database, the cache and a task worker all answer; else 503."""
    checks = {"database": "ok" if database_answers() else "unreachable", "cache": _cache_status()}
    if checks["database"] == "ok":
        try:
            checks["worker"] = _worker_status()
        except UNAVAILABLE:
            checks["worker"] = "unknown (database)"
    else:
        checks["worker"] = "unknown (database)"
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


def _may_read_metrics(request) -> bool:
    token = settings.MOTCUA_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    # Without a token only a scraper on this machine: not a request that came through a proxy.
    return request.META.get("REMOTE_ADDR") in LOOPBACK and "X-Forwarded-For" not in request.headers


@never_cache
@require_safe
def metrics_view(request):
    if not _may_read_metrics(request):
        return JsonResponse({"detail": "Forbidden.", "code": "permission_denied"}, status=403)
    from prometheus_client import CONTENT_TYPE_LATEST

    from .metrics import exposition

    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
