from django.core.management.base import BaseCommand, CommandError

from motcua.api.auth import token_create, token_revoke
from motcua.units.models import User


class Command(BaseCommand):
    help = "Create or revoke API tokens: `motcua api-token create --username U [--name N]`, `revoke TOKEN`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create")
        create.add_argument("--username", required=True)
        create.add_argument("--name", default="integration")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("token")

    def handle(self, *args, verb, **options):
        if verb == "create":
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {options['username']!r}.", returncode=2)
            self.stdout.write(token_create(user=user, name=options["name"]))
        elif not token_revoke(token=options["token"]):
            raise CommandError("No such active token.", returncode=2)
