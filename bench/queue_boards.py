# ruff: noqa: E402
"""Queue bench: the delay from a counter's call to its appearance on N display boards, and the
counters' call latency with and without the boards connected.

    .venv/bin/python bench/queue_boards.py --boards 200 --counters 10 --seconds 20   # `make bench` runs this

Steps: (re)create its own PostgreSQL database `motcua_bench_queue` (`--db-url`, or
BENCH_QUEUE_DATABASE_URL; the name must start with motcua_bench) and migrate it, set up a bench
center (one service, `--counters` counters, one officer each) and enough tickets; serve the app
with `motcua serve` (gunicorn, 2 workers, each with a thread for every board: a stream holds its
thread, and one worker may accept most of the connections) on a free 127.0.0.1 port, its live
updates through Redis (`--redis-url`, default redis://127.0.0.1:6379/13, or MOTCUA_QUEUE_REDIS_URL;
`--no-redis` measures the polling fallback); then two timed phases with the counters calling
through the same service functions the console uses (call → start → finish, every `--interval`
seconds per counter): first with no board connected, then with `--boards` server-sent-event
clients reading /hang-cho/<center>/su-kien/. For every call the boards receive, the delay is the
time from the start of the call to the event's arrival. Prints a table, writes
bench/results/queue-latest.json and drops the database (`--keep` keeps it).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH_DIR.parent / "src"))


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(counters: int, tickets: int):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from motcua.queueing import services
    from motcua.queueing.models import QueueService
    from motcua.units.models import Commune, Counter, Province, Role, ServiceCenter, StaffRole, User

    province, _ = Province.objects.get_or_create(
        code="82", defaults={"name": "Đồng Tháp", "division_type": "tỉnh", "codename": "dong_thap"}
    )
    stamp = str(int(time.time()))[-6:]
    commune = Commune.objects.create(
        code=f"B{stamp[-4:]}",
        province=province,
        name=f"Xã Bench {stamp}",
        division_type="xã",
        codename=f"bench_{stamp}",
    )
    center = ServiceCenter.objects.create(
        commune=commune, name=f"Bench {stamp}", agency_code=f"BENCH.{stamp}"
    )
    service = services.service_create(center=center, prefix="A", name="Bench", daily_capacity=100000)
    desks = []
    for number in range(1, counters + 1):
        counter = Counter.objects.create(center=center, number=number, name=f"Quầy {number}")
        services.counter_services_set(counter=counter, services=[service])
        officer = User.objects.create_user(username=f"bench{stamp}-{number}", password=None)
        StaffRole.objects.create(user=officer, role=Role.DESK_OFFICER, center=center)
        services.counter_open(counter=counter, officer=officer)
        desks.append((counter, officer))
    for _ in range(tickets):
        services.ticket_take(service=QueueService.objects.get(pk=service.pk))
    return center, desks


class Board(threading.Thread):
    """One display board: an SSE client recording when each call arrives."""

    def __init__(self, url: str, seen: dict, lock: threading.Lock):
        super().__init__(daemon=True)
        self.url, self.seen, self.lock = url, seen, lock
        self.connected = threading.Event()
        self.stop = False

    def run(self):
        request = urllib.request.Request(self.url, headers={"Accept": "text/event-stream"})
        with urllib.request.urlopen(request, timeout=60) as response:
            self.connected.set()
            for raw in response:
                if self.stop:
                    return
                line = raw.decode("utf-8", "replace")
                if not line.startswith("data: "):
                    continue
                arrived = time.monotonic()  # system-wide: compared with the counters' process
                data = json.loads(line[6:])
                with self.lock:
                    for call in data.get("calls", []):
                        self.seen.setdefault(call["code"], []).append(arrived)


def boards_process(url: str, count: int, connected, stop, results) -> None:
    """The boards in a process of their own: 200 SSE readers decoding every message must not share
    the counters' interpreter (its lock), or the bench measures itself instead of the server."""
    seen: dict[str, list[float]] = {}
    lock = threading.Lock()
    boards = [Board(url, seen, lock) for _ in range(count)]
    for board in boards:
        board.start()
    for board in boards:
        board.connected.wait(30)
    connected.set()
    stop.wait()
    for board in boards:
        board.stop = True
    with lock:
        results.put({code: list(times) for code, times in seen.items()})


def counters_phase(desks, seconds: float, interval: float, started: dict) -> list[float]:
    """Every counter calls, starts and finishes a ticket every `interval` s; call latencies (ms)."""
    from django.db import connections

    from motcua.queueing import services

    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def work(desk):
        counter, officer = desk
        try:
            while time.perf_counter() < deadline:
                t0, m0 = time.perf_counter(), time.monotonic()
                ticket = services.ticket_call_next(counter=counter, officer=officer)
                t1 = time.perf_counter()
                if ticket is None:
                    return
                with lock:
                    latencies.append((t1 - t0) * 1000)
                    started[ticket.code] = m0
                services.ticket_start(ticket_id=ticket.pk, counter=counter, officer=officer)
                services.ticket_finish(ticket_id=ticket.pk, counter=counter, officer=officer)
                time.sleep(max(0.0, interval - (time.perf_counter() - t0)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def summary(values):
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50), 1) if values else None,
        "p99_ms": round(percentile(values, 99), 1) if values else None,
        "mean_ms": round(statistics.fmean(values), 1) if values else None,
    }


DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_queue"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boards", type=int, default=200)
    parser.add_argument("--counters", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between one counter's calls")
    parser.add_argument(
        "--db-url",
        default=os.environ.get("BENCH_QUEUE_DATABASE_URL", DEFAULT_DB_URL),
        help="the bench database (its name must start with motcua_bench; it is dropped and created)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("MOTCUA_QUEUE_REDIS_URL", DEFAULT_REDIS_URL),
        help="Redis for the live updates between the server's processes",
    )
    parser.add_argument("--no-redis", action="store_true", help="measure the polling fallback instead")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = arguments(argv)
    sys.path.insert(0, str(BENCH_DIR))
    import dbtools

    dbtools.recreate_database(args.db_url)  # refuses a name that does not start with motcua_bench
    os.environ["DATABASE_URL"] = args.db_url  # for this process and the server it starts
    os.environ.pop("MOTCUA_REDIS_URL", None)
    if args.no_redis:
        os.environ.pop("MOTCUA_QUEUE_REDIS_URL", None)
    else:
        os.environ["MOTCUA_QUEUE_REDIS_URL"] = args.redis_url
    try:
        return measure(args)
    finally:
        from django.apps import apps
        from django.db import connections

        if apps.ready:
            connections.close_all()
        if not args.keep:
            dbtools.drop_database(args.db_url)


def measure(args: argparse.Namespace) -> int:
    calls_needed = int(args.counters * args.seconds / args.interval * 2.5) + 50
    center, desks = setup(args.counters, calls_needed)
    port = free_port()
    workers = 2
    threads = args.boards + 40  # per worker: gunicorn does not spread the streams evenly
    # a server that is not a demo refuses the public demo key: a throwaway one, as bench/run.py does
    env = {"MOTCUA_SECRET_KEY": "bench-" + os.urandom(16).hex(), **os.environ, "MOTCUA_TASK_WORKER": "0"}
    RESULTS.mkdir(exist_ok=True)
    server_log = (RESULTS / "queue-server.log").open("wb")  # why the server did not start, if it did not
    server = subprocess.Popen(
        [
            str(BIN / "motcua"),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--no-task-worker",
        ],
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/hang-cho/{center.pk}/man-hinh.json", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        else:
            server.poll()
        if server.returncode is not None:
            print(f"The server did not start: see {RESULTS / 'queue-server.log'}", file=sys.stderr)
            return 1
        started: dict[str, float] = {}
        quiet = counters_phase(desks, args.seconds, args.interval, started)

        context = multiprocessing.get_context("spawn")
        connected, stop, results = context.Event(), context.Event(), context.Queue()
        readers = context.Process(
            target=boards_process,
            args=(f"{base}/hang-cho/{center.pk}/su-kien/", args.boards, connected, stop, results),
            daemon=True,
        )
        readers.start()
        connected.wait(60)
        time.sleep(1)  # every stream has sent its first message
        started.clear()
        loaded = counters_phase(desks, args.seconds, args.interval, started)
        time.sleep(2)  # the last calls reach the boards
        stop.set()
        seen = results.get(timeout=60)
        readers.join(10)
        delays = [
            (arrived - started[code]) * 1000
            for code, arrivals in seen.items()
            if code in started
            for arrived in arrivals
        ]
        expected = len(started) * args.boards
        result = {
            "boards": args.boards,
            "counters": args.counters,
            "seconds": args.seconds,
            "interval": args.interval,
            "redis": bool(os.environ.get("MOTCUA_QUEUE_REDIS_URL")),
            "call_latency_no_boards": summary(quiet),
            "call_latency_with_boards": summary(loaded),
            "call_to_board": summary(delays),
            "deliveries": len(delays),
            "expected_deliveries": expected,
        }
    finally:
        server.terminate()  # gunicorn waits up to its graceful timeout (10 s) for open streams
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "queue-latest.json").write_text(json.dumps(result, indent=2))
    q, b, d = result["call_latency_no_boards"], result["call_latency_with_boards"], result["call_to_board"]
    print(f"{'measure':34} {'n':>7} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"{'call next, no board':34} {q['n']:>7} {q['p50_ms']!s:>8} {q['p99_ms']!s:>8}")
    print(
        f"{'call next, ' + str(args.boards) + ' boards':34} {b['n']:>7} {b['p50_ms']!s:>8} {b['p99_ms']!s:>8}"
    )
    print(f"{'call → board':34} {d['n']:>7} {d['p50_ms']!s:>8} {d['p99_ms']!s:>8}")
    print(f"deliveries {len(delays)} of {expected} expected; redis={result['redis']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
