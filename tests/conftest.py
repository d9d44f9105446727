"""Shared test setup: factories live in tests/factories.py; this file wires pytest-django."""

import os
import uuid

import pytest
from django.apps import apps
from hypothesis import HealthCheck, settings

from motcua.workdays.models import CalendarOverride, CalendarRevision
from motcua.workdays.selectors import clear_calendar_cache
from tests.workdays.support import MigrationSchemaEditor, schedule_migration

_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
# Locally the examples vary from run to run (finding more); in CI (CI=true) they are the same on
# every run, so a red build is reproducible and never comes from a new random draw.
settings.register_profile("dev", deadline=None, suppress_health_check=_CHECKS)
settings.register_profile("ci", deadline=None, suppress_health_check=_CHECKS, derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"  # demo keys made by a test stay in the test's folder
    # Real hashing costs ~0.3 s a user; tests make hundreds of users and do not test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _still_rate_window(monkeypatch):
    """Rate limits count in fixed windows numbered from the clock: within one test the clock stands
    at the test's start, so a test's hits never straddle a window's end on a slow machine (tests
    of the windows themselves move this clock)."""
    import time

    from motcua.core import ratelimit

    start = time.time()
    monkeypatch.setattr(ratelimit, "clock", lambda: start)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Rolled-back tests may leave calendars cached under a revision token the next test reuses.
    from django.core.cache import cache

    from motcua.dossiers.tracking import _step_names

    clear_calendar_cache()
    _step_names.cache_clear()  # ids are reused after rollbacks on SQLite
    cache.clear()  # report figures cached under keys (ids, dates) that the next test may reuse
    yield
    clear_calendar_cache()


@pytest.fixture(autouse=True)
def _shipped_calendar(request, _fresh_calendar_cache):
    """Put back the official schedule and the revision row when a transactional test (of any app,
    run earlier on this xdist worker) flushed the database after migrations filled it."""
    if request.node.get_closest_marker("django_db") is None and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db" if "live_server" in request.fixturenames else "db")
    if not CalendarOverride.objects.filter(province__isnull=True).exists():
        schedule_migration.add_schedule(apps, MigrationSchemaEditor())
    CalendarRevision.objects.get_or_create(
        pk=CalendarRevision.SINGLETON_PK, defaults={"token": uuid.uuid4().hex}
    )
