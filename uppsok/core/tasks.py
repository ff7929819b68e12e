"""Core's background tasks, enqueued by the scheduler: the worker's heartbeat and the daily retention run."""

from __future__ import annotations

from django_tasks import task

from . import health, retention


@task()
def worker_heartbeat_task() -> None:
    health.beat("worker")


@task()
def purge_personal_data_task() -> dict[str, int]:
    """The daily retention run: every registered rule for every organisation; rows per rule."""
    totals: dict[str, int] = {}
    for outcome in retention.run():
        totals[outcome.rule.key] = totals.get(outcome.rule.key, 0) + outcome.rows
    return totals
