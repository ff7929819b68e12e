"""Create an organisation and invite its first admin (system administration, from the shell)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from uppsok.accounts.actions_onboarding import do_create_organisation
from uppsok.accounts.links import write_invitation
from uppsok.accounts.models import Organisation
from uppsok.core.errors import ActionError


class Command(BaseCommand):
    help = ("Skapa en organisation och bjud in dess första administratör; skriver ut en engångslänk. / "
            "Create an organisation and invite its first admin; prints a one-time link.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="organisationens namn / the organisation's name")
        parser.add_argument("--slug", help="kortnamn (annars av namnet) / short name (default: from the name)")
        parser.add_argument("--kind", required=True, choices=Organisation.Kind.values, help="typ / kind")
        parser.add_argument("--municipality", default="", help="kommun / municipality")
        parser.add_argument("--online-outreach", action="store_true",
                            help="gör uppsökande arbete online / does online outreach")
        parser.add_argument("--admin", required=True, metavar="USERNAME",
                            help="första administratörens användarnamn / the first admin's username")
        parser.add_argument("--admin-email", default="", help="administratörens e-post / the admin's e-mail")
        parser.add_argument("--base-url", default="", help="t.ex. https://uppsok.example.se (annars UPPSOK_BASE_URL)")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"] or slugify(options["name"])[:60]
        try:
            org, admin, link, token = do_create_organisation(
                None, name=options["name"], slug=slug, kind=options["kind"], municipality=options["municipality"],
                does_online_outreach=options["online_outreach"], admin_username=options["admin"],
                admin_email=options["admin_email"],
            )
        except ActionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Organisationen {org.name} ({org.slug}) är skapad. / The organisation is created.")
        write_invitation(self, admin.username, link, token, options["base_url"])

