from django.core.management.base import BaseCommand

from motcua.units.demo import DEMO_PASSWORD, demo_is_loaded, demo_load, demo_logins


class Command(BaseCommand):
    help = "Load the demo: province Đồng Tháp (82), three staffed centers, the demo catalog."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-new",
            action="store_true",
            help="Only load when the database has no demo yet (used by make run).",
        )

    def handle(self, *args, if_new, **options):
        if if_new and demo_is_loaded():
            logins = demo_logins()
            self.stdout.write("Demo already loaded; data kept.")
        else:
            logins = demo_load()
            self.stdout.write("Demo loaded.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<24} {login.role:<26} {login.where}")
