"""`motcua catalog export FILE`, `motcua catalog import FILE`, `motcua catalog load-demo`.

The format comes from the file's extension (.json, .csv) or --format; FILE "-" means standard
output for export. A refused import prints every problem on stderr and exits with status 2.
"""

import sys

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog import exchange, services
from motcua.catalog.specs import CatalogFileError


class Command(BaseCommand):
    help = "Export or import the procedure catalog (JSON or CSV), or load the demo catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write the whole catalog to FILE.")
        export.add_argument("file", help='Path ending in .json or .csv, or "-" for standard output.')
        export.add_argument("--format", choices=exchange.FORMATS, dest="fmt")
        load = actions.add_parser(
            "import", help="Create or update procedure versions from FILE, all or nothing."
        )
        load.add_argument("file")
        load.add_argument("--format", choices=exchange.FORMATS, dest="fmt")
        actions.add_parser("load-demo", help="Load the shipped demo catalog (idempotent).")

    def handle(self, *args, action: str, **options) -> None:
        try:
            if action == "export":
                self._export(options["file"], options.get("fmt"))
            elif action == "import":
                self._report(services.catalog_import_file(path=options["file"], fmt=options.get("fmt")))
            else:
                self._report(services.catalog_load_demo())
        except CatalogFileError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            count = len(exc.problems)
            self.stderr.write(
                ngettext(
                    "Nothing was imported (%(count)d problem).",
                    "Nothing was imported (%(count)d problems).",
                    count,
                )
                % {"count": count}
            )
            raise SystemExit(2) from exc

    def _export(self, path: str, fmt: str | None) -> None:
        if path == "-":
            text, count = exchange.export_catalog(exchange.detect_format(path, fmt or "json"))
            # Written raw: the BOM and the line ends of the CSV must reach the pipe unchanged.
            sys.stdout.write(text)
            sys.stdout.flush()
            self.stderr.write(_("Procedure versions exported: %(count)d.") % {"count": count})
            return
        count = exchange.write_catalog_file(path, fmt=fmt)
        self.stdout.write(
            _("Procedure versions exported to %(path)s: %(count)d.") % {"path": path, "count": count}
        )

    def _report(self, report: services.ImportReport) -> None:
        self.stdout.write(
            _(
                "Procedure versions: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                "in %(fields)d fields."
            )
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "fields": len(report.fields),
            }
        )
