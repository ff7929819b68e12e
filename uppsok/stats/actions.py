"""Writes of the statistics app: an admin's refresh of the organisation's figures."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from uppsok.audit.log import record
from uppsok.audit.models import AuditAction

from . import figures

# An admin's refresh recounts this many months back: far enough for a correction made late; months
# retention has reached are left as stored (`figures.refresh_open`), or deleted records would lower them.
REFRESH_MONTHS = 3


@transaction.atomic
def do_refresh_figures(actor: Any, organisation: Any) -> int:
    today = timezone.localdate()
    first = figures.add_months(today.replace(day=1), -(REFRESH_MONTHS - 1))
    rows = figures.refresh_open(organisation, first, figures.add_months(today.replace(day=1), 1), today)
    record(actor, AuditAction.CHANGE, organisation=organisation, object_type="stats.figures",
           object_id=str(organisation.pk), detail=f"refreshed;months={REFRESH_MONTHS}")
    return rows
