"""Network access: through a network role or the active organisation's membership; another
network's material and a missing network are the same 404; editing needs the coordinator; a
network-only member sees the network and never an organisation's page."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from uppsok.audit.models import AuditAction, AuditEvent
from uppsok.network.models import CoreGroupMember

pytestmark = pytest.mark.django_db


def test_the_coordinator_reaches_and_edits_the_network(client_for, nora, network):
    c = client_for(nora)
    assert c.get(reverse("network:overview", kwargs={"network_id": network.pk})).status_code == 200
    r = c.post(reverse("network:core_group", kwargs={"network_id": network.pk}), {
        "name": "Kim Karlsson", "organisation_name": "Polisen Nordväst", "sector": "police",
    })
    assert r.status_code == 302
    assert CoreGroupMember.objects.filter(network=network, name="Kim Karlsson").exists()


def test_a_member_organisations_worker_reads_but_cannot_edit(client_for, alice, org_a, network):
    c = client_for(alice, org_a)
    url = reverse("network:core_group", kwargs={"network_id": network.pk})
    assert c.get(url).status_code == 200
    before = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count()
    r = c.post(url, {"name": "X", "organisation_name": "Y", "sector": "police"})
    assert r.status_code == 403
    assert not CoreGroupMember.objects.exists()
    denied = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).order_by("-at", "-id")
    assert denied.count() == before + 1
    assert denied.first().network_id == network.pk and denied.first().detail == "network.edit"


def test_the_organisations_membership_counts_only_while_it_is_active(client_for, alice, org_a, network, org_b):
    """Access through the organisation is the active one's: Alice with organisation A active
    reaches the network; once A leaves it, she gets 404."""
    c = client_for(alice, org_a)
    url = reverse("network:overview", kwargs={"network_id": network.pk})
    assert c.get(url).status_code == 200
    network.networkmembership_set.filter(organisation=org_a).delete()
    assert c.get(url).status_code == 404


def test_another_networks_coordinator_gets_404_like_a_missing_network(client_for, olle, network):
    c = client_for(olle)
    for name in ("network:overview", "network:members", "network:core_group", "network:settings"):
        assert c.get(reverse(name, kwargs={"network_id": network.pk})).status_code == 404
        assert c.post(reverse(name, kwargs={"network_id": network.pk})).status_code == 404
    missing = c.get(reverse("network:overview", kwargs={"network_id": uuid.uuid4()}))
    assert missing.status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, detail="network_not_found").exists()


def test_another_networks_row_is_404_inside_my_own_network(client_for, nora, network, other_network):
    theirs = CoreGroupMember.objects.create(network=other_network, name="Dold", organisation_name="X", sector="police")
    c = client_for(nora)
    url = reverse("network:core_member_edit", kwargs={"network_id": network.pk, "core_member_id": theirs.pk})
    assert c.get(url).status_code == 404
    assert c.post(url, {"name": "Ändrad", "organisation_name": "X", "sector": "police"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Dold"


def test_a_network_only_member_lands_on_the_network_and_reaches_no_organisation(client_for, hugo, network):
    c = client_for(hugo)
    home = c.get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"] == reverse("network:overview", kwargs={"network_id": network.pk})
    page = c.get(home["Location"])
    assert page.status_code == 200
    assert "Du är inte medlem i någon organisation" not in page.content.decode()
    # the network's material, read only
    assert c.get(reverse("network:step", kwargs={"network_id": network.pk, "number": 0})).status_code == 200
    assert c.get(reverse("network:step_part", kwargs={"network_id": network.pk, "number": 0, "part": "beredskap"})).status_code == 403
    # no organisation's pages, whatever they hold
    for name in ("outreach:ad_list", "outreach:overview", "cases:case_list", "accounts:members", "audit:log",
                 "outreach:dnc_list", "network:org_networks"):
        assert c.get(reverse(name)).status_code == 403, name


def test_a_network_only_member_of_two_networks_gets_the_list(client_for, hugo, other_network):
    from uppsok.network.models import NetworkRole

    NetworkRole.objects.create(network=other_network, user=hugo, role=NetworkRole.Role.MEMBER)
    c = client_for(hugo)
    home = c.get(reverse("core:home"))
    assert home["Location"] == reverse("network:list")
    names = c.get(home["Location"]).content.decode()
    assert "Nätverk" in names and "Annat nätverk" in names


def test_an_ended_role_gives_no_access(client_for, hugo, network):
    from uppsok.network.models import NetworkRole

    NetworkRole.objects.filter(user=hugo).update(is_active=False)
    assert client_for(hugo).get(reverse("network:overview", kwargs={"network_id": network.pk})).status_code == 404


def test_anonymous_is_sent_to_login(client, network):
    r = client.get(reverse("network:overview", kwargs={"network_id": network.pk}))
    assert r.status_code == 302 and "/konto/logga-in/" in r["Location"]
