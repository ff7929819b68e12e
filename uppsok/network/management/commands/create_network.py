"""Create a network and appoint its first coordinator (system administration, from the shell)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from uppsok.accounts.actions_onboarding import do_create_network
from uppsok.accounts.links import write_invitation
from uppsok.accounts.models import Organisation, User
from uppsok.core.errors import ActionError
from uppsok.network import actions
from uppsok.network.models import NetworkMembership, NetworkRole


class Command(BaseCommand):
    help = "Skapa ett nätverk och utse dess första samordnare. / Create a network and appoint its coordinator."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="nätverkets namn / the network's name")
        parser.add_argument("--slug", help="kortnamn (annars av namnet) / short name (default: from the name)")
        parser.add_argument("--area", default="", help="område / area")
        parser.add_argument("--coordinator", required=True,
                            help="användarnamn; ett nytt namn får en inbjudan / username; a new name is invited")
        parser.add_argument("--coordinator-email", default="", help="ny samordnares e-post / new coordinator's e-mail")
        parser.add_argument("--base-url", default="", help="t.ex. https://uppsok.example.se (annars UPPSOK_BASE_URL)")
        parser.add_argument("--member-organisation", action="append", default=[], metavar="SLUG",
                            help="en medlemsorganisation (kan upprepas) / a member organisation (repeatable)")
        parser.add_argument("--network-member", action="append", default=[], metavar="USERNAME",
                            help="en nätverksmedlem utan organisation (kan upprepas) / a network-only member")

    def handle(self, *args: Any, **options: Any) -> None:
        def user(username: str) -> User:
            found = User.objects.filter(username=username, is_active=True).first()
            if found is None:
                raise CommandError(f"Ingen aktiv användare heter {username!r}. / No active user {username!r}.")
            return found

        members = [user(u) for u in options["network_member"]]
        orgs = []
        for slug in options["member_organisation"]:
            org = Organisation.objects.filter(slug=slug).first()
            if org is None:
                raise CommandError(f"Ingen organisation har kortnamnet {slug!r}. / No organisation {slug!r}.")
            orgs.append(org)
        slug = options["slug"] or slugify(options["name"])[:60]
        if not slug:
            raise CommandError("Ange ett kortnamn med --slug. / Give a short name with --slug.")
        try:
            network, coordinator, link, token = do_create_network(
                None, name=options["name"], slug=slug, area=options["area"],
                coordinator_username=options["coordinator"], coordinator_email=options["coordinator_email"],
            )
        except ActionError as exc:
            raise CommandError(str(exc)) from exc
        for org in orgs:
            NetworkMembership.objects.get_or_create(network=network, organisation=org)
        for member in members:
            actions.do_appoint(None, network, member, NetworkRole.Role.MEMBER)
        self.stdout.write(f"Nätverket {network.name} ({network.slug}) är skapat, id {network.pk}. "
                          f"Samordnare: {coordinator.username}.")
        if link is not None:
            write_invitation(self, coordinator.username, link, token, options["base_url"])
