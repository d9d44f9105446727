"""Closed-loop HTTP load against 127.0.0.1 only: `wrk` when installed, else a stdlib client.

Each run is bounded in time (warm-up, then a measured window) and stops by itself. Every request
of a POST run carries a fresh `Idempotency-Key`. Results: completed requests per second in the
measured window, status counts and latency percentiles (milliseconds).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"  # the only address this bench ever sends traffic to
LUA_DIR = Path(__file__).resolve().parent / "wrk"


@dataclass
class Load:
    """What to send: `GET` one of `paths` in turn, or `POST` one of `bodies` to `paths[0]`."""

    method: str
    paths: list[str]
    bodies: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    expect: int = 200


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    ok: int = 0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    p50_ms: float | None = None
    p90_ms: float | None = None
    p99_ms: float | None = None
    mean_ms: float | None = None
    client: str = ""
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "per_second": round(self.rate, 1),
            "requests": self.requests,
            "ok": self.ok,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "statuses": self.statuses,
            "latency_ms": {
                "mean": _r(self.mean_ms),
                "p50": _r(self.p50_ms),
                "p90": _r(self.p90_ms),
                "p99": _r(self.p99_ms),
            },
            "client": self.client,
            "first_error": self.first_error[:300],
        }


def _r(value):
    return None if value is None else round(value, 2)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run(
    load: Load, *, port: int, clients: int, seconds: float, warmup: float, client: str = "auto"
) -> Result:
    if client == "auto":
        client = "wrk" if wrk_path() else "python"
    if warmup > 0:
        (_wrk if client == "wrk" else _python)(load, port=port, clients=clients, seconds=warmup)
    return (_wrk if client == "wrk" else _python)(load, port=port, clients=clients, seconds=seconds)


# -- wrk -----------------------------------------------------------------------------------------
def _wrk(load: Load, *, port: int, clients: int, seconds: float) -> Result:
    threads = max(1, min(clients, os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        data = Path(tmp) / "lines.txt"
        lines = load.bodies if load.method == "POST" else load.paths
        data.write_text("\n".join(lines) + "\n", encoding="utf-8")
        headers = Path(tmp) / "headers.txt"
        headers.write_text("".join(f"{k}: {v}\n" for k, v in load.headers.items()), encoding="utf-8")
        command = [
            wrk_path(),
            "-t",
            str(threads),
            "-c",
            str(clients),
            "-d",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            str(LUA_DIR / "load.lua"),
            f"http://{HOST}:{port}",
            "--",
            str(data),
            str(headers),
            load.method,
            load.paths[0],
            str(load.expect),
            uuid.uuid4().hex[:8],
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=False)
    marker = "BENCH_RESULT "
    line = next((x for x in done.stdout.splitlines() if x.startswith(marker)), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(
            f"wrk failed ({done.returncode}): {done.stderr.strip()[-2000:]}\n{done.stdout[-2000:]}"
        )
    raw = json.loads(line[len(marker) :])
    errors = raw["errors"]
    statuses = {str(k): v for k, v in raw["statuses"].items()}
    ok = statuses.get(str(load.expect), 0)
    return Result(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        ok=ok,
        errors=raw["requests"]
        - ok
        + errors["connect"]
        + errors["read"]
        + errors["write"]
        + errors["timeout"],
        statuses=statuses,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        mean_ms=raw["mean_us"] / 1000,
        client=f"wrk -t{threads} -c{clients}",
        first_error=done.stderr.strip()[:300],
    )


# -- stdlib client -------------------------------------------------------------------------------
def _python(load: Load, *, port: int, clients: int, seconds: float) -> Result:
    """Processes (one per core) of threads, one keep-alive `http.client` connection per thread."""
    processes = max(1, min(clients, os.cpu_count() or 1))
    shares = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    start = time.time() + 0.5
    procs = [
        ctx.Process(target=_python_process, args=(load, port, n, start, seconds, queue, i))
        for i, n in enumerate(shares)
    ]
    for p in procs:
        p.start()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    first_error = ""
    for _ in procs:
        lat, st, err = queue.get(timeout=seconds + 120)
        latencies.extend(lat)
        for k, v in st.items():
            statuses[k] = statuses.get(k, 0) + v
        first_error = first_error or err
    for p in procs:
        p.join(timeout=30)
    latencies.sort()
    ok = statuses.get(str(load.expect), 0)
    requests = sum(statuses.values())

    def pct(q: float):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else None

    return Result(
        requests=requests,
        seconds=seconds,
        ok=ok,
        errors=requests - ok,
        statuses=statuses,
        p50_ms=pct(0.50),
        p90_ms=pct(0.90),
        p99_ms=pct(0.99),
        mean_ms=(sum(latencies) / len(latencies) * 1000) if latencies else None,
        client=f"python http.client {processes} processes x {clients} connections",
        first_error=first_error,
    )


def _python_process(load: Load, port: int, connections: int, start: float, seconds: float, queue, index: int):
    end = start + seconds
    results: list[tuple[list[float], dict[str, int], str]] = []
    lock = threading.Lock()
    prefix = uuid.uuid4().hex[:12]

    def worker(t: int):
        latencies: list[float] = []
        statuses: dict[str, int] = {}
        error = ""
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        n = t
        while time.time() < start:
            time.sleep(0.001)
        while True:
            began = time.perf_counter()
            if time.time() >= end:
                break
            n += connections
            headers = dict(load.headers)
            if load.method == "POST":
                body = load.bodies[n % len(load.bodies)].encode()
                headers["Content-Type"] = "application/json"
                headers["Idempotency-Key"] = f"{prefix[:8]}-{prefix[8:12]}-4{t:03x}-8000-{n:012x}"
                path = load.paths[0]
            else:
                body = None
                path = load.paths[n % len(load.paths)]
            try:
                conn.request(load.method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                status = str(response.status)
                if response.status != load.expect and not error:
                    error = f"{status} {payload[:200]!r}"
            except (OSError, http.client.HTTPException) as exc:
                status = "error"
                error = error or repr(exc)
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            if time.time() <= end:
                latencies.append(time.perf_counter() - began)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()
        with lock:
            results.append((latencies, statuses, error))

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(connections)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    error = ""
    for lat, st, err in results:
        latencies.extend(lat)
        for k, v in st.items():
            statuses[k] = statuses.get(k, 0) + v
        error = error or err
    queue.put((latencies, statuses, error))
