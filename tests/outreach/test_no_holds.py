"""A person's "Vill inte bli kontaktad igen" is itself the kontaktspärr, and lifting one needs a reason."""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from uppsok.audit.models import AuditEvent
from uppsok.outreach import actions
from uppsok.outreach.models import Contact, DoNotContact, DoNotContactRemoval, NetworkContactMark


def _post(**extra):
    data = {"channel": "sms", "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "response": "none"}
    data.update(extra)
    return data


def _migration(name):
    return importlib.import_module(f"uppsok.outreach.migrations.{name}")


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
    # the next contact is refused: the "no" holds
    r = c.post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}), _post())
    assert Contact.objects.count() == 1


def test_no_further_without_a_period_is_refused_and_nothing_saved(alice, org_a, make_ad, client_for):
    ad = make_ad()
    c = client_for(alice, org_a)
    r = c.post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}), _post(response="no_further", block_months=""))
    assert r.status_code == 200 and "Ange hur länge kontaktspärren ska gälla." in r.content.decode()
    assert not Contact.objects.exists() and not DoNotContact.objects.exists()


def test_the_period_may_be_as_long_as_the_organisation_keeps_blocks(alice, org_a, make_ad, client_for):
    # The organisation may keep a kontaktspärr up to 36 months; its own default must be accepted.
    org_a.do_not_contact_months = 36
    org_a.save(update_fields=["do_not_contact_months"])
    ad = make_ad(phone="070-111 22 44", profile_name="Maja")
    c = client_for(alice, org_a)
    page = c.get(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk})).content.decode()
    assert 'value="36"' in page
    r = c.post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}), _post(response="no_further", block_months="36"))
    assert r.status_code == 302
    assert (DoNotContact.objects.get(kind="phone").expires_at - timezone.now()).days >= 1075


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
    assert removal.removed_by == alice and removal.organisation == org_a and "själv ringt" in removal.reason
    row = AuditEvent.objects.get(action="delete", object_type="outreach.donotcontact")
    assert row.object_id == str(e.pk) and row.detail == f"removal={removal.pk}"


def test_earlier_noes_get_their_block_by_migration(alice, org_a, make_ad):
    ad = make_ad(phone="070-333 44 55", profile_name="Nora")
    Contact.objects.create(organisation=org_a, ad=ad, worker=alice, channel="sms", response="no_further",
                           contacted_at=timezone.now() - timedelta(days=10))
    assert not DoNotContact.objects.exists()
    _migration("0005_blocks_for_earlier_noes").add_missing_blocks(apps, None)
    assert {(b.kind, b.value) for b in DoNotContact.objects.all()} == {("phone", "+46703334455"), ("profile", "nora")}
    assert actions.blocked_identities(org_a, ad)


def test_earlier_noes_are_declined_in_the_network_by_migration(alice, org_a, network, make_ad):
    ad = make_ad(phone="070-333 44 66", profile_name="Olga")
    when = timezone.now() - timedelta(days=3)
    actions.do_log_contact(alice, org_a, ad, {"channel": "sms", "contacted_at": when, "response": "none"})
    # an answer recorded before "no" was shared in the network: its marks said only "contacted"
    Contact.objects.update(response="no_further")
    other = make_ad(phone="070-333 44 77", profile_name="Petra", url="https://x.se/other")
    actions.do_log_contact(alice, org_a, other, {"channel": "sms", "contacted_at": when, "response": "none"})
    Contact.objects.filter(ad=other).update(response="interested")
    assert not NetworkContactMark.objects.filter(declined=True).exists()
    _migration("0006_earlier_noes_declined_in_networks").mark_earlier_noes_declined(apps, None)
    declined = set(NetworkContactMark.objects.filter(declined=True).values_list("digest", flat=True))
    expected = {actions.network_digest(network.hash_secret, k, v) for k, v in actions.identities_of_ad(ad)}
    assert declined == expected
