"""`motcua payments reconcile --date 2026-03-02 [--center AGENCY_CODE] [--format table|csv]`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.payments import reconcile


class Command(BaseCommand):
    help = "Payments: the daily reconciliation per center and collecting account."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("reconcile", help="Exit 1 when the sums of a day do not match.")
        rec.add_argument("--date", required=True, help="The day, YYYY-MM-DD (Vietnam time).")
        rec.add_argument("--center", action="append", help="Agency code of a center (repeatable).")
        rec.add_argument("--format", choices=["table", "csv"], default="table")

    def handle(self, *args, **options):
        try:
            day = date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(_("The date must be YYYY-MM-DD."), returncode=2) from None
        rows = reconcile.daily_rows(day, center_codes=options.get("center"))
        if options["format"] == "csv":
            self.stdout.write(reconcile.to_csv(rows), ending="")
        else:
            for r in rows:
                d = r.as_dict()
                self.stdout.write("\t".join(str(d[c]) for c in reconcile.COLUMNS))
        bad = reconcile.mismatched(rows)
        if bad:
            raise CommandError(
                _("%(count)d row(s) do not match: %(rows)s")
                % {"count": len(bad), "rows": "; ".join(f"{r.center} {r.account}" for r in bad)},
                returncode=1,
            )
