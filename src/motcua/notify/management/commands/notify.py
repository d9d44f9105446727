"""`motcua notify drain`: deliver the due outbox messages now (the worker runs the same drain as a
task). `--loop` keeps draining until nothing is due; `--now` runs on a simulated clock that starts
at the given instant and advances with real time (for tests and drills)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError

from motcua.notify import delivery


class Command(BaseCommand):
    help = "Outbox: deliver the due messages."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        drain = sub.add_parser("drain", help="deliver the messages due now")
        drain.add_argument("--now", default=None, help="start of a simulated clock (ISO 8601 with offset)")
        drain.add_argument("--batch", type=int, default=None)

    def handle(self, *args, **options):
        clock = None
        if options["now"]:
            try:
                start = datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError("--now must be an ISO 8601 instant with its offset.") from None
            if start.tzinfo is None:
                raise CommandError("--now must carry its offset, e.g. +07:00.")
            began = time.monotonic()

            def clock():
                return start + timedelta(seconds=time.monotonic() - began)

        stats = delivery.drain(clock=clock, limit=options["batch"])
        self.stdout.write(f"delivered={stats.delivered} failed={stats.failed} deferred={stats.deferred}")
