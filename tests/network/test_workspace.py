"""The network's workspace: inviting an organisation and its admin's answer, leaving, the core
group's warnings, settings, and the management command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import make_org, make_user
from uppsok.accounts.models import Role
from uppsok.audit.models import AuditAction, AuditEvent
from uppsok.network.models import CoreGroupMember, Network, NetworkInvitation, NetworkMembership, NetworkRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_c(db):
    return make_org("org-c", name="Hotellgruppen")


@pytest.fixture
def cecilia(org_c):
    return make_user("cecilia", org_c, [Role.ADMIN])


def test_invite_accept_and_leave(client_for, nora, network, org_c, cecilia):
    coordinator = client_for(nora)
    url = reverse("network:members", kwargs={"network_id": network.pk})
    r = coordinator.post(url, {"organisation": org_c.pk, "message": "Välkomna!"})
    assert r.status_code == 302
    invitation = NetworkInvitation.objects.get(network=network, organisation=org_c)
    # a second invitation while the first waits is refused, with the reason
    again = coordinator.post(url, {"organisation": org_c.pk})
    assert again.status_code == 200 and "redan en inbjudan" in again.content.decode()
    assert NetworkInvitation.objects.filter(organisation=org_c).count() == 1

    admin = client_for(cecilia, org_c)
    page = admin.get(reverse("network:org_networks")).content.decode()
    assert network.name in page and "Välkomna!" in page
    # before accepting, the network is not theirs
    assert admin.get(reverse("network:overview", kwargs={"network_id": network.pk})).status_code == 404
    r = admin.post(reverse("network:org_invitation_answer", kwargs={"invitation_id": invitation.pk}), {"answer": "accept"})
    assert r.status_code == 302
    assert NetworkMembership.objects.filter(network=network, organisation=org_c).exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.answered_by == cecilia
    assert admin.get(reverse("network:overview", kwargs={"network_id": network.pk})).status_code == 200
    # answering twice changes nothing
    admin.post(reverse("network:org_invitation_answer", kwargs={"invitation_id": invitation.pk}), {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == "accepted"

    r = admin.post(reverse("network:org_leave", kwargs={"network_id": network.pk}))
    assert r.status_code == 302
    assert not NetworkMembership.objects.filter(network=network, organisation=org_c).exists()
    assert admin.get(reverse("network:overview", kwargs={"network_id": network.pk})).status_code == 404
    actions = set(AuditEvent.objects.filter(network_id=network.pk).values_list("action", flat=True))
    assert {AuditAction.CREATE, AuditAction.CHANGE, AuditAction.DELETE} <= actions


def test_only_the_invited_organisations_admin_answers(client_for, nora, network, org_c, alice, org_a, charlie, org_b):
    invitation = NetworkInvitation.objects.create(network=network, organisation=org_c, invited_by=nora)
    url = reverse("network:org_invitation_answer", kwargs={"invitation_id": invitation.pk})
    # an admin of another organisation: the invitation is not theirs
    assert client_for(charlie, org_b).post(url, {"answer": "accept"}).status_code == 404
    # a worker without admin rights in the invited organisation
    worker = make_user("wille", org_c, [Role.OUTREACH])
    assert client_for(worker, org_c).post(url, {"answer": "accept"}).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_a_withdrawn_invitation_cannot_be_accepted(client_for, nora, network, org_c, cecilia):
    invitation = NetworkInvitation.objects.create(network=network, organisation=org_c, invited_by=nora)
    client_for(nora).post(reverse("network:invitation_withdraw", kwargs={"network_id": network.pk, "invitation_id": invitation.pk}))
    r = client_for(cecilia, org_c).post(
        reverse("network:org_invitation_answer", kwargs={"invitation_id": invitation.pk}), {"answer": "accept"}, follow=True
    )
    assert "inte längre öppen" in r.content.decode()
    assert not NetworkMembership.objects.filter(organisation=org_c).exists()


def test_core_group_warns_as_the_handbook_does(client_for, nora, network):
    c = client_for(nora)
    url = reverse("network:core_group", kwargs={"network_id": network.pk})
    page = c.get(url).content.decode()
    assert "Socialtjänsten saknas" in page and "Lokalpolisen saknas" in page and "rekommenderar 4–8" in page
    for name, org, sector in [("A", "Polisen", "police"), ("B", "Socialtjänsten", "social_services"),
                              ("C", "Kvinnojouren", "civil_society"), ("D", "Hotell", "business")]:
        c.post(url, {"name": name, "organisation_name": org, "sector": sector, "criteria": ["mandate"]})
    page = c.get(url).content.decode()
    assert "saknas i kärngruppen" not in page and "rekommenderar 4–8" not in page
    assert CoreGroupMember.objects.get(name="A").criteria == ["mandate"]
    # an unknown criterion is refused whole, not saved without it
    bad = c.post(url, {"name": "F", "organisation_name": "X", "sector": "police", "criteria": ["mandate", "bogus"]})
    assert bad.status_code == 200 and not CoreGroupMember.objects.filter(name="F").exists()
    c.post(url, {"name": "E", "organisation_name": " polisen ", "sector": "police"})
    assert "samma organisation" in c.get(url).content.decode()


def test_settings_are_saved_with_the_changed_fields_audited(client_for, nora, network):
    c = client_for(nora)
    url = reverse("network:settings", kwargs={"network_id": network.pk})
    data = {"name": network.name, "area": "Helsingborg", "meetings_per_year": 2, "share_contacting_organisation": "on",
            "tip_contact_name": "Kim", "tip_contact_organisation": "Polisen", "tip_contact_phone": "114 14",
            "tip_contact_email": "", "coordinator_role_text": "Samordnaren kallar.", "network_role_text": "Nätverket."}
    assert c.post(url, data).status_code == 302
    network.refresh_from_db()
    assert network.share_contacting_organisation and network.tip_contact_name == "Kim" and network.meetings_per_year == 2
    row = AuditEvent.objects.filter(network_id=network.pk, action=AuditAction.CHANGE).latest("at")
    assert "tip_contact_name" in row.detail and "Kim" not in row.detail
    bad = c.post(url, {**data, "meetings_per_year": 0})
    assert bad.status_code == 200 and "mellan 1 och 24" in bad.content.decode()
    network.refresh_from_db()
    assert network.meetings_per_year == 2


def test_the_command_creates_a_network_with_the_handbooks_texts(org_a):
    coordinator = make_user("koordinator")
    hotel = make_user("hotell")
    call_command("create_network", "Nätverket i Staden", "--coordinator", "koordinator", "--area", "Staden",
                 "--member-organisation", org_a.slug, "--network-member", "hotell")
    network = Network.objects.get(slug="natverket-i-staden")
    assert "Helsingborg" not in network.network_role_text and "Extern kommunikation" in network.network_role_text
    assert NetworkRole.objects.filter(network=network, user=coordinator, role="coordinator").exists()
    assert NetworkRole.objects.filter(network=network, user=hotel, role="member").exists()
    assert NetworkMembership.objects.filter(network=network, organisation=org_a).exists()
    with pytest.raises(CommandError):
        call_command("create_network", "Nätverket i Staden", "--coordinator", "koordinator")
    with pytest.raises(CommandError):
        call_command("create_network", "Annat", "--coordinator", "koordinator", "--network-member", "finns-inte")
    assert not Network.objects.filter(name="Annat").exists()
    # a coordinator who has no account yet is invited, with a one-time link printed
    out = io.StringIO()
    call_command("create_network", "Tredje", "--coordinator", "ny-samordnare", stdout=out, stderr=io.StringIO())
    assert "/konto/inbjudan/" in out.getvalue()
    assert NetworkRole.objects.filter(network__slug="tredje", user__username="ny-samordnare", role="coordinator").exists()


def test_a_tip_for_the_networks_contact_person_is_addressed_to_the_person_the_network_names(client_for, alice, org_a, network):
    from django.utils import timezone

    from uppsok.outreach.models import Ad

    network.tip_contact_name = "Kim Karlsson"
    network.tip_contact_organisation = "Polisen Staden"
    network.tip_contact_phone = "114 14"
    network.save()
    now = timezone.now()
    ad = Ad.objects.create(organisation=org_a, fingerprint="x", site="exempel.se", first_seen=now, last_seen=now)
    page = client_for(alice, org_a).get(reverse("outreach:tip_new", kwargs={"ad_id": ad.pk}) + "?typ=network_contact")
    body = page.content.decode()
    assert 'value="Kim Karlsson, Polisen Staden, 114 14"' in body
    assert '<datalist id="katalog-namn">' in body
