"""The group page of a large ring: whole-group summaries, the ads a page at a time."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from uppsok.outreach.models import Ad, AdLink, Sighting


def test_large_group_is_paged(alice, org_a, client_for):
    now = timezone.now()
    ads = Ad.objects.bulk_create(
        Ad(organisation=org_a, fingerprint=f"id:ring-{i}", first_seen=now, last_seen=now - timedelta(hours=i),
           title=f"Ring {i:03d}", group_key="g-ring", city="Malmö" if i % 2 else "Lund")
        for i in range(105)
    )
    Sighting.objects.bulk_create(Sighting(ad=a, seen_at=a.last_seen, city=a.city) for a in ads)
    hub = ads[0]
    AdLink.objects.bulk_create(
        [AdLink(organisation=org_a, from_ad=hub, to_ad=a, reasons=["same_phone"]) for a in ads[1:]]
        + [AdLink(organisation=org_a, from_ad=a, to_ad=hub, reasons=["same_phone"]) for a in ads[1:]]
    )
    c = client_for(alice, org_a)
    url = reverse("outreach:ad_group", kwargs={"ad_id": hub.pk})
    r = c.get(url)
    body = r.content.decode()
    assert "Annonser som hänger ihop (105)" in body
    assert "1–100 av 105" in body
    assert "samma telefonnummer: 104" in body  # counted over the whole group, each pair once
    assert [m.title for m in r.context["members"]] == [f"Ring {i:03d}" for i in range(100)]
    assert len(r.context["pairs"]) == 100  # the hub's links, at most 100 on a page
    r2 = c.get(url + "?sida=2")
    assert "101–105 av 105" in r2.content.decode()
    assert [m.title for m in r2.context["members"]] == [f"Ring {i:03d}" for i in range(100, 105)]


def test_overview_counts(alice, org_a, client_for):
    now = timezone.now()
    Ad.objects.create(organisation=org_a, fingerprint="id:1", first_seen=now, last_seen=now)
    body = client_for(alice, org_a).get(reverse("outreach:overview")).content.decode()
    assert "1 annonser, varav 1 nya." in body
