"""A person's "no" holds, the network hears it, marks of a leaver stop, a possible child goes the
child route, and looking a person up is audited."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from uppsok.audit.models import AuditEvent
from uppsok.network.models import NetworkMembership
from uppsok.outreach import actions
from uppsok.outreach.models import (
    AdIndicator,
    Contact,
    DoNotContact,
    DoNotContactRemoval,
    MessageTemplate,
    NetworkContactMark,
)


def _post(**extra):
    data = {"channel": "sms", "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "response": "none"}
    data.update(extra)
    return data


def test_no_further_creates_the_block_for_the_confirmed_period(alice, org_a, make_ad, client_for):
    ad = make_ad(phone="070-111 22 33", profile_name="Lina")
    c = client_for(alice, org_a)
    page = c.get(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk})).content.decode()
    assert 'name="block_months"' in page and 'value="6"' in page
    r = c.post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}), _post(response="no_further", block_months="3"))
    assert r.status_code == 302
    blocks = {(b.kind, b.value): b for b in DoNotContact.objects.all()}
    assert set(blocks) == {("phone", "+46701112233"), ("profile", "lina")}
    days = (blocks[("phone", "+46701112233")].expires_at - timezone.now()).days
    assert 85 <= days <= 90
    assert actions.blocked_identities(org_a, ad)


def test_no_further_without_a_period_is_refused_and_nothing_saved(alice, org_a, make_ad, client_for):
    ad = make_ad()
    c = client_for(alice, org_a)
    r = c.post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}), _post(response="no_further", block_months=""))
    assert r.status_code == 200 and "Ange hur länge kontaktspärren ska gälla." in r.content.decode()
    assert not Contact.objects.exists() and not DoNotContact.objects.exists()


def test_removing_a_block_needs_confirmation_and_a_reason(alice, org_a, client_for):
    e = actions.do_add_do_not_contact(alice, org_a, kind="profile", value="Mira")
    c = client_for(alice, org_a)
    url = reverse("outreach:dnc_delete", kwargs={"dnc_id": e.pk})
    assert c.get(url).status_code == 200
    assert c.post(url, {}).status_code == 200
    assert c.post(url, {"reason": "kort"}).status_code == 200
    assert DoNotContact.objects.filter(pk=e.pk).exists()
    r = c.post(url, {"reason": "Personen har själv ringt och vill ha stöd."})
    assert r.status_code == 302 and not DoNotContact.objects.filter(pk=e.pk).exists()
    removal = DoNotContactRemoval.objects.get()
    assert removal.removed_by == alice and "själv ringt" in removal.reason
    row = AuditEvent.objects.get(action="delete", object_type="outreach.donotcontact")
    assert "själv" not in row.detail and "mira" not in row.detail


def test_network_hears_declined_today_and_not_from_a_leaver(alice, charlie, org_a, org_b, network, make_ad, client_for):
    ad = make_ad(phone="070-999 11 22")
    client_for(alice, org_a).post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}),
                                  _post(response="no_further", block_months="6"))
    assert NetworkContactMark.objects.filter(declined=True).exists()
    other_ad = make_ad(org=org_b, phone="0709991122", url="https://o.se/1", profile_name="Zed")
    url = reverse("outreach:ad_detail", kwargs={"ad_id": other_ad.pk})
    body = client_for(charlie, org_b).get(url).content.decode()
    assert "Avböjt – kontakta inte." in body and "i dag" in body
    NetworkMembership.objects.filter(network=network, organisation=org_a).delete()
    body = client_for(charlie, org_b).get(url).content.decode()
    assert "Avböjt" not in body and "har haft kontakt" not in body


def test_marks_are_purged_after_their_period_and_when_the_organisation_left(alice, org_a, org_b, network):
    NetworkContactMark.objects.create(network=network, organisation=org_a, digest="a" * 64,
                                      contacted_on=timezone.now().date() - timedelta(days=400))
    NetworkContactMark.objects.create(network=network, organisation=org_a, digest="b" * 64,
                                      contacted_on=timezone.now().date())
    NetworkContactMark.objects.create(network=network, organisation=org_b, digest="c" * 64,
                                      contacted_on=timezone.now().date())
    NetworkMembership.objects.filter(network=network, organisation=org_b).delete()
    from uppsok.outreach.tasks import purge_network_marks_task

    purge_network_marks_task.enqueue()
    assert list(NetworkContactMark.objects.values_list("digest", flat=True)) == ["b" * 64]


def test_possible_child_gets_the_child_route_first(alice, org_a, make_ad, client_for):
    MessageTemplate.objects.create(organisation=org_a, name="Första vuxen", body="Hej {profil}, vi finns här")
    ad = make_ad(text="Tjej 16 år, ny i stan", profile_name="Ella")
    AdIndicator.objects.get_or_create(ad=ad, code="possible_minor", defaults={"organisation": org_a, "evidence": "16 år"})
    c = client_for(alice, org_a)
    page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert page.index("Kan vara ett barn") < page.index("Logga kontakt")
    assert "orosanmälan till socialtjänsten i den kommun där barnet bor" in page
    contact_page = c.get(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk})).content.decode()
    assert "Hej Ella, vi finns här" not in contact_page and "Första vuxen" not in contact_page
    tip_page = c.get(reverse("outreach:tip_new", kwargs={"ad_id": ad.pk})).content.decode()
    assert re.search(r'value="orosanmalan"[^>]*checked', tip_page)
    assert not re.search(r'value="anonymous_tip"[^>]*checked', tip_page)
    adult = make_ad(url="https://x.se/adult", profile_name="Vera", text="Mogen kvinna 35 år")
    assert "Kan vara ett barn" not in c.get(reverse("outreach:ad_detail", kwargs={"ad_id": adult.pk})).content.decode()
    assert "Första vuxen" in c.get(reverse("outreach:contact_add", kwargs={"ad_id": adult.pk})).content.decode()


def test_age_outside_the_organisations_range_is_shown(alice, org_a, make_ad, client_for):
    org_a.serves_age_min, org_a.serves_age_max = 18, 25
    org_a.save()
    ad = make_ad(profile_name="Nova")
    ad.stated_age = 40
    ad.save(update_fields=["stated_age"])
    page = client_for(alice, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert "utanför organisationens målgrupp" in page


def test_prefilled_block_form_and_searches_are_audited(alice, org_a, make_ad, client_for):
    ad = make_ad(phone="070-222 33 44")
    c = client_for(alice, org_a)
    before = AuditEvent.objects.filter(action="view", object_id=str(ad.pk)).count()
    c.get(reverse("outreach:dnc_list") + f"?annons={ad.pk}")
    assert AuditEvent.objects.filter(action="view", object_id=str(ad.pk)).count() == before + 1
    c.get(reverse("outreach:ad_list") + "?q=070-222+33+44")
    c.get(reverse("outreach:ad_list") + "?q=Anna")
    rows = list(AuditEvent.objects.filter(action="search"))
    assert {r.object_id for r in rows} == {"ad_phone", "ad_profile"}
    assert all("46702223344" not in r.detail and "anna" not in r.detail.lower().split("term=")[0] for r in rows)
    assert all(r.organisation_id == org_a.pk for r in rows)
