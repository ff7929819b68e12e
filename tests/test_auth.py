"""Login, the second factor, lockout and the audit rows they leave."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import Role
from uppsok.audit.models import AuditAction, AuditEvent

from .browser.conftest import current_totp
from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"
TWO_FACTOR = "/konto/tvafaktor/"


def _post_login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_production_hashes_passwords_with_argon2(settings):
    from uppsok.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = make_user("hashed")
    user.set_password("a long passphrase here")
    assert isinstance(identify_hasher(user.password), Argon2PasswordHasher)
    assert user.password.startswith("argon2")


def test_password_then_totp_is_required(alice):
    client = Client()
    response = _post_login(client, "alice")
    assert response.status_code == 302
    # Logged in by password, but every organisation page waits for the second factor.
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)
    response = client.get(reverse("accounts:members"))
    assert response["Location"].startswith(TWO_FACTOR)

    response = client.post(TWO_FACTOR, {"token": "000000"})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()

    # A wrong code throttles the next try; right away even the right code is refused.
    response = client.post(TWO_FACTOR, {"token": current_totp(alice), "next": "/"})
    assert "För många felaktiga koder" in response.content.decode()
    TOTPDevice.objects.get(user=alice).throttle_reset()  # as if the user waited

    response = client.post(TWO_FACTOR, {"token": current_totp(alice), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_user_without_device_enrols_with_qr_code(org_a):
    user = make_user("newbie", org_a, [Role.OUTREACH], totp=False)
    client = Client()
    _post_login(client, "newbie")
    page = client.get(TWO_FACTOR).content.decode()
    assert "<svg" in page and "Skanna QR-koden" in page
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    response = client.post(TWO_FACTOR, {"token": current_totp_unconfirmed(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(detail="two_factor_enrolled", actor_id=user.pk).exists()


def current_totp_unconfirmed(device: TOTPDevice) -> str:
    from django_otp.oath import totp

    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(device.digits)


def test_organisation_can_turn_off_two_factor(org_a):
    org_a.require_two_factor = False
    org_a.save()
    make_user("plain", org_a, [Role.OUTREACH], totp=False)
    client = Client()
    _post_login(client, "plain")
    assert client.get("/").status_code == 200


def test_two_factor_required_if_any_organisation_requires_it(org_a, org_b):
    org_a.require_two_factor = False
    org_a.save()
    user = make_user("both", org_a, [Role.OUTREACH])
    from uppsok.accounts.models import Membership

    Membership.objects.create(user=user, organisation=org_b, role=Role.CASEWORKER)
    client = Client()
    _post_login(client, "both")
    assert client.get("/")["Location"].startswith(TWO_FACTOR)


def test_lockout_after_repeated_failures(alice, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _post_login(client, "alice", "wrong-password")
    # Now even the right password is refused for this account and address.
    response = _post_login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "tillfälligt låst" in response.content.decode()
    assert client.get("/").status_code == 302  # not logged in
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, object_id="alice").count()
    assert failed >= settings.AXES_FAILURE_LIMIT


def test_login_and_logout_are_audited(alice):
    client = Client()
    _post_login(client, "alice")
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor_id=alice.pk).count() == 1
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_id=alice.pk).count() == 1
    # The password is never written anywhere in the trail.
    assert not AuditEvent.objects.filter(detail__contains=PASSWORD).exists()
    assert not AuditEvent.objects.filter(object_id__contains=PASSWORD).exists()


def test_sessions_expire_after_idle_time():
    from uppsok.settings import base

    assert base.SESSION_COOKIE_AGE <= 30 * 60
    assert base.SESSION_SAVE_EVERY_REQUEST is True
    assert base.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_next_parameter_cannot_redirect_off_site(alice):
    client = Client()
    _post_login(client, "alice")
    response = client.post(TWO_FACTOR, {"token": current_totp(alice), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
