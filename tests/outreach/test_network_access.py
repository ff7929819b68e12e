"""The network's platform coverage: a cross-organisation read kept out of views, members only."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import make_org
from uppsok.network.models import Network, NetworkMembership
from uppsok.outreach.models import Platform
from uppsok.outreach.network_access import network_platform_coverage, networks_of_active_organisation


def _request(org):
    request = RequestFactory().get("/")
    request.organisation = org
    return request


def test_coverage_is_aggregates_only(org_a, org_b, network):
    Platform.objects.create(organisation=org_a, name="Rosa", address="rosasidan.ws", covered=True, notes="hemligt A")
    Platform.objects.create(organisation=org_b, name="Rosa B", address="RosaSidan.ws", covered=True)
    Platform.objects.create(organisation=org_b, name="Sugar", address="sugardaters.com", covered=False,
                            notes="konto stängt")
    result = network_platform_coverage(_request(org_a), network)
    assert result["uncovered"] == [{"address": "sugardaters.com", "kind": "escort", "covered": 0}]
    assert [(e["address"].casefold(), e["covered"]) for e in result["covered"]] == [("rosasidan.ws", 2)]
    for entry in result["uncovered"] + result["covered"]:
        assert set(entry) == {"address", "kind", "covered"}


def test_not_a_member_gets_404(org_a, org_b, network):
    outsider = make_org("org-c", name="Organisation C")
    other = Network.objects.create(name="Annat nätverk", slug="annat")
    NetworkMembership.objects.create(network=other, organisation=outsider)
    Platform.objects.create(organisation=outsider, name="X", address="x.se", covered=False)
    with pytest.raises(Http404):
        network_platform_coverage(_request(org_a), other)
    with pytest.raises(Http404):
        network_platform_coverage(_request(outsider), network)
    assert networks_of_active_organisation(_request(org_a)) == [network]


def test_view_lists_only_own_networks(alice, org_a, org_b, network, client_for):
    outsider = make_org("org-c", name="Organisation C")
    other = Network.objects.create(name="Annat nätverk", slug="annat")
    NetworkMembership.objects.create(network=other, organisation=outsider)
    Platform.objects.create(organisation=outsider, name="X", address="bara-c.se", covered=False)
    Platform.objects.create(organisation=org_b, name="Sugar", address="sugardaters.com", covered=False,
                            notes="konto stängt")
    body = client_for(alice, org_a).get(reverse("outreach:platform_coverage")).content.decode()
    assert "sugardaters.com" in body
    assert "bara-c.se" not in body
    assert "konto stängt" not in body
    assert "Annat nätverk" not in body
