"""Delete do-not-contact entries past the organisation's retention period (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from uppsok.outreach.actions import purge_do_not_contact


class Command(BaseCommand):
    help = "Raderar kontaktspärrar vars lagringstid har gått ut. / Deletes expired do-not-contact entries."

    def handle(self, *args: Any, **options: Any) -> None:
        n = purge_do_not_contact()
        self.stdout.write(f"Raderade kontaktspärrar / deleted entries: {n}")
