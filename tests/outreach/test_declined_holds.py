"""Setting a kontaktspärr by hand: a write of its own, refused and logged for a reader, and never a
silently empty form for an ad that is not the organisation's."""

from __future__ import annotations

from django.urls import reverse

from uppsok.audit.models import AuditEvent
from uppsok.outreach import actions
from uppsok.outreach.models import DoNotContact, NetworkContactMark


def test_the_block_form_prefilled_from_an_ad_sets_the_block(alice, org_a, network, make_ad, client_for):
    ad = make_ad(phone="070-222 55 66", profile_name="Siri")
    c = client_for(alice, org_a)
    ad_page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    form_url = reverse("outreach:dnc_add") + f"?annons={ad.pk}"
    assert form_url in ad_page
    page = c.get(form_url).content.decode()
    assert 'value="+46702225566"' in page
    r = c.post(form_url, {"kind": "phone", "value": "+46702225566"})
    assert r.status_code == 302 and r["Location"] == reverse("outreach:dnc_list")
    entry = DoNotContact.objects.get()
    assert entry.ad == ad and entry.value == "+46702225566" and entry.created_by == alice
    assert actions.blocked_identities(org_a, ad)
    assert NetworkContactMark.objects.get().declined


def test_a_reader_cannot_set_a_block_and_the_attempt_is_logged(bob, org_a, client_for):
    url = reverse("outreach:dnc_add")
    r = client_for(bob, org_a).post(url, {"kind": "profile", "value": "Mira"})
    assert r.status_code == 403 and not DoNotContact.objects.exists()
    denied = AuditEvent.objects.get(action="permission_denied", object_id=url)
    assert denied.organisation_id == org_a.pk and denied.detail == "outreach.edit"
    # the list stays readable, without the form that would only be refused
    page = client_for(bob, org_a).get(reverse("outreach:dnc_list")).content.decode()
    assert r.status_code == 403 and f'action="{url}' not in page


def test_the_list_posts_nothing_itself(alice, org_a, client_for):
    r = client_for(alice, org_a).post(reverse("outreach:dnc_list"), {"kind": "profile", "value": "Mira"})
    assert r.status_code == 405 and not DoNotContact.objects.exists()


def test_a_block_form_for_an_ad_that_is_not_ours_is_not_found(alice, charlie, org_a, org_b, make_ad, client_for):
    ad = make_ad(phone="070-222 55 77")
    other = client_for(charlie, org_b)
    assert other.get(reverse("outreach:dnc_add") + f"?annons={ad.pk}").status_code == 404
    assert other.post(reverse("outreach:dnc_add") + f"?annons={ad.pk}",
                      {"kind": "phone", "value": "070-222 55 77"}).status_code == 404
    assert client_for(alice, org_a).get(reverse("outreach:dnc_add") + "?annons=inte-ett-id").status_code == 404
    assert not DoNotContact.objects.exists()
