"""The worker killed with SIGKILL in the middle of an import, then the import retried from its page.

Usage:
    .venv/bin/python bench/faults/import_kill.py                      # a fresh SQLite file, migrated first
    .venv/bin/python bench/faults/import_kill.py --database-url postgres://postgres@127.0.0.1:5432/uppsok_faults
    .venv/bin/python bench/faults/import_kill.py --database-url URL --no-migrate --json   # the test's way

Imports the same generated ads (bench/gen_corpus.py; 40 of the first batch's ads seen again at the
end of the file) three times, each into its own organisation that already holds 300 of them from an
earlier import, with a real `uppsok db_worker` (production settings, tasks in the database):
- clean: the worker runs the import to the end: the figures to compare with;
- killed in the batches: SIGKILL once a batch is committed and before the last one;
- killed in the analysis: SIGKILL once every batch is committed and the analysis runs.
After each kill it checks that only whole batches are saved (one sighting per row done, the ads of
those rows), that the import page shows the job as interrupted once its lease has run out (the
analysis's lease is longer: the scheduler's check is then called with the clock moved past it) with
a "Försök igen" button, posts that button, lets a new worker finish, and compares every count with
the clean import's. Prints the figures (or JSON with --json); exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent
LEASE_SECONDS = 3


def _worker_env(database_url: str, var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "uppsok.settings.production",
        "UPPSOK_SECRET_KEY": "fault-check-" + "k" * 60,
        "UPPSOK_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": database_url,
        "UPPSOK_VAR_DIR": var_dir,
        "UPPSOK_IMPORT_LEASE_SECONDS": str(LEASE_SECONDS),
    }


_started: list[subprocess.Popen[bytes]] = []


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    worker = subprocess.Popen(
        [str(BIN / "uppsok"), "db_worker", "--no-startup-delay", "--interval", "0.05", "--no-reload", "-v0"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )
    _started.append(worker)
    return worker


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary directory")
    parser.add_argument("--no-migrate", action="store_true", help="the database already has the schema")
    parser.add_argument("--ads", type=int, default=3000, help="ads generated for the file (more than 1,300)")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object")
    parser.add_argument("--phases", default="batches,analysis", help="where to kill: batches, analysis or both")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="uppsok-fault-import-"))
    url = args.database_url or f"sqlite:///{work / 'db.sqlite3'}"
    env = _worker_env(url, str(work))
    if not args.no_migrate:
        from _benchdb import recreate_database

        recreate_database(url)
        subprocess.run([str(BIN / "uppsok"), "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    ads_file = work / "ads.jsonl"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", str(args.ads), "--seed", "44",
                    "-o", str(ads_file)], check=True, stdout=subprocess.DEVNULL)
    # Ads of the first batch seen again at the end of the file (same address, a day later): one ad,
    # two sightings, written before and after the kill, and still counted as one new ad.
    lines = ads_file.read_text().splitlines()
    again = []
    for line in lines[:1000]:
        row = json.loads(line)
        if row.get("url") and len(again) < 40:
            seen = datetime.fromisoformat(row["seen_at"]) + timedelta(days=1)
            again.append(json.dumps({**row, "id": row["id"] + "-igen", "seen_at": seen.isoformat()}))
    ads_file.write_text("\n".join(lines + again) + "\n")

    # This process reads the database and opens the import page (development settings, DEBUG off:
    # the production ones need collected static files to render a page).
    os.environ.update({"DJANGO_SETTINGS_MODULE": "uppsok.settings.dev", "DATABASE_URL": url,
                       "UPPSOK_VAR_DIR": str(work), "UPPSOK_IMPORT_LEASE_SECONDS": str(LEASE_SECONDS)})
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import login, make_org, make_user
    from uppsok.accounts.models import Membership, Role
    from uppsok.outreach import actions, imports
    from uppsok.outreach.models import Ad, AdIndicator, AdLink, AdPhone, AdTextFeature, ImportJob, Sighting

    parsed = imports.parse_jsonl(ads_file.read_bytes())
    assert parsed.ok, parsed.errors[:3]
    rows = parsed.rows
    suffix = str(int(time.time() * 1000))[-8:]
    orgs = {name: make_org(f"fault-{name}-{suffix}") for name in ("clean", "batches", "analysis")}
    user = make_user(f"fault-user-{suffix}")
    # an earlier import of some of the same ads, so that the import also updates ads it did not make
    earlier_rows = rows[1000:1300]
    for org in orgs.values():
        Membership.objects.create(user=user, organisation=org, role=Role.OUTREACH)
        actions.do_import_ads(user, org, earlier_rows, analyse_now=True)

    def counts(org: Any) -> dict[str, int]:
        return {
            "ads": Ad.objects.filter(organisation=org).count(),
            "sightings": Sighting.objects.filter(ad__organisation=org).count(),
            "phones": AdPhone.objects.filter(organisation=org).count(),
            "links": AdLink.objects.filter(organisation=org).count(),
            "indicators": AdIndicator.objects.filter(organisation=org).count(),
            "text_features": AdTextFeature.objects.filter(organisation=org).count(),
            "groups": Ad.objects.filter(organisation=org).exclude(group_key="").values("group_key").distinct().count(),
        }

    def queue(org: Any) -> ImportJob:
        job = actions.do_create_import_job(user, org, "jsonl", ads_file.name, [])
        actions.do_queue_import_job(user, org, job, rows)
        return job

    def job_state(job: ImportJob) -> tuple[str, int]:
        status, processed = ImportJob.objects.filter(pk=job.pk).values_list("status", "processed").get()
        connection.close()  # a fresh read every time, and no open transaction holding SQLite's snapshot
        return status, processed

    def _analysing(job: ImportJob) -> bool:
        # the lease written just before the analysis is longer than a batch's
        lease_until = ImportJob.objects.values_list("lease_until", flat=True).get(pk=job.pk)
        connection.close()
        return lease_until is not None and (lease_until - timezone.now()).total_seconds() > LEASE_SECONDS + 1

    def wait_done(job: ImportJob, timeout: float = 600) -> float:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            status, _ = job_state(job)
            if status in (ImportJob.Status.DONE, ImportJob.Status.FAILED, ImportJob.Status.INTERRUPTED):
                if status != ImportJob.Status.DONE:
                    raise SystemExit(f"import ended {status}: {ImportJob.objects.get(pk=job.pk).error}")
                return time.perf_counter() - t0
            time.sleep(0.05)
        raise SystemExit("import did not finish in time")

    distinct = {actions.fingerprint(r["url"], r["id"]) for r in rows}
    earlier_fps = {actions.fingerprint(r["url"], r["id"]) for r in earlier_rows}
    log = work / "worker.log"
    figures: dict[str, Any] = {"database": "postgresql" if url.startswith("postgres") else "sqlite",
                               "rows_in_file": len(rows), "ads_in_file": len(distinct),
                               "ads_imported_earlier": len(earlier_rows), "batch_rows": actions.IMPORT_CHUNK,
                               "lease_seconds": LEASE_SECONDS}
    failures: list[str] = []

    # one worker at a time, started again only after a kill (each start costs Django's start-up)
    worker = _start_worker(env, log)
    clean_job = queue(orgs["clean"])
    figures["clean_seconds"] = round(wait_done(clean_job), 2)
    clean = counts(orgs["clean"])
    figures["clean"] = clean
    clean_job.refresh_from_db()
    figures["clean_job_counts"] = {"created": clean_job.created_count, "updated": clean_job.updated_count}
    if clean["ads"] != len(distinct) or clean["sightings"] != len(rows) + len(earlier_rows):
        failures.append(f"the clean import stored {clean} for {len(distinct)} ads in {len(rows)} rows")

    for phase in args.phases.split(","):
        org = orgs[phase]
        client = login(Client(HTTP_HOST="localhost"), user, org)
        if worker.poll() is not None:
            worker = _start_worker(env, log)
        job = queue(org)
        t0 = time.perf_counter()
        # kill once a batch is committed and more remain, or once all are and the analysis runs
        while True:
            status, processed = job_state(job)
            running = status == ImportJob.Status.RUNNING
            if running and phase == "batches" and 0 < processed < len(rows):
                break
            if running and phase == "analysis" and processed == len(rows) and _analysing(job):
                time.sleep(0.5)  # well inside the analysis's transaction
                break
            if status == ImportJob.Status.DONE or time.perf_counter() - t0 > 300:
                failures.append(f"{phase}: missed the moment to kill (status {status}, {processed} rows done)")
                break
            time.sleep(0.005)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        killed_at = time.perf_counter()
        status, processed = job_state(job)
        left = counts(org)
        done_fps = {actions.fingerprint(r["url"], r["id"]) for r in rows[:processed]} | earlier_fps
        result: dict[str, Any] = {"killed_after_seconds": round(killed_at - t0, 2), "status_after_kill": status,
                                  "rows_done_at_kill": processed, "left_after_kill": left}
        # whole batches only: one sighting per row done, and exactly the ads of those rows
        if left["sightings"] != processed + len(earlier_rows) or left["ads"] != len(done_fps):
            failures.append(f"{phase}: half-saved: {left} for {processed} rows done ({len(done_fps)} ads)")
        if processed % actions.IMPORT_CHUNK and processed != len(rows):
            failures.append(f"{phase}: {processed} rows done is not a whole number of batches")
        page_url = reverse("outreach:import_job", kwargs={"job_id": job.pk})
        if phase == "batches":
            # the page notices by itself once the lease has run out
            while client.get(page_url).content.decode().count("Försök igen") == 0:
                if time.perf_counter() - killed_at > LEASE_SECONDS + 30:
                    failures.append(f"{phase}: the page never showed the job as interrupted")
                    break
                time.sleep(0.2)
        else:
            # the lease before an analysis covers the analysis's time: move the clock past it
            lease_until = ImportJob.objects.values_list("lease_until", flat=True).get(pk=job.pk)
            result["analysis_lease_seconds"] = round((lease_until - timezone.now()).total_seconds(), 1)
            actions.mark_interrupted_imports(now=lease_until + timedelta(seconds=1))
        result["detected_after_seconds"] = round(time.perf_counter() - killed_at, 2)
        page = client.get(page_url).content.decode()
        result["page_shows"] = {"Avbruten": "Avbruten" in page, "Försök igen": "Försök igen" in page}
        if not all(result["page_shows"].values()):
            failures.append(f"{phase}: the page does not show the interrupted job with its button")
        response = client.post(reverse("outreach:import_retry", kwargs={"job_id": job.pk}))
        result["retry_answer"] = response.status_code
        worker = _start_worker(env, log)
        result["retry_seconds"] = round(wait_done(job), 2)
        done = ImportJob.objects.get(pk=job.pk)
        result["after_retry"] = counts(org)
        result["job_counts"] = {"created": done.created_count, "updated": done.updated_count, "attempts": done.attempt}
        result["kept_rows_after"] = bool(done.payload)
        if result["after_retry"] != clean:
            failures.append(f"{phase}: after the retry {result['after_retry']} != clean {clean}")
        clean_job.refresh_from_db()
        if (done.created_count, done.updated_count) != (clean_job.created_count, clean_job.updated_count):
            failures.append(f"{phase}: created/updated {done.created_count}/{done.updated_count} != clean "
                            f"{clean_job.created_count}/{clean_job.updated_count}")
        figures[f"killed_in_{phase}"] = result
    _stop(worker)
    figures["failures"] = failures

    if not args.no_migrate and url.startswith("postgres"):
        from _benchdb import drop_database

        connection.close()
        drop_database(url)

    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    finally:
        for w in _started:  # none left behind when a check fails half-way
            _stop(w)
