from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from uppsok.outreach.models import Incident, Platform, RiskAssessment, Shift


def test_shift_alone_warning_and_summary(alice, org_a, make_ad, client_for):
    c = client_for(alice, org_a)
    r = c.post(reverse("outreach:shift_start"), {"notes": ""}, follow=True)
    assert "Du arbetar ensam" in r.content.decode()
    shift = Shift.objects.get()
    ad = make_ad()
    c.post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}),
           {"channel": "sms", "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "response": "interested"})
    c.post(reverse("outreach:shift_update", kwargs={"shift_id": shift.pk}), {"ads_reviewed": "12", "debrief_done": "on", "end": "1"})
    shift.refresh_from_db()
    assert shift.ended_at and shift.debrief_done and shift.ads_reviewed == 12
    body = c.get(reverse("outreach:shift_detail", kwargs={"shift_id": shift.pk})).content.decode()
    assert "Intresserad: 1" in body


def test_risk_assessment_and_incident(alice, org_a, client_for):
    c = client_for(alice, org_a)
    r = c.post(reverse("outreach:risk_new"), {"place": "Café", "two_workers": "on"}, follow=True)
    assert "punkter saknas" in r.content.decode()
    assert RiskAssessment.objects.get().two_workers
    c.post(reverse("outreach:incident_new"), {"occurred_at": "2026-01-01T20:00", "severity": "high", "description": "Hot"})
    inc = Incident.objects.get()
    c.post(reverse("outreach:incident_edit", kwargs={"incident_id": inc.pk}),
           {"occurred_at": "2026-01-01T20:00", "severity": "high", "description": "Hot", "follow_up": "Polis", "follow_up_done": "on"})
    inc.refresh_from_db()
    assert inc.follow_up_done


def test_platforms_and_network_coverage(alice, charlie, org_a, org_b, network, client_for):
    c = client_for(alice, org_a)
    c.post(reverse("outreach:platform_add"), {"name": "Rosa", "kind": "escort", "address": "rosasidan.ws", "covered": "on"})
    p = Platform.objects.get()
    c.post(reverse("outreach:platform_account_add", kwargs={"platform_id": p.pk}), {"account_name": "Stödcentrum", "opened_on": "2025-01-01"})
    assert p.accounts.count() == 1
    Platform.objects.create(organisation=org_b, name="Sugar", address="sugardaters.com", covered=False)
    body = c.get(reverse("outreach:platform_coverage")).content.decode()
    assert "sugardaters.com" in body


def test_it_checks_ownership(alice, bob, charlie, org_a, org_b, client_for):
    s = Shift.objects.create(organisation=org_a, started_at=timezone.now())
    p = Platform.objects.create(organisation=org_a, name="P", address="p.se")
    i = Incident.objects.create(organisation=org_a, occurred_at=timezone.now(), description="d")
    other = client_for(charlie, org_b)
    assert other.get(reverse("outreach:shift_detail", kwargs={"shift_id": s.pk})).status_code == 404
    assert other.get(reverse("outreach:platform_detail", kwargs={"platform_id": p.pk})).status_code == 404
    assert other.get(reverse("outreach:incident_edit", kwargs={"incident_id": i.pk})).status_code == 404
    teammate = client_for(bob, org_a)
    assert teammate.post(reverse("outreach:shift_start"), {}).status_code == 403
    assert teammate.get(reverse("outreach:platform_add")).status_code == 403
    assert teammate.get(reverse("outreach:risk_new")).status_code == 403
