"""Statistics at real size: ten years of monthly figures for a network of 30 organisations, then the
server time of every statistics page, the network's table and the annual reports.

Usage:
    .venv/bin/python bench/bench_stats.py [--runs 5] [--smoke]

Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/uppsok_bench_stats, recreated),
settings uppsok.settings.dev. The pages read the pre-aggregated figures (`stats.OrgFigure`) and the
members' yearly reports, never the records, so the bench seeds those tables as the hourly refresh
and the members' reporting would leave them: every measure for every month, with breakdowns.
Server time is the Django test client in this process (every middleware, the queries, the template);
the median of --runs requests after one warm-up is printed per page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from _benchdb import database_url, recreate_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--organisations", type=int, default=30)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="3 organisations, 1 year, 1 run")
    args = parser.parse_args()
    if args.smoke:
        args.organisations, args.years, args.runs = 3, 1, 1
    url = database_url("uppsok_bench_stats", args.smoke)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsok.settings.dev"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import login, make_org, make_user
    from uppsok.accounts.models import Role
    from uppsok.network.models import Network, NetworkMembership, NetworkRole, SubGoal, YearlyTarget
    from uppsok.stats import figures, network_stats
    from uppsok.stats.models import NetworkReport, OrgFigure

    rng = random.Random(7)
    t0 = time.perf_counter()
    network = Network.objects.create(name="Benchnätverket", slug="bench-net")
    orgs = [make_org(f"bench-org-{i:02d}", name=f"Organisation {i:02d}") for i in range(args.organisations)]
    NetworkMembership.objects.bulk_create([NetworkMembership(network=network, organisation=o) for o in orgs])
    worker = make_user("bench-stats", orgs[0], [Role.OUTREACH, Role.ADMIN])
    coordinator = make_user("bench-coordinator")
    NetworkRole.objects.create(network=network, user=coordinator, role=NetworkRole.Role.COORDINATOR)
    today = timezone.localdate()
    last = today.replace(day=1)
    months = [figures.add_months(last, -i) for i in range(args.years * 12)]
    dims = {m.key: ([f"v{j}" for j in range(6)] if m.dimension else []) for m in figures.MEASURES}
    rows = []
    for org in orgs:
        for month in months:
            for m in figures.MEASURES:
                total = rng.randint(0, 200)
                rows.append(OrgFigure(organisation=org, month=month, measure=m.key, dimension="", value=total))
                for d in dims[m.key]:
                    rows.append(OrgFigure(organisation=org, month=month, measure=m.key, dimension=d,
                                          value=rng.randint(0, max(1, total // 3))))
    OrgFigure.objects.bulk_create(rows, batch_size=5000)
    measures = network_stats.measures(network)
    years = sorted({m.year for m in months})
    NetworkReport.objects.bulk_create([
        NetworkReport(network=network, organisation=o, measure=m, year=y, value=rng.randint(0, 60), source="uppsok")
        for o in orgs for m in measures for y in years
    ], batch_size=5000)
    goal = SubGoal.objects.create(network=network, title="Fler tips")
    for y in years:
        YearlyTarget.objects.create(network=network, sub_goal=goal, year=y, measure="tips", target=500,
                                    stats_measure="incidents")
    print(f"seeded {len(rows):,} monthly figures and {NetworkReport.objects.count():,} reports "
          f"for {len(orgs)} organisations over {args.years} years in {time.perf_counter() - t0:.0f} s")

    year = today.year
    pages = [
        ("start page (statistics panel)", worker, orgs[0], reverse("core:home")),
        ("statistics, year", worker, orgs[0], reverse("stats:overview") + f"?period=year&year={year}"),
        ("statistics, quarter", worker, orgs[0], reverse("stats:overview") + f"?period=quarter&year={year}&number=1"),
        ("statistics, month", worker, orgs[0], reverse("stats:overview") + f"?period=month&year={year}&number=1"),
        ("statistics as XLSX", worker, orgs[0], reverse("stats:overview_xlsx") + f"?period=year&year={year}"),
        ("annual report PDF", worker, orgs[0], reverse("stats:annual_report") + f"?year={year}"),
        ("report to the network", worker, orgs[0], reverse("stats:network_report", kwargs={"network_id": network.pk, "year": year})),
        ("network table", coordinator, None, reverse("stats:network_table", kwargs={"network_id": network.pk, "year": year})),
        ("network table XLSX", coordinator, None, reverse("stats:network_table_xlsx", kwargs={"network_id": network.pk, "year": year})),
        ("network annual report PDF", coordinator, None, reverse("stats:network_annual_report", kwargs={"network_id": network.pk, "year": year})),
        ("plan with bound targets", coordinator, None, reverse("network:plan", kwargs={"network_id": network.pk})),
    ]
    print(f"{'page':32s} {'median ms':>10s} {'max ms':>8s}")
    for label, user, org, page_url in pages:
        client = login(Client(HTTP_HOST="localhost"), user, org)
        assert client.get(page_url).status_code == 200, label
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            response = client.get(page_url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, label
        print(f"{label:32s} {statistics.median(times):10.0f} {max(times):8.0f}")
    t = time.perf_counter()
    figures.refresh_recent([orgs[0]])
    print(f"hourly refresh of one organisation (records empty here): {(time.perf_counter() - t) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
