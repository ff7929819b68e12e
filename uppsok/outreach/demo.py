"""Demo data for `make run`: a few hundred generated ads with groups, contacts and a do-not-contact entry.

Idempotent: does nothing when the main demo organisation already has ads.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from . import actions
from .drafts import FIRST_CONTACT_TEXT
from .models import Ad, MessageTemplate, Platform

PLATFORMS = [
    ("Rosasidan", Platform.Kind.ESCORT, "rosasidan.ws", "Konton stängs ibland."),
    ("Sex-tjejer", Platform.Kind.ESCORT, "sex-tjejer.com", ""),
    ("Sugardaters", Platform.Kind.SUGAR, "sugardaters.com", "Premiumkonto krävs för att skriva. Profilbild krävs."),
    ("Snapchat", Platform.Kind.SOCIAL, "snapchat.com", ""),
]
CITIES = ["Helsingborg", "Malmö", "Lund", "Göteborg", "Stockholm", "Kristianstad", "Halmstad"]
NAMES = ["Anna", "Bella", "Carmen", "Daria", "Elena", "Fiona", "Gina", "Hanna", "Irina", "Julia", "Kim", "Lola"]
TEXTS = [
    "Hon är ny i stan och gör allt, även utan kondom. Tillgänglig dygnet runt, incall & outcall. {p} kr/h.",
    "Hi, I am new in town. Sweet girl, {p} kr for one hour. Call me.",
    "Jag är en glad tjej som gillar att träffa nya vänner. {p} kr/h. Jag pratar engelska på mötet.",
    "Hon tar emot i lägenhet nära centralen. Prata inte med henne under mötet. {p} kr.",
    "Trevlig tjej, diskret. {p} kr/h. Endast sms.",
]


WORDS = (
    "mjuk varm glad söt ung ny trevlig diskret lugn rolig het vacker blond mörk smal kurvig naturlig ärlig "
    "lägenhet hotell centrum station kväll natt helg morgon massage dusch vin musik film kaffe promenad "
    "vänlig gullig leende ögon hår kropp stil klänning parfym resa sommar vinter hav skog stad by hamn"
).split()


def _blurb(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, 14))


def create_demo(ctx: Any) -> None:
    org = ctx.organisations.get("stodcentrum-syd")
    if org is None or Ad.objects.filter(organisation=org).exists():
        return
    alice = ctx.users.get("alice")
    rng = random.Random(4)  # noqa: S311 - demo data
    for name, kind, address, notes in PLATFORMS:
        Platform.objects.get_or_create(organisation=org, address=address, defaults={"name": name, "kind": kind, "notes": notes})
    MessageTemplate.objects.get_or_create(organisation=org, name="Första kontakt (metodstödet)", defaults={"body": FIRST_CONTACT_TEXT})
    now = timezone.now()
    rows = []
    n = 0
    # 60 "rings" of 1–8 ads sharing phones (serial numbers), profiles or text, moving between towns.
    for ring in range(60):
        size = rng.choice([1, 1, 2, 3, 4, 6, 8])
        base_phone = 700000000 + ring * 137000
        text = rng.choice(TEXTS) + " " + _blurb(rng)
        for k in range(size):
            n += 1
            seen = now - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
            rows.append({
                "id": f"demo-{n}",
                "seen_at": seen.isoformat(),
                "site": rng.choice(PLATFORMS[:3])[2],
                "url": f"https://{rng.choice(PLATFORMS[:3])[2]}/annons/{n}",
                "city": rng.choice(CITIES),
                "profile_name": f"{rng.choice(NAMES)} {ring}",
                "title": rng.choice(["Ny i stan", "Söt tjej", "New girl", "Diskret"]),
                "text": text.format(p=rng.choice([500, 800, 1500, 2000, 2500])),
                "phones": [f"0{base_phone + k}"],
                "price": "",
                "nationality": "",
                "age": rng.choice([None, 19, 22, 25, 17]) if k == 0 else None,
            })
    # independent ads until a few hundred in total
    while n < 300:
        n += 1
        seen = now - timedelta(days=rng.randint(0, 90))
        rows.append({
            "id": f"demo-{n}", "seen_at": seen.isoformat(), "site": rng.choice(PLATFORMS[:3])[2],
            "url": f"https://demo.example/annons/{n}", "city": rng.choice(CITIES),
            "profile_name": f"{rng.choice(NAMES)}{n}", "title": "Trevlig tjej",
            "text": _blurb(rng) + f" {rng.choice(CITIES)}.",
            "phones": [f"07{rng.randint(10000000, 99999999)}"], "price": "", "nationality": "", "age": None,
        })
    _c, _u, ids = actions.do_import_ads(alice, org, rows, source="demo", analyse_now=True)
    ads = list(Ad.objects.filter(organisation=org, pk__in=ids[:40]))
    responses = ["none", "none", "declined", "interested", "no_further", "meeting"]
    for i, ad in enumerate(ads[:30]):
        if actions.blocked_identities(org, ad):
            continue  # said no in an earlier run: the block holds, no new contact
        actions.do_log_contact(alice, org, ad, {
            "channel": "sms", "contacted_at": now - timedelta(days=i), "response": responses[i % len(responses)],
            "sign_price_list": i % 5 == 0, "profile_name": ad.profile_name,
        })
    blocked = ads[35]
    phone = blocked.phones.first()
    if phone is not None:
        actions.do_add_do_not_contact(alice, org, kind="phone", value=phone.e164, ad=blocked, consent_to_keep=True,
                                      recontact_after=(now + timedelta(days=90)).date())
    ctx.notes.append(f"Uppsök online: {len(rows)} demoannonser i {org.name}.")
