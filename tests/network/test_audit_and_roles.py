"""The network's audit trail names the network, and an organisation's admin never ends a network
role that does not come with working in that organisation (found in review)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user
from uppsok.accounts.models import Role
from uppsok.audit.models import AuditAction, AuditEvent
from uppsok.cases.models import RoutineTemplate
from uppsok.network.models import NetworkRole
from uppsok.outreach.network_access import ESCORT_LOG_MONTHS, network_escort_log

pytestmark = pytest.mark.django_db


def test_an_admins_role_edit_leaves_a_role_in_a_network_the_organisation_is_not_in(client_for, alice, org_a, other_network):
    pia = make_user("pia", org_a, [Role.CASEWORKER])
    role = NetworkRole.objects.create(network=other_network, user=pia, role=NetworkRole.Role.MEMBER)
    r = client_for(alice, org_a).post(reverse("accounts:member_edit", kwargs={"user_id": pia.pk}),
                                      {"roles": ["caseworker", "outreach"]})
    assert r.status_code in (200, 302)
    role.refresh_from_db()
    assert role.is_active


def test_leaving_the_organisation_ends_the_role_held_through_it_audited_with_the_network(client_for, alice, org_a, network):
    pia = make_user("pia", org_a, [Role.CASEWORKER])
    role = NetworkRole.objects.create(network=network, user=pia, role=NetworkRole.Role.MEMBER)
    # Pia keeps the role while she still works in organisation A
    client_for(alice, org_a).post(reverse("accounts:member_edit", kwargs={"user_id": pia.pk}), {"roles": ["outreach"]})
    role.refresh_from_db()
    assert role.is_active
    client_for(alice, org_a).post(reverse("accounts:member_edit", kwargs={"user_id": pia.pk}), {"roles": []})
    role.refresh_from_db()
    assert not role.is_active
    row = AuditEvent.objects.get(object_id=str(role.pk), action=AuditAction.CHANGE)
    assert row.network_id == network.pk and row.organisation_id == org_a.pk


def test_routine_audit_rows_carry_the_network(client_for, nora, network):
    client_for(nora).post(reverse("cases:network_routines", kwargs={"network_id": network.pk}))
    ids = [str(x) for x in RoutineTemplate.objects.filter(network=network).values_list("pk", flat=True)]
    rows = list(AuditEvent.objects.filter(object_id__in=ids).values_list("network_id", flat=True))
    assert rows and all(n == network.pk for n in rows)


def test_probing_another_network_is_in_that_networks_trail(client_for, nora, other_network):
    assert client_for(nora).get(reverse("network:overview", kwargs={"network_id": other_network.pk})).status_code == 404
    row = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).latest("at")
    assert row.network_id == other_network.pk and row.detail == "network_not_found"


def test_the_escort_log_shows_twelve_months(network):
    assert len(network_escort_log(network)["months"]) == ESCORT_LOG_MONTHS
