"""`relaydesk token create USER [--name N]` · `token list [USER]` · `token revoke ID`."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from relaydesk.api import tokens
from relaydesk.api.auth import api_user_problem
from relaydesk.api.models import ApiToken


class Command(BaseCommand):
    help = "API tokens: create one for a staff member (shown once), list them, revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Make a token for USER and print it once.")
        create.add_argument("username", metavar="USER")
        create.add_argument("--name", default="", help="What the token is for, e.g. 'CRM sync'.")
        listing = actions.add_parser("list", help="List tokens (only their prefixes).")
        listing.add_argument("username", metavar="USER", nargs="?")
        revoke = actions.add_parser("revoke", help="Revoke token ID; it stops working at once.")
        revoke.add_argument("token_id", metavar="ID", type=int)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "create":
            self.create(options["username"], options["name"])
        elif action == "list":
            self.list(options.get("username"))
        else:
            self.revoke(options["token_id"])

    def user_named(self, username: str) -> User:
        user = User.objects.filter(username=username).select_related("staff").first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        return user

    def create(self, username: str, name: str) -> None:
        user = self.user_named(username)
        problem = api_user_problem(user)
        if problem:
            raise CommandError(problem)
        if len(name) > 100:
            raise CommandError("Keep the token's name under 100 characters.")
        token, secret = tokens.create_token(user, name=name)
        self.stdout.write(f"Token {token.pk} for {user.username} ({token.name or 'unnamed'}):")
        self.stdout.write(secret)
        self.stdout.write(
            "Copy it now: it is stored only as a hash and cannot be shown again. "
            "Send it as 'Authorization: Bearer <token>'."
        )

    def list(self, username: str | None) -> None:
        listed = ApiToken.objects.select_related("user").order_by("id")
        if username:
            listed = listed.filter(user=self.user_named(username))
        rows = list(listed)
        if not rows:
            self.stdout.write("No tokens.")
            return
        self.stdout.write(f"{'ID':>5}  {'USER':<20} {'PREFIX':<13} {'NAME':<24} CREATED  LAST USED")
        for token in rows:
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.is_revoked else ""
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            line = (
                f"{token.pk:>5}  {token.user.username:<20} {token.prefix + '…':<13} "
                f"{(token.name or '-')[:24]:<24} {token.created_at:%Y-%m-%d %H:%M}  {used}  {state}"
            )
            self.stdout.write(line.rstrip())

    def revoke(self, token_id: int) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"There is no token {token_id}.")
        if tokens.revoke(token):
            self.stdout.write(
                f"Revoked token {token.pk} ({token.prefix}…) of {token.user.username}."
            )
        else:
            self.stdout.write(
                f"Token {token.pk} of {token.user.username} was already revoked "
                f"at {token.revoked_at:%Y-%m-%d %H:%M}."
            )
