"""A person changes their own password: forced after an admin set it, and at any time from the menu."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from uppsok.accounts.models import Membership, Role
from uppsok.audit.models import AuditAction, AuditEvent

from .browser.conftest import current_totp
from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

CHANGE = "/konto/losenord/"
NEW_PASSWORD = "ett-helt-nytt-losenord-2025"


def _change(client: Client, old: str = PASSWORD, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": new if again is None else again}
    )


def test_account_with_a_password_set_by_someone_else_must_change_it_first(org_a):
    # Invitations replaced admin-chosen passwords; accounts created before that still carry the flag.
    user = make_user("nyanstalld", org_a, [Role.OUTREACH])
    user.must_change_password = True
    user.save()
    client = Client()
    client.post("/konto/logga-in/", {"username": "nyanstalld", "password": PASSWORD})
    client.post("/konto/tvafaktor/", {"token": current_totp(user)})
    # The first page after the second factor is the password change; nothing else is reachable.
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(CHANGE)
    assert client.get(reverse("accounts:members"))["Location"].startswith(CHANGE)
    # Logout and language stay reachable.
    assert client.post("/konto/sprak/", {"language": "en", "next": "/"}).status_code == 302

    response = _change(client, old=PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200


def test_forced_change_must_pick_a_new_password(org_a):
    user = make_user("temp", org_a, [Role.OUTREACH])
    user.must_change_password = True
    user.save()
    client = Client()
    client.post("/konto/logga-in/", {"username": "temp", "password": PASSWORD})
    client.post("/konto/tvafaktor/", {"token": current_totp(user)})
    response = _change(client, old=PASSWORD, new=PASSWORD)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.must_change_password is True


def test_anyone_can_change_their_password_from_the_menu(client_for, bob, org_a):
    client = client_for(bob, org_a)
    page = client.get("/").content.decode()
    assert f'href="{CHANGE}"' in page
    assert client.get(CHANGE).status_code == 200
    response = _change(client)
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    # The session that changed the password stays logged in.
    assert client.get("/").status_code == 200
    rows = AuditEvent.objects.filter(action=AuditAction.CHANGE, actor_id=bob.pk, detail="password_changed")
    assert list(rows.values_list("organisation_id", flat=True)) == [org_a.pk]
    assert NEW_PASSWORD not in str(list(AuditEvent.objects.values_list("detail", "object_id")))


def test_password_change_needs_the_old_password_and_passes_the_validators(client_for, bob, org_a):
    client = client_for(bob, org_a)
    assert _change(client, old="fel-losenord-helt").status_code == 200
    assert _change(client, new="kort").status_code == 200
    assert _change(client, new="123456789012345").status_code == 200
    assert _change(client, again="nagot-annat-losenord-99").status_code == 200
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_password_change_ends_the_other_sessions(client_for, bob, org_a):
    other = client_for(bob, org_a)
    assert other.get("/").status_code == 200
    mine = client_for(bob, org_a)
    _change(mine)
    assert mine.get("/").status_code == 200
    response = other.get("/")
    assert response.status_code == 302
    assert "/konto/logga-in/" in response["Location"]


def test_password_change_needs_the_second_factor(org_a):
    make_user("halfway", org_a, [Role.OUTREACH])
    client = Client()
    client.post("/konto/logga-in/", {"username": "halfway", "password": PASSWORD})
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvafaktor/")


def test_password_change_is_audited_in_every_organisation(client_for, org_a, org_b):
    user = make_user("two-orgs", org_a, [Role.OUTREACH])
    Membership.objects.create(user=user, organisation=org_b, role=Role.CASEWORKER)
    _change(client_for(user, org_a))
    rows = AuditEvent.objects.filter(detail="password_changed", actor_id=user.pk)
    assert set(rows.values_list("organisation_id", flat=True)) == {org_a.pk, org_b.pk}
