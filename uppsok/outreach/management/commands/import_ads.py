"""`uppsok import_ads --organisation SLUG FILE.jsonl`: the same rules as the web import.

Every line is checked first; with any error nothing is saved and the errors are listed per line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from uppsok.accounts.models import Organisation
from uppsok.outreach.actions import do_import_ads
from uppsok.outreach.imports import parse_jsonl


class Command(BaseCommand):
    help = "Importerar annonser (JSON Lines). / Imports ads (JSON Lines)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="organisationens kortnamn / slug")
        parser.add_argument("--dry-run", action="store_true", help="kontrollera bara / check only")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"Okänd organisation / unknown organisation: {options['organisation']}") from exc
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Filen finns inte / no such file: {path}")
        parsed = parse_jsonl(path.read_bytes())
        for line, msg in parsed.errors[:200]:
            self.stderr.write(f"rad {line}: {msg}")
        if parsed.errors:
            raise CommandError(
                f"{len(parsed.errors)} fel, inget sparades / {len(parsed.errors)} errors, nothing saved"
            )
        if options["dry_run"]:
            self.stdout.write(f"OK: {len(parsed.rows)} annonser / ads (dry run)")
            return

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"{done}/{total}")

        created, updated, _ids = do_import_ads(None, org, parsed.rows, source="cli", progress=progress)
        self.stdout.write(f"Nya / new: {created}, uppdaterade / updated: {updated}")
