"""Retention of closed cases: after Organisation.closed_case_retention_months they go.

Two modes. "delete" removes the case, everything under it (needs, activities, consents,
indicators, safety assessments, referrals, routine checklist) and the person when no other case
remains. "anonymise" keeps a statistics stub of the case (type, origin, months, need areas and
activity kinds/durations) and deletes everything that could point to a person. PDFs and CSVs are
generated on demand and never stored, and there is no separate search index, so nothing else keeps
a copy. The audit log keeps only object type and id.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from uppsok.accounts.models import Organisation
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction

from .models import (
    Case,
    CaseRoutineStep,
    CaseStatus,
    Consent,
    IndicatorObservation,
    Person,
    Referral,
    SafetyAssessment,
    SupportActivity,
)

MODES = ("delete", "anonymise")


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def purge_date(case: Case, organisation: Organisation) -> datetime.date | None:
    if case.closed_on is None:
        return None
    return add_months(case.closed_on, organisation.closed_case_retention_months)


def due_for_purge(organisation: Organisation, on: datetime.date | None = None) -> QuerySet[Case]:
    """Closed cases of the organisation whose retention period has ended on `on` (default today)."""
    on = on or timezone.localdate()
    cutoff = add_months(on, -organisation.closed_case_retention_months)
    return Case.objects.filter(
        organisation=organisation, status=CaseStatus.CLOSED, closed_on__lte=cutoff, anonymised_at__isnull=True
    )


def due_next_month(organisation: Organisation, today: datetime.date | None = None) -> QuerySet[Case]:
    """What will go between tomorrow and one month from today (for the retention page)."""
    today = today or timezone.localdate()
    months = organisation.closed_case_retention_months
    start = add_months(today, -months)
    end = add_months(add_months(today, 1), -months)
    return Case.objects.filter(
        organisation=organisation,
        status=CaseStatus.CLOSED,
        anonymised_at__isnull=True,
        closed_on__gt=start,
        closed_on__lte=end,
    )


@dataclass
class PurgeResult:
    cases: int = 0
    persons: int = 0


@transaction.atomic
def purge_case(case: Case, mode: str = "delete") -> PurgeResult:
    if mode not in MODES:
        raise ValueError(mode)
    result = PurgeResult(cases=1)
    person_id = case.person_id
    org_id = case.organisation_id
    case_pk = case.pk
    if mode == "delete":
        case.delete()  # cascades to every row under the case
    else:
        for model in (Consent, IndicatorObservation, SafetyAssessment, Referral, CaseRoutineStep):
            model.objects.filter(case=case).delete()
        SupportActivity.objects.filter(case=case).update(note="", performed_by=None)
        opened = case.opened_on.replace(day=1)
        closed = case.closed_on.replace(day=1) if case.closed_on else None
        Case.objects.filter(pk=case.pk).update(
            person=None,
            case_worker=None,
            source_ad=None,
            source_contact=None,
            close_note="",
            opened_on=opened,
            closed_on=closed,
            recontact_on=None,
            next_meeting_at=None,
            anonymised_at=timezone.now(),
        )
    if person_id is not None and not Case.objects.filter(person_id=person_id).exists():
        Person.objects.filter(pk=person_id).delete()
        result.persons = 1
    record(None, AuditAction.DELETE, organisation=org_id, object_type="cases.case", object_id=str(case_pk),
           detail=f"retention:{mode}")
    return result


def purge_closed_cases(
    on: datetime.date | None = None, mode: str = "delete", organisation: Organisation | None = None
) -> PurgeResult:
    total = PurgeResult()
    organisations = [organisation] if organisation is not None else list(Organisation.objects.all())
    for org in organisations:
        for case in due_for_purge(org, on).iterator():
            one = purge_case(case, mode)
            total.cases += one.cases
            total.persons += one.persons
    return total
