"""Invite a person: into an organisation with roles, into a network with a network role, or as a
system administrator. Prints the one-time link; the person sets their own password and TOTP."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from uppsok.accounts.actions_onboarding import (
    do_invite_member,
    do_invite_network_person,
    do_invite_system_admin,
)
from uppsok.accounts.links import write_invitation
from uppsok.accounts.models import Organisation, Role
from uppsok.core.errors import ActionError
from uppsok.network.models import Network, NetworkRole


class Command(BaseCommand):
    help = ("Bjud in en person och skriv ut en engångslänk. / Invite a person and print a one-time link. "
            "Exempel / examples: uppsok invite anna --organisation malmo-stad --role admin; "
            "uppsok invite per --network skane --network-role member; uppsok invite eva --system-admin")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", help="användarnamn / username")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--organisation", metavar="SLUG", help="organisationens kortnamn / organisation slug")
        where.add_argument("--network", metavar="SLUG", help="nätverkets kortnamn / network slug")
        where.add_argument("--system-admin", action="store_true", help="systemadministratör / system administrator")
        parser.add_argument("--role", action="append", default=[], choices=Role.values,
                            help="roll i organisationen (kan upprepas) / organisation role (repeatable)")
        parser.add_argument("--network-role", default=NetworkRole.Role.MEMBER, choices=NetworkRole.Role.values,
                            help="roll i nätverket / network role")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--base-url", default="", help="t.ex. https://uppsok.example.se (annars UPPSOK_BASE_URL)")

    def handle(self, *args: Any, **options: Any) -> None:
        person = {"username": options["username"], "first_name": options["first_name"],
                  "last_name": options["last_name"], "email": options["email"]}
        try:
            if options["organisation"]:
                org = Organisation.objects.filter(slug=options["organisation"]).first()
                if org is None:
                    raise CommandError(f"Ingen organisation har kortnamnet {options['organisation']!r}. / "
                                       "No such organisation.")
                if not options["role"]:
                    raise CommandError("Ange minst en --role. / Give at least one --role.")
                user, link, token = do_invite_member(None, org, roles=options["role"], **person)  # type: ignore[arg-type]
            elif options["network"]:
                network = Network.objects.filter(slug=options["network"]).first()
                if network is None:
                    raise CommandError(f"Inget nätverk har kortnamnet {options['network']!r}. / No such network.")
                user, link, token = do_invite_network_person(None, network, role=options["network_role"], **person)
            else:
                user, link, token = do_invite_system_admin(None, **person)
        except ActionError as exc:
            raise CommandError(str(exc)) from exc
        write_invitation(self, user.username, link, token, options["base_url"])
