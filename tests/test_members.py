"""Organisation admins manage their own organisation's users, and nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import CapabilityGrant, Membership, User
from uppsok.audit.models import AuditAction, AuditEvent

from .conftest import make_user

pytestmark = pytest.mark.django_db


def test_admin_lists_members(client_for, alice, bob, charlie, org_a, django_assert_max_num_queries):
    client = client_for(alice, org_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accounts:members")).content.decode()
    assert "bob" in page and "alice" in page
    assert "charlie" not in page


def test_admin_invites_member(client_for, alice, org_a):
    response = client_for(alice, org_a).post(
        reverse("accounts:member_add"), {"username": "nyanstalld", "roles": ["outreach"]},
    )
    assert response.status_code == 200
    assert "/konto/inbjudan/" in response.content.decode()
    user = User.objects.get(username="nyanstalld")
    # Nobody but the invited person ever chooses the password.
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [(org_a.pk, "outreach")]
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(user.pk)).exists()


def test_bad_input_is_refused_and_nothing_saved(client_for, alice, bob, org_a):
    client = client_for(alice, org_a)
    response = client.post(reverse("accounts:member_add"), {"username": "kort namn", "roles": []})
    assert response.status_code == 200
    assert not User.objects.filter(username="kort namn").exists()
    response = client.post(reverse("accounts:member_add"), {"username": "BOB", "roles": ["outreach"]})
    assert "upptaget" in response.content.decode()
    assert User.objects.filter(username__iexact="bob").count() == 1


def test_admin_changes_roles_and_grants(client_for, alice, bob, org_a):
    client = client_for(alice, org_a)
    response = client.post(
        reverse("accounts:member_edit", kwargs={"user_id": bob.pk}),
        {"roles": ["caseworker", "outreach"], "capabilities": ["persons.identity"]},
    )
    assert response.status_code == 302
    roles = set(Membership.objects.filter(user=bob, is_active=True).values_list("role", flat=True))
    assert roles == {"caseworker", "outreach"}
    assert CapabilityGrant.objects.filter(user=bob, capability="persons.identity").exists()
    # Removing a role deactivates it; the person loses that access at once.
    client.post(reverse("accounts:member_edit", kwargs={"user_id": bob.pk}), {"roles": ["outreach"]})
    roles = set(Membership.objects.filter(user=bob, is_active=True).values_list("role", flat=True))
    assert roles == {"outreach"}
    assert not CapabilityGrant.objects.filter(user=bob).exists()


def test_admin_cannot_remove_own_admin_role(client_for, alice, org_a):
    client = client_for(alice, org_a)
    response = client.post(reverse("accounts:member_edit", kwargs={"user_id": alice.pk}), {"roles": ["outreach"]})
    assert response.status_code == 200
    assert Membership.objects.filter(user=alice, role="admin", is_active=True).exists()


def test_removed_member_loses_access_immediately(client_for, alice, bob, org_a):
    bob_client = client_for(bob, org_a)
    assert bob_client.get("/").status_code == 200
    client_for(alice, org_a).post(reverse("accounts:member_edit", kwargs={"user_id": bob.pk}), {"roles": []})
    page = bob_client.get("/").content.decode()
    assert "inte medlem i någon organisation" in page


def test_reset_two_factor_keeps_the_authenticator_until_the_person_acts(client_for, alice, bob, org_a):
    assert TOTPDevice.objects.filter(user=bob).exists()
    response = client_for(alice, org_a).post(reverse("accounts:member_reset_two_factor", kwargs={"user_id": bob.pk}))
    assert response.status_code == 200
    assert "/konto/aterstall/" in response.content.decode()
    assert TOTPDevice.objects.filter(user=bob, confirmed=True).exists()


def test_network_roles_end_with_the_last_membership_in_the_network(client_for, alice, bob, org_a, network):
    from uppsok.network.models import NetworkRole

    role = NetworkRole.objects.create(network=network, user=bob, role=NetworkRole.Role.COORDINATOR)
    client = client_for(alice, org_a)
    client.post(reverse("accounts:member_edit", kwargs={"user_id": bob.pk}), {"roles": ["outreach"]})
    role.refresh_from_db()
    assert role.is_active is True
    client.post(reverse("accounts:member_edit", kwargs={"user_id": bob.pk}), {"roles": []})
    role.refresh_from_db()
    assert role.is_active is False
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGE, object_type="network.networkrole", object_id=str(role.pk), organisation_id=org_a.pk
    ).exists()
    # Giving the membership back does not give the network role back: it is appointed anew.
    client.post(reverse("accounts:member_edit", kwargs={"user_id": bob.pk}), {"roles": ["outreach"]})
    role.refresh_from_db()
    assert role.is_active is False


def test_network_role_stays_while_another_organisation_in_the_network_holds_the_person(
    client_for, alice, org_a, org_b, network
):
    from uppsok.network.models import NetworkRole

    shared = make_user("shared", org_a, ["caseworker"])
    Membership.objects.create(user=shared, organisation=org_b, role="caseworker")
    role = NetworkRole.objects.create(network=network, user=shared, role=NetworkRole.Role.MEMBER)
    client_for(alice, org_a).post(reverse("accounts:member_edit", kwargs={"user_id": shared.pk}), {"roles": []})
    role.refresh_from_db()
    assert role.is_active is True


def test_editing_roles_touches_only_the_own_organisation(client_for, alice, org_a, org_b):
    shared = make_user("shared", org_a, ["caseworker"])
    Membership.objects.create(user=shared, organisation=org_b, role="caseworker")
    client_for(alice, org_a).post(
        reverse("accounts:member_edit", kwargs={"user_id": shared.pk}), {"roles": ["admin"]}
    )
    assert set(Membership.objects.filter(user=shared, organisation=org_b, is_active=True).values_list("role", flat=True)) == {
        "caseworker"
    }


def test_it_checks_ownership(client_for, charlie, alice, bob, org_b):
    client = client_for(charlie, org_b)
    for name in ("accounts:member_edit", "accounts:member_reset_two_factor"):
        assert client.post(reverse(name, kwargs={"user_id": bob.pk}), {"roles": ["admin"]}).status_code == 404
    assert not Membership.objects.filter(user=bob, organisation=org_b).exists()
    assert TOTPDevice.objects.filter(user=bob).exists()


def test_non_admin_is_refused(client_for, bob, org_a):
    client = client_for(bob, org_a)
    assert client.get(reverse("accounts:members")).status_code == 403
    assert client.post(reverse("accounts:member_add"), {}).status_code == 403


def test_organisation_settings(client_for, alice, bob, org_a):
    client = client_for(alice, org_a)
    data = {
        "name": "Organisation A",
        "kind": "civil_society",
        "municipality": "Malmö",
        "does_online_outreach": "on",
        "require_two_factor": "on",
        "do_not_contact_months": "6",
        "closed_case_retention_months": "24",
        "ad_retention_months": "12",
        "contact_retention_months": "12",
        "tip_retention_months": "24",
        "safety_retention_months": "24",
        "shift_retention_months": "12",
        "import_job_retention_days": "30",
    }
    assert client.post(reverse("accounts:organisation_settings"), data).status_code == 302
    org_a.refresh_from_db()
    assert org_a.municipality == "Malmö"
    assert org_a.keep_ad_images is False
    response = client.post(reverse("accounts:organisation_settings"), {**data, "do_not_contact_months": "99"})
    assert response.status_code == 200
    org_a.refresh_from_db()
    assert org_a.do_not_contact_months == 6
    assert client_for(bob, org_a).get(reverse("accounts:organisation_settings")).status_code == 403
