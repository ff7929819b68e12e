"""Network coordinators define the routine; nobody else can see or change it here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uppsok.cases.models import RoutineTemplate
from uppsok.cases.seeds import seed_routines
from uppsok.network.models import NetworkRole

MANAGE = reverse("cases:routine_manage")


@pytest.fixture
def coordinator(alice, network):
    NetworkRole.objects.create(network=network, user=alice, role=NetworkRole.Role.COORDINATOR)
    return alice


def steps(*rows):
    data = {"steg-TOTAL_FORMS": str(len(rows)), "steg-INITIAL_FORMS": "0", "steg-MIN_NUM_FORMS": "0",
            "steg-MAX_NUM_FORMS": "30"}
    for i, (title, actor, due) in enumerate(rows):
        data.update({f"steg-{i}-title": title, f"steg-{i}-actor": actor, f"steg-{i}-how_to_reach": "",
                     f"steg-{i}-when": "", f"steg-{i}-due_days": due})
    return data


def test_coordinator_creates_a_routine(client_for, coordinator, org_a, network):
    url = reverse("cases:routine_create", kwargs={"network_id": network.pk})
    r = client_for(coordinator, org_a).post(url, {
        "name": "Vår rutin", "goal": "Skydd och stöd", "is_active": "on",
        **steps(("Ring polisen", "Polisen", "1"), ("Dokumentera", "Den som mött personen", ""), ("", "", "")),
    })
    assert r.status_code == 302
    routine = RoutineTemplate.objects.get(name="Vår rutin")
    assert routine.network == network
    assert [(s.order, s.title, s.due_days) for s in routine.steps.all()] == [(1, "Ring polisen", 1), (2, "Dokumentera", None)]


def test_step_without_actor_is_refused(client_for, coordinator, org_a, network):
    url = reverse("cases:routine_create", kwargs={"network_id": network.pk})
    r = client_for(coordinator, org_a).post(url, {"name": "X", **steps(("Ring polisen", "", ""))})
    assert r.status_code == 200 and RoutineTemplate.objects.count() == 0
    assert "Ett steg behöver både vad som ska göras och vilken aktör" in r.content.decode()


def test_coordinator_edits_and_seeds(client_for, coordinator, org_a, network):
    c = client_for(coordinator, org_a)
    c.post(reverse("cases:network_routines", kwargs={"network_id": network.pk}))
    assert RoutineTemplate.objects.filter(network=network).count() == 2
    routine = RoutineTemplate.objects.get(name__startswith="Helsingborg")
    r = c.post(reverse("cases:routine_edit", kwargs={"network_id": network.pk, "routine_id": routine.pk}), {
        "name": routine.name, "goal": "", "is_active": "on", **steps(("Ring Fokusgruppen", "Polisen", "0")),
    })
    assert r.status_code == 302
    assert [s.title for s in routine.steps.all()] == ["Ring Fokusgruppen"]


def test_it_checks_ownership(client_for, bob, charlie, org_a, org_b, network, coordinator):
    from tests.factories import make_org, make_user
    from uppsok.accounts.models import Role

    routine = seed_routines(network)[0]
    edit = reverse("cases:routine_edit", kwargs={"network_id": network.pk, "routine_id": routine.pk})
    create = reverse("cases:routine_create", kwargs={"network_id": network.pk})
    seed = reverse("cases:network_routines", kwargs={"network_id": network.pk})
    # Members' workers who are not its coordinator (Bob, Charlie) read the routines but change nothing.
    for user, org in ((bob, org_a), (charlie, org_b)):
        c = client_for(user, org)
        assert c.get(seed).status_code == 200
        assert c.get(edit).status_code == 403
        assert c.post(edit, {"name": "Kapad", **steps(("x", "y", ""))}).status_code == 403
        assert c.get(create).status_code == 403
        assert c.post(seed).status_code == 403
    # Someone outside the network does not learn that it exists.
    outsider_org = make_org("utanfor")
    outsider = make_user("utanfor", outsider_org, [r.value for r in Role])
    c = client_for(outsider, outsider_org)
    for url in (edit, create, seed):
        assert c.get(url).status_code == 404 and c.post(url).status_code == 404
    routine.refresh_from_db()
    assert routine.name.startswith("Helsingborg")


def test_wrong_role_sees_no_networks(client_for, bob, org_a, network):
    body = client_for(bob, org_a).get(MANAGE).content.decode()
    assert "Du är inte samordnare i något nätverk." in body


def test_anonymous_goes_to_login(client, network):
    assert client.get(MANAGE).status_code == 302
