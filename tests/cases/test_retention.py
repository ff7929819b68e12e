from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from uppsok.audit.models import AuditEvent
from uppsok.cases import actions
from uppsok.cases.models import (
    Case,
    CaseNeed,
    Consent,
    Person,
    Referral,
    SafetyAssessment,
    SupportActivity,
)
from uppsok.cases.retention import add_months, due_for_purge, due_next_month, purge_closed_cases

from .conftest import make_case, make_consent

TODAY = datetime.date(2026, 6, 15)


def closed_case(org, worker, closed_on, **kw):
    case = make_case(org, worker, opened_on=closed_on - datetime.timedelta(days=30), **kw)
    CaseNeed.objects.create(organisation=org, case=case, area="housing", expressed_at_start=True, met_at_close="yes")
    SupportActivity.objects.create(organisation=org, case=case, kind="support_conversation", duration_minutes=45,
                                   note="Pratade om boende hos Riktigtnamn", date=closed_on)
    SafetyAssessment.objects.create(organisation=org, case=case, safe_when_leaving="no", controlled_by_other="yes",
                                    children_involved="no", risk_level="high")
    consent = make_consent(case, to_whom="X")
    actions.do_create_referral(worker, case, capabilities=[], summary="Hemligt", external_recipient="X", consent=consent)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=closed_on)
    case.refresh_from_db()
    return case


def test_add_months():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 3, 15), -24) == datetime.date(2024, 3, 15)


def test_delete_leaves_no_trace(org_a, bob):
    old = closed_case(org_a, bob, add_months(TODAY, -25))
    recent = closed_case(org_a, bob, add_months(TODAY, -3), alias="Kvar")
    open_case = make_case(org_a, bob, alias="Öppen", opened_on=datetime.date(2020, 1, 1))
    result = purge_closed_cases(TODAY, "delete")
    assert result.cases == 1 and result.persons == 1
    assert not Case.objects.filter(pk=old.pk).exists()
    assert not Person.objects.filter(pk=old.person_id).exists()
    for model in (CaseNeed, SupportActivity, SafetyAssessment, Consent, Referral):
        assert not model.objects.filter(case_id=old.pk).exists(), model
    assert Case.objects.filter(pk__in=[recent.pk, open_case.pk]).count() == 2
    event = AuditEvent.objects.get(action="delete", object_id=str(old.pk))
    assert event.detail == "retention:delete"


def test_anonymise_keeps_only_statistics(org_a, bob):
    old = closed_case(org_a, bob, datetime.date(2024, 5, 20))
    purge_closed_cases(TODAY, "anonymise")
    old.refresh_from_db()
    assert old.anonymised_at is not None and old.person_id is None and old.case_worker_id is None
    assert old.closed_on == datetime.date(2024, 5, 1) and old.close_note == ""
    assert not Person.objects.filter(alias="Mira").exists()
    assert CaseNeed.objects.filter(case=old, met_at_close="yes").exists()
    assert SupportActivity.objects.get(case=old).note == ""
    assert not Consent.objects.filter(case=old).exists() and not Referral.objects.filter(case=old).exists()
    assert not SafetyAssessment.objects.filter(case=old).exists()
    assert not due_for_purge(org_a, TODAY).exists()


def test_person_with_another_case_is_kept(org_a, bob):
    old = closed_case(org_a, bob, datetime.date(2024, 1, 1))
    make_case(org_a, bob, person=old.person)
    purge_closed_cases(TODAY, "delete")
    assert Person.objects.filter(pk=old.person_id).exists()


def test_organisation_period_is_respected(org_a, org_b, bob, charlie):
    org_b.closed_case_retention_months = 6
    org_b.save()
    a = closed_case(org_a, bob, add_months(TODAY, -8))
    b = closed_case(org_b, charlie, add_months(TODAY, -8), alias="Bea")
    purge_closed_cases(TODAY)
    assert Case.objects.filter(pk=a.pk).exists()
    assert not Case.objects.filter(pk=b.pk).exists()


def test_next_month_list(org_a, bob):
    soon = closed_case(org_a, bob, add_months(TODAY, -24) + datetime.timedelta(days=10))
    later = closed_case(org_a, bob, add_months(TODAY, -24) + datetime.timedelta(days=45), alias="Senare")
    ids = set(due_next_month(org_a, TODAY).values_list("pk", flat=True))
    assert soon.pk in ids and later.pk not in ids


def test_command(org_a, bob):
    closed_case(org_a, bob, datetime.date(2020, 1, 1))
    out = StringIO()
    call_command("purge_closed_cases", "--dry-run", "--date", TODAY.isoformat(), stdout=out)
    assert "1 closed case(s) would be purged" in out.getvalue()
    assert Case.objects.count() == 1
    call_command("purge_closed_cases", "--date", TODAY.isoformat(), stdout=out)
    assert Case.objects.count() == 0


def test_retention_page(client_for, dana, org_a, bob):
    from django.utils import timezone

    today = timezone.localdate()
    soon = closed_case(org_a, bob, add_months(today, -24) + datetime.timedelta(days=5))
    # the old address leads to the page for every kind of personal data
    r = client_for(dana, org_a).get(reverse("cases:retention"), follow=True)
    body = r.content.decode()
    assert r.status_code == 200 and soon.reference in body
    assert "Mira" not in body  # the page lists references, not people


def test_it_checks_ownership(client_for, charlie, org_b, org_a, bob):
    from django.utils import timezone

    soon = closed_case(org_a, bob, add_months(timezone.localdate(), -24) + datetime.timedelta(days=5))
    body = client_for(charlie, org_b).get(reverse("cases:retention"), follow=True).content.decode()
    assert soon.reference not in body


def test_wrong_role_is_refused(client_for, bob, org_a):
    assert client_for(bob, org_a).get(reverse("cases:retention")).status_code == 403


def test_deleted_case_leaves_no_text_anywhere_in_the_database(org_a, bob):
    """Dump every table after the purge: no alias, identity, note or summary of the case survives."""
    closed_case(org_a, bob, datetime.date(2020, 1, 1), alias="Unikalias")
    out = StringIO()
    call_command("dumpdata", "cases", "audit", stdout=out)
    assert "Unikalias" in out.getvalue()  # the check below can see the data when it is there
    purge_closed_cases(TODAY, "delete")
    out = StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    for text in ("Unikalias", "Riktigtnamn", "19990101-1234", "Pratade om boende", "Hemligt"):
        assert text not in dump, text
