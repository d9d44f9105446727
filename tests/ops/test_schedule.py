"""Scheduled jobs run by the task worker itself: once per period, orphan files swept, drafts purged."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from motcua.ops import jobs, schedule
from motcua.ops.models import ScheduledRun, WorkerHeartbeat
from motcua.ops.worker import ResilientWorker

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting_job(monkeypatch):
    calls = []
    monkeypatch.setattr(schedule, "JOBS", {})
    schedule.register("count", every=timedelta(hours=1), run=lambda: calls.append(1) or len(calls))
    return calls


def test_a_job_runs_once_per_period(counting_job):
    now = timezone.now()
    assert schedule.run_due(now=now) == ["count"]
    assert schedule.run_due(now=now + timedelta(minutes=59)) == []
    assert schedule.run_due(now=now + timedelta(minutes=61)) == ["count"]
    assert len(counting_job) == 2 and ScheduledRun.objects.get(name="count").result == "2"


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(monkeypatch):
    monkeypatch.setattr(schedule, "JOBS", {})
    schedule.register("broken", every=timedelta(hours=1), run=lambda: 1 / 0)
    schedule.register("fine", every=timedelta(hours=1), run=lambda: "ok")
    assert schedule.run_due() == ["broken", "fine"]
    assert "ZeroDivisionError" in ScheduledRun.objects.get(name="broken").error
    assert ScheduledRun.objects.get(name="fine").result == "ok"


def test_the_worker_beats_and_runs_the_built_in_jobs_without_cron(monkeypatch):
    # The test's transaction is the worker's connection here: on PostgreSQL the worker's own
    # close_old_connections() would close it under the test (and the loop would then wait for a
    # database that is not down). The loop's resilience is tested against a real restart elsewhere.
    monkeypatch.setattr("motcua.ops.worker.close_old_connections", lambda: None)
    ran = []
    monkeypatch.setitem(
        schedule.JOBS,
        "purge-drafts",
        schedule.Job("purge-drafts", timedelta(hours=1), lambda: ran.append("purge") or 0),
    )
    worker = ResilientWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    assert WorkerHeartbeat.objects.filter(worker_id="test-worker").exists()
    assert ran == ["purge"] and {"purge-drafts", "sweep-orphan-files"} <= set(schedule.JOBS)


def test_the_orphan_sweep_deletes_old_unreferenced_files_only():
    from motcua.dossiers import documents
    from tests.dossiers.support import at, receive, staffed_center, version
    from tests.dossiers.test_documents import pdf_bytes

    s, v = staffed_center(), version()
    dossier = receive(s, v, when=at("2026-03-02 09:00"))
    kept = documents.document_upload(
        actor=s.desk, dossier=dossier, component_id=None, upload=("a.pdf", pdf_bytes())
    )
    old_orphan = default_storage.save("dossiers/2026/03/zz/orphan.pdf", ContentFile(b"%PDF-1.4 orphan"))
    young_orphan = default_storage.save("dossiers/2026/03/zz/young.pdf", ContentFile(b"%PDF-1.4 young"))
    day_ago = time.time() - 2 * 24 * 3600
    for name in (old_orphan, kept.file.name):
        os.utime(default_storage.path(name), (day_ago, day_ago))
    assert jobs.orphan_files_sweep() == 1
    assert not default_storage.exists(old_orphan)
    assert default_storage.exists(young_orphan) and default_storage.exists(kept.file.name)


def test_an_unreachable_database_is_told_apart_from_a_missing_table():
    from django.db import OperationalError, ProgrammingError

    from motcua.ops.database import is_unavailable

    assert is_unavailable(OperationalError("connection to server at 127.0.0.1 failed: Connection refused"))
    assert is_unavailable(OperationalError("database is locked"))
    assert not is_unavailable(OperationalError("no such table: dossiers_dossier"))
    assert not is_unavailable(ProgrammingError('relation "x" does not exist'))
    assert not is_unavailable(ValueError("x"))


def test_api_tokens_expired_over_a_week_ago_are_deleted_by_their_job():
    from motcua.api.auth import token_create
    from motcua.api.models import ApiToken
    from tests import factories

    user = factories.user("integration")
    for name, days_ago in (("old", 8), ("recent", 6), ("valid", -30)):
        token_create(user=user, name=name, days=30)
        ApiToken.objects.filter(name=name).update(expires_at=timezone.now() - timedelta(days=days_ago))
    assert "purge-expired-api-tokens" in schedule.JOBS
    assert schedule.JOBS["purge-expired-api-tokens"].run() == 1
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["recent", "valid"]
