"""The network trio: Nora coordinates network N (organisations A and B are members), Hugo is a
hotel's security manager with only a member role in N (no organisation), and Olle coordinates
another network. Alice (A) and Charlie (B) come from the shared fixtures."""

from __future__ import annotations

import pytest

from tests.factories import make_user
from uppsok.accounts.models import User
from uppsok.network.models import Network, NetworkRole


@pytest.fixture
def nora(network: Network) -> User:
    user = make_user("nora")
    NetworkRole.objects.create(network=network, user=user, role=NetworkRole.Role.COORDINATOR)
    return user


@pytest.fixture
def hugo(network: Network) -> User:
    user = make_user("hugo")
    NetworkRole.objects.create(network=network, user=user, role=NetworkRole.Role.MEMBER)
    return user


@pytest.fixture
def other_network(db: None) -> Network:
    return Network.objects.create(name="Annat nätverk", slug="annat")


@pytest.fixture
def olle(other_network: Network) -> User:
    user = make_user("olle")
    NetworkRole.objects.create(network=other_network, user=user, role=NetworkRole.Role.COORDINATOR)
    return user
