"""Server time of the case list with 100,000 cases in PostgreSQL (issue 5).

Usage:  .venv/bin/python bench/bench_cases_list.py [--cases 100000] [--runs 15]
        .venv/bin/python bench/bench_cases_list.py --smoke    # 300 cases, one run per variant, for CI

Uses its own database (default postgres://postgres@127.0.0.1:5432/uppsok_bench_cases, uppsok_bench_cases_smoke
with --smoke; override with BENCH_DATABASE_URL — an SQLite URL gives an in-memory database, as the test
settings do), migrates it, seeds organisation A with N cases (+ N persons) and organisation B
with N/5 (so the list really has to filter by organisation), ANALYZEs, then times GET /arenden/ with
Django's test client: the whole request through every middleware, the queries and the template.
Prints the median, min and max of several runs per variant, and the number of SQL queries.
Settings are uppsok.settings.test (whatever DJANGO_SETTINGS_MODULE says), with CONN_MAX_AGE=0.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

from _benchdb import database_url, ensure_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def seed(n_cases: int) -> None:
    from django.db import connection

    from tests.factories import make_org, make_user
    from uppsok.accounts.models import Organisation, Role
    from uppsok.cases.models import AgeBand, Case, CaseOrigin, CaseStatus, ExploitationType, Person

    org_a = Organisation.objects.filter(slug="bench-a").first() or make_org("bench-a", name="Bench A")
    org_b = Organisation.objects.filter(slug="bench-b").first() or make_org("bench-b", name="Bench B")
    from uppsok.accounts.models import User

    if not User.objects.filter(username="bench-bob").exists():
        make_user("bench-bob", org_a, [Role.CASEWORKER])
        for i in range(9):
            make_user(f"bench-worker-{i}", org_a, [Role.CASEWORKER])
    workers = list(User.objects.filter(username__startswith="bench-").order_by("username"))
    types = list(ExploitationType.objects.all())
    rng = random.Random(5)
    today = datetime.date.today()
    for org, target in ((org_a, n_cases), (org_b, n_cases // 5)):
        have = Case.objects.filter(organisation=org).count()
        missing = target - have
        if missing <= 0:
            continue
        print(f"seeding {missing} cases into {org.slug} …", flush=True)
        batch = 5000
        for start in range(0, missing, batch):
            size = min(batch, missing - start)
            persons = [
                Person(id=uuid.uuid4(), organisation=org, alias=f"P{have + start + i}",
                       age_band=rng.choice(AgeBand.values))
                for i in range(size)
            ]
            Person.objects.bulk_create(persons)
            cases = []
            for p in persons:
                opened = today - datetime.timedelta(days=rng.randint(0, 3650))
                closed = rng.random() < 0.7
                cases.append(Case(
                    id=uuid.uuid4(), organisation=org, person=p, case_type=rng.choice(types),
                    origin=rng.choice(CaseOrigin.values), case_worker=rng.choice(workers),
                    status=CaseStatus.CLOSED if closed else CaseStatus.OPEN, opened_on=opened,
                    closed_on=opened + datetime.timedelta(days=rng.randint(1, 300)) if closed else None,
                ))
            Case.objects.bulk_create(cases)
    with connection.cursor() as cur:
        # visibility map for index-only scans, fresh statistics (SQLite has no VACUUM ANALYZE)
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def bench(runs: int, warmups: int = 2) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tests.factories import login
    from uppsok.accounts.models import Organisation, User
    from uppsok.cases.models import Case

    setup_test_environment()
    org = Organisation.objects.get(slug="bench-a")
    bob = User.objects.get(username="bench-bob")
    client = login(Client(), bob, org)
    total = Case.objects.filter(organisation=org).count()
    pages = total // 50
    variants = [
        ("first page, all cases", {}),
        ("status=open", {"status": "open"}),
        ("mine (1 of 10 workers)", {"mine": "on"}),
        ("case type filter", {"case_type": str(Case.objects.filter(organisation=org).first().case_type_id)}),
        (f"page {pages // 2} (OFFSET {pages // 2 * 50})", {"sida": str(pages // 2)}),
        (f"last page ({pages})", {"sida": str(pages)}),
    ]
    print(f"\norganisation A: {total} cases; other organisation: "
          f"{Case.objects.exclude(organisation=org).count()}; runs per variant: {runs}")
    print(f"{'variant':40} {'median ms':>10} {'min':>8} {'max':>8} {'queries':>8}")
    for label, params in variants:
        for _ in range(warmups):
            assert client.get("/arenden/", params).status_code == 200
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get("/arenden/", params)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/arenden/", params).status_code == 200
        print(f"{label:40} {statistics.median(times):10.1f} {min(times):8.1f} {max(times):8.1f} {len(ctx):8d}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, help="cases of organisation A (default 100,000; 300 with --smoke)")
    parser.add_argument("--runs", type=int, help="timed runs per variant (default 15; 1 with --smoke)")
    parser.add_argument("--smoke", action="store_true", help="a few hundred cases, one run, on its own database (CI)")
    args = parser.parse_args()
    cases = args.cases if args.cases is not None else (300 if args.smoke else 100_000)
    runs = args.runs if args.runs is not None else (1 if args.smoke else 15)
    db_url = database_url("uppsok_bench_cases", args.smoke)
    os.environ["DATABASE_URL"] = db_url
    # The documented figures use the test settings; a development DJANGO_SETTINGS_MODULE left in the
    # shell would turn DEBUG on (every query kept in memory) and point elsewhere.
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsok.settings.test"
    ensure_database(db_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    seed(cases)
    print(f"seed/check took {time.perf_counter() - t0:.1f} s")
    bench(runs, warmups=0 if args.smoke else 2)
    if args.smoke:
        print("smoke run: every variant answered 200; timings not judged")


if __name__ == "__main__":
    main()
