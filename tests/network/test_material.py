"""Step 3's stakeholder analysis, step 4's knowledge bank, Helsingborg's plan as a start, and the
development levels of step 7 kept over time."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uppsok.network.models import PlanActivity, Resource, Stakeholder, StepEntry, SubGoal, YearlyTarget

pytestmark = pytest.mark.django_db


def test_stakeholders_with_scores_1_to_5_and_the_chart(client_for, nora, hugo, network):
    c = client_for(nora)
    url = reverse("network:stakeholders", kwargs={"network_id": network.pk})
    c.post(url, {"actor": "Hotellgruppen", "influence": "4", "support": "2", "reason": "Rädda för ryktet",
                 "level": "networking"})
    c.post(url, {"actor": "Fastighetsbolaget", "influence": "4", "support": "2"})
    assert c.post(url, {"actor": "Fel", "influence": "6", "support": "2"}).status_code == 200
    assert Stakeholder.objects.count() == 2
    page = client_for(hugo).get(url).content.decode()
    assert "<svg" in page and page.count("<circle") == 2 and "Hotellgruppen" in page
    row = Stakeholder.objects.get(actor="Hotellgruppen")
    edit = reverse("network:stakeholder_edit", kwargs={"network_id": network.pk, "stakeholder_id": row.pk})
    assert client_for(hugo).get(edit).status_code == 403
    c.post(edit, {"actor": "Hotellgruppen", "influence": "4", "support": "4", "result": "Utbildning bokad"})
    row.refresh_from_db()
    assert row.support == 4 and row.result == "Utbildning bokad"


def test_knowledge_bank_links_files_and_search(client_for, nora, hugo, network, alice, org_a):
    c = client_for(nora)
    url = reverse("network:knowledge_bank", kwargs={"network_id": network.pk})
    c.post(url, {"title": "Kunskapsstöd om människohandel", "url": "https://example.org/stod", "category": "knowledge",
                 "focus": "sexuell exploatering"})
    pdf = SimpleUploadedFile("rutin.pdf", b"%PDF-1.4 rutin", content_type="application/pdf")
    c.post(url, {"title": "Rutin för hotell", "file": pdf, "category": "tool"})
    # neither link nor file; an executable
    assert c.post(url, {"title": "Tom", "category": "tool"}).status_code == 200
    exe = SimpleUploadedFile("verktyg.exe", b"MZ", content_type="application/octet-stream")
    assert c.post(url, {"title": "Program", "file": exe, "category": "tool"}).status_code == 200
    assert Resource.objects.count() == 2
    page = client_for(hugo).get(url + "?q=hotell").content.decode()
    assert "Rutin för hotell" in page and "Kunskapsstöd om" not in page
    page = client_for(alice, org_a).get(url + "?category=knowledge").content.decode()
    assert "Kunskapsstöd om" in page and "Rutin för hotell" not in page
    res = Resource.objects.get(title="Rutin för hotell")
    download = client_for(hugo).get(reverse("network:resource_file", kwargs={"network_id": network.pk, "resource_id": res.pk}))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_file_of_another_network_is_404(client_for, nora, network, other_network, olle):
    from django.core.files.base import ContentFile

    res = Resource(network=network, title="Vår", file_name="v.pdf")
    res.file.save("v.pdf", ContentFile(b"%PDF"), save=False)
    res.save()
    r = client_for(olle).get(reverse("network:resource_file", kwargs={"network_id": other_network.pk, "resource_id": res.pk}))
    assert r.status_code == 404


def test_helsingborgs_plan_as_a_start_only_into_an_empty_plan(client_for, nora, network):
    c = client_for(nora)
    url = reverse("network:plan_from_example", kwargs={"network_id": network.pk})
    c.post(url)
    assert SubGoal.objects.filter(network=network).count() == 5
    assert YearlyTarget.objects.filter(network=network).count() == 6
    assert PlanActivity.objects.filter(network=network).exists()
    vision = StepEntry.objects.get(network=network, step=6, part="vision")
    assert "nolltolerans" in vision.data["vision"]
    r = c.post(url, follow=True)
    assert "redan delmål" in r.content.decode()
    assert SubGoal.objects.filter(network=network).count() == 5


def test_development_levels_are_kept_over_time(client_for, nora, network):
    c = client_for(nora)
    part = reverse("network:step_part", kwargs={"network_id": network.pk, "number": 7, "part": "utvecklingsniva"})
    c.post(part, {"current": "1", "wanted": "3", "needed": "Gemensam rutin"})
    c.post(part, {"current": "2", "wanted": "3", "needed": "Utbildning"})
    page = c.get(reverse("network:step", kwargs={"network_id": network.pk, "number": 7})).content.decode()
    assert "Utvecklingsnivån över tid" in page and "Den reaktiva mottagaren" in page and "Den förberedda krishanteraren" in page


def test_the_escort_site_log_counts_the_members_ads_and_shows_none_of_them(client_for, hugo, network, org_a, alice):
    import datetime

    from django.utils import timezone

    from tests.factories import make_org
    from uppsok.outreach.models import Ad, Shift, Sighting

    now = timezone.now()
    outsider = make_org("utanfor")
    for org, site, n in ((org_a, "Escortsida.se", 3), (outsider, "escortsida.se", 5)):
        for i in range(n):
            ad = Ad.objects.create(organisation=org, fingerprint=f"{org.slug}-{i}", site=site, first_seen=now,
                                   last_seen=now, profile_name=f"Hemligt namn {i}", text="070-123 45 67")
            Sighting.objects.create(ad=ad, seen_at=now, site=site)
    Shift.objects.create(organisation=org_a, started_at=now - datetime.timedelta(hours=2), ads_reviewed=40)
    page = client_for(hugo).get(reverse("outreach:network_escort_log", kwargs={"network_id": network.pk})).content.decode()
    assert "escortsida.se" in page
    assert "<td>3 (3)</td>" in page  # the member's three ads, not the outsider's five
    assert "<td>1 (40)</td>" in page
    assert "Hemligt namn" not in page and "070" not in page and org_a.name not in page
