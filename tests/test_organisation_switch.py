"""A person in several organisations chooses one; data never mixes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uppsok.accounts.models import Membership, Role
from uppsok.core.middleware import SESSION_ORG_KEY

from .factories import make_user

pytestmark = pytest.mark.django_db


def test_multi_org_user_must_choose(client_for, org_a, org_b):
    erik = make_user("erik", org_a, [Role.CASEWORKER])
    Membership.objects.create(user=erik, organisation=org_b, role=Role.OUTREACH)
    client = client_for(erik)
    assert client.get("/")["Location"].startswith(reverse("accounts:choose_organisation"))
    page = client.get(reverse("accounts:choose_organisation")).content.decode()
    assert "Organisation A" in page and "Organisation B" in page
    client.post(reverse("accounts:choose_organisation"), {"organisation": str(org_b.pk)})
    assert client.session[SESSION_ORG_KEY] == str(org_b.pk)
    assert "Organisation B" in client.get("/").content.decode()


def test_cannot_choose_an_organisation_one_is_not_member_of(client_for, alice, org_a, org_b):
    client = client_for(alice, org_a)
    client.post(reverse("accounts:choose_organisation"), {"organisation": str(org_b.pk)})
    assert client.session[SESSION_ORG_KEY] == str(org_a.pk)


def test_stale_session_organisation_is_ignored(client_for, alice, org_a, org_b):
    client = client_for(alice, org_a)
    session = client.session
    session[SESSION_ORG_KEY] = str(org_b.pk)  # e.g. a membership that was removed meanwhile
    session.save()
    page = client.get("/").content.decode()
    assert "Organisation A" in page and "Organisation B" not in page
