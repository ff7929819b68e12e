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
from .factories import PASSWORD, make_user

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
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, object_id=str(alice.pk)).count()
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


def test_network_role_requires_the_second_factor(org_a, network):
    """A coordinator must give the code even when no membership asks for it."""
    from uppsok.network.models import NetworkRole

    org_a.require_two_factor = False
    org_a.save()
    user = make_user("coordinator", org_a, [Role.OUTREACH])
    NetworkRole.objects.create(network=network, user=user, role=NetworkRole.Role.COORDINATOR)
    client = Client()
    _post_login(client, "coordinator")
    assert client.get("/")["Location"].startswith(TWO_FACTOR)


def test_ex_member_with_network_role_still_needs_the_second_factor(org_a, network):
    from uppsok.accounts.models import Membership
    from uppsok.network.models import NetworkRole

    user = make_user("ex-coordinator", org_a, [Role.OUTREACH])
    NetworkRole.objects.create(network=network, user=user, role=NetworkRole.Role.COORDINATOR)
    Membership.objects.filter(user=user).update(is_active=False)
    client = Client()
    _post_login(client, "ex-coordinator")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


def test_deactivated_account_never_passes(client_for, bob, org_a):
    client = client_for(bob, org_a)
    assert client.get("/").status_code == 200
    bob.is_active = False
    bob.save()
    response = client.get("/")
    assert response.status_code == 302
    assert LOGIN in response["Location"]
    assert _post_login(Client(), "bob").status_code == 200  # the form again, not a login


def test_failed_login_never_stores_the_typed_name(alice, org_a):
    from uppsok.audit.log import keyed_digest

    client = Client()
    _post_login(client, "correct-horse-battery-staple", "x")  # a password typed into the name field
    _post_login(client, "alice", "wrong-password-here")
    typed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    stored = str(list(typed.values_list("object_id", "detail", "actor_username")))
    assert "correct-horse" not in stored
    assert typed.filter(object_id=keyed_digest("correct-horse-battery-staple", purpose="login_username")).exists()
    # A known account is named by its id, in its organisation's log.
    assert typed.filter(object_id=str(alice.pk), organisation_id=org_a.pk).exists()


def test_login_events_reach_every_organisation_of_the_person(org_a, org_b):
    from uppsok.accounts.models import Membership

    user = make_user("both-orgs", org_a, [Role.OUTREACH])
    Membership.objects.create(user=user, organisation=org_b, role=Role.CASEWORKER)
    client = Client()
    _post_login(client, "both-orgs", "wrong-password-here")
    _post_login(client, "both-orgs")
    client.post(reverse("accounts:logout"))
    for action in (AuditAction.LOGIN_FAILED, AuditAction.LOGIN, AuditAction.LOGOUT):
        orgs = set(AuditEvent.objects.filter(action=action).values_list("organisation_id", flat=True))
        assert orgs == {org_a.pk, org_b.pk}, action


def test_wrong_totp_code_is_logged(alice, org_a):
    client = Client()
    _post_login(client, "alice")
    client.post(TWO_FACTOR, {"token": "000000"})
    row = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR_FAILED)
    assert row.organisation_id == org_a.pk
    assert row.object_id == str(alice.pk)
    assert "000000" not in row.detail


def test_second_factor_gives_a_new_session_key(alice):
    client = Client()
    _post_login(client, "alice")
    before = client.session.session_key
    client.post(TWO_FACTOR, {"token": current_totp(alice), "next": "/"})
    assert client.session.session_key != before
    assert client.get("/").status_code == 200


def test_next_survives_a_query_string_through_the_second_factor(alice):
    from urllib.parse import parse_qs, urlsplit

    client = Client()
    _post_login(client, "alice")
    location = client.get("/?a=1&b=2")["Location"]
    assert parse_qs(urlsplit(location).query)["next"] == ["/?a=1&b=2"]
