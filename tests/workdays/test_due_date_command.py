"""`motcua due-date`: through call_command, and once through the installed console script."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests import factories

from .support import SATURDAY_MORNING_HOURS

MOTCUA = Path(sys.executable).with_name("motcua")


def due_date(*args: str) -> str:
    out = StringIO()
    call_command("due_date", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        ("2026-02-13T10:00+07:00", "3 working days", "2026-02-25T17:00+07:00"),
        ("2026-01-09T10:00+07:00", "1 working day", "2026-01-10T17:00+07:00"),
        ("2026-03-10T15:00+07:00", "same day", "2026-03-10T17:00+07:00"),
        ("2026-03-10T15:01+07:00", "same day", "2026-03-11T17:00+07:00"),
        ("2026-03-10T10:30+07:00", "4 working hours", "2026-03-10T16:00+07:00"),
        ("2026-03-02T10:00+07:00", "5 calendar days", "2026-03-09T17:00+07:00"),
        ("2026-04-24T10:00+07:00", "3 ngày làm việc", "2026-05-04T17:00+07:00"),
    ],
)
def test_it_prints_only_the_due_instant(received, limit, due):
    assert due_date("--received", received, "--limit", limit) == f"{due}\n"


@pytest.mark.django_db
def test_a_unit_selects_its_office_hours():
    factories.center(
        factories.commune(code="30021"),
        agency_code="H82.30021",
        office_hours=SATURDAY_MORNING_HOURS.to_json(),
    )
    args = ["--received", "2026-03-06T16:00+07:00", "--limit", "2 working hours"]
    assert due_date(*args, "--unit", "30021") == "2026-03-07T08:30+07:00\n"
    assert due_date(*args, "--unit", "82") == "2026-03-09T08:30+07:00\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "limit", "unit", "message"),
    [
        ("2026-02-30T10:00+07:00", "3 working days", None, "ISO 8601"),
        ("2026-02-13T10:00", "3 working days", None, "thiếu độ lệch múi giờ"),
        ("2026-02-13T10:00+07:00", "3 weeks", None, "không phải thời hạn hợp lệ"),
        ("2026-02-13T10:00+07:00", "3 working days", "H00.NOPE", "H00.NOPE"),
    ],
)
def test_bad_input_is_one_message_and_status_2(received, limit, unit, message):
    args = ["--received", received, "--limit", limit] + (["--unit", unit] if unit else [])
    with pytest.raises(CommandError) as caught:
        due_date(*args)
    assert caught.value.returncode == 2
    assert message in str(caught.value)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    """A migrated SQLite demo database of its own: the console script runs outside the test database."""
    env = {**os.environ, "MOTCUA_DATA_DIR": str(tmp_path_factory.mktemp("motcua-cli"))}
    env.pop("DATABASE_URL", None)
    subprocess.run([MOTCUA, "migrate", "--noinput", "-v", "0"], env=env, check=True, capture_output=True)
    return env


def test_the_console_script_prints_one_line_and_exits_2_on_bad_input(cli_env):
    ok = subprocess.run(
        [MOTCUA, "due-date", "--received", "2026-02-13T10:00+07:00", "--limit", "3 working days"],
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "2026-02-25T17:00+07:00\n", "")

    bad = subprocess.run(
        [MOTCUA, "due-date", "--received", "2026-02-13T10:00", "--limit", "3 working days"],
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "thiếu độ lệch múi giờ" in bad.stderr  # Vietnamese first
