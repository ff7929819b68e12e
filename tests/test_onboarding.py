"""Onboarding: platform staff create organisations and networks, admins and coordinators invite,
the invited person chooses their own password and authenticator, deactivation ends sessions."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import AccountResetLink, Membership, Organisation, Role, User
from uppsok.audit.models import AuditEvent
from uppsok.network.models import Network, NetworkRole

from .conftest import PASSWORD, login, make_user
from .test_auth import current_totp_unconfirmed

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "tre-ord-som-bara-jag-kan-2026"
LINK = re.compile(r"/konto/inbjudan/[\w-]+/")


def _path(text: str) -> str:
    found = LINK.search(text)
    assert found, text
    return found.group(0)


def _accept(client: Client, path: str, password: str = NEW_PASSWORD):
    """Both steps, as a browser does them: the password, then the code from the new authenticator."""
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user__username=response.context["person"].username, confirmed=False)
    return client.post(path, {"token": current_totp_unconfirmed(device)})


@pytest.fixture
def staff(db: None) -> User:
    user = make_user("plattform")
    User.objects.filter(pk=user.pk).update(is_system_admin=True)
    user.refresh_from_db()
    return user


def test_commands_create_an_organisation_and_its_admin_reaches_it_empty():
    out = io.StringIO()
    call_command("create_organisation", "Malmö stad", "--kind", "social_services", "--admin", "anna",
                 "--base-url", "https://uppsok.example.se", stdout=out, stderr=io.StringIO())
    org = Organisation.objects.get(slug="malmo-stad")
    assert "https://uppsok.example.se/konto/inbjudan/" in out.getvalue()
    anna = User.objects.get(username="anna")
    assert not anna.has_usable_password()
    client = Client()
    response = _accept(client, _path(out.getvalue()))
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    home = client.get("/")
    assert home.status_code == 200
    assert "Malmö stad" in home.content.decode()
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD) and anna.two_factor_enrolled_at is not None
    # the admin invites a colleague from the command line too
    out = io.StringIO()
    call_command("invite", "bertil", "--organisation", "malmo-stad", "--role", "caseworker", stdout=out,
                 stderr=io.StringIO())
    assert Membership.objects.filter(user__username="bertil", organisation=org, role=Role.CASEWORKER).exists()
    assert _path(out.getvalue())


def test_invite_command_refuses_unknown_places_and_taken_names(org_a, alice):
    with pytest.raises(CommandError, match="Ingen organisation"):
        call_command("invite", "x", "--organisation", "nope", "--role", "outreach", stdout=io.StringIO())
    with pytest.raises(CommandError, match="upptaget"):
        call_command("invite", "ALICE", "--organisation", "org-a", "--role", "outreach", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--role"):
        call_command("invite", "y", "--organisation", "org-a", stdout=io.StringIO())
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_invitation_is_one_time_and_expires(client_for, alice, org_a):
    response = client_for(alice, org_a).post(reverse("accounts:member_add"), {"username": "ny", "roles": ["outreach"]})
    path = _path(response.content.decode())
    assert _accept(Client(), path).status_code == 302
    assert Client().get(path).status_code == 404
    # an expired one
    response = client_for(alice, org_a).post(reverse("accounts:member_add"), {"username": "sen", "roles": ["outreach"]})
    path = _path(response.content.decode())
    AccountResetLink.objects.filter(user__username="sen").update(expires_at=timezone.now() - timedelta(minutes=1))
    assert Client().get(path).status_code == 404
    assert Client().get("/konto/inbjudan/helt-fel/").status_code == 404


def test_weak_password_is_refused_and_nothing_is_saved(client_for, alice, org_a):
    response = client_for(alice, org_a).post(reverse("accounts:member_add"), {"username": "ny", "roles": ["outreach"]})
    path = _path(response.content.decode())
    client = Client()
    page = client.post(path, {"new_password1": "kort", "new_password2": "kort"})
    assert page.status_code == 200 and page.context["step"] == 1
    assert not User.objects.get(username="ny").has_usable_password()
    page = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert "inte likadana" in page.content.decode()


def test_nothing_is_reachable_before_the_authenticator_is_confirmed(client_for, alice, org_a):
    response = client_for(alice, org_a).post(reverse("accounts:member_add"), {"username": "ny", "roles": ["outreach"]})
    path = _path(response.content.decode())
    client = Client()
    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not get_user(client).is_authenticated
    assert client.get("/")["Location"].startswith("/konto/logga-in/")
    wrong = client.post(path, {"token": "000000"})
    assert wrong.status_code == 200 and "stämmer inte" in wrong.content.decode()
    # another browser with the link must know the password the person chose
    other = Client()
    page = other.get(path)
    assert page.context["choosing"] is False
    page = other.post(path, {"password": "gissning-gissning"})
    assert "stämmer inte" in page.content.decode()
    assert not TOTPDevice.objects.filter(user__username="ny", confirmed=True).exists()


def test_someone_logged_in_is_logged_out_by_an_invitation_link(client_for, alice, bob, org_a):
    response = client_for(alice, org_a).post(reverse("accounts:member_add"), {"username": "ny", "roles": ["outreach"]})
    path = _path(response.content.decode())
    client = client_for(bob, org_a)
    client.get(path)
    assert not get_user(client).is_authenticated


def test_reissued_invitation_replaces_the_first(client_for, alice, org_a):
    admin = client_for(alice, org_a)
    first = _path(admin.post(reverse("accounts:member_add"), {"username": "ny", "roles": ["outreach"]}).content.decode())
    person = User.objects.get(username="ny")
    second = _path(admin.post(reverse("accounts:member_reinvite", kwargs={"user_id": person.pk})).content.decode())
    assert Client().get(first).status_code == 404
    assert _accept(Client(), second).status_code == 302
    # once accepted, the reset links are the way, not a new invitation
    response = admin.post(reverse("accounts:member_reinvite", kwargs={"user_id": person.pk}), follow=True)
    assert "redan tagit emot" in response.content.decode()


def test_link_is_mailed_when_email_is_configured(client_for, alice, org_a, settings):
    settings.UPPSOK_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client_for(alice, org_a).post(reverse("accounts:member_add"), {
        "username": "ny", "email": "ny@example.se", "roles": ["outreach"], "send_email": "on",
    })
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ny@example.se"]
    assert _path(mail.outbox[0].body)


def test_deactivation_ends_the_session_at_once(client_for, alice, bob, org_a):
    bobs = client_for(bob, org_a)
    assert bobs.get("/").status_code == 200
    response = client_for(alice, org_a).post(reverse("accounts:member_deactivate", kwargs={"user_id": bob.pk}))
    assert response.status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    assert bobs.get("/")["Location"].startswith("/konto/logga-in/")
    assert not Membership.objects.filter(user=bob, is_active=True).exists()
    assert AuditEvent.objects.filter(object_id=str(bob.pk), detail__startswith="deactivated").exists()


def test_deactivation_keeps_an_account_with_other_ties(client_for, alice, org_a, org_b):
    both = make_user("bada", org_a, [Role.OUTREACH])
    Membership.objects.create(user=both, organisation=org_b, role=Role.OUTREACH)
    client_for(alice, org_a).post(reverse("accounts:member_deactivate", kwargs={"user_id": both.pk}))
    both.refresh_from_db()
    assert both.is_active
    assert not Membership.objects.filter(user=both, organisation=org_a, is_active=True).exists()
    assert Membership.objects.filter(user=both, organisation=org_b, is_active=True).exists()


def test_admin_cannot_deactivate_self_or_someone_elsewhere(client_for, alice, charlie, org_a):
    client = client_for(alice, org_a)
    client.post(reverse("accounts:member_deactivate", kwargs={"user_id": alice.pk}))
    alice.refresh_from_db()
    assert alice.is_active
    assert client.post(reverse("accounts:member_deactivate", kwargs={"user_id": charlie.pk})).status_code == 404
    charlie.refresh_from_db()
    assert charlie.is_active


def test_system_admin_creates_an_organisation_and_sees_no_records(staff, org_a, alice):
    client = login(Client(), staff)
    assert client.get("/")["Location"] == reverse("accounts:system_home")
    page = client.get(reverse("accounts:system_home")).content.decode()
    assert "Organisation A" in page and "alice" in page
    response = client.post(reverse("accounts:system_organisation_create"), {
        "name": "Region Skåne", "kind": "healthcare", "admin_username": "regionadmin",
    })
    assert response.status_code == 200
    org = Organisation.objects.get(slug="region-skane")
    assert Membership.objects.filter(organisation=org, user__username="regionadmin", role=Role.ADMIN).exists()
    assert _path(response.content.decode())
    # every organisation page is refused (the URL walk checks every route)
    assert client.get(reverse("outreach:ad_list")).status_code == 403
    assert client.get(reverse("cases:case_list")).status_code == 403


def test_system_admin_needs_the_second_factor(staff):
    client = login(Client(), staff, verified=False)
    assert client.get(reverse("accounts:system_home"))["Location"].startswith("/konto/tvafaktor/")


def test_organisation_admin_is_refused_system_pages(client_for, alice, org_a):
    assert client_for(alice, org_a).get(reverse("accounts:system_home")).status_code == 403


def test_system_admin_creates_a_network_with_a_new_coordinator(staff):
    client = login(Client(), staff)
    response = client.post(reverse("accounts:system_network_create"), {
        "name": "Skånenätverket", "coordinator_username": "samordnaren",
    })
    network = Network.objects.get(slug="skanenatverket")
    assert NetworkRole.objects.filter(network=network, user__username="samordnaren", role="coordinator").exists()
    browser = Client()
    assert _accept(browser, _path(response.content.decode()))["Location"] == reverse("core:home")
    assert browser.get("/")["Location"] == reverse("network:overview", kwargs={"network_id": network.pk})


def test_network_creation_refuses_a_system_admin_as_coordinator_and_saves_nothing(staff):
    client = login(Client(), staff)
    response = client.post(reverse("accounts:system_network_create"), {
        "name": "Nätet", "coordinator_username": "plattform",
    })
    assert response.status_code == 200
    assert not Network.objects.filter(slug="natet").exists()


def test_coordinator_invites_a_network_only_member(alice, org_a, network):
    NetworkRole.objects.create(network=network, user=alice, role=NetworkRole.Role.COORDINATOR)
    client = login(Client(), alice, org_a)
    url = reverse("network:people", kwargs={"network_id": network.pk})
    response = client.post(url, {"username": "hotellet"})
    path = _path(response.content.decode())
    person = User.objects.get(username="hotellet")
    assert not Membership.objects.filter(user=person).exists()
    browser = Client()
    _accept(browser, path)
    assert browser.get("/")["Location"] == reverse("network:overview", kwargs={"network_id": network.pk})
    # a network-only member may not invite anyone
    assert browser.post(url, {"username": "fler"}).status_code == 403
    assert not User.objects.filter(username="fler").exists()


def test_network_member_cannot_make_a_coordinator_by_command_only_staff(org_a, network):
    from uppsok.accounts.actions_onboarding import do_invite_network_person
    from uppsok.core.errors import ActionError

    coordinator = make_user("koord", org_a, [Role.OUTREACH])
    with pytest.raises(ActionError):
        do_invite_network_person(coordinator, network, username="ny-koord", role=NetworkRole.Role.COORDINATOR)
    assert not User.objects.filter(username="ny-koord").exists()


def test_membership_rows_on_a_system_admin_are_ignored(staff, org_a):
    Membership.objects.create(user=staff, organisation=org_a, role=Role.ADMIN)
    client = login(Client(), staff, org_a)
    assert client.get(reverse("accounts:members")).status_code == 403


def test_password_login_of_invited_but_unfinished_account_is_refused(client_for, alice, org_a):
    client_for(alice, org_a).post(reverse("accounts:member_add"), {"username": "ny", "roles": ["outreach"]})
    response = Client().post("/konto/logga-in/", {"username": "ny", "password": PASSWORD})
    assert response.status_code == 200  # the form again: no usable password exists


def test_system_home_queries_do_not_grow_with_organisations(staff, django_assert_max_num_queries):
    from .conftest import make_org

    client = login(Client(), staff)
    client.get(reverse("accounts:system_home"))
    for i in range(12):
        org = make_org(f"org-{i}")
        make_user(f"admin-{i}", org, [Role.ADMIN])
        Network.objects.create(name=f"Nät {i}", slug=f"nat-{i}")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("accounts:system_home"))
    assert page.status_code == 200 and "admin-11" in page.content.decode()


def test_reset_link_can_be_mailed_when_email_is_configured(client_for, alice, bob, org_a, settings):
    settings.UPPSOK_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(pk=bob.pk).update(email="bob@example.se")
    client_for(alice, org_a).post(reverse("accounts:member_reset_password", kwargs={"user_id": bob.pk}),
                                  {"send_email": "on"})
    assert len(mail.outbox) == 1 and "/konto/aterstall/" in mail.outbox[0].body


def test_ending_a_network_only_members_role_switches_the_account_off(alice, org_a, network):
    NetworkRole.objects.create(network=network, user=alice, role=NetworkRole.Role.COORDINATOR)
    hotel = make_user("hotellet")
    role = NetworkRole.objects.create(network=network, user=hotel, role=NetworkRole.Role.MEMBER)
    hotels = login(Client(), hotel)
    assert hotels.get(reverse("network:overview", kwargs={"network_id": network.pk})).status_code == 200
    client = login(Client(), alice, org_a)
    client.post(reverse("network:person_end", kwargs={"network_id": network.pk, "role_id": role.pk}))
    hotel.refresh_from_db()
    assert not hotel.is_active
    assert hotels.get("/")["Location"].startswith("/konto/logga-in/")


def test_system_admin_resets_an_account_no_organisation_can(staff, org_a, org_b):
    both = make_user("bada", org_a, [Role.OUTREACH])
    Membership.objects.create(user=both, organisation=org_b, role=Role.OUTREACH)
    client = login(Client(), staff)
    url = reverse("accounts:system_account_reset")
    refused = client.post(url, {"username": "bada", "kind": "two_factor"})
    assert refused.status_code == 200 and not AccountResetLink.objects.filter(user=both).exists()
    response = client.post(url, {"username": "bada", "kind": "two_factor", "identity_checked": "on"})
    assert "/konto/aterstall/" in response.content.decode()
    link = AccountResetLink.objects.get(user=both)
    assert link.kind == "two_factor" and link.created_by == staff
    # the link does not hand the account to staff: the person's own password is asked for
    page = Client().get(re.search(r"/konto/aterstall/[\w-]+/", response.content.decode()).group(0))
    assert "lösenord" in page.content.decode()
