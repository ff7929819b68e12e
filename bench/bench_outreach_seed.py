"""Seed a PostgreSQL database of its own with 1,000,000 ads and 200,000 contacts (issue 4).

Usage:
    .venv/bin/python bench/bench_outreach_seed.py [--ads 1000000] [--contacts 200000] [--other-ads 50000]
    .venv/bin/python bench/bench_outreach_seed.py --smoke     # 300 ads into uppsok_bench_smoke, for CI

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/uppsok_bench (uppsok_bench_smoke
with --smoke; an sqlite:///… URL works too, for the smoke run). The database is dropped and created
again, migrated with DJANGO_SETTINGS_MODULE=uppsok.settings.dev, then filled:

- organisation "bench-a" (the one measured): --ads ads on 8 sites in 30 towns over two years, one or
  two phones each, realistic groups of 2–20 ads sharing a phone (about 60 % of the ads; the rest stand
  alone), plus a few large rings (200 and 1,000 ads) to time the group page at its worst; 1–3
  sightings per ad; indicators (with evidence) on about 30 % of the ads; links between the ads of each
  group (a star round the group's first ad, both directions, as the engine writes them);
  --contacts contacts by 10 workers, 3,000 shifts, 2,000 do-not-contact entries.
- four other organisations with --other-ads ads each (so every query must filter by organisation).

Rows go in with PostgreSQL COPY (psycopg 3, `cursor.copy`; on SQLite with executemany). Timings are
printed per table. --smoke: 300 ads, 200 contacts, 50 ads per other organisation, 30 shifts, 20
do-not-contact entries and one small ring instead of the large ones.
Users: bench-ulla (outreach worker of bench-a, TOTP device) is the one bench_outreach_views logs in as.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _benchdb import database_url, is_sqlite, recreate_database, sqlite_path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SITES = ["rosasidan.ws", "escortguiden.se", "sexjobb.se", "sugardaters.com", "happyescorts.com",
         "rosalinje.se", "eurogirlsescort.com", "kontaktannonser.se"]
CITIES = ["Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås", "Örebro", "Linköping", "Helsingborg",
          "Jönköping", "Norrköping", "Lund", "Umeå", "Gävle", "Borås", "Södertälje", "Eskilstuna",
          "Halmstad", "Växjö", "Karlstad", "Sundsvall", "Östersund", "Trollhättan", "Luleå", "Kalmar",
          "Kristianstad", "Skövde", "Falun", "Karlskrona", "Visby", "Nyköping"]
CITY_WEIGHTS = [30, 18, 16, 6, 4, 4, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
NAMES = ["Anna", "Bella", "Sara", "Lina", "Nina", "Maria", "Elena", "Kim", "Vicky", "Sofia", "Mia", "Lola",
         "Jasmine", "Natalie", "Eva", "Julia", "Amy", "Diana", "Tina", "Lisa"]
TITLES = ["Ny i stan", "Söt och snäll", "Bara några dagar", "Ny i {c}", "Hot girl in {c}", "Massage {c}",
          "Välkommen", "Ring mig", "Sexig ny tjej", "Discreet meetings"]
TEXTS = [
    "Hej! Jag är ny i {c} och stannar bara några dagar. Ring {p}. {pr} kr/h.",
    "Hon är ny i stan och gör allt, även utan kondom. Ring {p}. {pr} kr.",
    "Sweet girl, new in town. Everything included. Call {p}. {pr} SEK/h.",
    "Massage och avslappning i {c}. Endast sms {p}.",
    "Söt tjej ny i {c}. Allt ingår, utan kondom. Pris {pr} kr. Tel {p}",
    "Jag tar emot hemma eller kommer till dig i {c}. {pr} kr/h. Sms {p}.",
]
INDICATORS = [("offers_everything", "allt ingår, utan kondom"), ("third_person", "Hon är ny i stan"),
              ("low_price", "500 kr"), ("shared_phone", "samma nummer i flera annonser"),
              ("moves_between_cities", "Göteborg → Malmö"), ("not_from_sweden", "new in town"),
              ("face_visible", "ansikte"), ("possible_minor", "ser mycket ung ut")]
STATUSES = ["new"] * 70 + ["reviewed"] * 18 + ["contacted"] * 7 + ["follow_up"] * 3 + ["closed"] * 2
CHANNELS = ["sms", "call", "site_chat", "other_app"]
RESPONSES = ["none"] * 55 + ["declined"] * 20 + ["no_further"] * 5 + ["interested"] * 15 + ["meeting"] * 5

NOW = datetime(2026, 1, 31, 20, 0, tzinfo=UTC)
SPAN_SECONDS = 730 * 86400
DB_URL = ""  # set by main() once --smoke is known


def log(msg: str, t0: float) -> None:
    print(f"  {msg:<48} {time.perf_counter() - t0:7.1f} s", flush=True)


@contextmanager
def bulk(cur, table: str, cols: str) -> Iterator[Callable[[tuple], None]]:
    """Yield a function that writes one row into `table`: COPY on PostgreSQL, executemany on SQLite."""
    if not is_sqlite(DB_URL):
        with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            yield copy.write_row
        return
    from django.apps import apps
    from django.db import connection

    # SQLite stores UUIDs as hex and datetimes as naive UTC text: let each model field prepare its value.
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    fields = {f.column: f for f in model._meta.concrete_fields}
    names = [c.strip() for c in cols.split(",")]
    preps = [(lambda v: v) if fields[c].get_internal_type() == "JSONField"  # the seed writes JSON text already
             else (lambda v, f=fields[c]: None if v is None else f.get_db_prep_save(f.to_python(v), connection))
             for c in names]
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(names))})"
    buf: list[tuple] = []

    def write(row: tuple) -> None:
        buf.append(tuple(prep(v) for prep, v in zip(preps, row, strict=True)))
        if len(buf) >= 5000:
            cur.executemany(sql, buf)
            buf.clear()

    yield write
    if buf:
        cur.executemany(sql, buf)


def _corpus_texts(path: str):  # noqa: ANN202 - an endless iterator of (title, text)
    """The titles and texts of a generated corpus (JSONL), read in turn and again from the start:
    an organisation whose ads hold the text features real ads have, for timing the text history."""
    while True:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                obj = json.loads(line)
                yield (obj.get("title") or "")[:300], obj.get("text") or ""


class Seeder:
    def __init__(self, rng: random.Random, texts: str | None = None) -> None:
        self.rng = rng
        self.phone_serial = 0
        # titles and texts taken in turn from a corpus file instead of the templates above
        self.texts = _corpus_texts(texts) if texts else None

    def new_phone(self) -> str:
        self.phone_serial += 1
        return f"+4670{self.phone_serial:07d}"

    def ads_for(self, org_id: str, n: int, big_rings: list[int], platforms: dict[str, str], worker_id: str | None):
        """Yield (ad row, phones, sightings, indicators, group members) in groups."""
        rng = self.rng
        sizes: list[int] = list(big_rings)
        planned = sum(sizes)
        while planned < n:
            # about 60 % of the ads end up in groups of 2–20, the rest stand alone
            size = 1 if rng.random() < 0.75 else rng.choice([2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 10, 12, 15, 20])
            sizes.append(size)
            planned += size
        total = 0
        for size in sizes:
            size = min(size, n - total)
            if size <= 0:
                break
            total += size
            phone = self.new_phone()
            home = rng.choices(CITIES, CITY_WEIGHTS)[0]
            base_t = rng.random() * SPAN_SECONDS
            group_key = ""
            members = []
            for _i in range(size):
                ad_id = str(uuid.uuid4())
                if size > 1 and not group_key:
                    group_key = "g-" + ad_id
                city = home if rng.random() < 0.6 else rng.choices(CITIES, CITY_WEIGHTS)[0]
                site = rng.choice(SITES)
                last = NOW - timedelta(seconds=max(0.0, base_t - rng.random() * 20 * 86400))
                first = last - timedelta(days=rng.randrange(0, 60))
                name = rng.choice(NAMES)
                price = rng.choice([500, 800, 1000, 1200, 1500, 2000, 2500, 3000])
                phones = [phone] if (size > 1 or rng.random() < 0.9) else []
                if rng.random() < 0.05:
                    phones.append(self.new_phone())
                shown_phone = phones[0] if phones else ""
                text = rng.choice(TEXTS).format(c=city, p=shown_phone.replace("+46", "0"), pr=price)
                title = rng.choice(TITLES).format(c=city)
                if self.texts is not None:
                    title, text = next(self.texts)
                inds = []
                if rng.random() < 0.3:
                    for code, ev in rng.sample(INDICATORS, rng.choice([1, 1, 2, 3])):
                        inds.append((code, ev))
                status = rng.choice(STATUSES)
                url = f"https://{site}/annons/{ad_id[:13]}"
                row = (
                    ad_id, org_id, NOW, NOW, "url:" + url, "", site, platforms.get(site), url, city, name,
                    name.casefold(), title, text, f"{price} kr", rng.randrange(19, 40),
                    "", rng.choice(["sv", "sv", "en"]), json.dumps([price]), first, last, rng.random() < 0.7,
                    status, group_key, len(inds), NOW, worker_id,
                )
                sightings = [(ad_id, last, city, site, "import")]
                for _ in range(rng.choice([0, 0, 1, 2])):
                    sightings.append((ad_id, last - timedelta(days=rng.randrange(1, 60)),
                                      rng.choices(CITIES, CITY_WEIGHTS)[0], site, "import"))
                members.append(ad_id)
                yield row, phones, sightings, inds, None
            if size > 1:
                yield None, None, None, None, members


AD_COLS = ("id, organisation_id, created_at, updated_at, fingerprint, external_id, site, platform_id, url, city, "
           "profile_name, profile_key, title, text, price, stated_age, nationality, language, prices_sek, "
           "first_seen, last_seen, still_active, status, group_key, indicator_count, analysed_at, created_by_id")


def seed_org(cur, seeder: Seeder, org_id: str, n: int, big_rings: list[int], platforms: dict[str, str],
             worker_id: str | None) -> tuple[list[str], int, int, int, int]:
    """COPY the ads of one organisation and their phones, sightings, indicators and links."""
    ad_ids: list[str] = []
    phones_rows: list[tuple] = []
    sight_rows: list[tuple] = []
    ind_rows: list[tuple] = []
    link_rows: list[tuple] = []
    t0 = time.perf_counter()
    with bulk(cur, "outreach_ad", AD_COLS) as write_ad:
        for row, phones, sightings, inds, members in seeder.ads_for(org_id, n, big_rings, platforms, worker_id):
            if row is None:
                hub = members[0]
                for other in members[1:]:
                    link_rows.append((org_id, hub, other, '["same_phone"]'))
                    link_rows.append((org_id, other, hub, '["same_phone"]'))
                continue
            write_ad(row)
            ad_ids.append(row[0])
            for p in phones:
                phones_rows.append((row[0], org_id, p))
            sight_rows.extend(sightings)
            for code, ev in inds:
                ind_rows.append((row[0], org_id, code, ev, "{}", "auto", "found", ""))
    log("    outreach_ad (generate + COPY)", t0)
    t0 = time.perf_counter()
    with bulk(cur, "outreach_adphone", "ad_id, organisation_id, e164") as write:
        for r in phones_rows:
            write(r)
    log("    outreach_adphone", t0)
    t0 = time.perf_counter()
    with bulk(cur, "outreach_sighting", "ad_id, seen_at, city, site, source") as write:
        for r in sight_rows:
            write(r)
    log("    outreach_sighting", t0)
    t0 = time.perf_counter()
    with bulk(cur, "outreach_adindicator",
              "ad_id, organisation_id, code, evidence, evidence_data, source, status, decision_reason") as write:
        for r in ind_rows:
            write(r)
    log("    outreach_adindicator", t0)
    t0 = time.perf_counter()
    with bulk(cur, "outreach_adlink", "organisation_id, from_ad_id, to_ad_id, reasons") as write:
        for r in link_rows:
            write(r)
    log("    outreach_adlink", t0)
    return ad_ids, len(phones_rows), len(sight_rows), len(ind_rows), len(link_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ads", type=int, help="ads of bench-a (default 1,000,000; 300 with --smoke)")
    parser.add_argument("--contacts", type=int, help="contacts of bench-a (default 200,000; 200 with --smoke)")
    parser.add_argument("--other-ads", type=int, help="ads of each of the 4 other organisations (default 50,000)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--texts", help="JSONL corpus whose titles and texts the ads take in turn "
                        "(default: a few templates, all stock phrases to the analysis)")
    parser.add_argument("--smoke", action="store_true", help="a few hundred rows into uppsok_bench_smoke (CI)")
    args = parser.parse_args()
    smoke = args.smoke
    args.ads = args.ads if args.ads is not None else (300 if smoke else 1_000_000)
    args.contacts = args.contacts if args.contacts is not None else (200 if smoke else 200_000)
    args.other_ads = args.other_ads if args.other_ads is not None else (50 if smoke else 50_000)
    n_shifts, n_blocks = (30, 20) if smoke else (3000, 2000)
    # The large rings time the group page at its worst; below 5,000 ads one ring of a twentieth stands in.
    big_rings = [r for r in (1000, 200, 200) if r <= args.ads // 5] or [max(2, args.ads // 20)]

    global DB_URL
    DB_URL = database_url("uppsok_bench", smoke)
    os.environ["DATABASE_URL"] = DB_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsok.settings.dev"
    sqlite = is_sqlite(DB_URL)

    t_all = time.perf_counter()
    print(f"database {DB_URL}")
    t0 = time.perf_counter()
    recreate_database(DB_URL)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    log("drop, create, migrate", t0)

    from django.db import connection, transaction
    from django.db.models import Count

    from tests.factories import make_org, make_user
    from uppsok.accounts.models import Role
    from uppsok.outreach.models import Ad, Platform

    rng = random.Random(args.seed)
    seeder = Seeder(rng, args.texts)
    t0 = time.perf_counter()
    org_a = make_org("bench-a", name="Bench Stödcentrum", municipality="Malmö")
    others = [make_org(f"bench-{c}", name=f"Bench {c.upper()}") for c in "bcde"]
    worker = make_user("bench-ulla", org_a, [Role.OUTREACH])
    colleagues = [make_user(f"bench-worker-{i}", org_a, [Role.OUTREACH], totp=False) for i in range(9)]
    workers = [str(worker.pk)] + [str(u.pk) for u in colleagues]
    platforms_by_org = {}
    for org in [org_a, *others]:
        platforms_by_org[org.pk] = {
            s: str(Platform.objects.create(organisation=org, name=s, address=s, covered=rng.random() < 0.8).pk)
            for s in SITES
        }
    log("organisations, users, platforms", t0)

    counts = {}
    # SQLite commits every INSERT on its own in autocommit mode; one transaction keeps the smoke run fast.
    with transaction.atomic() if sqlite else nullcontext(), connection.cursor() as cur:
        raw = cur.cursor  # the driver's cursor: psycopg 3's for .copy(), sqlite3's for executemany
        # Bulk load: skip the per-row foreign-key triggers (the generator only writes valid ids);
        # needs a superuser, which the bench database's postgres user is.
        if not sqlite:
            raw.execute("SET session_replication_role = replica")
        t0 = time.perf_counter()
        ids_a, *n = seed_org(raw, seeder, str(org_a.pk), args.ads, big_rings,
                             platforms_by_org[org_a.pk], str(worker.pk))
        counts["bench-a"] = (len(ids_a), *n)
        log(f"bench-a: {len(ids_a):,} ads + phones/sightings/indicators/links", t0)
        for org in others:
            t0 = time.perf_counter()
            ids, *n = seed_org(raw, seeder, str(org.pk), args.other_ads, [], platforms_by_org[org.pk], None)
            counts[org.slug] = (len(ids), *n)
            log(f"{org.slug}: {len(ids):,} ads", t0)

        t0 = time.perf_counter()
        shift_ids = []
        with bulk(raw, "outreach_shift", "id, organisation_id, created_at, updated_at, started_at, ended_at, "
                  "ads_reviewed, debrief_done, notes, created_by_id") as write:
            for _i in range(n_shifts):
                sid = str(uuid.uuid4())
                start = NOW - timedelta(seconds=rng.random() * SPAN_SECONDS)
                write((sid, str(org_a.pk), start, start, start, start + timedelta(hours=3),
                                rng.randrange(20, 200), rng.random() < 0.8, "", rng.choice(workers)))
                shift_ids.append(sid)
        with bulk(raw, "outreach_contact", "id, organisation_id, created_at, updated_at, ad_id, profile_name, "
                  "channel, contacted_at, worker_id, template_id, shift_id, response, sign_address_at_once, "
                  "sign_price_list, sign_no_condom_price, sign_silence, notes") as write:
            for _ in range(args.contacts):
                at = NOW - timedelta(seconds=rng.random() * SPAN_SECONDS)
                write((str(uuid.uuid4()), str(org_a.pk), at, at, rng.choice(ids_a), rng.choice(NAMES),
                                rng.choice(CHANNELS), at, rng.choice(workers), None, rng.choice(shift_ids),
                                rng.choice(RESPONSES), rng.random() < 0.1, rng.random() < 0.1,
                                rng.random() < 0.05, rng.random() < 0.1, ""))
        with bulk(raw, "outreach_donotcontact", "id, organisation_id, created_at, updated_at, kind, value, ad_id, "
                  "consent_to_keep, expires_at, recontact_after, created_by_id") as write:
            for i in range(n_blocks):
                write((str(uuid.uuid4()), str(org_a.pk), NOW, NOW, "phone", f"+4670{i * 37 + 11:07d}", None,
                                rng.random() < 0.3, NOW + timedelta(days=180), None, str(worker.pk)))
        log(f"{args.contacts:,} contacts, {n_shifts:,} shifts, {n_blocks:,} kontaktspärrar", t0)
        if not sqlite:
            raw.execute("SET session_replication_role = DEFAULT")

    # VACUUM cannot run inside a transaction block; Django autocommits here, so run it on its own.
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE" if sqlite else "VACUUM (ANALYZE)")
    log("ANALYZE" if sqlite else "VACUUM ANALYZE", t0)

    big = (
        Ad.objects.filter(organisation=org_a).exclude(group_key="").values("group_key")
        .annotate(n=Count("id")).order_by("-n")[:3]
    )
    print("\nrows (ads, phones, sightings, indicators, links):")
    for slug, c in counts.items():
        print(f"  {slug:<8} " + ", ".join(f"{x:,}" for x in c))
    print("largest groups in bench-a:", [(g["group_key"][:14], g["n"]) for g in big])
    if sqlite:
        print(f"database size: {sqlite_path(DB_URL).stat().st_size / 1e6:.1f} MB")
    else:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            print("database size:", cur.fetchone()[0])
    print(f"total {time.perf_counter() - t_all:.1f} s")


if __name__ == "__main__":
    main()
