"""A 100,000-ad import through the web app's background path, with the progress the page shows.

Usage:
    .venv/bin/python bench/gen_corpus.py --n 100000 --seed 44 -o bench/out/outreach_import_100k.jsonl
    .venv/bin/python bench/bench_outreach_import.py bench/out/outreach_import_100k.jsonl [--organisation bench-a]
    .venv/bin/python bench/bench_outreach_import.py --smoke   # after `bench_outreach_seed.py --smoke`: 300 ads

Database: BENCH_DATABASE_URL (default the seeded postgres://postgres@127.0.0.1:5432/uppsok_bench;
uppsok_bench_smoke with --smoke, which also generates a 300-ad file when none is given), settings
uppsok.settings.dev (tasks in the database, as in production). The steps are the web path's:
parse and check the file (`imports.parse_jsonl`, what the dry-run preview does), store the job
(`actions.do_create_import_job`), then run `tasks.run_import_task` the way the worker does — in this
process, while a second thread polls the job page with the HX-Request header every second (what the
browser's progress bar does) and records the done/total it shows. The analysis the import enqueues
(`analyse_ads_task`, more than 200 ads) is then run by the real worker, `uppsok db_worker --batch`,
with the production settings (DEBUG off).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _benchdb import database_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", help="JSONL ads (optional with --smoke)")
    parser.add_argument("--organisation", default="bench-a")
    parser.add_argument("--user", default="bench-ulla")
    parser.add_argument("--skip-analysis", action="store_true", help="do not run the enqueued analysis task")
    parser.add_argument("--smoke", action="store_true", help="300 generated ads into uppsok_bench_smoke (CI)")
    args = parser.parse_args()
    db_url = database_url("uppsok_bench", args.smoke)
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsok.settings.dev"
    if args.file is None:
        if not args.smoke:
            parser.error("FILE is required (without --smoke)")
        # 300 ads: over the 200 above which the import hands the analysis to the worker, so that path runs too.
        args.file = str(Path(tempfile.mkdtemp(prefix="bench-import-")) / "smoke_300.jsonl")
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", "300", "--seed", "44",
                        "-o", args.file], check=True)

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tests.factories import login
    from uppsok.accounts.models import Organisation, User
    from uppsok.outreach import actions, imports
    from uppsok.outreach.models import Ad, ImportJob, Sighting
    from uppsok.outreach.tasks import run_import_task

    org = Organisation.objects.get(slug=args.organisation)
    user = User.objects.get(username=args.user)
    before = Ad.objects.filter(organisation=org).count()
    sightings_before = Sighting.objects.filter(ad__organisation=org).count()
    print(f"organisation {org.slug}: {before:,} ads before")

    t_all = time.perf_counter()
    t0 = time.perf_counter()
    data = Path(args.file).read_bytes()
    parsed = imports.parse_jsonl(data)
    t_parse = time.perf_counter() - t0
    assert parsed.ok, parsed.errors[:5]
    print(f"parse + check {len(parsed.rows):,} rows ({len(data) / 1e6:.0f} MB): {t_parse:.1f} s")

    t0 = time.perf_counter()
    job = actions.do_create_import_job(user, org, "jsonl", Path(args.file).name, parsed.rows)
    print(f"store the job: {time.perf_counter() - t0:.1f} s")

    # The browser's progress bar: GET the job page with HX-Request every second.
    seen: list[tuple[float, str, int, int]] = []
    stop = threading.Event()
    url = reverse("outreach:import_job", kwargs={"job_id": job.pk})

    def poll() -> None:
        client = login(Client(HTTP_HOST="localhost"), user, org)
        start = time.perf_counter()
        while not stop.is_set():
            body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
            m = re.search(r"<p>([^:<]+): (\d+) / (\d+)</p>", body)
            if m:
                seen.append((time.perf_counter() - start, m.group(1), int(m.group(2)), int(m.group(3))))
            stop.wait(1.0)
        from django.db import connection as thread_connection

        thread_connection.close()

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    t0 = time.perf_counter()
    status = run_import_task.call(str(job.pk))
    t_import = time.perf_counter() - t0
    time.sleep(1.5)
    stop.set()
    poller.join()
    job = ImportJob.objects.get(pk=job.pk)
    print(f"import task: {t_import:.1f} s, status {status}, created {job.created_count:,}, updated {job.updated_count:,}")
    # A timing of an import that failed is no measurement (and in CI's smoke run this is the check).
    # A file may hold the same ad twice (one ad, two sightings): every row is a sighting.
    sightings = Sighting.objects.filter(ad__organisation=org).count() - sightings_before
    if job.status != ImportJob.Status.DONE or sightings != len(parsed.rows):
        raise SystemExit(f"import did not finish: status {job.status}, error {job.error!r}, "
                         f"{sightings:,} sightings for {len(parsed.rows):,} rows")
    running = [s for s in seen if 0 < s[2] < s[3]]
    print(f"progress seen by the page: {len(seen)} polls, {len(running)} with a partial count")
    for s in seen[:: max(1, len(seen) // 12)] + seen[-1:]:
        print(f"    t={s[0]:6.1f} s  {s[1]}: {s[2]:,} / {s[3]:,}")
    after = Ad.objects.filter(organisation=org).count()
    print(f"ads after: {after:,} (+{after - before:,})")

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")
        ready = cur.fetchone()[0]
    print(f"tasks waiting for the worker: {ready}")
    if not args.skip_analysis and ready:
        connection.close()
        from django.utils import timezone

        analysis_started = timezone.now()
        t0 = time.perf_counter()
        # the worker as production runs it: production settings (DEBUG off), a throwaway key
        env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "uppsok.settings.production",
               "UPPSOK_SECRET_KEY": secrets.token_urlsafe(48), "UPPSOK_ALLOWED_HOSTS": "localhost"}
        subprocess.run([str(ROOT / ".venv" / "bin" / "uppsok"), "db_worker", "--batch", "--no-startup-delay"],
                       check=True, env=env, cwd=ROOT)
        t_analysis = time.perf_counter() - t0
        analysed = Ad.objects.filter(organisation=org, analysed_at__gte=analysis_started).count()
        print(f"analysis task (db_worker --batch): {t_analysis:.1f} s; imported ads analysed: {analysed:,}")
        if analysed < job.created_count:
            raise SystemExit(f"the worker analysed {analysed:,} of {job.created_count:,} new ads")
    print(f"total wall time {time.perf_counter() - t_all:.1f} s")


if __name__ == "__main__":
    main()
