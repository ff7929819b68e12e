"""A network routine is changed only by an active coordinator, audited, and announced to the network."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_org, make_user
from uppsok.accounts.models import Role
from uppsok.audit.models import AuditEvent
from uppsok.cases import actions
from uppsok.cases.models import RoutineChangeNotice, RoutineTemplate
from uppsok.cases.seeds import seed_routines
from uppsok.network.models import NetworkRole

from .test_routine_manage import steps

MANAGE = reverse("cases:routine_manage")
HOME = reverse("core:home")


@pytest.fixture
def coordinator(alice, network):
    NetworkRole.objects.create(network=network, user=alice, role=NetworkRole.Role.COORDINATOR)
    return alice


def edit_url(routine):
    return reverse("cases:routine_edit", kwargs={"network_id": routine.network_id, "routine_id": routine.pk})


def test_ended_coordinator_role_gives_no_access(client_for, coordinator, org_a, network):
    routine = seed_routines(network)[0]
    NetworkRole.objects.filter(user=coordinator).update(is_active=False)
    c = client_for(coordinator, org_a)
    # organisation A is still a member, so Alice reads the network, but no longer edits it
    assert c.get(edit_url(routine)).status_code == 403
    assert c.post(edit_url(routine), {
        "name": routine.name, "is_active": "on", **steps(("Ring 070-000 00 00", "Polisen", "0")),
    }).status_code == 403
    assert c.get(reverse("cases:routine_create", kwargs={"network_id": network.pk})).status_code == 403
    assert c.post(reverse("cases:network_routines", kwargs={"network_id": network.pk})).status_code == 403
    assert "Du är inte samordnare i något nätverk." in c.get(MANAGE).content.decode()
    # The menu no longer offers the routine pages either.
    assert MANAGE not in c.get(HOME).content.decode()
    assert routine.steps.first().title == "Ring polisen vid misstanke"


def test_active_coordinator_sees_the_menu_link(client_for, coordinator, org_a, network):
    assert MANAGE in client_for(coordinator, org_a).get(HOME).content.decode()


def test_action_refuses_someone_who_is_not_an_active_coordinator(bob, coordinator, network):
    routine = seed_routines(network)[0]
    data = {"name": routine.name, "goal": "", "is_active": True}
    with pytest.raises(actions.ActionError):
        actions.do_save_routine(bob, network, routine, data, [{"title": "Ring mig", "actor": "Bob"}])
    NetworkRole.objects.filter(user=coordinator).update(is_active=False)
    with pytest.raises(actions.ActionError):
        actions.do_save_routine(coordinator, network, routine, data, [{"title": "Ring mig", "actor": "Alice"}])
    assert routine.steps.first().title == "Ring polisen vid misstanke"


def test_edit_is_audited_with_the_changed_fields_and_steps(client_for, coordinator, org_a, network):
    routine = actions.do_save_routine(coordinator, network, None, {"name": "Vår rutin", "goal": "", "is_active": True}, [
        {"title": "Ring polisen", "actor": "Polisen"}, {"title": "Dokumentera", "actor": "Vi"},
        {"title": "Följ upp", "actor": "Nätverket"},
    ])
    r = client_for(coordinator, org_a).post(edit_url(routine), {
        "name": routine.name, "goal": "Nytt mål", "is_active": "on",
        **steps(("Ring polisen", "Polisen", ""), ("Ring 070-000 00 00", "Polisen", "0")),
        "steg-INITIAL_FORMS": "2",  # as the page renders it: these forms stand for existing steps
    })
    assert r.status_code == 302
    rows = list(AuditEvent.objects.filter(object_id=str(routine.pk), action="change"))
    assert rows and all(e.actor_id == coordinator.pk for e in rows)
    details = ";".join(e.detail for e in rows)
    assert "goal" in details and "steps=2,3" in details
    assert "070" not in details and "Nytt mål" not in details


def test_seeding_goes_through_an_action_and_is_audited(client_for, coordinator, org_a, network):
    c = client_for(coordinator, org_a)
    c.post(reverse("cases:network_routines", kwargs={"network_id": network.pk}))
    created = AuditEvent.objects.filter(action="create", object_type="cases.routinetemplate")
    assert created.count() == 2 and all(e.actor_id == coordinator.pk for e in created)
    assert RoutineChangeNotice.objects.filter(network=network).count() == 2


def test_network_members_see_the_change_on_their_start_page(client_for, coordinator, bob, charlie, org_a, org_b,
                                                            network):
    routine = seed_routines(network)[0]
    client_for(coordinator, org_a).post(edit_url(routine), {
        "name": routine.name, "goal": routine.goal, "is_active": "on",
        **steps(("Ring polisen vid misstanke", "Polisen", "1")),
    })
    notice = RoutineChangeNotice.objects.get(routine=routine)
    assert notice.network == network and notice.changed_by == coordinator and notice.steps == "1,2,3"
    today = timezone.localdate().isoformat()
    for user, org in ((bob, org_a), (charlie, org_b)):
        body = client_for(user, org).get(HOME).content.decode()
        assert f"Nätverkets rutin {routine.name} ändrades den {today} av alice" in body
    # An organisation outside the network hears nothing of it.
    org_c = make_org("org-c", name="Organisation C")
    eve = make_user("eve", org_c, [Role.CASEWORKER])
    assert routine.name not in client_for(eve, org_c).get(HOME).content.decode()


def test_old_notices_are_not_shown(client_for, coordinator, bob, org_a, network):
    routine = seed_routines(network)[0]
    RoutineChangeNotice.objects.create(
        network=network, routine=routine, changed_by=coordinator, kind=RoutineChangeNotice.Kind.CHANGED,
        fields="goal", changed_at=timezone.now() - datetime.timedelta(days=31),
    )
    assert "Nätverkets rutin" not in client_for(bob, org_a).get(HOME).content.decode()


def test_unchanged_save_sends_no_notice(coordinator, network):
    routine = seed_routines(network)[0]
    data = {"name": routine.name, "goal": routine.goal, "is_active": routine.is_active}
    current = [{"title": s.title, "actor": s.actor, "how_to_reach": s.how_to_reach, "when": s.when,
                "due_days": s.due_days} for s in routine.steps.all()]
    actions.do_save_routine(coordinator, network, routine, data, current)
    assert not RoutineChangeNotice.objects.exists()
    assert RoutineTemplate.objects.get(pk=routine.pk).steps.count() == 3
