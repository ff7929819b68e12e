"""Seed a PostgreSQL database for the load scenario (issue 11, part 6): 1,000,000 ads and 100,000
cases in three organisations, the 50 people the scenario logs in as, and the statistics' figures.

Usage:
    .venv/bin/python bench/load/seed.py                                  # full size into uppsok_load
    .venv/bin/python bench/load/seed.py --ads 10000 --cases 1000 --database uppsok_load_small

Database: postgres://postgres@127.0.0.1:5432/<--database> (or LOAD_DATABASE_URL), dropped and
created again, migrated with `uppsok.settings.dev`, then filled with `COPY` (psycopg 3; foreign-key
triggers off for the load with `session_replication_role = replica`, so the postgres superuser is
needed) and `VACUUM ANALYZE`d.

What is in it (split 70 / 20 / 10 % over the organisations load-a, load-b, load-c, all members of
one network):
- ads as the analysis leaves them: 8 sites, 30 towns (weighted), first/last seen over two years,
  five statuses, one phone (sometimes two) per ad, random numbers (not consecutive ones, which the
  engine's "serial number" rule would join into one giant group); about a third of the ads are in
  groups of 2–20 that share a phone, plus rings of 1,000, 200 and 200 ads in load-a; the group key
  is "g-" and the smallest ad id of the group, as `analysis_adapter._group_keys` makes it; links
  both ways round the group's first ad with the reason `same_phone`; 1–3 sightings per ad;
  indicators with evidence on about 30 % (a few confirmed or dismissed with a reason) and
  `indicator_count` matching them; contacts on about 3 % of the ads, shifts, do-not-contact entries.
  The ads' titles and texts are either templates or, with --texts FILE, taken in turn from a
  generated corpus (`bench/gen_corpus.py`).
- cases, each with its own pseudonymous person, 0–4 needs expressed at start (met or not at close
  for closed cases), 0–12 support activities, 0–3 indicator observations and a consent for a
  fifth of them; opened over five years, 60 % closed.
- 50 people (35 / 10 / 5 per organisation; outreach worker and caseworker, so every page of the
  scenario is theirs) and `load-importer` (outreach, load-a: the account that uploads the import
  during the run), each with a confirmed TOTP device whose key the seed chooses and writes, with the
  password, to the scenario file (--scenario, default bench/load/out/scenario.json) — plus the ids the
  scenario visits (a sample of ads, grouped ads and cases per organisation), and phones and profile
  names for the list's search.
- the statistics' monthly figures of every month that has records (`stats.figures.refresh` over the
  whole span, and the yearly figures), as the hourly refresh would have left them.

Not seeded: the analysis engine's text history (`AdTextFeature`) of the seeded ads (the analysis of
1,000,000 ads through the web app would take most of an hour on this machine; the import measured
during the run therefore finds no older text to link to), photos.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import secrets
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _benchdb import recreate_database  # noqa: E402
from bench_outreach_seed import (  # noqa: E402 - the outreach bench's vocabulary, so both benches look alike
    CHANNELS,
    CITIES,
    CITY_WEIGHTS,
    INDICATORS,
    NAMES,
    RESPONSES,
    SITES,
    STATUSES,
    TEXTS,
    TITLES,
)

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "load-scenario-password-1"  # noqa: S105 - a bench database's throwaway accounts
ORGS = [("load-a", "Stödcentrum Last A", "Malmö", 0.70, 35),
        ("load-b", "Föreningen Last B", "Göteborg", 0.20, 10),
        ("load-c", "Kommunen Last C", "Umeå", 0.10, 5)]
SAMPLE = 2000  # ids per organisation and kind written to the scenario file


def log(msg: str, t0: float) -> None:
    print(f"  {msg:<58} {time.perf_counter() - t0:7.1f} s", flush=True)


class Copier:
    """COPY rows into a model's table: columns from the model, so a row is a dict by field name."""

    def __init__(self, raw_cursor) -> None:  # noqa: ANN001 - psycopg's cursor
        self.cur = raw_cursor

    def copy(self, model, rows) -> int:  # noqa: ANN001
        # a serial id is left to the database
        fields = [f for f in model._meta.concrete_fields
                  if f.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField")]
        cols = ", ".join(f'"{f.column}"' for f in fields)
        names = [f.attname for f in fields]
        n = 0
        with self.cur.copy(f'COPY "{model._meta.db_table}" ({cols}) FROM STDIN') as cp:
            for row in rows:
                cp.write_row(tuple(row.get(name) for name in names))
                n += 1
        return n


def corpus_texts(path: str):  # noqa: ANN201 - an endless iterator of (title, text)
    while True:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                obj = json.loads(line)
                yield (obj.get("title") or "")[:300], obj.get("text") or ""


class Reservoir:
    def __init__(self, k: int, rng: random.Random) -> None:
        self.k, self.rng, self.items, self.seen = k, rng, [], 0

    def add(self, item) -> None:  # noqa: ANN001
        self.seen += 1
        if len(self.items) < self.k:
            self.items.append(item)
        else:
            j = self.rng.randrange(self.seen)
            if j < self.k:
                self.items[j] = item


def national(e164: str) -> str:
    """+46701234567 as people write it: 070-123 45 67."""
    d = "0" + e164[3:]
    return f"{d[:3]}-{d[3:6]} {d[6:8]} {d[8:]}"


def seed_ads(cp: Copier, rng: random.Random, org, n: int, rings: list[int], platforms: dict[str, object],
             workers: list[object], now: dt.datetime, texts, used_phones: set[str]) -> dict:
    """The organisation's ads with their phones, sightings, indicators and links; returns samples."""
    from uppsok.outreach.models import Ad, AdIndicator, AdLink, AdPhone, Contact, Shift, Sighting

    span = 730 * 86400
    sizes = list(rings)
    planned = sum(sizes)
    while planned < n:
        size = 1 if rng.random() < 0.75 else rng.choice([2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 10, 12, 15, 20])
        sizes.append(size)
        planned += size

    def new_phone() -> str:
        while True:
            p = f"+467{rng.choice('02369')}{rng.randrange(10_000_000):07d}"
            if p not in used_phones:
                used_phones.add(p)
                return p

    phones_rows: list[dict] = []
    sightings: list[dict] = []
    indicators: list[dict] = []
    links: list[dict] = []
    ad_sample, group_sample = Reservoir(SAMPLE, rng), Reservoir(SAMPLE, rng)
    phone_sample, profile_sample = Reservoir(200, rng), Reservoir(200, rng)
    contact_ads: list[tuple] = []
    indicator_count = 0

    def ads():
        nonlocal indicator_count
        total = 0
        for size in sizes:
            size = min(size, n - total)
            if size <= 0:
                return
            total += size
            ids = [uuid.uuid4() for _ in range(size)]
            hub = min(ids, key=str)
            key = "g-" + str(hub) if size > 1 else ""
            phone = new_phone()
            home = rng.choices(CITIES, CITY_WEIGHTS)[0]
            base_t = rng.random() * span
            for ad_id in ids:
                city = home if rng.random() < 0.6 else rng.choices(CITIES, CITY_WEIGHTS)[0]
                site = rng.choice(SITES)
                last = now - dt.timedelta(seconds=max(0.0, base_t - rng.random() * 20 * 86400))
                first = last - dt.timedelta(days=rng.randrange(0, 60))
                name = rng.choice(NAMES)
                price = rng.choice([500, 800, 1000, 1200, 1500, 2000, 2500, 3000])
                phones = [phone] if (size > 1 or rng.random() < 0.9) else []
                if rng.random() < 0.05:
                    phones.append(new_phone())
                shown = national(phones[0]) if phones else ""
                if texts is not None:
                    title, text = next(texts)
                else:
                    title = rng.choice(TITLES).format(c=city)
                    text = rng.choice(TEXTS).format(c=city, p=shown, pr=price)
                inds = rng.sample(INDICATORS, rng.choice([1, 1, 2, 3])) if rng.random() < 0.3 else []
                url = f"https://{site}/annons/{str(ad_id)[:13]}"
                worker = rng.choice(workers)
                for code, ev in inds:
                    status = rng.choices(["found", "confirmed", "dismissed"], [90, 7, 3])[0]
                    decided = status != "found"
                    indicators.append({
                        "ad_id": ad_id, "organisation_id": org.pk, "code": code, "evidence": ev,
                        "evidence_data": "{}", "source": "auto", "status": status,
                        "decided_by_id": worker if decided else None,
                        "decided_at": last if decided else None,
                        "decision_reason": "Stämmer inte med bilderna." if status == "dismissed" else "",
                    })
                indicator_count += len(inds)
                for p in phones:
                    phones_rows.append({"ad_id": ad_id, "organisation_id": org.pk, "e164": p})
                    phone_sample.add(p)
                sightings.append({"ad_id": ad_id, "seen_at": last, "city": city, "site": site, "source": "import"})
                for _ in range(rng.choice([0, 0, 1, 2])):
                    sightings.append({"ad_id": ad_id, "seen_at": last - dt.timedelta(days=rng.randrange(1, 60)),
                                      "city": rng.choices(CITIES, CITY_WEIGHTS)[0], "site": site, "source": "import"})
                ad_sample.add(str(ad_id))
                if key:
                    group_sample.add(str(ad_id))
                profile_sample.add(name)
                if rng.random() < 0.03:
                    contact_ads.append((ad_id, name, last))
                yield {
                    "id": ad_id, "organisation_id": org.pk, "created_at": first, "updated_at": last,
                    "fingerprint": "url:" + url, "external_id": "", "site": site, "platform_id": platforms[site],
                    "url": url, "city": city, "profile_name": name, "profile_key": name.casefold(), "title": title,
                    "text": text, "price": f"{price} kr", "stated_age": rng.randrange(19, 40), "nationality": "",
                    "language": rng.choice(["sv", "sv", "en"]), "prices_sek": json.dumps([price]),
                    "first_seen": first, "last_seen": last, "still_active": rng.random() < 0.7,
                    "status": rng.choice(STATUSES), "group_key": key, "indicator_count": len(inds),
                    "analysed_at": last, "created_by_id": None,
                }
            if size > 1:
                for other in ids:
                    if other != hub:
                        reasons = '["same_phone", "similar_text"]' if rng.random() < 0.3 else '["same_phone"]'
                        links.append({"organisation_id": org.pk, "from_ad_id": hub, "to_ad_id": other, "reasons": reasons})
                        links.append({"organisation_id": org.pk, "from_ad_id": other, "to_ad_id": hub, "reasons": reasons})

    t0 = time.perf_counter()
    n_ads = cp.copy(Ad, ads())
    log(f"{org.slug}: {n_ads:,} ads", t0)
    t0 = time.perf_counter()
    cp.copy(AdPhone, phones_rows)
    cp.copy(Sighting, sightings)
    cp.copy(AdIndicator, indicators)
    cp.copy(AdLink, links)
    log(f"{org.slug}: {len(phones_rows):,} phones, {len(sightings):,} sightings, {len(indicators):,} indicators, "
        f"{len(links):,} links", t0)
    t0 = time.perf_counter()
    shifts = []
    for _ in range(max(10, n // 500)):
        start = now - dt.timedelta(seconds=rng.random() * span)
        shifts.append({"id": uuid.uuid4(), "organisation_id": org.pk, "created_at": start, "updated_at": start,
                       "started_at": start, "ended_at": start + dt.timedelta(hours=3),
                       "ads_reviewed": rng.randrange(20, 200), "debrief_done": rng.random() < 0.8, "notes": "",
                       "created_by_id": rng.choice(workers)})
    cp.copy(Shift, shifts)
    shift_starts = sorted((s["started_at"], s["id"]) for s in shifts)

    def contacts():
        for ad_id, name, last in contact_ads:
            at = last - dt.timedelta(hours=rng.randrange(0, 72))
            i = bisect.bisect_right(shift_starts, (at, uuid.UUID(int=2**128 - 1))) - 1
            yield {"id": uuid.uuid4(), "organisation_id": org.pk, "created_at": at, "updated_at": at, "ad_id": ad_id,
                   "profile_name": name, "channel": rng.choice(CHANNELS), "contacted_at": at,
                   "worker_id": rng.choice(workers), "template_id": None,
                   "shift_id": shift_starts[i][1] if i >= 0 and rng.random() < 0.6 else None,
                   "response": rng.choice(RESPONSES), "sign_address_at_once": rng.random() < 0.1,
                   "sign_price_list": rng.random() < 0.1, "sign_no_condom_price": rng.random() < 0.05,
                   "sign_silence": rng.random() < 0.1, "notes": ""}

    n_contacts = cp.copy(Contact, contacts())
    log(f"{org.slug}: {len(shifts):,} shifts, {n_contacts:,} contacts", t0)
    return {"ads": ad_sample.items, "group_ads": group_sample.items, "phones": [national(p) for p in phone_sample.items],
            "profiles": sorted(set(profile_sample.items)), "n_ads": n_ads, "n_indicators": indicator_count}


def seed_cases(cp: Copier, rng: random.Random, org, n: int, workers: list[object], today: dt.date) -> dict:
    from uppsok.cases.models import (
        INDICATOR_CODES,
        ActivityKind,
        AgeBand,
        Case,
        CaseNeed,
        CaseOrigin,
        CaseStatus,
        Consent,
        ConsentKind,
        ExploitationType,
        GenderIdentity,
        IndicatorObservation,
        NeedArea,
        NeedMet,
        Person,
        PopulationGroup,
        SupportActivity,
    )

    types = list(ExploitationType.objects.values_list("pk", flat=True))
    persons: list[dict] = []
    needs: list[dict] = []
    activities: list[dict] = []
    observations: list[dict] = []
    consents: list[dict] = []
    sample = Reservoir(SAMPLE, rng)
    aliases = Reservoir(100, rng)
    first_names = ["Mira", "Ana", "Lena", "Joy", "Eva", "Rosa", "Ida", "Nadia", "Olga", "Sanna", "Vera", "Tess"]

    def cases():
        for i in range(n):
            opened = today - dt.timedelta(days=rng.randrange(0, 5 * 365))
            created = dt.datetime.combine(opened, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randrange(600))
            closed = rng.random() < 0.6 and opened < today - dt.timedelta(days=14)
            closed_on = min(today, opened + dt.timedelta(days=rng.randrange(14, 400))) if closed else None
            person_id, case_id = uuid.uuid4(), uuid.uuid4()
            alias = f"{rng.choice(first_names)} {i:06d}"
            aliases.add(alias.split()[0])
            persons.append({
                "id": person_id, "organisation_id": org.pk, "created_at": created, "updated_at": created, "alias": alias,
                "age_band": rng.choice(AgeBand.values), "gender_identity": rng.choice(GenderIdentity.values),
                "population_group": rng.choice(PopulationGroup.values),
                "languages": rng.choice(["svenska", "rumänska, engelska", "engelska", "ungerska", ""]),
                "real_name": "", "personal_number": "", "birth_date": None, "identity_note": "",
            })
            worker = rng.choice(workers)
            for area in rng.sample(NeedArea.values, rng.choice([0, 1, 2, 2, 3, 4])):
                needs.append({"id": uuid.uuid4(), "organisation_id": org.pk, "created_at": created, "updated_at": created,
                              "case_id": case_id, "area": area, "expressed_at_start": True,
                              "met_at_close": rng.choice(NeedMet.values) if closed else ""})
            last_day = closed_on or today
            for _ in range(rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 10, 12])):
                day = opened + dt.timedelta(days=rng.randrange(0, max(1, (last_day - opened).days + 1)))
                at = dt.datetime.combine(day, dt.time(13), tzinfo=dt.UTC)
                activities.append({"id": uuid.uuid4(), "organisation_id": org.pk, "created_at": at, "updated_at": at,
                                   "case_id": case_id, "kind": rng.choice(ActivityKind.values), "date": day,
                                   "duration_minutes": rng.choice([15, 30, 45, 60, 90, 120]),
                                   "note": "Stödsamtal, uppföljning nästa vecka." if rng.random() < 0.5 else "",
                                   "performed_by_id": rng.choice(workers)})
            for code in rng.sample(INDICATOR_CODES, rng.choice([0, 0, 1, 2, 3])):
                observations.append({"id": uuid.uuid4(), "organisation_id": org.pk, "created_at": created,
                                     "updated_at": created, "case_id": case_id, "code": code, "observed_on": opened,
                                     "recorded_by_id": worker})
            if rng.random() < 0.2:
                consents.append({"id": uuid.uuid4(), "organisation_id": org.pk, "created_at": created,
                                 "updated_at": created, "case_id": case_id, "kind": ConsentKind.SHARE_REFERRAL,
                                 "scope": "Sammanfattning av stödbehov", "to_whom": "Socialtjänsten",
                                 "to_organisation_id": None, "given_on": opened, "withdrawn_on": None,
                                 "recorded_by_id": worker})
            sample.add(str(case_id))
            yield {
                "id": case_id, "organisation_id": org.pk, "created_at": created, "updated_at": created,
                "person_id": person_id, "case_type_id": rng.choice(types), "origin": rng.choice(CaseOrigin.values),
                "status": CaseStatus.CLOSED if closed else CaseStatus.OPEN, "case_worker_id": worker,
                "opened_on": opened, "closed_on": closed_on, "close_note": "Målen uppnådda" if closed else "",
                "recontact_on": None, "next_meeting_at": None if closed else created + dt.timedelta(days=rng.randrange(1, 400)),
                "routine_id": None, "source_ad_id": None, "source_contact_id": None, "anonymised_at": None,
            }

    t0 = time.perf_counter()
    # cases first (the generator fills the other lists), persons after: the triggers are off
    n_cases = cp.copy(Case, cases())
    cp.copy(Person, persons)
    cp.copy(CaseNeed, needs)
    cp.copy(SupportActivity, activities)
    cp.copy(IndicatorObservation, observations)
    cp.copy(Consent, consents)
    log(f"{org.slug}: {n_cases:,} cases, {len(needs):,} needs, {len(activities):,} activities, "
        f"{len(observations):,} indicators, {len(consents):,} consents", t0)
    return {"cases": sample.items, "aliases": sorted(set(aliases.items)), "case_types": [str(t) for t in types],
            "n_cases": n_cases, "n_activities": len(activities)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ads", type=int, default=1_000_000, help="ads in all (default 1,000,000)")
    parser.add_argument("--cases", type=int, default=100_000, help="cases in all (default 100,000)")
    parser.add_argument("--users", type=int, default=50, help="people the scenario logs in as (default 50)")
    parser.add_argument("--database", default="uppsok_load", help="database name on 127.0.0.1 (default uppsok_load)")
    parser.add_argument("--texts", help="gen_corpus.py JSONL whose titles and texts the ads take in turn")
    parser.add_argument("--scenario", default=str(ROOT / "bench/load/out/scenario.json"))
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    url = os.environ.get("LOAD_DATABASE_URL") or f"{PG_SERVER}/{args.database}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsok.settings.dev"
    rng = random.Random(args.seed)
    t_all = time.perf_counter()
    timings: dict[str, float] = {}
    print(f"database {url}")
    t0 = time.perf_counter()
    recreate_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    log("drop, create, migrate", t0)
    timings["migrate_s"] = time.perf_counter() - t0

    from django.db import connection
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from uppsok.accounts.models import Membership, Organisation, Role, User
    from uppsok.network.models import Network, NetworkMembership
    from uppsok.outreach.models import DoNotContact, Platform
    from uppsok.stats import figures

    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    t0 = time.perf_counter()
    network = Network.objects.create(name="Lastnätverket", slug="load-net", area="Skåne")
    orgs, people, importer = [], [], None
    shares = [s for *_x, s, _u in ORGS]
    user_counts = [round(args.users * u / 50) for *_x, u in ORGS]
    user_counts[0] += args.users - sum(user_counts)
    for (slug, name, town, _share, _u), n_users in zip(ORGS, user_counts, strict=True):
        org = Organisation.objects.create(
            slug=slug, name=name, municipality=town, kind=Organisation.Kind.CIVIL_SOCIETY, does_online_outreach=True,
            # the seeded span stays inside what retention keeps (ads two years, closed cases five)
            ad_retention_months=24, contact_retention_months=24, shift_retention_months=24,
            closed_case_retention_months=60,
        )
        NetworkMembership.objects.create(network=network, organisation=org)
        orgs.append(org)
        for i in range(n_users):
            people.append((org, f"{slug}-worker-{i:02d}"))
    accounts = []
    password_hash = make_password(PASSWORD)  # one Argon2 hash for all: hashing 51 times takes 20 s
    for org, username in [*people, (orgs[0], "load-importer")]:
        user = User.objects.create(username=username, password=password_hash, first_name=username.split("-")[-1].title())
        roles = [Role.OUTREACH] if username == "load-importer" else [Role.OUTREACH, Role.CASEWORKER]
        for role in roles:
            Membership.objects.create(user=user, organisation=org, role=role)
        key = secrets.token_hex(20)
        TOTPDevice.objects.create(user=user, name="load", confirmed=True, key=key)
        entry = {"username": username, "password": PASSWORD, "totp_key_hex": key, "organisation": org.slug}
        if username == "load-importer":
            importer = entry
        else:
            accounts.append(entry)
    platforms = {org.pk: {s: Platform.objects.create(organisation=org, name=s, address=s, covered=rng.random() < 0.8).pk
                          for s in SITES} for org in orgs}
    log(f"organisations, network, {len(accounts) + 1} people with TOTP, platforms", t0)
    timings["people_s"] = time.perf_counter() - t0

    workers_of = {org.pk: list(Membership.objects.filter(organisation=org, role=Role.CASEWORKER)
                               .values_list("user_id", flat=True)) for org in orgs}
    texts = corpus_texts(args.texts) if args.texts else None
    used_phones: set[str] = set()
    per_org: dict[str, dict] = {}
    ad_counts = [int(args.ads * s) for s in shares]
    ad_counts[0] += args.ads - sum(ad_counts)
    case_counts = [int(args.cases * s) for s in shares]
    case_counts[0] += args.cases - sum(case_counts)
    t_ads = t_cases = 0.0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("SET session_replication_role = replica")
        cp = Copier(raw)
        for org, n_ads, n_cases in zip(orgs, ad_counts, case_counts, strict=True):
            rings = [r for r in (1000, 200, 200) if r <= n_ads // 5] if org is orgs[0] else []
            t0 = time.perf_counter()
            out = seed_ads(cp, rng, org, n_ads, rings, platforms[org.pk], workers_of[org.pk], now, texts, used_phones)
            t_ads += time.perf_counter() - t0
            t0 = time.perf_counter()
            out.update(seed_cases(cp, rng, org, n_cases, workers_of[org.pk], today))
            t_cases += time.perf_counter() - t0
            per_org[org.slug] = out
            blocks = [{"id": uuid.uuid4(), "organisation_id": org.pk, "created_at": now, "updated_at": now,
                       "kind": "phone", "value": f"+4670{rng.randrange(10_000_000):07d}", "ad_id": None,
                       "consent_to_keep": rng.random() < 0.3, "expires_at": now + dt.timedelta(days=180),
                       "recontact_after": None, "created_by_id": rng.choice(workers_of[org.pk])}
                      for _ in range(max(5, n_ads // 500))]
            cp.copy(DoNotContact, {b["value"]: b for b in blocks}.values())
        raw.execute("SET session_replication_role = DEFAULT")
    timings["ads_s"], timings["cases_s"] = t_ads, t_cases

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
    log("VACUUM ANALYZE", t0)
    timings["vacuum_s"] = time.perf_counter() - t0

    # the statistics: every month with records, as the hourly refresh would have kept them
    t0 = time.perf_counter()
    first = figures.add_months(figures.month_start(today), -61)
    end = figures.add_months(figures.month_start(today), 1)
    rows = 0
    for org in orgs:
        rows += figures.refresh(org, first, end)
        for year in range(first.year, today.year + 1):
            rows += figures.refresh_yearly(org, year)
    log(f"statistics figures refreshed ({rows:,} rows, {first:%Y-%m} to {today:%Y-%m})", t0)
    timings["figures_s"] = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        cur.execute("SELECT pg_database_size(current_database())")
        size = cur.fetchone()[0]

    total = time.perf_counter() - t_all
    scenario = {
        "database_url": url, "seeded_at": now.isoformat(), "seed_seconds": round(total, 1),
        "database_bytes": size, "ads": args.ads, "cases": args.cases,
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "network": str(network.pk), "users": accounts, "importer": importer,
        "sites": SITES, "cities": CITIES,
        "organisations": {slug: {k: v for k, v in o.items()} for slug, o in per_org.items()},
    }
    Path(args.scenario).parent.mkdir(parents=True, exist_ok=True)
    Path(args.scenario).write_text(json.dumps(scenario, indent=1))
    print(f"scenario file {args.scenario}")
    for slug, o in per_org.items():
        print(f"  {slug}: {o['n_ads']:,} ads ({o['n_indicators']:,} indicators), {o['n_cases']:,} cases "
              f"({o['n_activities']:,} activities)")
    print(f"database size {size / 1e6:,.0f} MB; seeding took {total:.1f} s in all")


if __name__ == "__main__":
    main()
