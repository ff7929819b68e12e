"""`uppsok import_ads --organisation SLUG FILE.jsonl`: the same rules as the web import.

Every line is checked first; with any error nothing is saved and the errors are listed per line.
Photos named in an ad's ``images`` (paths relative to the file, as `uppsok analyse` reads them) are
analysed by the engine; their features are stored, the photo itself only when the organisation
keeps photos.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from uppsok.accounts.models import Organisation
from uppsok.outreach.actions import do_import_ads
from uppsok.outreach.analysis_adapter import MAX_PHOTOS_PER_AD, PhotoRefused, read_photo
from uppsok.outreach.imports import parse_jsonl


def read_photos(path: Path, keep: bool) -> tuple[dict[str, list[Any]], list[tuple[int, str]]]:
    """The photos each ad of the file names, by the ad's id, and the problems per line."""
    base = path.resolve().parent
    found: dict[str, list[Any]] = {}
    errors: list[tuple[int, str]] = []
    text = path.read_bytes().decode("utf-8-sig", errors="replace")  # a bad file is reported by parse_jsonl
    for n, line in enumerate(text.splitlines(), start=1):
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if not isinstance(obj, dict) or not obj.get("images"):
            continue
        names = obj["images"]
        if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
            errors.append((n, "images ska vara en lista med sökvägar till bilder"))
            continue
        if len(names) > MAX_PHOTOS_PER_AD:
            errors.append((n, f"högst {MAX_PHOTOS_PER_AD} bilder per annons"))
            continue
        photos = []
        for name in names:
            photo = (base / name).resolve()
            if not photo.is_relative_to(base):
                errors.append((n, f"bilden {name} ligger utanför filens mapp"))
                continue
            try:
                photos.append(read_photo(photo, name, keep))
            except PhotoRefused as exc:
                errors.append((n, str(exc)))
        found[str(obj.get("id", "")).strip()] = photos
    return found, errors


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
        photos, photo_errors = read_photos(path, org.keep_ad_images)
        errors = sorted([*parsed.errors, *photo_errors])
        for line, msg in errors[:200]:
            self.stderr.write(f"rad {line}: {msg}")
        if errors:
            raise CommandError(f"{len(errors)} fel, inget sparades / {len(errors)} errors, nothing saved")
        for row in parsed.rows:
            row["_photos"] = photos.get(row["id"], [])
        if options["dry_run"]:
            self.stdout.write(f"OK: {len(parsed.rows)} annonser / ads (dry run)")
            return

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"{done}/{total}")

        created, updated, _ids = do_import_ads(None, org, parsed.rows, source="cli", progress=progress)
        self.stdout.write(f"Nya / new: {created}, uppdaterade / updated: {updated}")
