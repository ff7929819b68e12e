"""Retention jobs are enqueued when due, once per interval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from uppsok.core import scheduler
from uppsok.core.models import ScheduledRun

pytestmark = pytest.mark.django_db


def test_due_jobs_run_once_per_interval(monkeypatch):
    ran: list[str] = []

    class FakeTask:
        def __init__(self, name: str) -> None:
            self.name = name

        def enqueue(self) -> None:
            ran.append(self.name)

    monkeypatch.setattr(scheduler, "_load_task", lambda path: FakeTask(path))
    now = timezone.now()
    assert set(scheduler.run_due_jobs(now)) == {job.name for job in scheduler.JOBS}
    # within every job's interval nothing runs again
    shortest = min(job.interval for job in scheduler.JOBS)
    assert scheduler.run_due_jobs(now + shortest - timedelta(minutes=1)) == []
    assert len(scheduler.run_due_jobs(now + timedelta(days=1, minutes=1))) == len(scheduler.JOBS)
    assert len(ran) == 2 * len(scheduler.JOBS)


def test_scheduled_tasks_exist_and_run():
    # The real task objects load and run (tests use the immediate backend).
    call_command("scheduler", "--once")
    assert set(ScheduledRun.objects.values_list("name", flat=True)) == {j.name for j in scheduler.JOBS}
