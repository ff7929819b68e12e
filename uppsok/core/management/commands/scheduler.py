from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from uppsok.core.health import beat
from uppsok.core.scheduler import run_due_jobs


class Command(BaseCommand):
    help = "Lägger återkommande jobb (gallring) i kön när de är på tur. / Enqueues recurring jobs when due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="En genomgång, sedan avsluta (för cron).")
        parser.add_argument("--interval", type=int, default=300, help="Sekunder mellan genomgångar.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            beat("scheduler")
            for name in run_due_jobs():
                self.stdout.write(f"köat / enqueued: {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
