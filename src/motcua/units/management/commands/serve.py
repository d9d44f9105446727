import os
import shutil
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.core import public_url

DATABASE_TASKS = "django_tasks_db.DatabaseBackend"


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when `motcua serve` dies, even by SIGKILL (no orphans)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = (
        "Serve Một cửa with gunicorn (static files by WhiteNoise) and a background task worker "
        "(`motcua db_worker`, for exports); both stop together. Use a reverse proxy in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("MOTCUA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("MOTCUA_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WORKERS", "0")) or None)
        parser.add_argument("--threads", type=int, default=int(os.environ.get("MOTCUA_THREADS", "4")))
        parser.add_argument(
            "--demo",
            action="store_true",
            default=os.environ.get("MOTCUA_DEMO", "0") == "1",
            help="The demo (`make run`): no warning when MOTCUA_PUBLIC_URL is unset.",
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            default=os.environ.get("MOTCUA_TASK_WORKER", "1") == "0",
            help="Do not start the background task worker (run `motcua db_worker` elsewhere).",
        )

    def handle(self, *args, host, port, workers, threads, no_task_worker, demo=False, **options):
        warning = public_url.configure(host, port, demo=demo)  # QR codes link to where we listen
        if warning:
            self.stderr.write(warning)
        call_command("collectstatic", interactive=False, verbosity=0)
        # SQLite has one writer: several processes would only queue on its lock, so one process
        # with threads serves the demo; PostgreSQL gets a worker per core plus one.
        if workers is None:
            is_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
            workers = 1 if is_sqlite else (os.cpu_count() or 1) + 1
        bin_dir = os.path.dirname(sys.executable)
        gunicorn = shutil.which("gunicorn", path=bin_dir) or "gunicorn"
        self.stdout.write(f"Một cửa: http://{host}:{port}/  (admin: http://{host}:{port}/admin/)")
        sys.stdout.flush()
        web_command = [
            gunicorn,
            "motcua.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        uses_queue = settings.TASKS.get("default", {}).get("BACKEND") == DATABASE_TASKS
        if no_task_worker or not uses_queue:
            os.execv(gunicorn, web_command)  # nothing to supervise: gunicorn takes this process over
        motcua = shutil.which("motcua", path=bin_dir)
        worker_command = [motcua] if motcua else [sys.executable, "-m", "motcua.cli"]
        worker_command += ["db_worker", "--no-reload", "--queue-name", "*"]
        children = [
            subprocess.Popen(worker_command, preexec_fn=_die_with_parent),
            subprocess.Popen(web_command, preexec_fn=_die_with_parent),
        ]
        sys.exit(self._supervise(children))

    def _supervise(self, children: list[subprocess.Popen]) -> int:
        """Forward SIGTERM/SIGINT/SIGHUP to both children; when either exits, stop the other."""
        stopping = False

        def stop(signum, _frame=None):
            nonlocal stopping
            stopping = True
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM if signum == signal.SIGHUP else signum)

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, stop)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        if not stopping:
            exited = next(c for c in children if c.poll() is not None)
            self.stderr.write(f"{exited.args[0]} exited ({exited.returncode}); stopping.")
            stop(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return children[1].returncode or 0
