"""Defect 8: `DATABASE_URL=sqlite:///...` gets the same tuning as the default SQLite path (WAL,
IMMEDIATE transactions, busy timeout), so concurrent writers queue instead of failing."""

import subprocess
import sys

WRITERS = """
import threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", "ops", verbosity=0)
from motcua.ops.models import ScheduledRun
errors = []

def intake(n):
    for i in range(20):
        try:
            # like an intake: read (the day's last number), then write, in one transaction
            with transaction.atomic():
                ScheduledRun.objects.filter(name__startswith="w").count()
                ScheduledRun.objects.create(name=f"w{n}-{i}")
        except Exception as exc:
            errors.append(repr(exc))
    connection.close()

threads = [threading.Thread(target=intake, args=(n,)) for n in range(12)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
print(mode, ScheduledRun.objects.count(), len(errors), errors[:3])
"""


def test_twelve_concurrent_writers_on_a_sqlite_url_all_succeed(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'url.sqlite3'}",
        "MOTCUA_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", WRITERS], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    mode, created, failed, sample = done.stdout.split(" ", 3)
    assert (mode, created, failed) == ("wal", "240", "0"), sample


def test_a_sqlite_url_gets_the_default_paths_options(monkeypatch, tmp_path):
    from motcua import settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    db = settings._database()
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and db["OPTIONS"]["timeout"] == 20
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
