"""The network's keyed-hash marks: only current members speak, a "no" is heard as "declined", and a
mark lives only as long as it is shown."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_org, make_user
from uppsok.accounts.models import Role
from uppsok.core import retention, scheduler
from uppsok.network.models import NetworkMembership
from uppsok.outreach import actions
from uppsok.outreach.models import NetworkContactMark


def _post(**extra):
    data = {"channel": "sms", "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "response": "none"}
    data.update(extra)
    return data


def _detail(client, ad):
    return client.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()


def test_only_current_members_marks_are_shown(alice, charlie, org_a, org_b, network, make_ad, client_for):
    org_c = make_org("org-c", name="Organisation C")
    NetworkMembership.objects.create(network=network, organisation=org_c)
    carl = make_user("carl", org_c, [Role.OUTREACH])
    c_ad = make_ad(org=org_c, phone="070-555 66 77", url="https://c.se/1", profile_name="Cleo")
    client_for(carl, org_c).post(reverse("outreach:contact_add", kwargs={"ad_id": c_ad.pk}), _post())
    a_ad = make_ad(phone="070-444 55 66", profile_name="Alva")
    client_for(alice, org_a).post(reverse("outreach:contact_add", kwargs={"ad_id": a_ad.pk}), _post())
    b_same_as_c = make_ad(org=org_b, phone="0705556677", url="https://b.se/1", profile_name="Zed")
    b_same_as_a = make_ad(org=org_b, phone="0704445566", url="https://b.se/2", profile_name="Ylva")
    assert len(actions.network_marks_for(org_b, b_same_as_c)) == 1
    NetworkMembership.objects.filter(network=network, organisation=org_c).delete()
    # C has left: its mark no longer speaks in the network, A's (a current member) still does
    assert actions.network_marks_for(org_b, b_same_as_c) == []
    assert len(actions.network_marks_for(org_b, b_same_as_a)) == 1
    assert "har haft kontakt" not in _detail(client_for(charlie, org_b), b_same_as_c)


def test_purge_deletes_marks_past_their_period_and_of_leavers(org_a, org_b, network):
    today = timezone.localdate()
    shown_days = actions.NETWORK_MARK_DAYS
    for digest, org, day in (
        ("a" * 64, org_a, today - timedelta(days=shown_days + 1)),  # older than it is shown for
        ("b" * 64, org_a, today - timedelta(days=shown_days)),  # the last day it is shown
        ("c" * 64, org_b, today),  # B leaves below
    ):
        NetworkContactMark.objects.create(network=network, organisation=org, digest=digest, contacted_on=day)
    NetworkMembership.objects.filter(network=network, organisation=org_b).delete()
    assert sum(o.rows for o in retention.run(keys=["network_marks"])) == 2
    assert list(NetworkContactMark.objects.values_list("digest", flat=True)) == ["b" * 64]


def test_purge_is_a_daily_scheduled_job(org_a, network):
    NetworkContactMark.objects.create(network=network, organisation=org_a, digest="d" * 64,
                                      contacted_on=timezone.localdate() - timedelta(days=400))
    jobs = {job.name: job for job in scheduler.JOBS}
    assert jobs["purge_personal_data"].interval == timedelta(days=1)
    scheduler.run_due_jobs()  # the immediate task backend runs the enqueued jobs
    assert not NetworkContactMark.objects.exists()


def test_a_no_is_heard_as_declined_today(alice, charlie, org_a, org_b, network, make_ad, client_for):
    ad = make_ad(phone="070-999 11 22")
    client_for(alice, org_a).post(reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}),
                                  _post(response="no_further", block_months="6"))
    assert NetworkContactMark.objects.filter(declined=True).exists()
    other_ad = make_ad(org=org_b, phone="0709991122", url="https://o.se/1", profile_name="Zed")
    body = _detail(client_for(charlie, org_b), other_ad)
    assert "Avböjt – kontakta inte." in body and "i dag" in body and "0 dagar" not in body
    assert "46709991122" not in "".join(NetworkContactMark.objects.values_list("digest", flat=True))


def test_a_kontaktsparr_set_by_hand_is_heard_as_declined(alice, charlie, org_a, org_b, network, make_ad, client_for):
    # The block form is the other way a person's "no" is recorded: the network must hear it too.
    client_for(alice, org_a).post(reverse("outreach:dnc_add"), {"kind": "phone", "value": "070-777 88 99"})
    mark = NetworkContactMark.objects.get()
    assert mark.declined and mark.organisation == org_a and mark.contacted_on == timezone.localdate()
    other_ad = make_ad(org=org_b, phone="0707778899", url="https://o.se/2", profile_name="Zed")
    assert "Avböjt – kontakta inte." in _detail(client_for(charlie, org_b), other_ad)
