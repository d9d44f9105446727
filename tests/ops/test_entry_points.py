"""Defect 11 (part): HEAD on the sign-in page, and a command on a database never migrated."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

MOTCUA = str(Path(sys.executable).parent / "motcua")


@pytest.mark.django_db
def test_head_on_the_sign_in_page_answers_like_get():
    response = Client().head("/dang-nhap/")
    assert response.status_code == 200 and response.content == b""


def test_a_command_on_a_database_never_migrated_says_to_migrate_first(tmp_path):
    # given a fresh checkout: no database yet
    env = {"PATH": "/usr/bin:/bin", "MOTCUA_DATA_DIR": str(tmp_path)}
    # when an operator asks for a due date
    done = subprocess.run(
        [MOTCUA, "due-date", "--received", "2026-02-13T10:00+07:00", "--limit", "3 working days"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then a clear message in Vietnamese and exit 2, no traceback
    assert done.returncode == 2, done.stderr
    assert "motcua migrate" in done.stderr and "Cơ sở dữ liệu" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
