"""`make bench`: a province-scale history on PostgreSQL, then intake and tracking throughput.

    .venv/bin/python bench/run.py                      # 1,000,000 dossiers (a few minutes to generate)
    .venv/bin/python bench/run.py --dossiers 20000     # a quick run
    .venv/bin/python bench/run.py --dossiers 10000000  # full size (tens of GB, most of an hour)
    make bench BENCH_ARGS="--dossiers 20000"           # the same through make

Steps: (re)create the database `motcua_bench` (`--db-url`), `motcua migrate`, `motcua demo`, a
service center with staff for every commune of Đồng Tháp, an API token for a desk officer of
all of them; generate the history with COPY (bench/histgen.py); serve the app with gunicorn
(`motcua serve`) on 127.0.0.1; then, each run after a warm-up and for a fixed duration, with the
same number of concurrent clients:

1. intake: `POST /api/v1/dossiers` with a fresh Idempotency-Key each, against pgbench inserting
   the same rows (code counter, dossier, intake event) with bench/pgraw.py's script;
2. tracking: `GET /api/v1/track/{code}?secret=...` over generated dossiers, against a bare
   Django JSON endpoint served the same way;
3. reports, as the province administrator (after `motcua rollups rebuild` on the generated
   history): the province's figures by commune and the ranking of its communes (API, bearer
   token), and the province dashboard page (a signed-in session that passed the second factor).

Prints a table and writes bench/results/latest.json. All traffic goes to 127.0.0.1; every run is
bounded in time. The database is dropped at the end unless `--keep` (then `--reuse` skips the
generation next time).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
BIN = Path(sys.executable).parent
MOTCUA = str(BIN / "motcua")
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"
BARE_PATH = "/api/v1/bench/bare"  # no database access: the yardstick for a Django JSON answer
INTAKE_PATH = "/api/v1/dossiers"
TRACK_PATH = "/api/v1/track/{code}?secret={secret}"
REPORTS_USER = "dongthap.tinh"  # the demo's province administrator of Đồng Tháp
DASHBOARD_PATH = "/api/v1/reports/kpis?unit=province:82&by=commune"
RANKING_PATH = "/api/v1/reports/ranking?province=82"
PAGE_PATH = "/bao-cao/tinh/82/"  # the province dashboard page (ranking table, charts, fields)
# One secret for every process of a run: the served app must accept the session made in-process.
SECRET_KEY = "bench-" + os.urandom(16).hex()
API_USER = "bench.api"

sys.path.insert(0, str(BENCH_DIR))


def parse_args(argv: list[str]) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--dossiers",
        type=int,
        default=int(os.environ.get("BENCH_DOSSIERS", 1_000_000)),
        help="dossiers to generate (default 1,000,000; 10,000,000 for full size)",
    )
    p.add_argument(
        "--clients",
        type=int,
        default=None,
        help="concurrent client connections for every run (default: server workers x threads)",
    )
    p.add_argument("--duration", type=int, default=20, help="seconds measured per run (default 20)")
    p.add_argument("--warmup", type=int, default=5, help="seconds of warm-up before each run (default 5)")
    p.add_argument("--workers", type=int, default=cores + 1, help=f"gunicorn workers (default {cores + 1})")
    p.add_argument(
        "--threads", type=int, default=4, help="threads per gunicorn worker (default 4, as motcua serve)"
    )
    p.add_argument(
        "--port",
        type=int,
        default=None,
        help="port of the app on 127.0.0.1 (default 8765, or a free one when 8765 is taken)",
    )
    p.add_argument(
        "--db-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB_URL),
        help="the bench database (its name must start with motcua_bench; it is dropped and created)",
    )
    p.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk when installed (default), else Python's http.client",
    )
    p.add_argument("--gen-workers", type=int, default=cores, help="generator processes (default: cores)")
    p.add_argument(
        "--wait-quiet",
        type=int,
        default=0,
        metavar="SECONDS",
        help="before each measured run, wait up to SECONDS for other work on the machine to drop "
        "below 15%% of the CPUs (a shared machine skews a 2-core benchmark)",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a kept database: skip the demo and the generation (new migrations still apply)",
    )
    p.add_argument(
        "--settings",
        default="motcua.settings",
        help="Django settings module of the served app, for what-if runs (a module in bench/ that "
        "changes one thing of motcua.settings); generation always uses motcua.settings",
    )
    p.add_argument("--no-install", action="store_true", help="never apt-get install pgbench or wrk")
    p.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = p.parse_args(argv)
    if args.clients is None:
        args.clients = args.workers * args.threads
    return args


def say(text: str = "", **kw) -> None:
    print(text, **kw)
    sys.stdout.flush()


def step(title: str) -> None:
    say(f"\n== {title}")


# -- tools ---------------------------------------------------------------------------------------
def ensure_tools(args) -> dict:
    """pgbench is required (Debian: postgresql-client); wrk is preferred. Installed with apt-get
    when missing and allowed (root, no --no-install)."""
    notes = {}
    wanted = [("pgbench", "postgresql-client"), ("psql", "postgresql-client")]
    if args.client in ("auto", "wrk"):
        wanted.append(("wrk", "wrk"))
    missing = sorted({pkg for tool, pkg in wanted if shutil.which(tool) is None})
    if missing and not args.no_install and os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"  installing {' '.join(missing)} with apt-get (Debian packages; --no-install to prevent)")
        lock = ["-o", "DPkg::Lock::Timeout=300"]
        subprocess.run(["apt-get", *lock, "update", "-qq"], check=False)
        subprocess.run(["apt-get", *lock, "install", "-y", "-qq", *missing], check=False)
        notes["installed"] = missing
    if shutil.which("pgbench") is None:
        raise SystemExit("pgbench is missing: apt-get install postgresql-client (or postgresql-contrib).")
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk, or use --client python.")
    return notes


def machine() -> dict:
    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    wrk = shutil.which("wrk")
    wrk_version = ""
    if wrk:
        done = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
        wrk_version = (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else ""
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "wrk": wrk_version,
    }


# -- database and application ----------------------------------------------------------------------
def app_env(url: str, data_dir: str, settings: str = "motcua.settings") -> dict:
    env = dict(os.environ)
    if settings != "motcua.settings":
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH_DIR), env.get("PYTHONPATH", "")]))
    env.update(
        DATABASE_URL=url,
        MOTCUA_ALLOWED_HOSTS="127.0.0.1,localhost",
        MOTCUA_DATA_DIR=data_dir,
        MOTCUA_SECRET_KEY=SECRET_KEY,
        MOTCUA_DEBUG="0",
        MOTCUA_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE=settings,
    )
    return env


def motcua(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [MOTCUA, *args],
        env=env,
        cwd=ROOT,
        text=True,
        check=False,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"`motcua {' '.join(args)}` failed ({done.returncode}): {(done.stderr or '')[-2000:]}"
        )
    return done.stdout or ""


def django_setup(env: dict) -> None:
    for key in (
        "DATABASE_URL",
        "MOTCUA_DATA_DIR",
        "MOTCUA_ALLOWED_HOSTS",
        "MOTCUA_SECRET_KEY",
        "DJANGO_SETTINGS_MODULE",
    ):
        os.environ[key] = env[key]
    import django

    django.setup()


def api_token(env: dict) -> tuple[str, str]:
    """A bearer token for the bench user: `motcua api-token create`, else the service function."""
    try:
        out = motcua(env, "api-token", "create", "--username", API_USER, "--name", "bench", capture=True)
        token = out.strip().splitlines()[-1].strip()
        if token:
            return token, "motcua api-token create"
    except SystemExit as exc:
        last = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
        say(f"  (api-token command unavailable: {last[:200]}; using motcua.api.auth.token_create)")
    from motcua.api.auth import token_create
    from motcua.units.models import User

    return token_create(
        user=User.objects.get(username=API_USER), name="bench"
    ), "motcua.api.auth.token_create"


def _bench_device(username: str):
    """The confirmed TOTP device "bench" of a staff user (made on first use)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from motcua.units.models import User

    user = User.objects.get(username=username)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    return user, device


