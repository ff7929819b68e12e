from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from uppsok.cases import actions
from uppsok.cases.models import CaseRoutineStep
from uppsok.cases.seeds import seed_routines

from .conftest import make_case

HOME = reverse("core:home")


def test_start_page_shows_my_work(client_for, bob, org_a, network):
    today = timezone.localdate()
    case = make_case(org_a, bob, alias="Mira", opened_on=today - datetime.timedelta(days=10),
                     recontact_on=today + datetime.timedelta(days=2),
                     next_meeting_at=timezone.now() + datetime.timedelta(days=3))
    actions.do_apply_routine(bob, case, seed_routines(network)[0])  # first step due one day after start
    body = client_for(bob, org_a).get(HOME).content.decode()
    assert "Mina ärenden" in body
    assert "Ring polisen vid misstanke" in body  # overdue step
    assert "Påminnelser om återkontakt" in body and (today + datetime.timedelta(days=2)).isoformat() in body
    assert "Kommande möten" in body
    assert "Du har 1 pågående ärende." in body


def test_done_steps_are_not_overdue(client_for, bob, org_a, network):
    case = make_case(org_a, bob, opened_on=timezone.localdate() - datetime.timedelta(days=10))
    actions.do_apply_routine(bob, case, seed_routines(network)[0])
    CaseRoutineStep.objects.filter(case=case).update(status="done")
    body = client_for(bob, org_a).get(HOME).content.decode()
    assert "Inga försenade steg." in body


def test_it_checks_ownership(client_for, charlie, org_b, bob, org_a):
    make_case(org_a, bob, alias="Mira", next_meeting_at=timezone.now() + datetime.timedelta(days=1))
    body = client_for(charlie, org_b).get(HOME).content.decode()
    assert "Mira" not in body


def test_wrong_role_sees_no_case_panel(client_for, alice, bob, org_a):
    make_case(org_a, bob, alias="Mira")
    body = client_for(alice, org_a).get(HOME).content.decode()
    assert "Mina ärenden" not in body and "Mira" not in body


def test_panel_query_count_is_bounded(client_for, bob, org_a, network, django_assert_max_num_queries):
    routine = seed_routines(network)[0]
    for i in range(15):
        case = make_case(org_a, bob, alias=f"P{i}", opened_on=timezone.localdate() - datetime.timedelta(days=5),
                         recontact_on=timezone.localdate())
        actions.do_apply_routine(bob, case, routine)
    c = client_for(bob, org_a)
    c.get(HOME)
    with django_assert_max_num_queries(20):
        assert c.get(HOME).status_code == 200


def test_referral_answers_show_on_the_senders_start_page(client_for, bob, charlie, org_a, org_b, network):
    from .conftest import make_consent

    case = make_case(org_a, bob)
    ref = actions.do_create_referral(bob, case, capabilities=[], summary="S", to_organisation=org_b,
                                     consent=make_consent(case, org_b))
    actions.do_respond_referral(charlie, org_b, ref, accept=True)
    body = client_for(bob, org_a).get(HOME).content.decode()
    assert "Svar på dina remisser" in body and "Accepterad" in body
