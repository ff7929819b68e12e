"""The statistics' background refresh: this month's and last month's figures of every organisation."""

from __future__ import annotations

from django_tasks import task

from uppsok.accounts.models import Organisation

from . import figures


@task()
def refresh_figures_task() -> dict[str, int]:
    return {"rows": figures.refresh_recent(Organisation.objects.all())}
