"""Retention of closed cases: after Organisation.closed_case_retention_months they go.

Two modes. "delete" removes the case, everything under it (needs, activities, consents,
indicators, safety assessments, referrals, routine checklist) and the person when no other case
remains. "anonymise" keeps a statistics stub of the case (type, origin, months, need areas and
activity kinds/durations) and deletes everything that could point to a person. PDFs and CSVs are
generated on demand and never stored, and there is no separate search index, so nothing else keeps
a copy. The audit log keeps only object type and id.

The rule is registered with `uppsok.core.retention` (the daily run deletes), and so are the holds
on outreach's rows: an ad or a contact an open case started from is kept while the case is open.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from uppsok.accounts.models import Organisation
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core import retention
from uppsok.core.capabilities import Cap
from uppsok.core.retention import MONTHS, Rule, add_months

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
__all__ = ["MODES", "add_months", "do_purge_closed_cases", "due_for_purge", "due_next_month", "purge_case",
           "purge_closed_cases", "purge_date", "register_rules"]


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


def do_purge_closed_cases(organisation: Organisation, on: datetime.date, mode: str = "delete") -> dict[str, int]:
    """The daily run's purge: each case goes in its own transaction with its own audit row (a case
    is a record people ask about by its reference), then one row with the run's counts."""
    result = purge_closed_cases(on, mode, organisation)
    counts = {"rows": result.cases, "persons": result.persons}
    if result.cases:
        record(None, AuditAction.DELETE, organisation=organisation, object_type="retention.closed_cases",
               object_id="closed_cases", detail=retention.audit_detail(counts))
    return counts


def ads_held_by_open_cases(organisation: Any) -> QuerySet[Any]:
    return Case.objects.filter(organisation=organisation, status=CaseStatus.OPEN, source_ad__isnull=False).values(
        "source_ad"
    )


def contacts_held_by_open_cases(organisation: Any) -> QuerySet[Any]:
    return Case.objects.filter(
        organisation=organisation, status=CaseStatus.OPEN, source_contact__isnull=False
    ).values("source_contact")


def register_rules() -> None:
    retention.register(Rule(
        key="closed_cases", label=_("Avslutade ärenden med person, insatser, samtycken och remisser"),
        setting="closed_case_retention_months", unit=MONTHS, listing_order=("closed_on",),
        due=lambda org, on: due_for_purge(org, on),
        upcoming=lambda org, today: due_next_month(org, today), purge=do_purge_closed_cases,
        purge_on=lambda case, org: purge_date(case, org),
        cutoff=retention.months_cutoff("closed_case_retention_months"),
        describe=lambda case: gettext("%(reference)s, avslutat %(day)s") % {
            "reference": case.reference, "day": case.closed_on.isoformat() if case.closed_on else "–"},
        link=lambda case: reverse("cases:case_detail", kwargs={"case_id": case.pk}),
        link_capability=Cap.CASES_VIEW,
        models=("cases.Case", "cases.Person", "cases.CaseNeed", "cases.SupportActivity", "cases.IndicatorObservation",
                "cases.SafetyAssessment", "cases.Consent", "cases.Referral", "cases.CaseRoutineStep"),
        order=5,
        explanation=_("Räknas från avslutsdatum. Ärendet raderas helt, med personen när hen inte har något "
                      "annat ärende. Öppna ärenden gallras aldrig."),
    ))
    # the case rests on the ad or contact it started from: kept while the case is open
    retention.register_hold("ads", ads_held_by_open_cases)
    retention.register_hold("contacts", contacts_held_by_open_cases)
