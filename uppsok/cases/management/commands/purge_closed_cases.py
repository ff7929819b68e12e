from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from uppsok.accounts.models import Organisation
from uppsok.cases.retention import MODES, do_purge_closed_cases, due_for_purge


class Command(BaseCommand):
    help = ("Delete or anonymise closed cases whose retention period (per organisation) has ended "
            "(`uppsok purge` runs this rule with every other one; this command can also anonymise).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--mode", choices=MODES, default="delete")
        parser.add_argument("--organisation", help="slug of one organisation (default: all)")
        parser.add_argument("--date", help="act as if today were YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="only count what would go")

    def handle(self, *args: Any, **options: Any) -> None:
        on = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        org = None
        if options["organisation"]:
            org = Organisation.objects.filter(slug=options["organisation"]).first()
            if org is None:
                raise CommandError("No such organisation")
        if options["dry_run"]:
            orgs = [org] if org else Organisation.objects.all()
            count = sum(due_for_purge(o, on).count() for o in orgs)
            self.stdout.write(f"{count} closed case(s) would be purged ({options['mode']}).")
            return
        cases = persons = 0
        for one in [org] if org else Organisation.objects.order_by("slug"):
            counts = do_purge_closed_cases(one, on or timezone.localdate(), options["mode"])
            cases, persons = cases + counts["rows"], persons + counts["persons"]
        self.stdout.write(f"Purged {cases} case(s) and {persons} person(s) ({options['mode']}).")
