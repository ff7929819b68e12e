from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from uppsok.core.demo import DEMO_PASSWORD, DEMO_USERS, create_demo_data, totp_secret_b32


class Command(BaseCommand):
    help = "Skapar demodata (två organisationer, ett nätverk, demoanvändare). Endast för utveckling."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.UPPSOK_DEMO_MODE:
            raise CommandError("Demodata skapas bara i utvecklingsläge. / Demo data is for development only.")
        ctx = create_demo_data()
        out = self.stdout
        out.write("")
        out.write("=" * 78)
        out.write("DEMO-KONTON (endast för demo – aldrig i produktion) / DEMO ACCOUNTS (demo only)")
        out.write(f"Lösenord för alla / password for all: {DEMO_PASSWORD}")
        out.write("Tvåfaktor: lägg in nyckeln i en autentiseringsapp, eller skriv ut aktuell kod med")
        out.write("  .venv/bin/uppsok totp_code USERNAME   (fungerar bara i utvecklingsläge / dev only)")
        for username, *_rest, roles in DEMO_USERS:
            role_text = ", ".join(f"{slug}:{role}" for slug, role in roles)
            out.write(f"  {username:<8} TOTP-nyckel {totp_secret_b32(ctx.users[username])}  ({role_text})")
        for note in ctx.notes:
            out.write(note)
        out.write("=" * 78)
