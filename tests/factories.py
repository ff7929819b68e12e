"""Helpers that create organisations and users and log a client in, shared by the tests and bench/.

Unlike tests/conftest.py this module imports no pytest and checks no settings, so the benchmarks can
use it under `uppsok.settings.dev`. Import it only after `django.setup()` (it imports models).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import CapabilityGrant, Membership, Organisation, User
from uppsok.core.middleware import SESSION_ORG_KEY

PASSWORD = "correct-horse-battery-staple"


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
