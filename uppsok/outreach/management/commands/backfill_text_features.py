"""Store the engine's text features (AdTextFeature) of ads analysed before they were kept.

An analysis finds earlier ads sharing a new ad's text only through these rows, so run this once
after upgrading, and with --all after a change to the engine's text features (`textfeatures.py`,
the template tokens in `text.py`): stored features from an older engine match nothing new.
Idempotent: each batch replaces the rows of its ads, and without --all ads that have rows are
skipped, so an interrupted run continues where it stopped. (An ad made only of stock phrases keeps
no rows, StockTextFeature stands for them, and a later run looks at it again: cheap.) --all also
forgets the organisation's stock phrases, which an older engine hashed differently; an interrupted
--all run must be started again with --all, since the ads it had not reached lost their rows of
those phrases.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Exists, OuterRef

from uppsok.accounts.models import Organisation
from uppsok.outreach.analysis_adapter import store_text_features
from uppsok.outreach.models import Ad, AdTextFeature, StockTextFeature

# Ads per transaction: a few hundred thousand feature rows, and an interruption loses little.
BATCH = 1000


class Command(BaseCommand):
    help = (
        "Sparar analysmotorns textdrag för annonser som saknar dem. / "
        "Stores the engine's text features of ads that lack them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true",
                            help="räkna om alla annonser / recompute every ad (after an engine change)")
        parser.add_argument("--organisation", help="bara denna organisation (slug) / only this organisation")
        parser.add_argument("--batch", type=int, default=BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = Organisation.objects.order_by("pk")
        if options["organisation"]:
            orgs = orgs.filter(slug=options["organisation"])
        total = 0
        t0 = time.perf_counter()
        for org in orgs:
            ads = Ad.objects.filter(organisation=org).order_by("pk")
            if options["all"]:
                StockTextFeature.objects.filter(organisation=org).delete()
            else:
                # by the ad alone: the (ad, feature) index answers it (the ad is the organisation's)
                ads = ads.exclude(Exists(AdTextFeature.objects.filter(ad=OuterRef("pk"))))
            last = None
            done = 0
            while True:
                page = ads if last is None else ads.filter(pk__gt=last)
                batch = list(page[: options["batch"]])
                if not batch:
                    break
                with transaction.atomic():
                    store_text_features(org, batch)
                last = batch[-1].pk
                done += len(batch)
            if done:
                self.stdout.write(f"{org.slug}: {done} annonser / ads")
            total += done
        self.stdout.write(f"Textdrag sparade för / text features stored for {total} annonser / ads "
                          f"({time.perf_counter() - t0:.1f} s)")