def current_totp(username: str) -> str:
    """The code the user's authenticator app would show now (the bench's own device), for
    `motcua api-token create --totp`: users with a second factor need one."""
    from django_otp.oath import TOTP

    _user, device = _bench_device(username)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def staff_session(username: str) -> str:
    """A signed-in staff session that passed the second factor, as the sign-in page leaves it
    (a confirmed TOTP device recorded in the session): the value of the session cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    user, device = _bench_device(username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


class Server:
    """`motcua serve` (gunicorn) in its own session, so that its master and workers stop together."""

    def __init__(self, env: dict, port: int, workers: int, threads: int, log_path: Path):
        self.port = port
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.command = [
            MOTCUA,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ]
        self.proc = subprocess.Popen(
            self.command, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}{BARE_PATH}"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"The server exited ({self.proc.returncode}); see {self.log.name}.")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                raise SystemExit(f"{BARE_PATH} answered {exc.code}: the bare endpoint is missing.") from exc
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"The server did not answer within {timeout:.0f} s; see {self.log.name}.")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group we created: gunicorn's master and workers
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


def port_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- request material ------------------------------------------------------------------------------
def intake_bodies(count: int, seed: int) -> tuple[list[str], dict]:
    """JSON bodies of complete counter intakes, spread over the centers and the procedures in force."""
    from django.utils import timezone
    from vnnames import FastRandom, People

    from motcua.catalog.models import ProcedureVersion
    from motcua.units.models import ServiceCenter

    today = timezone.localdate()
    versions = [
        v
        for v in ProcedureVersion.objects.select_related("procedure").prefetch_related("components")
        if v.effective_from <= today and (v.effective_to is None or v.effective_to >= today)
    ]
    latest = {}
    for v in sorted(versions, key=lambda v: v.effective_from):
        latest[v.procedure.national_code] = v
    centers = list(ServiceCenter.objects.filter(commune__province_id="82").select_related("commune"))
    rng = FastRandom(seed)
    people = People(rng)
    bodies = []
    for _ in range(count):
        center = rng.choice(centers)
        version = rng.choice(list(latest.values()))
        female = rng.random() < 0.55
        body = {
            "center": center.agency_code,
            "procedure": version.procedure.national_code,
            "channel": "counter",
            "applicant": {
                "name": people.name(female),
                "id_number": people.id_number(female, rng.randint(1950, 2005)),
                "phone": people.phone(),
                "address": people.address(center.commune.name),
            },
            "components": [{"component": c.id, "provided": True} for c in version.components.all()],
        }
        bodies.append(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
    return bodies, {"centers": len(centers), "procedures": len(latest)}


def tracking_paths(url: str, samples: list[tuple[str, str]] | None, wanted: int, seed: int) -> list[str]:
    import psycopg

    if not samples:
        with psycopg.connect(url) as conn:
            total = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0] or 1
            pct = min(100.0, wanted * 150.0 / total)
            samples = conn.execute(
                f"SELECT code, secret FROM dossiers_dossier "
                f"TABLESAMPLE BERNOULLI ({pct:.6f}) REPEATABLE ({seed}) "
                "WHERE code IS NOT NULL AND secret <> '' LIMIT %s",
                [wanted],
            ).fetchall()
    samples = list(samples)
    random.Random(seed).shuffle(samples)
    return [TRACK_PATH.format(code=code, secret=secret) for code, secret in samples[:wanted]]


def sql_scalar(url: str, query: str):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query).fetchone()[0]


def checkpoint(url: str) -> None:
    """Start each write run from a clean slate instead of in the middle of a checkpoint."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")


