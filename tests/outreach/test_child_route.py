"""An ad that may be about a child shows the child route first and never an adult's first message."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from uppsok.outreach.models import AdIndicator, Contact, MessageTemplate


def _flag_minor(ad, org, status=AdIndicator.Status.FOUND):
    AdIndicator.objects.update_or_create(ad=ad, code="possible_minor", source=AdIndicator.Source.AUTO,
                                         defaults={"organisation": org, "evidence": "16 år", "status": status})


def test_possible_child_gets_the_child_route_first(alice, org_a, make_ad, client_for):
    MessageTemplate.objects.create(organisation=org_a, name="Första vuxen", body="Hej {profil}, vi finns här")
    ad = make_ad(text="Tjej 16 år, ny i stan", profile_name="Ella")
    _flag_minor(ad, org_a)
    c = client_for(alice, org_a)
    page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert page.index("Kan vara ett barn") < page.index("Logga kontakt")
    assert "polisanmälan" in page.lower()
    assert "orosanmälan till socialtjänsten i den kommun där barnet bor" in page
    # "Logga kontakt" is there but not the main action
    assert re.search(r'class="button secondary"[^>]*>Logga kontakt', page)
    contact_page = c.get(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk})).content.decode()
    assert "Hej Ella, vi finns här" not in contact_page and "Första vuxen" not in contact_page
    tip_page = c.get(reverse("outreach:tip_new", kwargs={"ad_id": ad.pk})).content.decode()
    assert re.search(r'value="orosanmalan"[^>]*checked', tip_page)
    assert not re.search(r'value="anonymous_tip"[^>]*checked', tip_page)


def test_an_adult_template_cannot_be_posted_for_a_possible_child(alice, org_a, make_ad, client_for):
    tpl = MessageTemplate.objects.create(organisation=org_a, name="Första vuxen", body="Hej {profil}")
    ad = make_ad(profile_name="Ella")
    _flag_minor(ad, org_a)
    data = {"channel": "sms", "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "response": "none",
            "template": str(tpl.pk)}
    r = client_for(alice, org_a).post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}), data)
    assert r.status_code == 200 and not Contact.objects.exists()


def test_adult_ad_keeps_the_ordinary_route(alice, org_a, make_ad, client_for):
    MessageTemplate.objects.create(organisation=org_a, name="Första vuxen", body="Hej {profil}, vi finns här")
    adult = make_ad(url="https://x.se/adult", profile_name="Vera", text="Mogen kvinna 35 år")
    c = client_for(alice, org_a)
    page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": adult.pk})).content.decode()
    assert "Kan vara ett barn" not in page
    assert "Första vuxen" in c.get(reverse("outreach:contact_add", kwargs={"ad_id": adult.pk})).content.decode()
    tip_page = c.get(reverse("outreach:tip_new", kwargs={"ad_id": adult.pk})).content.decode()
    assert re.search(r'value="anonymous_tip"[^>]*checked', tip_page)


def test_a_dismissed_flag_without_a_child_age_is_the_ordinary_route(alice, org_a, make_ad, client_for):
    ad = make_ad(profile_name="Vera")
    _flag_minor(ad, org_a, AdIndicator.Status.DISMISSED)
    page = client_for(alice, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert "Kan vara ett barn" not in page


def test_a_stated_age_under_18_is_the_child_route(alice, org_a, make_ad, client_for):
    ad = make_ad(profile_name="Nova")
    ad.stated_age = 17
    ad.save(update_fields=["stated_age"])
    ad.indicators.filter(code="possible_minor").delete()
    page = client_for(alice, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert "Kan vara ett barn" in page


def test_age_outside_the_organisations_range_is_shown(alice, org_a, make_ad, client_for):
    org_a.serves_age_min, org_a.serves_age_max = 20, 25
    org_a.save()
    c = client_for(alice, org_a)
    for age in (40, 19):
        ad = make_ad(profile_name=f"Nova {age}", url=f"https://x.se/{age}")
        ad.stated_age = age
        ad.save(update_fields=["stated_age"])
        page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
        assert "utanför organisationens målgrupp (20–25 år)" in page
        assert "Kan vara ett barn" not in page
