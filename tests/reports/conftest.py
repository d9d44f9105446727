import uuid

import pytest
from django.apps import apps
from django.db import transaction

from motcua.workdays.models import CalendarOverride, CalendarRevision
from motcua.workdays.selectors import clear_calendar_cache
from tests.workdays.support import MigrationSchemaEditor, schedule_migration

from .support import make_world, simulate


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture(scope="module")
def lived(django_db_setup, django_db_blocker):
    """A province with three staffed centers and 40 random lifecycles, made once per module in a
    transaction rolled back at its end (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        # As tests/conftest.py's _shipped_calendar does per test: an earlier transactional test
        # may have flushed the official schedule.
        if not CalendarOverride.objects.filter(province__isnull=True).exists():
            schedule_migration.add_schedule(apps, MigrationSchemaEditor())
        CalendarRevision.objects.get_or_create(
            pk=CalendarRevision.SINGLETON_PK, defaults={"token": uuid.uuid4().hex}
        )
        clear_calendar_cache()
        world = make_world()
        simulate(world, 40, seed=3)
        yield world
        transaction.set_rollback(True)
    clear_calendar_cache()
