"""`uppsok purge [--dry-run]`: every retention rule for every organisation, as the scheduler's
daily job does; `--dry-run` counts what is due per rule and deletes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from uppsok.accounts.models import Organisation
from uppsok.core import retention


class Command(BaseCommand):
    help = ("Gallrar personuppgifter enligt organisationernas inställningar. / "
            "Purges personal data past each organisation's retention periods.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="räkna bara / count only, delete nothing")
        parser.add_argument("--organisation", help="en organisations kortnamn / one organisation's slug")
        parser.add_argument("--rule", action="append", choices=[r.key for r in retention.rules()],
                            help="bara den här regeln (kan upprepas) / only this rule (repeatable)")
        parser.add_argument("--date", help="som om i dag vore / as if today were YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        on = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        orgs = None
        if options["organisation"]:
            orgs = list(Organisation.objects.filter(slug=options["organisation"]))
            if not orgs:
                raise CommandError(f"Okänd organisation / unknown organisation: {options['organisation']}")
        outcomes = retention.run(on, organisations=orgs, keys=options["rule"], dry_run=options["dry_run"])
        totals: dict[str, int] = {}
        for outcome in outcomes:
            totals[outcome.rule.key] = totals.get(outcome.rule.key, 0) + outcome.rows
            if outcome.rows:
                self.stdout.write(f"  {outcome.organisation.slug}: {outcome.rule.key} {outcome.rows}")
        verb = "skulle gallras / would be purged" if options["dry_run"] else "gallrade / purged"
        for key, rows in totals.items():
            self.stdout.write(f"{key}: {rows} {verb}")
