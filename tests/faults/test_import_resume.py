"""An import that stops half-way, in-process (the real SIGKILL is test_import_killed): whole batches
only, the job shown as interrupted once its lease has run out, retried from its page by its own
organisation only, and the retry ends like a clean import; a run that lost the job writes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from uppsok.audit.models import AuditEvent
from uppsok.outreach import actions
from uppsok.outreach.imports import parse_jsonl
from uppsok.outreach.models import Ad, AdLink, AdPhone, ImportJob, Sighting


def _rows(n: int = 7):
    ads = [{"id": f"r{i}", "seen_at": f"2026-01-{i + 1:02d}T20:00:00+01:00", "site": "rosasidan.ws", "city": "Malmö",
            "profile_name": f"Profil{i % 3}", "text": "Ny i stan, ring mig", "phones": [f"070-100 00 {i % 4:02d}"]}
           for i in range(n)]
    return parse_jsonl("\n".join(json.dumps(a) for a in ads).encode()).rows


class Killed(BaseException):
    """Stands for SIGKILL: nothing of the run's own error handling runs."""


def _counts(org):
    return (Ad.objects.filter(organisation=org).count(), Sighting.objects.filter(ad__organisation=org).count(),
            AdPhone.objects.filter(organisation=org).count(), AdLink.objects.filter(organisation=org).count())


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(actions, "IMPORT_CHUNK", 2)


def _stop_in_batch(monkeypatch, number: int, exc: BaseException) -> None:
    real = actions._import_batch
    calls = {"n": 0}

    def batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == number:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "_import_batch", batch)


def test_killed_mid_way_then_retried_from_the_page(alice, bob, charlie, org_a, org_b, client_for, small_batches,
                                                   monkeypatch):
    rows = _rows()
    clean = actions.do_create_import_job(charlie, org_b, "jsonl", "a.jsonl", rows)
    assert actions.run_import_job(clean.pk).status == "done"

    job = actions.do_create_import_job(alice, org_a, "jsonl", "a.jsonl", rows)
    _stop_in_batch(monkeypatch, 3, Killed())
    with pytest.raises(Killed):
        actions.run_import_job(job.pk)
    monkeypatch.undo()
    monkeypatch.setattr(actions, "IMPORT_CHUNK", 2)
    job.refresh_from_db()
    # two whole batches, nothing of the third
    assert (job.status, job.processed) == ("running", 4)
    assert _counts(org_a)[:2] == (4, 4) and job.payload

    page_url = reverse("outreach:import_job", kwargs={"job_id": job.pk})
    c = client_for(alice, org_a)
    assert "Försök igen" not in c.get(page_url).content.decode()  # the lease still runs: it may be alive
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    page = c.get(page_url).content.decode()
    assert "Avbruten" in page and "Försök igen" in page and "Importen avbröts efter 4 av 7 annonser" in page
    job.refresh_from_db()
    assert job.status == "interrupted" and job.payload

    retry = reverse("outreach:import_retry", kwargs={"job_id": job.pk})
    assert client_for(charlie, org_b).post(retry).status_code == 404
    assert client_for(bob, org_a).post(retry).status_code == 403
    assert c.post(retry).status_code == 302  # the immediate task backend runs it here
    job.refresh_from_db()
    assert (job.status, job.attempt, job.payload) == ("done", 2, "")
    assert _counts(org_a) == _counts(org_b)
    clean.refresh_from_db()
    assert (job.created_count, job.updated_count) == (clean.created_count, clean.updated_count)
    assert AuditEvent.objects.filter(organisation_id=org_a.pk, object_id=str(job.pk), detail="retry;from=4").exists()
    # done is done: a second retry is refused
    c.post(retry)
    job.refresh_from_db()
    assert job.attempt == 2


def test_a_failure_after_a_saved_batch_leaves_the_job_interrupted_with_its_rows(alice, org_a, small_batches,
                                                                                 monkeypatch):
    job = actions.do_create_import_job(alice, org_a, "jsonl", "a.jsonl", _rows())
    _stop_in_batch(monkeypatch, 2, RuntimeError("disk full"))
    job = actions.run_import_job(job.pk)
    assert (job.status, job.processed, job.error) == ("interrupted", 2, "RuntimeError") and job.payload
    monkeypatch.undo()
    monkeypatch.setattr(actions, "IMPORT_CHUNK", 2)
    actions.do_retry_import(alice, org_a, job)
    job.refresh_from_db()
    assert job.status == "done" and _counts(org_a)[:2] == (7, 7)


def test_a_run_that_lost_the_job_writes_no_further_batch(alice, org_a, small_batches, monkeypatch):
    job = actions.do_create_import_job(alice, org_a, "jsonl", "a.jsonl", _rows())
    real = actions._import_batch
    calls = {"n": 0}

    def batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            # meanwhile the job was found stale and retried: another run holds it now
            ImportJob.objects.filter(pk=job.pk).update(attempt=job.attempt + 5)
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "_import_batch", batch)
    actions.run_import_job(job.pk)
    job.refresh_from_db()
    # the batch it held when the job was taken is its last: it writes no third, and leaves the job alone
    assert job.processed == 4 and job.status == "running"
    assert _counts(org_a)[:2] == (4, 4)


def test_the_scheduler_marks_only_jobs_past_their_lease(alice, org_a):
    now = timezone.now()
    lost = ImportJob.objects.create(organisation=org_a, file_format="jsonl", status="running", payload="{}",
                                    lease_until=now - timedelta(minutes=1))
    alive = ImportJob.objects.create(organisation=org_a, file_format="jsonl", status="running", payload="{}",
                                     lease_until=now + timedelta(minutes=1))
    assert actions.mark_interrupted_imports() == 1
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert (lost.status, alive.status) == ("interrupted", "running")
    assert lost.payload == "{}" and lost.finished_at is not None
    assert AuditEvent.objects.filter(object_id=str(lost.pk), detail="interrupted").count() == 1
