"""`motcua restore FILE [--force]`: restore a `motcua backup` archive into an empty database and
media folder, then check every dossier's history and every file's SHA-256 (exit 1 on a problem)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.ops.backup import BackupError, backup_restore, verify_restored


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database, then verify histories and file hashes."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Restore over a database that has tables.")

    def handle(self, *args, archive, force, **options):
        try:
            problems = backup_restore(archive_path=Path(archive), force=force)
        except (BackupError, FileNotFoundError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        check = verify_restored()
        problems += check.problems
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Restored with {len(problems)} problem(s).", returncode=1)
        self.stdout.write(
            f"Restored and verified: {check.dossiers} dossier histories, {check.files} file(s) by SHA-256."
        )
