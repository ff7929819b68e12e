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
def purge_do_not_contact_task() -> int:
    """Scheduled daily (cron calls `uppsok purge_do_not_contact`, or enqueue this task)."""
    from .actions import purge_do_not_contact

    return purge_do_not_contact()


@task()
def purge_network_marks_task() -> int:
    """Scheduled daily: network marks past the period they are shown for, or of organisations that left."""
    from .actions import purge_network_marks

    return purge_network_marks()
