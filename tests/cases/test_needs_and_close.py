from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from uppsok.cases.models import CaseNeed


def needs_url(case):
    return reverse("cases:needs", kwargs={"case_id": case.pk})


def close_url(case):
    return reverse("cases:case_close", kwargs={"case_id": case.pk})


def test_needs_at_start_are_saved(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(needs_url(case_a), {"areas": ["housing", "economy", "mental_health"]})
    assert r.status_code == 302
    assert set(CaseNeed.objects.filter(case=case_a, expressed_at_start=True).values_list("area", flat=True)) == {
        "housing", "economy", "mental_health"
    }


def test_unknown_need_is_refused(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(needs_url(case_a), {"areas": ["housing", "flyg"]})
    assert r.status_code == 200
    assert CaseNeed.objects.count() == 0


def test_close_records_needs_met(client_for, bob, org_a, case_a):
    c = client_for(bob, org_a)
    c.post(needs_url(case_a), {"areas": ["housing", "economy"]})
    today = timezone.localdate().isoformat()
    r = c.post(close_url(case_a), {"met_housing": "yes", "met_economy": "partly", "closed_on": today})
    assert r.status_code == 302
    case_a.refresh_from_db()
    assert case_a.status == "closed" and case_a.closed_on.isoformat() == today
    assert dict(CaseNeed.objects.filter(case=case_a).values_list("area", "met_at_close")) == {
        "housing": "yes", "economy": "partly"
    }
    body = c.get(reverse("cases:case_detail", kwargs={"case_id": case_a.pk})).content.decode()
    assert "1 av 2 uttryckta behov tillgodosedda, 1 delvis." in body


def test_close_needs_every_expressed_need_answered(client_for, bob, org_a, case_a):
    c = client_for(bob, org_a)
    c.post(needs_url(case_a), {"areas": ["housing", "economy"]})
    r = c.post(close_url(case_a), {"met_housing": "yes", "closed_on": timezone.localdate().isoformat()})
    assert r.status_code == 200
    case_a.refresh_from_db()
    assert case_a.status == "open"
    assert not CaseNeed.objects.exclude(met_at_close="").exists()


def test_close_before_start_is_refused(client_for, bob, org_a, case_a):
    before = (case_a.opened_on - datetime.timedelta(days=3)).isoformat()
    r = client_for(bob, org_a).post(close_url(case_a), {"closed_on": before})
    assert "Avslutsdatum kan inte vara före startdatum." in r.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == "open"


def test_it_checks_ownership(client_for, charlie, org_b, case_a):
    c = client_for(charlie, org_b)
    for u in (needs_url(case_a), close_url(case_a)):
        assert c.get(u).status_code == 404
        assert c.post(u, {"areas": ["housing"], "closed_on": "2026-01-01"}).status_code == 404
    case_a.refresh_from_db()
    assert case_a.status == "open" and CaseNeed.objects.count() == 0


def test_wrong_role_is_refused(client_for, alice, org_a, case_a):
    assert client_for(alice, org_a).post(needs_url(case_a), {"areas": ["housing"]}).status_code == 403
    assert client_for(alice, org_a).get(close_url(case_a)).status_code == 403


def test_reopen(client_for, bob, org_a, case_a):
    c = client_for(bob, org_a)
    c.post(close_url(case_a), {"closed_on": timezone.localdate().isoformat()})
    c.post(reverse("cases:case_reopen", kwargs={"case_id": case_a.pk}))
    case_a.refresh_from_db()
    assert case_a.status == "open" and case_a.closed_on is None


def test_reopen_checks_ownership(client_for, charlie, org_b, case_a):
    assert client_for(charlie, org_b).post(reverse("cases:case_reopen", kwargs={"case_id": case_a.pk})).status_code == 404
