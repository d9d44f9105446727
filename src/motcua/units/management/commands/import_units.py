from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.units import services


class Command(BaseCommand):
    help = "Import provinces and their communes from the vietnam-provinces package (official codes)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--province", action="append", help='Province code ("82") or name ("dong thap").')
        group.add_argument("--all", action="store_true", help="All 34 provinces and 3,321 communes.")

    def handle(self, *args, **options):
        try:
            chosen = None
            if options["province"]:
                chosen = [p for query in options["province"] for p in services.province_resolve(query)]
            result = services.units_import(provinces=chosen)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(
            _("Imported %(p)d province(s) and %(c)d commune(s).")
            % {"p": result.provinces, "c": result.communes}
        )
