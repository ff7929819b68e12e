"""Is the service working: the database answers, and the worker and the scheduler have shown
recent signs of life. The health endpoint says only which of the three holds."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import connection
from django.utils import timezone

# The scheduler loops every 5 minutes and enqueues the worker's heartbeat each minute it runs, so
# three missed loops mean a process is down or stuck, not merely between rounds.
MAX_AGE = timedelta(minutes=15)
PROCESSES = ("worker", "scheduler")


def beat(name: str) -> None:
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def checks() -> dict[str, bool]:
    from .models import Heartbeat

    result = {"database": False, **dict.fromkeys(PROCESSES, False)}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        result["database"] = True
        recent = timezone.now() - MAX_AGE
        for name in Heartbeat.objects.filter(name__in=PROCESSES, at__gte=recent).values_list("name", flat=True):
            result[name] = True
    except Exception:  # noqa: BLE001 - an unreachable database is an answer, not an error page
        logging.getLogger(__name__).warning("health check: the database did not answer", exc_info=True)
    return result
