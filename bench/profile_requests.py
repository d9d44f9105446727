"""Where a request's time goes: cProfile and SQL query counts for intake, tracking and the reports,
in-process.

    .venv/bin/python bench/run.py --dossiers 20000 --keep       # once, to have a bench database
    .venv/bin/python bench/profile_requests.py [--requests 300] [--db-url ...] [--top 30]
    .venv/bin/python bench/profile_requests.py --only page --requests 50   # the dashboard page

Runs the same requests as the bench (POST /api/v1/dossiers with a bearer token and an
Idempotency-Key; GET /api/v1/track/{code}?secret=...; the bare endpoint) through Django's test
client against the kept bench database, so no HTTP server or network is involved. Prints
per-request wall time, queries per request with their share of time, and the top functions by
cumulative time. Writes .prof files to bench/results/ for snakeviz or pstats.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from run import (  # noqa: E402
    API_USER,
    BARE_PATH,
    DASHBOARD_PATH,
    DEFAULT_DB_URL,
    PAGE_PATH,
    RANKING_PATH,
    REPORTS_USER,
    RESULTS,
    app_env,
    current_totp,
    django_setup,
    intake_bodies,
    staff_session,
    tracking_paths,
)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB_URL))
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--sort", default="cumulative", help="pstats order: cumulative or tottime")
    p.add_argument(
        "--wall",
        action="store_true",
        help="profile wall time (waits on the database included); default: this process's CPU time",
    )
    p.add_argument(
        "--only",
        choices=("intake", "track", "track-cold", "bare", "figures", "ranking", "page", "page-cold"),
        action="append",
        help="profile only these requests (repeatable)",
    )
    args = p.parse_args(argv)

    django_setup(app_env(args.db_url, "/tmp/motcua-bench-profile"))
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.api.auth import token_create
    from motcua.units.models import User

    token = token_create(user=User.objects.get(username=API_USER), name="profile")
    client = Client(HTTP_HOST="127.0.0.1")
    bodies, _info = intake_bodies(max(50, args.requests), seed=7)
    paths = tracking_paths(args.db_url, None, max(50, args.requests), seed=7)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    wanted = set(args.only or ("intake", "track", "bare"))
    reports_auth, page_client = {}, Client(HTTP_HOST="127.0.0.1")
    if wanted & {"figures", "ranking", "page", "page-cold"}:
        from django.conf import settings

        if wanted & {"figures", "ranking"}:  # a TOTP code serves once: one token per 30 s
            reports_user = User.objects.get(username=REPORTS_USER)
            code = current_totp(REPORTS_USER)
            reports_token = token_create(user=reports_user, name="profile", otp_code=code)
            reports_auth = {"HTTP_AUTHORIZATION": f"Bearer {reports_token}"}
        page_client.cookies[settings.SESSION_COOKIE_NAME] = staff_session(REPORTS_USER)

    cases = {
        "intake": lambda i: client.post(
            "/api/v1/dossiers",
            data=bodies[i % len(bodies)],
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            **auth,
        ),
        "track": lambda i: client.get(paths[i % len(paths)]),
        "track-cold": lambda i: (cache.clear(), client.get(paths[i % len(paths)]))[1],  # answer built
        "bare": lambda i: client.get(BARE_PATH),
        "figures": lambda i: client.get(DASHBOARD_PATH, **reports_auth),
        "ranking": lambda i: client.get(RANKING_PATH, **reports_auth),
        "page": lambda i: page_client.get(PAGE_PATH),  # its body kept a minute (reports.pagecache)
        "page-cold": lambda i: (cache.clear(), page_client.get(PAGE_PATH))[1],  # computed every time
    }
    expected = dict.fromkeys(cases, 200) | {"intake": 201}
    summary = {}
    for name, call in cases.items():
        if name not in wanted:
            continue
        for i in range(10):  # warm-up: imports, caches, connection
            response = call(i)
            if response.status_code != expected[name]:
                raise SystemExit(f"{name}: {response.status_code} {response.content[:300]!r}")
        with CaptureQueriesContext(connection) as queries:
            call(10)
        statements = Counter(_shape(q["sql"]) for q in queries.captured_queries)
        profiler = cProfile.Profile() if args.wall else cProfile.Profile(time.process_time)
        started = time.perf_counter()
        profiler.enable()
        for i in range(args.requests):
            call(11 + i)
        profiler.disable()
        wall = (time.perf_counter() - started) / args.requests * 1000
        cpu_started = time.process_time()
        # Query time without the profiler's overhead.
        with CaptureQueriesContext(connection) as timed:
            t = time.perf_counter()
            for i in range(50):
                call(20_000 + i)
            per_request = (time.perf_counter() - t) / 50 * 1000
        cpu = (time.process_time() - cpu_started) / 50 * 1000
        sql_ms = sum(float(q["time"]) for q in timed.captured_queries) / 50 * 1000
        profiler.dump_stats(RESULTS / f"profile_{name}.prof")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        summary[name] = {
            "ms_per_request": round(per_request, 2),
            "cpu_ms_per_request": round(cpu, 2),
            "ms_per_request_profiled": round(wall, 2),
            "queries": len(queries.captured_queries),
            "sql_ms_per_request": round(sql_ms, 2),
        }
        print(
            f"\n==== {name}: {per_request:.2f} ms per request in-process, "
            f"{cpu:.2f} ms of it CPU in this process "
            f"({wall:.2f} ms under the profiler), "
            f"{len(queries.captured_queries)} queries taking {sql_ms:.2f} ms (round trips included)"
        )
        for shape, count in statements.most_common():
            print(f"  {count} x {shape}")
        print("\n".join(out.getvalue().splitlines()[: args.top + 12]))
    print(json.dumps(summary, indent=2))
    # Kept per request kind: a run of some kinds (--only) updates theirs and keeps the others'.
    path = RESULTS / "profile_summary.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps(kept | summary, indent=2) + "\n")
    return 0


def _shape(sql: str) -> str:
    text = " ".join(sql.split())
    return text[:150] + ("…" if len(text) > 150 else "")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
