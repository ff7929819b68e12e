from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from uppsok.core.errors import ActionError
from uppsok.outreach import actions
from uppsok.outreach.imports import parse_jsonl
from uppsok.outreach.models import Ad, Contact, DoNotContact, MessageTemplate, NetworkContactMark


def _contact_post(**extra):
    data = {"channel": "sms", "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "response": "none"}
    data.update(extra)
    return data


def test_log_contact_with_signs(alice, org_a, make_ad, client_for):
    ad = make_ad()
    c = client_for(alice, org_a)
    r = c.post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}), _contact_post(sign_price_list="on"))
    assert r.status_code == 302
    contact = Contact.objects.get()
    assert contact.worker == alice and contact.sign_price_list
    assert ad.indicators.filter(code="contact_price_list").exists()
    ad.refresh_from_db()
    assert ad.status == "contacted"


def test_network_mark_is_hmac_and_warns_other_member(alice, charlie, org_a, org_b, network, make_ad, client_for):
    ad = make_ad(phone="070-999 88 77")
    client_for(alice, org_a).post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}), _contact_post())
    marks = list(NetworkContactMark.objects.all())
    assert marks and all("46709998877" not in m.digest for m in marks)
    assert all(len(m.digest) == 64 for m in marks)
    other_ad = make_ad(org=org_b, phone="0709998877", url="https://other.se/1", profile_name="Zed")
    body = client_for(charlie, org_b).get(reverse("outreach:ad_detail", kwargs={"ad_id": other_ad.pk})).content.decode()
    assert "i dag" in body and "0 dagar" not in body
    assert "Organisation A" not in body  # not shared unless the network says so
    network.share_contacting_organisation = True
    network.save()
    body = client_for(charlie, org_b).get(reverse("outreach:ad_detail", kwargs={"ad_id": other_ad.pk})).content.decode()
    assert "Organisation A" in body


def test_do_not_contact_hides_actions_and_warns_new_ad(alice, org_a, make_ad, client_for):
    ad = make_ad(phone="070-555 44 33")
    c = client_for(alice, org_a)
    r = c.post(reverse("outreach:dnc_add") + f"?annons={ad.pk}", {"kind": "phone", "value": "070-555 44 33", "consent_to_keep": "on"})
    assert r.status_code == 302
    entry = DoNotContact.objects.get()
    assert entry.value == "+46705554433" and entry.consent_to_keep
    assert (entry.expires_at - timezone.now()).days >= 170
    new_ad = make_ad(phone="0705554433", url="https://x.se/new")
    body = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": new_ad.pk})).content.decode()
    assert "Kontaktspärr" in body
    assert reverse("outreach:contact_add", kwargs={"ad_id": new_ad.pk}) not in body
    c.post(reverse("outreach:contact_add", kwargs={"ad_id": new_ad.pk}), _contact_post())
    assert not Contact.objects.exists()


def test_purge_after_retention(alice, org_a):
    actions.do_add_do_not_contact(alice, org_a, kind="profile", value="Anna")
    old = actions.do_add_do_not_contact(alice, org_a, kind="profile", value="Bella")
    DoNotContact.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    call_command("purge_do_not_contact")
    assert list(DoNotContact.objects.values_list("value", flat=True)) == ["anna"]
    from uppsok.core.tasks import purge_personal_data_task

    DoNotContact.objects.update(expires_at=timezone.now() - timedelta(days=1))
    purge_personal_data_task.enqueue()
    assert not DoNotContact.objects.exists()


def test_templates_fill_placeholders(alice, org_a, make_ad, client_for):
    c = client_for(alice, org_a)
    c.post(reverse("outreach:template_add"), {"name": "Första", "body": "Hej {profil}, {namn} på {organisation}", "is_active": "on"})
    ad = make_ad(profile_name="Anna")
    body = c.get(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk})).content.decode()
    assert "Hej Anna, alice på Organisation A" in body


def test_contact_list_queries(alice, org_a, make_ad, client_for, django_assert_max_num_queries):
    ad = make_ad()
    for _ in range(15):
        actions.do_log_contact(alice, org_a, ad, {"channel": "sms", "contacted_at": timezone.now()})
    c = client_for(alice, org_a)
    with django_assert_max_num_queries(10):
        assert c.get(reverse("outreach:contact_list")).status_code == 200


