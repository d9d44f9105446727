from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.history import verify_all


class Command(BaseCommand):
    help = "Check every dossier's event hash chain; name each dossier whose history was altered (exit 1)."

    def handle(self, *args, **options):
        broken = 0
        for problem in verify_all():
            broken += 1
            where = f" at event {problem.seq}" if problem.seq else ""
            self.stderr.write(f"{problem.code}: {problem.problem}{where}")
        if broken:
            raise CommandError(f"{broken} dossier(s) with an altered history.", returncode=1)
        self.stdout.write("All dossier histories verify.")
