"""Defect 1: the site rides through a PostgreSQL restart, a dead task worker and a database that is
not up yet when the server starts. Runs against a throw-away PostgreSQL cluster (tests/ops/support.py),
never the machine's shared server."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest

from .support import Cluster, Server, app_env, get, motcua, ready, wait_for

PAGES = ("/thu-tuc/", "/api/v1/procedures")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    instance = Cluster()
    folder = tmp_path_factory.mktemp("app")
    env = app_env(instance.url, folder)
    done = motcua(env, "migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    instance.env = env
    instance.folder = folder
    yield instance
    instance.destroy()


@pytest.fixture(scope="module")
def server(cluster):
    started = Server(cluster.env, cluster.folder)
    yield started
    started.stop()


class Load:
    """Four clients asking for database-backed pages without pause; every answer is recorded."""

    def __init__(self, base: str):
        self.base = base
        self.answers: list[tuple[float, str, int, float, bytes]] = []
        self.running = True
        self.threads = [threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(4)]
        for thread in self.threads:
            thread.start()

    def _client(self, index: int) -> None:
        path = PAGES[index % len(PAGES)]
        while self.running:
            answer = get(self.base + path, timeout=15)
            self.answers.append((time.monotonic(), path, answer.status, answer.seconds, answer.body))

    def since(self, instant: float) -> list:
        return [a for a in list(self.answers) if a[0] >= instant]

    def stop(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=20)


def test_a_postgresql_restart_under_load_gives_503s_then_the_site_serves_again_by_itself(cluster, server):
    base = server.wait_listening()
    assert wait_for(lambda: ready(base), 60), server.output()
    load = Load(base)
    try:
        # given pages answering under load
        assert wait_for(lambda: len([a for a in load.answers if a[2] == 200]) >= 20, 30)
        worker = server.worker_pid()
        # when PostgreSQL goes down
        down_at = time.monotonic()
        cluster.stop()
        # then requests fail fast with a 503 (page and JSON), not a 500 or a hang
        assert wait_for(lambda: any(a[2] == 503 for a in load.since(down_at + 0.5)), 30), load.answers[-5:]
        time.sleep(1.0)  # a second of load against the stopped database
        # and when it comes back
        cluster.start()
        up_at = time.monotonic()
        # then every page serves again, with nobody touching the server
        assert wait_for(
            lambda: all(any(a[1] == p and a[2] == 200 for a in load.since(up_at)) for p in PAGES), 30
        )
        assert wait_for(lambda: ready(base), 30), server.output()  # the worker beats again
    finally:
        load.stop()
    during = [a for a in load.answers if down_at + 0.5 <= a[0] <= up_at]
    assert {a[2] for a in load.answers} <= {200, 503}, sorted({a[2] for a in load.answers})
    unavailable = [a for a in during if a[2] == 503]
    assert unavailable and max(a[3] for a in unavailable) < 5  # fast, not the proxy's timeout
    api = next(a for a in unavailable if a[1].startswith("/api/"))
    assert json.loads(api[4])["code"] == "database_unavailable" and json.loads(api[4])["detail"]
    page = next(a for a in unavailable if not a[1].startswith("/api/"))
    assert "Tạm thời gián đoạn" in page[4].decode()
    # the worker rode through it: same process, never restarted, and the server still runs
    assert server.worker_pid() == worker and "task worker exited" not in server.output()
    assert server.process.poll() is None


def test_a_killed_task_worker_is_started_again_and_the_site_keeps_serving(cluster, server):
    base = server.wait_listening()
    assert wait_for(lambda: ready(base), 60), server.output()
    first = server.worker_pid()
    # when the worker is killed
    os.kill(first, signal.SIGKILL)
    # then the server starts another one, keeps serving, and becomes ready again
    assert wait_for(lambda: (pid := server.worker_pid()) and pid != first, 30), server.output()
    assert "task worker exited (-9); starting it again" in server.output()
    assert get(base + "/thu-tuc/").status == 200
    assert server.process.poll() is None
    # the processes' metrics add up in one scrape, and every request was one JSON log line
    metrics = get(base + "/metrics").body.decode()
    assert 'motcua_http_requests_total{method="GET",status="200",view="portal:procedure_list"}' in metrics
    assert 'motcua_tasks{status="' in metrics or "motcua_tasks_oldest_ready_seconds" in metrics
    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith('{"time"')]
    assert any(entry.get("path") == "/thu-tuc/" and entry.get("status") == 200 for entry in lines)


def test_the_server_waits_for_a_database_that_is_not_up_yet(cluster):
    cluster.stop()
    started = Server(cluster.env, cluster.folder)
    try:
        # given a server started while PostgreSQL is down: it waits (well past the 5 s it used to die in)
        assert wait_for(lambda: "waiting for it" in started.output(), 30), started.output()
        time.sleep(6)
        assert started.process.poll() is None, started.output()
        # when PostgreSQL starts, then the site serves without anyone starting it again
        cluster.start()
        base = started.wait_listening()
        assert wait_for(lambda: ready(base), 60), started.output()
        assert get(base + "/thu-tuc/").status == 200
    finally:
        started.stop()
