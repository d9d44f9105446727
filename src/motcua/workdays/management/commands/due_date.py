"""`motcua due-date --received 2026-02-13T10:00+07:00 --limit "3 working days" [--unit CODE]`."""

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.workdays import selectors
from motcua.workdays.core import format_instant
from motcua.workdays.inputs import parse_limit, parse_received


class Command(BaseCommand):
    help = "Print the instant a time limit counted from a receipt runs out (ISO 8601, +07:00)."
    # Scripts parse the single output line; system check warnings would only add noise and time.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--received", required=True, help="Receipt instant, e.g. 2026-02-13T10:00+07:00.")
        parser.add_argument(
            "--limit",
            required=True,
            help='"same day", "N working days", "N working hours" or "N calendar days".',
        )
        parser.add_argument(
            "--unit",
            help="Service center agency code, commune code (5 digits) or province code (2 digits).",
        )

    def handle(self, *args, **options):
        try:
            instant = selectors.due_date(
                received=parse_received(options["received"]),
                limit=parse_limit(options["limit"]),
                unit=options["unit"],
            )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(format_instant(instant))
