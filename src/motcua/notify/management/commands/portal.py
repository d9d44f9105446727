"""`motcua portal reconcile --date 2026-03-02 [--province 82]`: compare the national portal's
look-up of every dossier that changed that day with ours; print the differences, exit 1 if any."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from motcua.notify.channels.portal import PortalUnavailable
from motcua.notify.reconcile import reconcile


class Command(BaseCommand):
    help = "National public service portal: reconcile a day's dossiers with the portal's look-up."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("reconcile", help="compare the portal's view of a day's dossiers with ours")
        rec.add_argument("--date", required=True, help="the day, YYYY-MM-DD (Vietnam time)")
        rec.add_argument("--province", default=None, help="province code (default: every province)")

    def handle(self, *args, **options):
        try:
            day = date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(f"Not a date: {options['date']!r} (use YYYY-MM-DD).") from None
        try:
            compared, differences = reconcile(day, province_id=options["province"])
        except (PortalUnavailable, OSError) as exc:
            raise CommandError(f"The portal did not answer: {exc}") from None
        for d in differences:
            self.stdout.write(f"{d.code}\t{d.field}\tours={d.ours!r}\tportal={d.portal!r}")
        self.stdout.write(f"{compared} dossiers compared, {len(differences)} differences.")
        if differences:
            raise SystemExit(1)