# -- the run -----------------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    args = parse_args(argv)
    import cpustat
    import dbtools
    import histgen
    import loadgen
    import pgraw

    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = args.db_url
    report: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }
    step("Tools")
    report["tools"] = ensure_tools(args)
    client = args.client if args.client != "auto" else ("wrk" if loadgen.wrk_path() else "python")
    report["machine"] = machine()
    report["machine"]["postgresql"] = sql_scalar(dbtools.admin_url(url), "SHOW server_version")
    say(
        f"  {report['machine']['cores']} cores, {report['machine']['memory_gib']} GiB, PostgreSQL "
        f"{report['machine']['postgresql']}, load generator: {client}"
    )
    if args.port is None:
        args.port = 8765 if port_free(8765) else free_port()
    elif not port_free(args.port):
        raise SystemExit(f"Port {args.port} is in use: choose another with --port.")

    data_dir = tempfile.mkdtemp(prefix="motcua-bench-data-")
    env = app_env(url, data_dir)
    reuse = args.reuse and dbtools.database_exists(url)
    server = None
    try:
        step(f"Database {dbtools.db_name(url)}")
        if reuse:
            say("  reusing the kept database (--reuse): no demo or generation")
            motcua(env, "migrate", "--noinput", capture=True)
        else:
            dbtools.recreate_database(url)
            t = time.monotonic()
            motcua(env, "migrate", "--noinput", capture=True)
            say(f"  motcua migrate: {time.monotonic() - t:.1f} s")
            t = time.monotonic()
            motcua(env, "demo", capture=True)
            say(
                f"  motcua demo (units of province 82, 3 centers, demo catalog): {time.monotonic() - t:.1f} s"
            )
        django_setup(env)
        histgen.prepare_province("82", API_USER, log=say)
        token, token_source = api_token(env)
        say(f"  API token for {API_USER!r} from {token_source}")

        samples = None
        generation_file = RESULTS / f"generation-{dbtools.db_name(url)}.json"  # read back by --reuse
        if not reuse:
            step(f"Generating {args.dossiers:,} dossiers")
            generation = histgen.generate(
                url, total=args.dossiers, seed=args.seed, workers=args.gen_workers, log=say
            )
            samples = generation.pop("samples")
            report["generation"] = generation
            checked, problems = histgen.verify_sample(300, args.seed)
            report["generation"]["hash_chains_verified"] = {"dossiers": checked, "broken": len(problems)}
            say(
                f"  hash chains of {checked} random dossiers verified with motcua.dossiers.history: "
                f"{'all whole' if not problems else f'{len(problems)} BROKEN, e.g. {problems[0]}'}"
            )
            codes = histgen.check_codes(url)
            report["generation"]["codes_checked"] = codes
            say(
                f"  codes against counters: {codes['agency_days']:,} agency-days, "
                f"{codes['inconsistent']} inconsistent"
            )
            generation_file.write_text(json.dumps(report["generation"], indent=2, ensure_ascii=False))
            step("Rebuilding the report rollups (COPY bypassed the hook that keeps them in step)")
            t0 = time.monotonic()
            motcua(app_env(url, data_dir, args.settings), "rollups", "rebuild")
            report["generation"]["rollups_rebuild_seconds"] = round(time.monotonic() - t0, 1)
            say(f"  rollups rebuilt in {report['generation']['rollups_rebuild_seconds']} s")
            generation_file.write_text(json.dumps(report["generation"], indent=2, ensure_ascii=False))
        elif generation_file.exists():
            report["generation"] = json.loads(generation_file.read_text())
            report["generation"]["reused"] = True
        from django.db import connections

        dossier_total = sql_scalar(url, "SELECT count(*) FROM dossiers_dossier")
        event_total = sql_scalar(url, "SELECT count(*) FROM dossiers_dossierevent")
        report["data"] = {"dossiers": dossier_total, "events": event_total}
        bodies, body_info = intake_bodies(5000, args.seed)
        paths = tracking_paths(url, samples, 20_000, args.seed)
        user_id = sql_scalar(url, f"SELECT id FROM units_user WHERE username = '{API_USER}'")
        centers = [
            r
            for r in _rows(
                url,
                "SELECT id FROM units_servicecenter WHERE commune_id IN "
                "(SELECT code FROM units_commune WHERE province_id = '82') ORDER BY id",
            )
        ]
        versions = _rows(
            url,
            """SELECT v.id, p.field_id FROM catalog_procedureversion v
                                 JOIN catalog_procedure p ON p.id = v.procedure_id
                                 WHERE v.effective_from <= current_date
                                   AND (v.effective_to IS NULL OR v.effective_to >= current_date)
                                 ORDER BY v.id""",
        )
        import psycopg

        with psycopg.connect(url) as conn:
            extra = histgen.extra_columns(conn)
        connections.close_all()

        step(f"Serving the app: motcua serve --workers {args.workers} --threads {args.threads} (gunicorn)")
        server = Server(
            app_env(url, data_dir, args.settings),
            args.port,
            args.workers,
            args.threads,
            RESULTS / "server.log",
        )
        server.wait_ready()
        say(f"  ready on 127.0.0.1:{args.port}; access log in {server.log.name}")
        auth = {"Authorization": f"Bearer {token}"}

        dbname = dbtools.db_name(url)

        def settle() -> float:
            deadline = time.monotonic() + args.wait_quiet
            busy = cpustat.background_busy(2.0)
            while busy > 0.15 and time.monotonic() < deadline:
                say(f"  (machine {busy:.0%} busy with other work: waiting, --wait-quiet {args.wait_quiet})")
                time.sleep(3)
                busy = cpustat.background_busy(2.0)
            return busy

        def http_run(load, clients=None, seconds=None):
            clients, seconds = clients or args.clients, seconds or args.duration
            quiet = settle()
            if args.warmup:
                loadgen.run(
                    load, port=args.port, clients=clients, seconds=args.warmup, warmup=0, client=client
                )
            sampler = cpustat.Sampler(app_pgid=server.proc.pid, conninfo=url, database=dbname).start()
            result = loadgen.run(
                load, port=args.port, clients=clients, seconds=seconds, warmup=0, client=client
            )
            cpu = sampler.stop(result.ok) | {"busy_before_run": round(quiet, 3)}
            _show(result, cpu)
            return result, cpu

        step(
            f"1. Intake: POST {INTAKE_PATH}, {args.clients} clients, "
            f"{args.warmup} s warm-up + {args.duration} s"
        )
        checkpoint(url)
        before = sql_scalar(url, "SELECT count(*) FROM dossiers_dossier")
        http_intake, http_intake_cpu = http_run(
            loadgen.Load("POST", [INTAKE_PATH], bodies=bodies, headers=auth, expect=201)
        )
        created = sql_scalar(url, "SELECT count(*) FROM dossiers_dossier") - before
        say(f"  dossiers created during warm-up and run: {created:,}")

        step(f"   pgbench: the same rows as raw SQL, {args.clients} clients, {args.duration} s")
        script = pgraw.write_script(
            RESULTS / "pgbench_intake.sql",
            center_ids=[c[0] for c in centers],
            versions=[(v[0], v[1]) for v in versions],
            user_id=user_id,
            extra=extra,
        )
        checkpoint(url)
        quiet = settle()
        pgraw.run(url, script, clients=args.clients, seconds=max(1, args.warmup))
        sampler = cpustat.Sampler(app_pgid=None, conninfo=url, database=dbname).start()
        raw_intake = pgraw.run(url, script, clients=args.clients, seconds=args.duration)
        raw_cpu = sampler.stop(raw_intake["transactions"]) | {"busy_before_run": round(quiet, 3)}
        say(
            f"  {raw_intake['tps']:,.0f} transactions/s, latency {raw_intake['latency_ms']} ms, "
            f"{raw_intake['transactions']:,} dossiers, {raw_intake['failed']} failed"
        )
        say(f"  {_cpu_text(raw_cpu)}")

        step(
            f"2. Tracking: GET /api/v1/track/{{code}}?secret=..., {len(paths):,} generated dossiers, "
            f"{args.clients} clients"
        )
        tracking, tracking_cpu = http_run(loadgen.Load("GET", paths))
        step(f"   Bare Django JSON endpoint: GET {BARE_PATH}")
        bare, bare_cpu = http_run(loadgen.Load("GET", [BARE_PATH]))
        out = motcua(
            app_env(url, data_dir, args.settings),
            "api-token",
            "create",
            "--username",
            REPORTS_USER,
            "--name",
            "bench-reports",
            "--totp",
            current_totp(REPORTS_USER),
            capture=True,
        )
        reports_headers = {"Authorization": f"Bearer {out.strip().splitlines()[-1].strip()}"}
        step("3. Reports (province administrator): the province's figures by commune, and the ranking")
        dashboard, dashboard_cpu = http_run(loadgen.Load("GET", [DASHBOARD_PATH], headers=reports_headers))
        ranking, ranking_cpu = http_run(loadgen.Load("GET", [RANKING_PATH], headers=reports_headers))
        from django.conf import settings as django_settings

        cookie = {"Cookie": f"{django_settings.SESSION_COOKIE_NAME}={staff_session(REPORTS_USER)}"}
        step(f"   The province dashboard page: GET {PAGE_PATH} (signed in, second factor passed)")
        page, page_cpu = http_run(loadgen.Load("GET", [PAGE_PATH], headers=cookie))
        step("   The time each takes to load for one user alone: one client, 10 s each")
        alone = {
            name: http_run(load, clients=1, seconds=10)[0].as_dict()["latency_ms"]["p50"]
            for name, load in (
                ("tracking", loadgen.Load("GET", paths)),
                ("dashboard", loadgen.Load("GET", [DASHBOARD_PATH], headers=reports_headers)),
                ("ranking", loadgen.Load("GET", [RANKING_PATH], headers=reports_headers)),
                ("page", loadgen.Load("GET", [PAGE_PATH], headers=cookie)),
            )
        }
        server.stop()
        server = None
        gaps = histgen.check_codes(url)["inconsistent"]
        report["intake"] = {
            "http": http_intake.as_dict() | {"dossiers_created": created, "cpu": http_intake_cpu},
            "pgbench": raw_intake | {"cpu": raw_cpu},
            "ratio_http_to_raw": round(http_intake.rate / raw_intake["tps"], 4)
            if raw_intake["tps"]
            else None,
            "ratio_alone": _ratio(http_intake_cpu["cpu_bound_per_second"], raw_cpu["cpu_bound_per_second"]),
            "code_counters_inconsistent_after_runs": gaps,
        }
        report["tracking"] = {
            "http": tracking.as_dict() | {"distinct_dossiers": len(paths), "cpu": tracking_cpu},
            "bare": bare.as_dict() | {"cpu": bare_cpu},
            "ratio_track_to_bare": round(tracking.rate / bare.rate, 4) if bare.rate else None,
            "ratio_alone": _ratio(tracking_cpu["cpu_bound_per_second"], bare_cpu["cpu_bound_per_second"]),
        }
        report["reports"] = {
            "dashboard": dashboard.as_dict() | {"path": DASHBOARD_PATH, "cpu": dashboard_cpu},
            "ranking": ranking.as_dict() | {"path": RANKING_PATH, "cpu": ranking_cpu},
            "page": page.as_dict() | {"path": PAGE_PATH, "cpu": page_cpu},
            # The bar: each under 10x the time of a tracking lookup (p50 latency).
            "dashboard_p50_over_track_p50": _ratio(
                dashboard.as_dict()["latency_ms"]["p50"], tracking.as_dict()["latency_ms"]["p50"]
            ),
            "ranking_p50_over_track_p50": _ratio(
                ranking.as_dict()["latency_ms"]["p50"], tracking.as_dict()["latency_ms"]["p50"]
            ),
            "page_p50_over_track_p50": _ratio(
                page.as_dict()["latency_ms"]["p50"], tracking.as_dict()["latency_ms"]["p50"]
            ),
            # The same comparison by CPU per request (tracking's alone/s over the report's): steadier
            # than latency, which moves with how gunicorn's workers happened to share the
            # keep-alive connections of a run (one worker's GIL can hold many of them).
            "dashboard_cpu_over_track_cpu": _ratio(
                tracking_cpu["cpu_bound_per_second"], dashboard_cpu["cpu_bound_per_second"]
            ),
            "ranking_cpu_over_track_cpu": _ratio(
                tracking_cpu["cpu_bound_per_second"], ranking_cpu["cpu_bound_per_second"]
            ),
            "page_cpu_over_track_cpu": _ratio(
                tracking_cpu["cpu_bound_per_second"], page_cpu["cpu_bound_per_second"]
            ),
            # And for one user alone (one client, no queue): the time to load, p50.
            "one_client_p50_ms": alone,
            "dashboard_alone_over_track_alone": _ratio(alone["dashboard"], alone["tracking"]),
            "ranking_alone_over_track_alone": _ratio(alone["ranking"], alone["tracking"]),
            "page_alone_over_track_alone": _ratio(alone["page"], alone["tracking"]),
        }
        report["intake_bodies"] = body_info
        report["server"] = {
            "command": shlex.join(["motcua", *server_command_args(args)]),
            "workers": args.workers,
            "threads": args.threads,
        }
        report["seconds_total"] = round(time.monotonic() - started, 1)
        print_table(report, args, client)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        say(f"\nFigures written to {_shown(args.output)}")
        return 0
    finally:
        if server is not None:
            server.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up yet
            pass
        shutil.rmtree(data_dir, ignore_errors=True)
        if not args.keep:
            dbtools.drop_database(url)
            say(f"(database {dbtools.db_name(url)} dropped; --keep keeps it for --reuse)")
        else:
            say(f"(database {dbtools.db_name(url)} kept: --reuse skips the generation next time)")


