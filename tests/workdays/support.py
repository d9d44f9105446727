"""Small helpers shared by the calendar tests."""

import importlib
from datetime import datetime

from django.db import connection

from motcua.workdays.core import VN_TZ, OfficeHours

schedule_migration = importlib.import_module("motcua.workdays.migrations.0002_official_schedules_2025_2026")


class MigrationSchemaEditor:
    """What the schedule migration's RunPython functions read from their schema editor."""

    connection = connection


SATURDAY_MORNING_HOURS = OfficeHours.from_json(
    {
        **{str(d): [["07:30", "11:30"], ["13:00", "17:00"]] for d in range(5)},
        "5": [["07:30", "11:30"]],
    }
)


def at(text: str) -> datetime:
    """'2026-02-13 10:00' as an aware instant in Vietnam."""
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)
