from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from uppsok.cases.models import Case, ExploitationType
from uppsok.outreach.models import Ad, Contact

URL = reverse("cases:case_create")


def make_ad(org, **kw):
    now = timezone.now()
    return Ad.objects.create(organisation=org, fingerprint=f"https://exempel.se/{kw.get('n', 1)}",
                             site="exempel.se", stated_age=19, first_seen=now, last_seen=now)


@pytest.fixture
def ad_a(org_a):
    return make_ad(org_a)


def data():
    return {
        "person-alias": "Vera", "person-age_band": "18-24", "person-gender_identity": "woman",
        "person-population_group": "foreign", "person-languages": "",
        "case-case_type": str(ExploitationType.objects.get(code="trafficking-adult").pk),
        "case-origin": "outreach_online", "case-opened_on": timezone.localdate().isoformat(),
    }


def test_open_case_from_ad_keeps_the_link(client_for, bob, org_a, ad_a):
    c = client_for(bob, org_a)
    form = c.get(URL, {"ad": str(ad_a.pk)})
    assert form.status_code == 200
    assert "startar från en annons" in form.content.decode()
    assert form.context["person_form"]["age_band"].value() == "18-24"  # from the ad's stated age
    r = c.post(URL + f"?ad={ad_a.pk}", data())
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.source_ad == ad_a and case.source_contact is None
    body = c.get(reverse("cases:case_detail", kwargs={"case_id": case.pk})).content.decode()
    assert reverse("outreach:ad_detail", kwargs={"ad_id": ad_a.pk}) in body


def test_open_case_from_contact(client_for, bob, org_a, ad_a):
    contact = Contact.objects.create(organisation=org_a, ad=ad_a, channel="sms", contacted_at=timezone.now())
    client_for(bob, org_a).post(URL + f"?contact={contact.pk}", data())
    case = Case.objects.get()
    assert case.source_contact == contact and case.source_ad == ad_a


def test_deleting_the_ad_keeps_the_case(client_for, bob, org_a, ad_a):
    client_for(bob, org_a).post(URL + f"?ad={ad_a.pk}", data())
    ad_a.delete()
    assert Case.objects.get().source_ad is None


def test_it_checks_ownership(client_for, charlie, org_b, ad_a):
    c = client_for(charlie, org_b)
    assert c.get(URL, {"ad": str(ad_a.pk)}).status_code == 404
    assert c.post(URL + f"?ad={ad_a.pk}", data()).status_code == 404
    contact = Contact.objects.create(organisation=ad_a.organisation, channel="sms", contacted_at=timezone.now())
    assert c.get(URL, {"contact": str(contact.pk)}).status_code == 404
    assert Case.objects.count() == 0


def test_wrong_role_is_refused(client_for, alice, org_a, ad_a):
    assert client_for(alice, org_a).get(URL, {"ad": str(ad_a.pk)}).status_code == 403


def test_malformed_ad_id_is_404(client_for, bob, org_a):
    assert client_for(bob, org_a).get(URL, {"ad": "inte-ett-id"}).status_code == 404