def server_command_args(args) -> list[str]:
    return [
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
    ]


def _rows(url: str, query: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def _show(result, cpu: dict) -> None:
    say(
        f"  {result.rate:,.1f}/s  ({result.ok:,} ok of {result.requests:,} in {result.seconds:.1f} s; "
        f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms; statuses {result.statuses})"
        if result.requests
        else "  no request completed"
    )
    if result.errors and result.first_error:
        say(f"  first unexpected answer: {result.first_error[:300]}")
    say(f"  {_cpu_text(cpu)}")


def _cpu_text(cpu: dict) -> str:
    c, per = cpu["cpu_s"], cpu["cpu_ms_per_request"]
    text = (
        f"CPU s over {cpu['elapsed_s']:.0f} s x {cpu['cores']} cores: app {c['app']}, "
        f"postgres {c['postgres']}, "
        f"load generator {c['load_generator']}, other processes {c['other_processes']}, idle {c['idle']}"
    )
    if per["postgres"] is not None:
        text += f"; per request: app {per['app']} ms, postgres {per['postgres']} ms"
    if cpu.get("busy_before_run", 0) > 0.15:
        text += (
            f"\n  WARNING: the machine was {cpu['busy_before_run']:.0%} busy with other work just before "
            "this run: the figures are lower than on a quiet machine"
        )
    return text


