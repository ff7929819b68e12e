"""Server time of the case list with 100,000 cases in PostgreSQL (issue 5).

Usage:  .venv/bin/python bench/bench_cases_list.py [--cases 100000] [--runs 15]

Uses its own database (default postgres://postgres@127.0.0.1:5432/uppsok_bench_cases, override with
BENCH_DATABASE_URL), migrates it, seeds organisation A with N cases (+ N persons) and organisation B
with N/5 (so the list really has to filter by organisation), ANALYZEs, then times GET /arenden/ with
Django's test client: the whole request through every middleware, the queries and the template.
Prints the median, min and max of several runs per variant, and the number of SQL queries.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/uppsok_bench_cases")
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsok.settings.test")


def ensure_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(n_cases: int) -> None:
    from django.db import connection

    from tests.conftest import make_org, make_user
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
        cur.execute("VACUUM ANALYZE")  # visibility map for index-only scans, fresh statistics


def bench(runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tests.conftest import login
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
        for _ in range(2):  # warm-up
            assert client.get("/arenden/", params).status_code == 200
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get("/arenden/", params)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            client.get("/arenden/", params)
        print(f"{label:40} {statistics.median(times):10.1f} {min(times):8.1f} {max(times):8.1f} {len(ctx):8d}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    seed(args.cases)
    print(f"seed/check took {time.perf_counter() - t0:.1f} s")
    bench(args.runs)


if __name__ == "__main__":
    main()
