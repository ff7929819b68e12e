"""Every page that shows a person's data writes a view row; a search by alias is logged without the term."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from uppsok.audit.log import keyed_digest
from uppsok.audit.models import AuditEvent
from uppsok.outreach.models import Contact

from .conftest import make_case, make_consent
from .test_case_from_outreach import make_ad


def views_of(obj):
    return AuditEvent.objects.filter(action="view", object_type=obj._meta.label_lower, object_id=str(obj.pk))


def test_editing_a_person_is_a_view(client_for, ida, org_a, case_a):
    person = case_a.person
    r = client_for(ida, org_a).get(reverse("cases:person_edit", kwargs={"person_id": person.pk}))
    assert r.status_code == 200 and "19990101-1234" in r.content.decode()
    event = views_of(person).get()
    assert event.actor_id == ida.pk and event.organisation_id == org_a.pk


def test_new_case_prefilled_from_a_person_is_a_view(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).get(reverse("cases:case_create"), {"person": str(case_a.person.pk)})
    assert r.status_code == 200 and "Mira" in r.content.decode()
    assert views_of(case_a.person).filter(actor_id=bob.pk).count() == 1


def test_new_case_from_an_ad_or_contact_is_a_view(client_for, bob, org_a):
    ad = make_ad(org_a)
    c = client_for(bob, org_a)
    assert c.get(reverse("cases:case_create"), {"ad": str(ad.pk)}).status_code == 200
    assert views_of(ad).count() == 1
    contact = Contact.objects.create(organisation=org_a, ad=ad, channel="sms", contacted_at=timezone.now(), worker=bob)
    assert c.get(reverse("cases:case_create"), {"contact": str(contact.pk)}).status_code == 200
    assert views_of(contact).count() == 1


def test_new_referral_page_is_a_view_of_the_case(client_for, bob, org_a, org_b, case_a, network):
    make_consent(case_a, org_b)
    r = client_for(bob, org_a).get(reverse("cases:referral_create", kwargs={"case_id": case_a.pk}))
    assert r.status_code == 200 and "Sammanfattning om boende och hälsa" in r.content.decode()
    assert views_of(case_a).filter(actor_id=bob.pk).count() == 1


@pytest.mark.parametrize("name", ["case_edit", "needs", "case_close", "indicators"])
def test_case_forms_that_show_the_case_are_views(client_for, bob, org_a, case_a, name):
    assert client_for(bob, org_a).get(reverse(f"cases:{name}", kwargs={"case_id": case_a.pk})).status_code == 200
    assert views_of(case_a).filter(actor_id=bob.pk).count() == 1


def test_posting_a_form_is_not_a_view(client_for, bob, org_a, case_a):
    client_for(bob, org_a).post(reverse("cases:needs", kwargs={"case_id": case_a.pk}), {"areas": ["housing"]})
    assert not views_of(case_a).exists()


def test_alias_search_is_logged_without_the_term(client_for, bob, org_a, case_a):
    make_case(org_a, bob, alias="Miranda")
    c = client_for(bob, org_a)
    r = c.get(reverse("cases:case_list"), {"q": "Mira"})
    assert r.status_code == 200
    event = AuditEvent.objects.get(action="search")
    assert event.actor_id == bob.pk and event.organisation_id == org_a.pk
    assert "Mira" not in event.detail and "mira" not in event.detail
    assert keyed_digest("Mira", purpose="search") in event.detail and "results=2" in event.detail
    # Filtering without a search term is not a look-up of a person.
    c.get(reverse("cases:case_list"), {"status": "open"})
    assert AuditEvent.objects.filter(action="search").count() == 1
