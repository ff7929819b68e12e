"""Resets by one-time link: the admin never ends up holding the person's account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import AccountResetLink, Membership, Role
from uppsok.audit.models import AuditAction, AuditEvent
from uppsok.network.models import NetworkRole

from .browser.conftest import current_totp
from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ett-helt-nytt-losenord-2025"


def _code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(device.digits)


def _issue(client: Client, member, kind: str = "two_factor") -> str:
    name = "accounts:member_reset_two_factor" if kind == "two_factor" else "accounts:member_reset_password"
    response = client.post(reverse(name, kwargs={"user_id": member.pk}))
    assert response.status_code == 200, response.status_code
    match = re.search(r"/konto/aterstall/([A-Za-z0-9_\-]+)/", response.content.decode())
    assert match, response.content.decode()
    return match.group(0)


def test_reset_two_factor_keeps_devices_and_gives_a_link(client_for, alice, bob, org_a):
    old = TOTPDevice.objects.get(user=bob)
    url = _issue(client_for(alice, org_a), bob)
    # Nothing changes until the person uses the link; the admin sees no password or key.
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    link = AccountResetLink.objects.get(user=bob)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token not in link.token_hash
    assert link.expires_at - timezone.now() > timedelta(hours=71)
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGE, organisation_id=org_a.pk, object_id=str(bob.pk), detail="reset_link:two_factor"
    ).exists()


def test_admin_with_only_the_password_cannot_enrol(client_for, alice, bob, org_a):
    """The old take-over: reset, then log in with a known password and enrol one's own phone."""
    url = _issue(client_for(alice, org_a), bob)
    attacker = Client()
    # Without the person's own password the link shows no QR code and enrols nothing.
    response = attacker.post(url, {"password": "gissat-losenord-1"})
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    assert TOTPDevice.objects.filter(user=bob).count() == 1


def test_person_enrols_a_new_app_with_the_link_and_their_password(client_for, alice, bob, org_a):
    old = TOTPDevice.objects.get(user=bob)
    bob_session = client_for(bob, org_a)
    url = _issue(client_for(alice, org_a), bob)
    person = Client()
    page = person.get(url).content.decode()
    assert "<svg" not in page
    response = person.post(url, {"password": PASSWORD})
    assert "<svg" in response.content.decode()
    new = TOTPDevice.objects.get(user=bob, confirmed=False)
    response = person.post(url, {"token": _code(new)})
    assert response.status_code == 302
    # The new app replaces the old ones; old sessions end.
    assert list(TOTPDevice.objects.filter(user=bob).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert bob_session.get("/").status_code == 302
    # Single use.
    assert person.get(url).status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=bob.pk, organisation_id=org_a.pk, detail="reset_done:two_factor"
    ).exists()


def test_expired_and_replaced_links_do_not_work(client_for, alice, bob, org_a):
    admin = client_for(alice, org_a)
    first = _issue(admin, bob)
    second = _issue(admin, bob)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    AccountResetLink.objects.filter(user=bob).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(second)
    assert response.status_code == 404
    assert "gått ut" in response.content.decode()
    assert Client().get("/konto/aterstall/inte-en-riktig-lank/").status_code == 404


def test_password_reset_by_link_still_needs_the_authenticator(client_for, alice, bob, org_a):
    url = _issue(client_for(alice, org_a), bob, kind="password")
    person = Client()
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "token": "000000"}
    response = person.post(url, data)
    assert response.status_code == 200
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_FAILED, organisation_id=org_a.pk).exists()
    TOTPDevice.objects.get(user=bob).throttle_reset()
    response = person.post(url, {**data, "token": current_totp(bob)})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    assert bob.must_change_password is False
    assert person.get(url).status_code == 404


def test_admin_cannot_reset_a_person_who_also_works_elsewhere(client_for, alice, org_a, org_b):
    shared = make_user("shared", org_a, [Role.CASEWORKER])
    Membership.objects.create(user=shared, organisation=org_b, role=Role.CASEWORKER)
    admin = client_for(alice, org_a)
    for name in ("accounts:member_reset_two_factor", "accounts:member_reset_password"):
        response = admin.post(reverse(name, kwargs={"user_id": shared.pk}), follow=True)
        assert "arbetar också i en annan organisation" in response.content.decode()
    assert not AccountResetLink.objects.filter(user=shared).exists()
    assert TOTPDevice.objects.filter(user=shared, confirmed=True).exists()


def test_admin_cannot_reset_a_person_with_a_network_role(client_for, alice, bob, org_a, network):
    NetworkRole.objects.create(network=network, user=bob, role=NetworkRole.Role.COORDINATOR)
    response = client_for(alice, org_a).post(
        reverse("accounts:member_reset_two_factor", kwargs={"user_id": bob.pk}), follow=True
    )
    assert "nätverk" in response.content.decode()
    assert not AccountResetLink.objects.filter(user=bob).exists()


def test_two_factor_link_refused_while_the_admin_set_password_is_unchanged(client_for, alice, bob, org_a):
    bob.must_change_password = True
    bob.save()
    response = client_for(alice, org_a).post(
        reverse("accounts:member_reset_two_factor", kwargs={"user_id": bob.pk}), follow=True
    )
    assert "tillfälliga lösenord" in response.content.decode()
    assert not AccountResetLink.objects.filter(user=bob).exists()


