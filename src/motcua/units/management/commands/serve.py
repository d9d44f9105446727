import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Một cửa with gunicorn (static files by WhiteNoise). Use a reverse proxy in production."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("MOTCUA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("MOTCUA_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WORKERS", "0")) or None)
        parser.add_argument("--threads", type=int, default=int(os.environ.get("MOTCUA_THREADS", "4")))

    def handle(self, *args, host, port, workers, threads, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        # SQLite has one writer: several processes would only queue on its lock, so one process
        # with threads serves the demo; PostgreSQL gets a worker per core plus one.
        if workers is None:
            is_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
            workers = 1 if is_sqlite else (os.cpu_count() or 1) + 1
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        self.stdout.write(f"Một cửa: http://{host}:{port}/  (admin: http://{host}:{port}/admin/)")
        sys.stdout.flush()
        os.execv(
            gunicorn,
            [
                gunicorn,
                "motcua.wsgi:application",
                "--bind", f"{host}:{port}",
                "--workers", str(workers),
                "--threads", str(threads),
                "--access-logfile", "-",
                "--graceful-timeout", "10",
            ],
        )
