from django.core.management.base import BaseCommand, CommandError

from motcua.api.auth import token_create, token_revoke
from motcua.api.models import ApiToken
from motcua.core.errors import DomainError
from motcua.units.models import ServiceCenter, User


class Command(BaseCommand):
    help = (
        "Create or revoke API tokens: `motcua api-token create --username U [--name N] [--days D] "
        "[--center AGENCY_CODE] [--role ROLE] [--totp CODE]`, `revoke TOKEN`. Users who sign in with "
        "a second factor (leaders, administrators) need --totp with a current code of their app. "
        "`list [--username U]` shows tokens with scope, expiry and last use."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create")
        create.add_argument("--username", required=True)
        create.add_argument("--name", default="integration")
        create.add_argument("--days", type=int, default=None, help="lifetime in days (default 90)")
        create.add_argument("--center", default="", help="agency code of the one center the token acts in")
        create.add_argument("--role", default="", help="the one role the token acts with")
        create.add_argument("--totp", default="", help="a current code of the user's authenticator app")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("token")
        listing = sub.add_parser("list")
        listing.add_argument("--username", default="")

    def handle(self, *args, verb, **options):
        if verb == "list":
            return self._list(options["username"])
        if verb == "create":
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {options['username']!r}.", returncode=2)
            center = None
            if options["center"]:
                center = ServiceCenter.objects.filter(agency_code=options["center"]).first()
                if center is None:
                    raise CommandError(f"No center with agency code {options['center']!r}.", returncode=2)
            try:
                token = token_create(
                    user=user,
                    name=options["name"],
                    days=options["days"],
                    center=center,
                    role=options["role"],
                    otp_code=options["totp"],
                )
            except DomainError as exc:
                raise CommandError(exc.message, returncode=2) from None
            self.stdout.write(token)
        elif not token_revoke(token=options["token"]):
            raise CommandError("No such active token.", returncode=2)

    def _list(self, username: str) -> None:
        """Every token (or a user's): prefix, owner, name, scope, expiry, last use, revoked."""
        rows = ApiToken.objects.select_related("user", "center").order_by("user__username", "created_at")
        if username:
            rows = rows.filter(user__username=username)
        for row in rows:
            scope = " ".join(x for x in (row.center.agency_code if row.center else "", row.role) if x) or "-"
            self.stdout.write(
                "\t".join(
                    [
                        f"{row.prefix}…",
                        row.user.username,
                        row.name,
                        scope,
                        f"expires {row.expires_at:%Y-%m-%d %H:%M}" if row.expires_at else "expired",
                        f"last used {row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used",
                        "revoked" if row.revoked_at else "active",
                    ]
                )
            )
