from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from uppsok.cases.models import CaseRoutineStep, RoutineTemplate
from uppsok.cases.seeds import seed_routines


@pytest.fixture
def routines(network):
    return seed_routines(network)


def routine_url(case):
    return reverse("cases:case_routine", kwargs={"case_id": case.pk})


def step_url(case, step):
    return reverse("cases:routine_step_update", kwargs={"case_id": case.pk, "step_id": step.pk})


def test_seeds_are_idempotent_and_hold_both_examples(network):
    seed_routines(network)
    seed_routines(network)
    names = set(RoutineTemplate.objects.filter(network=network).values_list("name", flat=True))
    assert len(names) == 2
    helsingborg = RoutineTemplate.objects.get(name__startswith="Helsingborg")
    assert [s.title for s in helsingborg.steps.all()] == [
        "Ring polisen vid misstanke", "Dokumentera incidenten", "Uppföljning och utvärdering i nätverket"
    ]
    assert "114 14" in helsingborg.steps.first().how_to_reach
    chain = RoutineTemplate.objects.get(name__startswith="Stockholm")
    titles = " ".join(s.title for s in chain.steps.all())
    for word in ("Identifiering", "Akut skydd", "Inledande stöd", "Långsiktigt stöd", "Tryggt återvändande"):
        assert word in titles


def test_apply_routine_makes_a_checklist(client_for, bob, org_a, case_a, routines):
    helsingborg = routines[0]
    r = client_for(bob, org_a).post(routine_url(case_a), {"routine": str(helsingborg.pk)})
    assert r.status_code == 302
    steps = list(CaseRoutineStep.objects.filter(case=case_a))
    assert len(steps) == 3 and steps[0].due_on == case_a.opened_on + datetime.timedelta(days=1)
    body = client_for(bob, org_a).get(reverse("cases:case_detail", kwargs={"case_id": case_a.pk})).content.decode()
    assert "Ring polisen vid misstanke" in body


def test_routine_of_a_network_we_are_not_in_is_refused(client_for, bob, org_a, case_a):
    from uppsok.network.models import Network

    foreign = Network.objects.create(name="Annat nätverk", slug="annat")
    routine = seed_routines(foreign)[0]
    r = client_for(bob, org_a).post(routine_url(case_a), {"routine": str(routine.pk)})
    assert r.status_code == 200 and CaseRoutineStep.objects.count() == 0


def test_mark_step_done_and_not_applicable(client_for, bob, org_a, case_a, routines):
    c = client_for(bob, org_a)
    c.post(routine_url(case_a), {"routine": str(routines[0].pk)})
    first, second, _third = CaseRoutineStep.objects.filter(case=case_a)
    c.post(step_url(case_a, first), {"status": "done", "done_on": "2026-01-02"})
    c.post(step_url(case_a, second), {"status": "na"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "done" and first.done_on.isoformat() == "2026-01-02" and first.done_by == bob
    assert second.status == "na" and second.done_on is not None


def test_step_bad_status_changes_nothing(client_for, bob, org_a, case_a, routines):
    c = client_for(bob, org_a)
    c.post(routine_url(case_a), {"routine": str(routines[0].pk)})
    step = CaseRoutineStep.objects.filter(case=case_a).first()
    c.post(step_url(case_a, step), {"status": "klar"})
    step.refresh_from_db()
    assert step.status == "todo"


def test_routine_list_shows_network_routines(client_for, bob, org_a, routines):
    body = client_for(bob, org_a).get(reverse("cases:routine_list")).content.decode()
    assert "Helsingborgs lokala rutiner" in body and "Stockholms ansvarskedja" in body


def test_it_checks_ownership(client_for, charlie, org_b, case_a, routines, bob, org_a):
    client_for(bob, org_a).post(routine_url(case_a), {"routine": str(routines[0].pk)})
    step = CaseRoutineStep.objects.filter(case=case_a).first()
    c = client_for(charlie, org_b)
    assert c.get(routine_url(case_a)).status_code == 404
    assert c.post(routine_url(case_a), {"routine": str(routines[1].pk)}).status_code == 404
    assert c.post(step_url(case_a, step), {"status": "done"}).status_code == 404
    step.refresh_from_db()
    assert step.status == "todo"


def test_step_of_another_case_is_404(client_for, bob, org_a, case_a, routines):
    from .conftest import make_case

    c = client_for(bob, org_a)
    other = make_case(org_a, bob, alias="Annan")
    c.post(routine_url(other), {"routine": str(routines[0].pk)})
    step = CaseRoutineStep.objects.filter(case=other).first()
    assert c.post(step_url(case_a, step), {"status": "done"}).status_code == 404


def test_wrong_role_is_refused(client_for, alice, org_a, case_a, routines):
    assert client_for(alice, org_a).get(routine_url(case_a)).status_code == 403
    assert client_for(alice, org_a).get(reverse("cases:routine_list")).status_code == 403
