from django.core.management.base import BaseCommand

from motcua.dossiers.transfers import dossiers_transfer_due


class Command(BaseCommand):
    help = (
        "Transfer for processing the paper dossiers still at the counter whose time has come "
        "(same working day, or the next morning when received after the cut-off). Idempotent: "
        "run it every few minutes from cron or the task worker's schedule."
    )

    def handle(self, *args, **options):
        run = dossiers_transfer_due()
        for code in run.transferred:
            self.stdout.write(f"transferred {code}")
        for code, message in run.failed:
            self.stderr.write(f"not transferred {code}: {message}")
        self.stdout.write(f"{len(run.transferred)} transferred, {len(run.failed)} refused")
