import os
import shutil
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

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
        "(`motcua worker`: exports, scheduled jobs), restarted with a pause when it dies. Waits for "
        "the database at start. Use a reverse proxy in production."
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
            help="Do not start the background task worker (run `motcua worker` elsewhere).",
        )

    def handle(self, *args, host, port, workers, threads, no_task_worker, demo=False, **options):
        from motcua.ops.checks import refuse_demo_key
        from motcua.ops.database import wait_for_database

        try:
            refuse_demo_key()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc), returncode=2) from None
        warning = public_url.configure(host, port, demo=demo)  # QR codes link to where we listen
        if warning:
            self.stderr.write(warning)
        call_command("collectstatic", interactive=False, verbosity=0)
        # PostgreSQL may still be starting (a machine boot, a restart): wait instead of exiting.
        if not wait_for_database(timeout=float(os.environ.get("MOTCUA_DB_WAIT", "0")) or None, say=self.say):
            raise CommandError("The database did not answer within MOTCUA_DB_WAIT seconds.", returncode=3)
        # SQLite has one writer: several processes would only queue on its lock, so one process
        # with threads serves the demo; PostgreSQL gets a worker per core plus one.
        if workers is None:
            is_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
            workers = 1 if is_sqlite else (os.cpu_count() or 1) + 1
        _metrics_dir()
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
            "--graceful-timeout",
            "10",
            "--config",
            "python:motcua.ops.gunicorn_hooks",
        ]
        uses_queue = settings.TASKS.get("default", {}).get("BACKEND") == DATABASE_TASKS
        if no_task_worker or not uses_queue:
            os.execv(gunicorn, web_command)  # nothing to supervise: gunicorn takes this process over
        motcua = shutil.which("motcua", path=bin_dir)
        worker_command = [motcua] if motcua else [sys.executable, "-m", "motcua.cli"]
        worker_command += ["worker", "--no-startup-delay"]
        sys.exit(Supervisor(web_command, worker_command, say=self.say).run())

    def say(self, text: str) -> None:
        self.stderr.write(f"motcua serve: {text}")
        self.stderr.flush()


def _metrics_dir() -> None:
    """Gunicorn's processes add their counters up in one folder (prometheus-client multiprocess)."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or str(settings.DATA_DIR / "metrics")
    shutil.rmtree(folder, ignore_errors=True)  # counters restart with the server
    os.makedirs(folder, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder


class Supervisor:
    """Runs gunicorn and the task worker. A worker that exits is started again after a pause that
    doubles with each quick failure (1 s up to 60 s); gunicorn exiting ends everything with its exit
    code (systemd's Restart=on-failure then starts the whole service again)."""

    def __init__(self, web_command: list[str], worker_command: list[str], *, say):
        self.web_command = web_command
        self.worker_command = worker_command
        self.say = say
        self.stopping = False
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def _start_worker(self) -> None:
        self.worker = subprocess.Popen(self.worker_command, preexec_fn=_die_with_parent)
        self.worker_started = time.monotonic()

    def stop(self, signum, _frame=None) -> None:
        self.stopping = True
        for child in (self.web, self.worker):
            if child is not None and child.poll() is None:
                child.send_signal(signal.SIGTERM if signum == signal.SIGHUP else signum)

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.stop)
        self._start_worker()
        self.web = subprocess.Popen(self.web_command, preexec_fn=_die_with_parent)
        failures, restart_at = 0, None
        while not self.stopping and self.web.poll() is None:
            time.sleep(0.2)
            if restart_at is None and self.worker.poll() is not None:
                # A worker that ran a minute before dying starts over from the shortest pause.
                failures = 1 if time.monotonic() - self.worker_started > 60 else failures + 1
                delay = min(60.0, 2.0 ** (failures - 1))
                self.say(
                    f"task worker exited ({self.worker.returncode}); starting it again in {delay:.0f} s."
                )
                restart_at = time.monotonic() + delay
            if restart_at is not None and time.monotonic() >= restart_at and not self.stopping:
                restart_at = None
                self._start_worker()
        if not self.stopping:
            self.say(f"gunicorn exited ({self.web.returncode}); stopping.")
            self.stop(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in (self.web, self.worker):
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return self.web.returncode or 0
