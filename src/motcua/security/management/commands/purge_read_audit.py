from django.core.management.base import BaseCommand

from motcua.security.services import purge_expired_read_audit, read_audit_days


class Command(BaseCommand):
    help = (
        "Delete read-audit rows older than MOTCUA_READ_AUDIT_DAYS (default 365). The worker's scheduler "
        "calls motcua.security.services.purge_expired_read_audit() daily; this runs it by hand."
    )

    def handle(self, *args, **options):
        removed = purge_expired_read_audit()
        self.stdout.write(f"{removed} read-audit rows older than {read_audit_days()} days deleted.")