def test_it_checks_ownership(alice, bob, charlie, org_a, org_b, client_for):
    t = MessageTemplate.objects.create(organisation=org_a, name="Hemlig mall", body="x")
    e = actions.do_add_do_not_contact(alice, org_a, kind="profile", value="Hemligprofil")
    other = client_for(charlie, org_b)
    assert other.get(reverse("outreach:template_edit", kwargs={"template_id": t.pk})).status_code == 404
    assert other.post(reverse("outreach:dnc_delete", kwargs={"dnc_id": e.pk})).status_code == 404
    assert "hemligprofil" not in other.get(reverse("outreach:dnc_list")).content.decode()
    assert "Hemlig mall" not in other.get(reverse("outreach:template_list")).content.decode()
    teammate = client_for(bob, org_a)
    assert teammate.post(reverse("outreach:dnc_delete", kwargs={"dnc_id": e.pk})).status_code == 403
    assert teammate.post(reverse("outreach:dnc_add"), {"kind": "profile", "value": "x"}).status_code == 403
    assert DoNotContact.objects.count() == 1


def test_a_number_only_in_the_title_is_the_ads_number(alice, org_a, client_for):
    # the engine reads numbers in the title as well as the text: an import that stored only the
    # text's numbers let an ad with a blocked number in its title through without the block
    actions.do_add_do_not_contact(alice, org_a, kind="phone", value="070-555 44 33")
    row = {"id": "t1", "seen_at": "2026-11-01T12:00:00+01:00", "site": "rosasidan", "url": "https://x.se/t1",
           "city": "Malmö", "profile_name": "Mira", "title": "Ring 070 555 44 33", "text": "Ny i stan, diskret."}
    _created, _updated, ids = actions.do_import_ads(alice, org_a, parse_jsonl(json.dumps(row).encode()).rows)
    ad = Ad.objects.get(pk=ids[0])
    assert list(ad.phones.values_list("e164", flat=True)) == ["+46705554433"]
    body = client_for(alice, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert "Kontaktspärr" in body


def test_every_number_of_the_phone_field_and_a_spelled_one_are_the_ads_numbers(alice, org_a, client_for):
    # the import kept only the first number of the phone field, where the engine links by all of
    # them: a blocked second number, or one written in words, came without its block
    actions.do_add_do_not_contact(alice, org_a, kind="phone", value="073-444 55 66")
    rows = [
        {"id": "p1", "seen_at": "2026-11-01T12:00:00+01:00", "site": "rosasidan", "url": "https://x.se/p1",
         "city": "Malmö", "profile_name": "Mira", "phones": ["070-111 22 33 / 073-444 55 66"], "text": "Diskret."},
        {"id": "p2", "seen_at": "2026-11-01T12:00:00+01:00", "site": "rosasidan", "url": "https://x.se/p2",
         "city": "Lund", "profile_name": "Nina",
         "text": "Sms:a noll sju tre fyra fyra fyra fem fem sex sex efter kl 18."},
    ]
    parsed = parse_jsonl("\n".join(json.dumps(r) for r in rows).encode())
    _created, _updated, ids = actions.do_import_ads(alice, org_a, parsed.rows, analyse_now=True)
    by_id = {a.external_id: a for a in Ad.objects.filter(pk__in=ids)}
    assert sorted(by_id["p1"].phones.values_list("e164", flat=True)) == ["+46701112233", "+46734445566"]
    assert list(by_id["p2"].phones.values_list("e164", flat=True)) == ["+46734445566"]
    # the two ads share the second number, and the analysis links them by it
    assert by_id["p1"].links_out.filter(to_ad=by_id["p2"]).exists()
    client = client_for(alice, org_a)
    for ad in by_id.values():
        body = client.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
        assert "Kontaktspärr" in body


def test_a_block_holding_two_numbers_is_refused_not_half_saved(alice, org_a):
    with pytest.raises(ActionError, match="flera telefonnummer"):
        actions.do_add_do_not_contact(alice, org_a, kind="phone", value="070-111 22 33 / 073-444 55 66")
    assert not DoNotContact.objects.filter(organisation=org_a).exists()
