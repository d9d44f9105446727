"""`motcua purge-drafts`: delete expired drafts of online filings and their uploaded files."""

from django.core.management.base import BaseCommand

from motcua.portal.services import draft_purge_expired


class Command(BaseCommand):
    help = "Delete expired drafts of online filings and their files (run daily)."

    def handle(self, *args, **options):
        count = draft_purge_expired()
        self.stdout.write(f"{count} expired draft(s) deleted.")
