"""Where the CPU went during a measured run: the app's processes, PostgreSQL's backends, the load
generator, and everything else on the machine (other work running at the same time skews a
benchmark on 2 cores; the report says how much there was). Linux /proc only."""

from __future__ import annotations

import os
import resource
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[int, int] | None:
    """(process group, user+system ticks) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rindex(")") + 2 :].split()
    return int(rest[2]), int(rest[11]) + int(rest[12])


def _machine() -> tuple[int, int]:
    """(busy, total) ticks of all CPUs."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    total = sum(fields[:8])
    return total - idle, total


def group_pids(pgid: int) -> list[int]:
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _proc_stat(int(name))
            if stat and stat[0] == pgid:
                pids.append(int(name))
    return pids


class Sampler:
    """Samples, every `interval` seconds in a thread, the CPU ticks of the app's process group and
    of the PostgreSQL backends of one database. Processes that start during the window count
    from zero; processes that end keep their last sample (up to one interval is lost)."""

    def __init__(self, *, app_pgid: int | None, conninfo: str, database: str, interval: float = 0.25):
        import psycopg

        self.app_pgid, self.database, self.interval = app_pgid, database, interval
        self.conn = psycopg.connect(conninfo, autocommit=True)
        self.me = self.conn.info.backend_pid
        self.app_pids = group_pids(app_pgid) if app_pgid else []
        self.base: dict[tuple[str, int], int] = {}
        self.last: dict[tuple[str, int], int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _pids(self) -> list[tuple[str, int]]:
        pids = [("app", p) for p in self.app_pids]
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s", [self.database, self.me]
        ).fetchall()
        return pids + [("postgres", r[0]) for r in rows]

    def _sample(self, first: bool) -> None:
        for key in self._pids():
            stat = _proc_stat(key[1])
            if stat is None:
                continue
            if key not in self.base:
                self.base[key] = stat[1] if first else 0
            self.last[key] = stat[1]

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample(first=False)

    def start(self) -> Sampler:
        self._sample(first=True)
        self.machine0 = _machine()
        self.children0 = _children()
        self.t0 = time.monotonic()
        self._thread.start()
        return self

    def stop(self, requests: int) -> dict:
        self._sample(first=False)
        elapsed = time.monotonic() - self.t0
        busy = (_machine()[0] - self.machine0[0]) / TICK
        client = _children() - self.children0
        self._stop.set()
        self._thread.join()
        self.conn.close()
        used = {"app": 0.0, "postgres": 0.0}
        for key, ticks in self.last.items():
            used[key[0]] += (ticks - self.base.get(key, 0)) / TICK
        cores = os.cpu_count() or 1
        others = max(0.0, busy - used["app"] - used["postgres"] - client)
        per = (lambda s: round(s * 1000 / requests, 3)) if requests else (lambda s: None)
        ours = used["app"] + used["postgres"] + client
        return {
            # What the machine would do if this run had it alone: all cores over the CPU one request
            # needs (app + database + load generator). Robust to other work sharing the machine.
            "cpu_bound_per_second": round(cores * requests / ours, 1) if requests and ours else None,
            "elapsed_s": round(elapsed, 2),
            "cores": cores,
            "cpu_s": {
                "app": round(used["app"], 2),
                "postgres": round(used["postgres"], 2),
                "load_generator": round(client, 2),
                "other_processes": round(others, 2),
                "idle": round(max(0.0, elapsed * cores - busy), 2),
            },
            "cpu_ms_per_request": {
                "app": per(used["app"]),
                "postgres": per(used["postgres"]),
                "load_generator": per(client),
            },
        }


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def background_busy(seconds: float = 2.0) -> float:
    """Share of all CPUs busy over `seconds` (call while the bench itself is idle)."""
    b0, t0 = _machine()
    time.sleep(seconds)
    b1, t1 = _machine()
    return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0
