"""Recurring jobs: retention purges that the law and our promises to people require.

django.tasks runs jobs but does not schedule them, so `uppsok scheduler` (started by `make run`
and by the production service next to `db_worker`) enqueues each job when its interval has
passed. The last run is stored in the database, so a restart or a second scheduler does not
enqueue a job twice within its interval.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import ScheduledRun


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    interval: timedelta


JOBS: tuple[Job, ...] = (
    # Every kind of personal data goes after the organisation's period (core.retention: ads,
    # contacts, tips, safety records, shifts, import jobs, kontaktspärrar, network marks, closed cases).
    Job("purge_personal_data", "uppsok.core.tasks.purge_personal_data_task", timedelta(days=1)),
    # Statistics read pre-aggregated monthly figures; the months whose records can still change are
    # recounted every hour (an admin can ask for it at once).
    Job("refresh_figures", "uppsok.stats.tasks.refresh_figures_task", timedelta(hours=1)),
    # An import whose worker died shows as interrupted even when nobody has its page open.
    Job("mark_interrupted_imports", "uppsok.outreach.tasks.mark_interrupted_imports_task", timedelta(minutes=5)),
    # The worker shows it is alive by running this (the health endpoint reads it).
    Job("worker_heartbeat", "uppsok.core.tasks.worker_heartbeat_task", timedelta(minutes=1)),
)


def _load_task(path: str):  # type: ignore[no-untyped-def]
    module_name, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def run_due_jobs(now=None) -> list[str]:  # type: ignore[no-untyped-def]
    """Enqueue every job whose interval has passed; returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS:
        with transaction.atomic():
            run, created = ScheduledRun.objects.select_for_update().get_or_create(
                name=job.name, defaults={"last_enqueued_at": now}
            )
            if not created and now - run.last_enqueued_at < job.interval:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
        _load_task(job.task_path).enqueue()
        enqueued.append(job.name)
    return enqueued