def test_the_person_is_told_at_next_login(client_for, alice, bob, org_a):
    _issue(client_for(alice, org_a), bob, kind="password")
    client = Client()
    client.post("/konto/logga-in/", {"username": "bob", "password": PASSWORD})
    client.post("/konto/tvafaktor/", {"token": current_totp(bob), "next": "/"})
    page = client.get("/").content.decode()
    assert "Organisation A skapade" in page and "lösenord" in page
    # Shown once.
    assert "Organisation A skapade" not in client.get("/").content.decode()
    again = Client()
    again.post("/konto/logga-in/", {"username": "bob", "password": PASSWORD})
    TOTPDevice.objects.get(user=bob).throttle_reset()
    again.post("/konto/tvafaktor/", {"token": current_totp(bob), "next": "/"})
    assert "Organisation A skapade" not in again.get("/").content.decode()


def test_enrolment_without_a_link_only_for_a_brand_new_account(org_a):
    user = make_user("had-a-phone", org_a, [Role.OUTREACH])
    user.two_factor_enrolled_at = timezone.now()
    user.save()
    TOTPDevice.objects.filter(user=user).delete()  # lost, e.g. by the old reset
    client = Client()
    client.post("/konto/logga-in/", {"username": "had-a-phone", "password": PASSWORD})
    page = client.get("/konto/tvafaktor/").content.decode()
    assert "<svg" not in page
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/").status_code == 302


def test_enrolment_marks_the_account(org_a):
    from .test_auth import current_totp_unconfirmed

    user = make_user("fresh", org_a, [Role.OUTREACH], totp=False)
    client = Client()
    client.post("/konto/logga-in/", {"username": "fresh", "password": PASSWORD})
    client.get("/konto/tvafaktor/")
    client.post("/konto/tvafaktor/", {"token": current_totp_unconfirmed(TOTPDevice.objects.get(user=user))})
    user.refresh_from_db()
    assert user.two_factor_enrolled_at is not None


def test_operator_issues_a_link_for_a_person_in_two_organisations(org_a, org_b):
    from io import StringIO

    from django.core.management import call_command

    shared = make_user("shared", org_a, [Role.CASEWORKER])
    Membership.objects.create(user=shared, organisation=org_b, role=Role.CASEWORKER)
    out = StringIO()
    call_command("account_reset_link", "shared", "--kind", "two_factor", stdout=out)
    url = re.search(r"/konto/aterstall/[A-Za-z0-9_\-]+/", out.getvalue()).group(0)
    assert Client().get(url).status_code == 200
    rows = AuditEvent.objects.filter(detail="reset_link:two_factor", object_id=str(shared.pk))
    assert set(rows.values_list("organisation_id", flat=True)) == {org_a.pk, org_b.pk}


def test_a_key_shown_to_someone_else_is_never_the_persons_key(org_a):
    # The admin who chose the temporary password opens the enrolment page first and notes the key.
    fresh = make_user("fresh-key", org_a, [Role.OUTREACH], totp=False)
    admin_side = Client()
    admin_side.post("/konto/logga-in/", {"username": "fresh-key", "password": PASSWORD})
    seen_by_admin = re.search(r'class="secret">([A-Z2-7 ]+)<', admin_side.get("/konto/tvafaktor/").content.decode())
    assert seen_by_admin
    # The person then enrols on their own phone: with a key the admin has never seen.
    person_side = Client()
    person_side.post("/konto/logga-in/", {"username": "fresh-key", "password": PASSWORD})
    seen_by_person = re.search(r'class="secret">([A-Z2-7 ]+)<', person_side.get("/konto/tvafaktor/").content.decode())
    assert seen_by_person and seen_by_person.group(1) != seen_by_admin.group(1)
    device = TOTPDevice.objects.get(user=fresh, confirmed=False)
    assert person_side.post("/konto/tvafaktor/", {"token": _code(device), "next": "/"}).status_code == 302
    # A code from the admin's copy is worth nothing: only the person's key was confirmed.
    confirmed = TOTPDevice.objects.get(user=fresh, confirmed=True)
    assert confirmed.pk == device.pk
    assert seen_by_admin.group(1).replace(" ", "") != _secret(confirmed)


def test_a_code_for_a_replaced_key_does_not_confirm_it(org_a):
    # Two browsers on one new account: the page opened last replaces the key of the first, so a
    # key shown earlier can never be confirmed from the other browser.
    fresh = make_user("two-browsers", org_a, [Role.OUTREACH], totp=False)
    first, second = Client(), Client()
    for client in (first, second):
        client.post("/konto/logga-in/", {"username": "two-browsers", "password": PASSWORD})
    first.get("/konto/tvafaktor/")
    first_device = TOTPDevice.objects.get(user=fresh, confirmed=False)
    first_code = _code(first_device)
    second.get("/konto/tvafaktor/")
    response = first.post("/konto/tvafaktor/", {"token": first_code, "next": "/"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=fresh, confirmed=True).exists()


def _secret(device: TOTPDevice) -> str:
    from uppsok.accounts.totp import secret_b32

    return secret_b32(device)
