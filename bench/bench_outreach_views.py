"""Server time of the outreach ad list, phone search and group page on the seeded PostgreSQL database.

Usage:
    .venv/bin/python bench/bench_outreach_seed.py        # once: 1,000,000 ads, 200,000 contacts
    .venv/bin/python bench/bench_outreach_views.py [--runs 9] [--explain] [--json bench/out/outreach_views.json]
    .venv/bin/python bench/bench_outreach_views.py --smoke    # after `bench_outreach_seed.py --smoke`: one run

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/uppsok_bench (uppsok_bench_smoke
with --smoke; SQLite works for the smoke run; settings uppsok.settings.dev with DEBUG off). Each request goes through Django's test client in this process:
the whole middleware stack (session, two-factor, organisation, deny-by-default), the view's queries,
the template and, for personal data, the audit row — i.e. server time without the network. The
worker bench-ulla of organisation bench-a is logged in the way tests/factories.py `login()` does it
(session with the active organisation and the TOTP device id). Every page is fetched twice to warm
up, then --runs times; the median and p90 in ms and the number of SQL queries are printed.
--smoke fetches each page once untimed and once timed (no warm-up) and judges no timing: it only
checks that every page still answers 200.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from _benchdb import database_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("UPPSOK_DB_CONN_MAX_AGE", "600")
LIMIT_MS = 300.0


def pages(org, ads_qs, n_contacts: int) -> list[tuple[str, str]]:
    """(label, path) of the pages measured, picked from the seeded data."""
    from django.db.models import Count
    from django.urls import reverse

    from uppsok.outreach.models import AdPhone

    lst = reverse("outreach:ad_list")
    groups = list(
        ads_qs.exclude(group_key="").values("group_key").annotate(n=Count("id")).order_by("-n")[:3]
    )
    biggest = groups[0]["group_key"]
    ring_ad = ads_qs.filter(group_key=biggest).order_by("pk").first()
    twenty = (
        ads_qs.exclude(group_key="").values("group_key").annotate(n=Count("id")).filter(n=20).order_by("group_key").first()
    )
    twenty_ad = ads_qs.filter(group_key=twenty["group_key"]).order_by("pk").first() if twenty else ring_ad
    ring_phone = AdPhone.objects.filter(ad=ring_ad).values_list("e164", flat=True).first()
    small_phone = AdPhone.objects.filter(ad=twenty_ad).values_list("e164", flat=True).first()
    national = "0" + ring_phone[3:5] + "-" + ring_phone[5:8] + " " + ring_phone[8:10] + " " + ring_phone[10:]
    out = [
        ("list: no filter (newest first)", lst),
        ("list: site", lst + "?site=rosasidan.ws"),
        ("list: city", lst + "?city=Stockholm"),
        ("list: city, most indicators first", lst + "?city=Malm%C3%B6&sort=-indicator_count"),
        ("list: indicator", lst + "?indicator=offers_everything"),
        ("list: rare indicator + rare city", lst + "?indicator=possible_minor&city=Visby"),
        ("list: date range (one month)", lst + "?date_from=2025-06-01&date_to=2025-06-30"),
        ("list: status", lst + "?status=follow_up"),
        ("list: status + city + date, oldest first",
         lst + "?status=contacted&city=G%C3%B6teborg&date_from=2025-01-01&date_to=2025-12-31&sort=last_seen"),
        ("list: site + indicator + status", lst + "?site=sexjobb.se&indicator=third_person&status=new"),
        ("list: sorted by town, page 20", lst + "?sort=city&sida=20"),
        (f"search: phone of the {groups[0]['n']:,}-ad ring", lst + "?q=" + national.replace(" ", "+")),
        ("search: phone of a 20-ad group", lst + "?q=" + small_phone.replace("+", "%2B")),
        ("search: profile name", lst + "?q=Bella"),
        (f"group page: {groups[0]['n']} ads", reverse("outreach:ad_group", kwargs={"ad_id": ring_ad.pk})),
        ("group page: 20 ads", reverse("outreach:ad_group", kwargs={"ad_id": twenty_ad.pk})),
        (f"ad detail (ad in the {groups[0]['n']:,}-ad ring)", reverse("outreach:ad_detail", kwargs={"ad_id": ring_ad.pk})),
        ("outreach overview (counts)", reverse("outreach:overview")),
        (f"contact list ({n_contacts:,} contacts)", reverse("outreach:contact_list")),
    ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="timed runs per page (default 9; 1 with --smoke)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of each page")
    parser.add_argument("--only", default="", help="measure only pages whose label contains this")
    parser.add_argument("--json", default="", help="write the results here")
    parser.add_argument("--smoke", action="store_true", help="one run per page on uppsok_bench_smoke (CI)")
    args = parser.parse_args()
    args.runs = args.runs if args.runs is not None else (1 if args.smoke else 9)
    warmups = 0 if args.smoke else 2
    db_url = database_url("uppsok_bench", args.smoke)
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsok.settings.dev"

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.factories import login
    from uppsok.accounts.models import Organisation, User
    from uppsok.outreach.models import Ad

    org = Organisation.objects.get(slug="bench-a")
    user = User.objects.get(username="bench-ulla")
    ads_qs = Ad.objects.filter(organisation=org)
    client = login(Client(HTTP_HOST="localhost"), user, org)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        cur.execute("SELECT version()" if postgres else "SELECT 'SQLite ' || sqlite_version()")
        pg_version = cur.fetchone()[0].split(" on ")[0]
        cur.execute("SELECT count(*) FROM outreach_ad")
        n_all = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM outreach_contact")
        n_contacts = cur.fetchone()[0]
    n_org = ads_qs.count()
    print(f"{pg_version}; ads {n_all:,} (bench-a {n_org:,}); contacts {n_contacts:,}; runs {args.runs}")
    print(f"{'page':<44} {'median':>8} {'p90':>8} {'min':>8} {'queries':>8}")
    results = []
    for label, path in pages(org, ads_qs, n_contacts):
        if args.only and args.only not in label:
            continue
        for _ in range(warmups):
            r = client.get(path)
            assert r.status_code == 200, (label, path, r.status_code)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(path)
        assert r.status_code == 200, (label, path, r.status_code)
        captured = list(ctx.captured_queries)
        n_queries = len(captured)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (label, path, r.status_code)
        med = statistics.median(times)
        # quantiles() needs two values; with one run the p90 is that run
        p90 = statistics.quantiles(times, n=10, method="inclusive")[-1] if len(times) > 1 else times[0]
        flag = "  OVER 300 ms" if med > LIMIT_MS and not args.smoke else ""
        print(f"{label:<44} {med:8.1f} {p90:8.1f} {min(times):8.1f} {n_queries:8d}{flag}", flush=True)
        results.append({"page": label, "path": path, "median_ms": round(med, 1), "p90_ms": round(p90, 1),
                        "min_ms": round(min(times), 1), "queries": n_queries, "runs": args.runs})
        if args.explain:
            slow = max((q for q in captured if q["sql"].startswith("SELECT")), key=lambda q: float(q["time"]))
            print(f"    slowest query {slow['time']} s: {slow['sql'][:300]}")
            with connection.cursor() as cur:
                cur.execute(("EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN ") + slow["sql"])
                for row in cur.fetchall():
                    print("      " + str(row[-1]))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"postgres": pg_version, "ads": n_all, "ads_org": n_org,
                                               "contacts": n_contacts, "results": results}, indent=2))
    if args.smoke:
        print(f"smoke run: {len(results)} pages answered 200; timings not judged")
        return
    over = [r["page"] for r in results if r["median_ms"] > LIMIT_MS]
    print("all pages under 300 ms (median)" if not over else f"over 300 ms: {over}")


if __name__ == "__main__":
    main()
