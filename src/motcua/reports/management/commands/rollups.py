"""`motcua rollups rebuild [--center ID ...]` and `motcua rollups verify`."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.reports import rollups


class Command(BaseCommand):
    help = "Rebuild the report rollups from dossiers and events, or check them against a rebuild."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Recompute the rollups in one transaction (idempotent).")
        rebuild.add_argument(
            "--center",
            type=int,
            action="append",
            dest="centers",
            help="Only the rollups of this handling center (repeatable).",
        )
        verify = sub.add_parser("verify", help="Compare the stored rollups with a rebuild (reads only).")
        verify.add_argument("--center", type=int, action="append", dest="centers")

    def handle(self, *args, action, centers=None, **options):
        started = time.monotonic()
        if action == "rebuild":
            totals = rollups.rebuild(center_ids=centers)
            self.stdout.write(
                _(
                    "Rebuilt %(rows)s rollup rows and %(officers)s officer rows for %(centers)s centers "
                    "in %(seconds).1f s."
                )
                % {
                    "rows": totals["rows"],
                    "officers": totals["officer_rows"],
                    "centers": totals["centers"],
                    "seconds": time.monotonic() - started,
                }
            )
            return
        problems = rollups.differences(center_ids=centers)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(_("The rollups differ from a rebuild: run `motcua rollups rebuild`."))
        self.stdout.write(_("The rollups agree with the dossiers and events."))
