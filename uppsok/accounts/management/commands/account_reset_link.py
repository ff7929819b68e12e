from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from uppsok.accounts.actions import do_issue_reset_link
from uppsok.accounts.models import AccountResetLink, User
from uppsok.core.errors import ActionError


class Command(BaseCommand):
    help = (
        "Skapar en engångslänk för nytt lösenord eller ny autentiseringsapp åt en person som arbetar i flera "
        "organisationer eller har en nätverksroll. Endast för Uppsöks driftansvariga, efter att personens "
        "identitet har kontrollerats utanför systemet."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--kind", choices=[AccountResetLink.Kind.PASSWORD, AccountResetLink.Kind.TWO_FACTOR], required=True)
        parser.add_argument("--base-url", default="", help="t.ex. https://uppsok.example.se")

    def handle(self, *args: Any, **options: Any) -> None:
        member = User.objects.filter(username__iexact=options["username"]).first()
        if member is None:
            raise CommandError("Ingen sådan användare. / No such user.")
        try:
            # No organisation: every organisation of the person gets the audit row and the person the notice.
            link, token = do_issue_reset_link(None, None, member, options["kind"])
        except ActionError as exc:
            raise CommandError(str(exc)) from exc
        path = reverse("accounts:reset_link", kwargs={"token": token})
        self.stdout.write(options["base_url"].rstrip("/") + path)
        self.stdout.write(f"giltig till / valid until {link.expires_at:%Y-%m-%d %H:%M %Z}")
