"""Background work of the outreach app (django.tasks; `make run` starts a db_worker)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_task(job_id: str) -> str:
    from .actions import run_import_job

    return run_import_job(job_id).status


@task()
def analyse_ads_task(organisation_id: str, ad_ids: list[str]) -> int:
    from uppsok.accounts.models import Organisation

    from .actions import analyse_ads_by_id

    org = Organisation.objects.get(pk=organisation_id)
    analyse_ads_by_id(org, ad_ids)
    return len(ad_ids)


@task()
def mark_interrupted_imports_task() -> int:
    """Scheduled: imports whose worker died mid-way are shown as interrupted, ready to be retried."""
    from .actions import mark_interrupted_imports

    return mark_interrupted_imports()
