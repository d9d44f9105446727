"""Outbox throughput: messages written in their causes' transactions, then delivered per second.

    .venv/bin/python bench/outbox.py                         # quick: 2,000 webhooks, SQLite in a temp dir
    .venv/bin/python bench/outbox.py --messages 20000 --workers 2 \\
        --db-url postgres://postgres@127.0.0.1:5432/motcua_bench_outbox   # `make bench`: PostgreSQL

A local receiver on 127.0.0.1 (port 0) answers every webhook with 200 and counts idempotency keys.
Steps: migrate a fresh database; enqueue N signed webhooks in transactions of 10 (as 10 dossier
events would); run `motcua notify drain` in `--workers` processes at once (SKIP LOCKED shares the
work on PostgreSQL; SQLite serializes claims); report messages/s for both, and check that every
message was delivered and applied once. A PostgreSQL database (its name must start with
motcua_bench) is created afresh, migrated, and dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BIN = Path(sys.executable).parent
MOTCUA = str(BIN / "motcua")


class Receiver:
    def __init__(self):
        self.keys: list[str] = []
        lock = threading.Lock()
        keys = self.keys

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    keys.append(self.headers.get("Idempotency-Key", ""))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--db-url", default=None, help="PostgreSQL database to create (dropped at the end)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="motcua-outbox-")
    env = {**os.environ, "MOTCUA_DATA_DIR": tmp, "MOTCUA_LOG_LEVEL": "ERROR"}
    if args.db_url:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import dbtools

        if not dbtools.db_name(args.db_url).startswith("motcua_bench"):
            parser.error("the database's name must start with motcua_bench (it is dropped and created)")
        dbtools.recreate_database(args.db_url)
        env["DATABASE_URL"] = args.db_url
    else:
        env.pop("DATABASE_URL", None)
    os.environ.update(env)
    subprocess.run([MOTCUA, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    try:
        result = run(args, env)
    finally:
        if args.db_url:
            from django.db import connections

            connections.close_all()
            dbtools.drop_database(args.db_url)
    print(json.dumps(result, indent=2))
    out = Path(__file__).resolve().parent / "results" / "outbox-latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


def run(args, env) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from motcua.notify.models import OutboxMessage, WebhookSubscription
    from motcua.units.models import Commune, Province, ServiceCenter

    receiver = Receiver()
    province, _ = Province.objects.get_or_create(
        code="82", defaults={"name": "Đồng Tháp", "division_type": "tỉnh", "codename": "dong_thap"}
    )
    commune, _ = Commune.objects.get_or_create(
        code="29242",
        defaults={
            "province": province,
            "name": "Xã Mỹ An Hưng",
            "division_type": "xã",
            "codename": "my_an_hung",
        },
    )
    center, _ = ServiceCenter.objects.get_or_create(
        agency_code="H82.29242.BENCH", defaults={"commune": commune, "name": "TTPVHCC (bench)"}
    )
    sub = WebhookSubscription.objects.create(center=center, url=receiver.url, secret="bench")
    try:
        return measure(args, env, center, sub, receiver)
    finally:
        OutboxMessage.objects.filter(key__startswith="bench:").delete()
        sub.delete()


def measure(args, env, center, sub, receiver) -> dict:
    from django.db import connection, transaction

    from motcua.notify.models import OutboxMessage, Status
    from motcua.notify.services import message_enqueue

    started = time.perf_counter()
    for first in range(0, args.messages, 10):
        with transaction.atomic():
            for n in range(first, min(first + 10, args.messages)):
                message_enqueue(
                    key=f"bench:{n}",
                    channel="webhook",
                    destination=f"webhook:{sub.pk}",
                    payload={"subscription": sub.pk, "event": {"n": n, "action": "receive"}},
                    center=center,
                    province_id="82",
                    order_key=f"webhook:{sub.pk}:{n // 5}",  # five events per dossier, in order
                )
    enqueue_seconds = time.perf_counter() - started
    connection.close()
    started = time.perf_counter()
    workers = [
        subprocess.Popen([MOTCUA, "notify", "drain", "--batch", "50"], env=env, stdout=subprocess.PIPE)
        for _ in range(args.workers)
    ]
    for worker in workers:
        worker.wait()
    # a worker that found the last rows held by another stops early: finish in process
    from motcua.notify import delivery

    delivery.drain()
    drain_seconds = time.perf_counter() - started
    delivered = OutboxMessage.objects.filter(key__startswith="bench:", status=Status.DELIVERED).count()
    return {
        "database": connection.vendor,
        "messages": args.messages,
        "workers": args.workers,
        "enqueued_per_second": round(args.messages / enqueue_seconds),
        "delivered_per_second": round(delivered / drain_seconds),
        "drain_seconds": round(drain_seconds, 2),
        "delivered": delivered,
        "lost": args.messages - delivered,
        "applied_twice": len(receiver.keys) - len(set(receiver.keys)),
    }


if __name__ == "__main__":
    main()
