from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from uppsok.network.directory import load
from uppsok.network.models import DirectoryEntry


class Command(BaseCommand):
    help = "Läs in katalogens nationella uppgifter igen. / Reload the directory's shipped entries."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = load(DirectoryEntry)
        self.stdout.write(f"Katalogen: {created} nya, {updated} uppdaterade. / Directory: {created} new, {updated} updated.")
