"""Shared fixtures: the healthchecks-style trio and helpers to log them in.

Alice is an outreach worker and admin in organisation A, Bob her teammate (case worker), Dana
the auditor of A, and Charlie holds every role in organisation B — so every view can be checked
for ownership (Charlie must never reach A's rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import CapabilityGrant, Membership, Organisation, Role, User
from uppsok.core.capabilities import GRANTABLE_CAPABILITIES
from uppsok.core.middleware import SESSION_ORG_KEY
from uppsok.network.models import Network, NetworkMembership

PASSWORD = "correct-horse-battery-staple"

# A DJANGO_SETTINGS_MODULE left in the environment overrides pyproject's; development settings would
# point the tests at the real database file and queue tasks instead of running them.
if settings.SETTINGS_MODULE != "uppsok.settings.test":
    raise pytest.UsageError(
        f"Testerna kräver uppsok.settings.test, inte {settings.SETTINGS_MODULE}. / Tests need uppsok.settings.test."
    )


def make_org(slug: str, **kwargs: object) -> Organisation:
    defaults = {"name": slug.title(), "kind": Organisation.Kind.CIVIL_SOCIETY, "does_online_outreach": True}
    defaults.update(kwargs)
    return Organisation.objects.create(slug=slug, **defaults)


def make_user(
    username: str,
    org: Organisation | None = None,
    roles: Iterable[str] = (),
    *,
    grants: Iterable[str] = (),
    totp: bool = True,
) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    for role in roles:
        assert org is not None
        Membership.objects.create(user=user, organisation=org, role=role)
    for cap in grants:
        assert org is not None
        CapabilityGrant.objects.create(user=user, organisation=org, capability=cap)
    if totp:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def login(client: Client, user: User, org: Organisation | None = None, *, verified: bool = True) -> Client:
    """Log in without the login form: session, active organisation and (optionally) the second factor."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    if org is not None:
        session[SESSION_ORG_KEY] = str(org.pk)
    if verified:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


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
