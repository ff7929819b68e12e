"""Shared fixtures: the healthchecks-style trio and helpers to log them in.

Alice is an outreach worker and admin in organisation A, Bob her teammate (case worker), Dana
the auditor of A, and Charlie holds every role in organisation B — so every view can be checked
for ownership (Charlie must never reach A's rows).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

# The helpers live in tests/factories.py so bench/ can use them without this settings check;
# re-exported here for modules that still import them from tests.conftest.
from tests.factories import PASSWORD, login, make_org, make_user
from uppsok.accounts.models import Organisation, Role, User
from uppsok.core.capabilities import GRANTABLE_CAPABILITIES
from uppsok.network.models import Network, NetworkMembership

__all__ = ["PASSWORD", "login", "make_org", "make_user"]

# A DJANGO_SETTINGS_MODULE left in the environment overrides pyproject's; development settings would
# point the tests at the real database file and queue tasks instead of running them.
if settings.SETTINGS_MODULE != "uppsok.settings.test":
    raise pytest.UsageError(
        f"Testerna kräver uppsok.settings.test, inte {settings.SETTINGS_MODULE}. / Tests need uppsok.settings.test."
    )


@pytest.fixture
def org_a(db: None) -> Organisation:
    return make_org("org-a", name="Organisation A")


@pytest.fixture
def org_b(db: None) -> Organisation:
    return make_org("org-b", name="Organisation B", kind=Organisation.Kind.SOCIAL_SERVICES)


@pytest.fixture
def network(org_a: Organisation, org_b: Organisation) -> Network:
    net = Network.objects.create(name="Nätverk", slug="natverk")
    NetworkMembership.objects.create(network=net, organisation=org_a)
    NetworkMembership.objects.create(network=net, organisation=org_b)
    return net


@pytest.fixture
def alice(org_a: Organisation) -> User:
    return make_user("alice", org_a, [Role.OUTREACH, Role.ADMIN])


@pytest.fixture
def bob(org_a: Organisation) -> User:
    return make_user("bob", org_a, [Role.CASEWORKER])


@pytest.fixture
def dana(org_a: Organisation) -> User:
    return make_user("dana", org_a, [Role.AUDITOR])


@pytest.fixture
def charlie(org_b: Organisation) -> User:
    return make_user(
        "charlie", org_b, [r.value for r in Role], grants=[c.value for c in GRANTABLE_CAPABILITIES]
    )


@pytest.fixture
def client_for(db: None) -> Callable[..., Client]:
    def make(user: User, org: Organisation | None = None, *, verified: bool = True) -> Client:
        return login(Client(), user, org, verified=verified)

    return make