def print_table(report: dict, args, client: str) -> None:
    m, g = report["machine"], report.get("generation")
    i, t = report["intake"], report["tracking"]
    data = report["data"]
    width = 117
    say("\n" + "=" * width)
    say(
        f"Một cửa bench: {data['dossiers']:,} dossiers, {data['events']:,} events on PostgreSQL "
        f"{m['postgresql'].split()[0]}; {m['cores']} cores, {m['memory_gib']} GiB"
    )
    say(
        f"app: motcua serve --workers {args.workers} --threads {args.threads}; "
        f"{args.clients} concurrent clients "
        f"({client}); {args.warmup} s warm-up + {args.duration} s measured per run; all on this machine"
    )
    if g:
        say(
            f"generated in {g['seconds']['total']:.0f} s ({g['dossiers_per_second']:,} dossiers/s "
            "including indexes "
            f"and VACUUM ANALYZE); database {g['sizes']['database']}"
        )
    say("-" * width)
    say(
        f"{'':44}{'per second':>11}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}{'CPU ms/request: app':>21}"
        f"{'postgres':>9}{'alone/s':>9}"
    )

    def row(label, r, p50, p99, errors):
        per = r["cpu"]["cpu_ms_per_request"]
        say(
            f"{label:44}{r.get('per_second', r.get('tps')):>11,.1f}{_f(p50):>8}{_f(p99):>8}{errors:>7}"
            f"{_f(per['app'], 2):>21}{_f(per['postgres'], 2):>9}{_f(r['cpu']['cpu_bound_per_second'], 0):>9}"
        )

    def http(label, r):
        row(label, r, r["latency_ms"]["p50"], r["latency_ms"]["p99"], r["errors"])

    http("Intake  POST /api/v1/dossiers (app, HTTP)", i["http"])
    pg = i["pgbench"]
    row("        pgbench, same rows (raw PostgreSQL)", pg, pg["latency_ms"], None, pg["failed"])
    say(f"{'        app / raw':44}{_pct(i['ratio_http_to_raw']):>11}{'':>53}{_pct(i['ratio_alone']):>9}")
    http("Track   GET /api/v1/track/{code}?secret=", t["http"])
    http(f"        GET {BARE_PATH} (bare Django)", t["bare"])
    say(f"{'        track / bare':44}{_pct(t['ratio_track_to_bare']):>11}{'':>53}{_pct(t['ratio_alone']):>9}")
    rep = report.get("reports")
    if rep:
        http("Reports GET province figures by commune", rep["dashboard"])
        http("        GET ranking of the communes", rep["ranking"])
        http(f"        GET {PAGE_PATH} (dashboard page)", rep["page"])
        say(
            f"{'        p50 vs tracking p50 (bar: < 10x)':44}"
            f"{_f(rep['dashboard_p50_over_track_p50'], 1):>9}x {_f(rep['ranking_p50_over_track_p50'], 1):>5}x"
            f" {_f(rep['page_p50_over_track_p50'], 1):>5}x"
        )
        say(
            f"{'        CPU per request vs tracking':44}"
            f"{_f(rep['dashboard_cpu_over_track_cpu'], 1):>9}x {_f(rep['ranking_cpu_over_track_cpu'], 1):>5}x"
            f" {_f(rep['page_cpu_over_track_cpu'], 1):>5}x"
        )
        one = rep["one_client_p50_ms"]
        say(
            f"{'        one client alone, p50 ms':44}{_f(one['dashboard'], 1):>9}  "
            f"{_f(one['ranking'], 1):>5}  {_f(one['page'], 1):>5}   (tracking {_f(one['tracking'], 2)} ms)"
        )
        d, r, p = (rep[f"{k}_alone_over_track_alone"] for k in ("dashboard", "ranking", "page"))
        say(f"{'        one client alone vs tracking':44}{_f(d, 1):>9}x {_f(r, 1):>5}x {_f(p, 1):>5}x")
    say("=" * width)
    say(
        "pgbench's latency is its average (it has no p50). CPU per request: the app's gunicorn processes and "
        "the"
    )
    say(
        "database's backends, sampled from /proc during the measured window. alone/s: cores / CPU per request"
    )
    say(
        "(app + postgres + load generator), what the machine would do for this run with nothing else running."
    )
    busy = max(r["cpu"]["busy_before_run"] for r in (i["http"], pg, t["http"], t["bare"]))
    others = max(
        r["cpu"]["cpu_s"]["other_processes"] / r["cpu"]["elapsed_s"]
        for r in (i["http"], pg, t["http"], t["bare"])
    )
    if busy > 0.15 or others > 0.3:
        say(
            f"WARNING: other work shared the machine (up to {busy:.0%} busy before a run, {others:.1f} cores "
            "used by "
            "other processes during one): these figures understate a quiet machine."
        )


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _ratio(a, b):
    return round(a / b, 4) if a and b else None


def _f(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


if __name__ == "__main__":
    extra = shlex.split(os.environ.get("BENCH_ARGS", ""))
    sys.exit(main(extra + sys.argv[1:]))
