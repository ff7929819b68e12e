from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from uppsok.cases.seeds import seed_routines
from uppsok.network.models import Network


class Command(BaseCommand):
    help = "Give a network the Helsingborg example routine and Stockholm's chain (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("network", help="slug of the network")

    def handle(self, *args: Any, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError("No such network")
        routines = seed_routines(network)
        self.stdout.write(f"{len(routines)} routine(s) present for {network.slug}.")
