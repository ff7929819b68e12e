"""Delete do-not-contact entries past their expiry: the retention rule `do_not_contact` alone
(`uppsok purge` runs every rule)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from uppsok.core import retention


class Command(BaseCommand):
    help = "Raderar kontaktspärrar vars lagringstid har gått ut. / Deletes expired do-not-contact entries."

    def handle(self, *args: Any, **options: Any) -> None:
        n = sum(outcome.rows for outcome in retention.run(keys=["do_not_contact"]))
        self.stdout.write(f"Raderade kontaktspärrar / deleted entries: {n}")
