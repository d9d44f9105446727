"""`motcua backup [--output FILE]`: the database and uploaded files in one consistent archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite online backup) and the uploaded files into one .tar."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Archive file (default: $MOTCUA_DATA_DIR/backups/motcua-YYYYmmdd-HHMMSS.tar).",
        )

    def handle(self, *args, output=None, **options):
        if not output:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.DATA_DIR) / "backups" / f"motcua-{stamp}.tar"
        try:
            manifest = backup_create(output=Path(output))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(f"{output}: {manifest['engine']} database and {len(manifest['files'])} file(s).")
