"""A throw-away PostgreSQL cluster and a `motcua serve` process, for the fault tests.

The shared PostgreSQL of the machine is never stopped: each test module starts its own cluster
(initdb + pg_ctl into a temporary folder, as the `postgres` user when the tests run as root) on a
free port, and stops and restarts that one.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) are not installed")
        self.bin = Path(found[-1]).parent
        self.prefix: list[str] = []
        self.root = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
        if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no `postgres` user to own a test cluster")
            os.chmod(self.root, 0o755)
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.data = self.root / "data"
        self.port = _free_port()
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-q",
                "-c",
                "CREATE DATABASE motcua",
            ],
            check=True,
            capture_output=True,
        )
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/motcua"

    def _pg(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.prefix, str(self.bin / tool), *args], check=True, capture_output=True, timeout=120
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "restart")

    def destroy(self) -> None:
        subprocess.run(
            [*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    headers: dict


def get(url: str, *, timeout: float = 10, headers: dict | None = None) -> Answer:
    started = time.monotonic()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(
                response.status, response.read(), time.monotonic() - started, dict(response.headers)
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), time.monotonic() - started, dict(error.headers))
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return Answer(0, str(error).encode(), time.monotonic() - started, {})


def app_env(database_url: str, data_dir: Path, **extra: str) -> dict:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "PROMETHEUS_", "DATABASE_URL"))
    }
    env.update(DATABASE_URL=database_url, MOTCUA_DATA_DIR=str(data_dir), MOTCUA_DEMO="1", **extra)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def motcua(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "motcua"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


class Server:
    """`motcua serve` on an ephemeral port; its output goes to a file the test can read."""

    def __init__(self, env: dict, folder: Path, *extra: str):
        self.log = folder / f"serve-{time.monotonic_ns()}.log"
        self.process = subprocess.Popen(
            [
                str(BIN / "motcua"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--workers",
                "2",
                "--threads",
                "4",
                *extra,
            ],
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.base = ""

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_listening(self, timeout: float = 60) -> str:
        found = wait_for(
            lambda: re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", self.output()), timeout
        )
        assert found, f"the server did not start:\n{self.output()}"
        self.base = found.group(1)
        return self.base

    def children(self) -> list[tuple[int, str]]:
        found = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            for pid in (task / "children").read_text().split():
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(pid), cmdline))
        return found

    def worker_pid(self) -> int | None:
        return next((pid for pid, cmd in self.children() if " worker" in cmd), None)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wait_for(condition, timeout: float, every: float = 0.2):
    """Poll `condition()` until it returns something true (that value) or `timeout` runs out (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    return None


def ready(base: str) -> bool:
    answer = get(f"{base}/readyz", timeout=5)
    return answer.status == 200 and json.loads(answer.body)["status"] == "ok"
