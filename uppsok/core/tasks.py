"""Core's background task: the worker's heartbeat, enqueued by the scheduler."""

from __future__ import annotations

from django_tasks import task

from . import health


@task()
def worker_heartbeat_task() -> None:
    health.beat("worker")
