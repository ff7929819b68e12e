"""Background work for cases: the nightly retention run."""

from __future__ import annotations

from django_tasks import task

from .retention import purge_closed_cases


@task()
def purge_closed_cases_task(mode: str = "delete") -> dict[str, int]:
    result = purge_closed_cases(mode=mode)
    return {"cases": result.cases, "persons": result.persons}
