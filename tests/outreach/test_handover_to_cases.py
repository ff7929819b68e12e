"""Outreach hands a person over to support inside the organisation: the ad page links to a new case."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from uppsok.accounts.models import Role
from uppsok.outreach import actions

pytestmark = pytest.mark.django_db


def test_caseworker_sees_handover_links(client_for, alice, org_a, make_ad):
    ad = make_ad(actor=alice)
    contact = actions.do_log_contact(
        alice, org_a, ad, {"channel": "sms", "response": "interested", "contacted_at": timezone.now()}
    )
    worker = make_user("both", org_a, [Role.OUTREACH, Role.CASEWORKER])
    page = client_for(worker, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert f"/arenden/ny/?ad={ad.pk}" in page
    assert f"/arenden/ny/?contact={contact.pk}" in page


def test_outreach_worker_without_case_role_sees_no_link(client_for, alice, org_a, make_ad):
    ad = make_ad(actor=alice)
    page = client_for(alice, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert "/arenden/ny/" not in page
