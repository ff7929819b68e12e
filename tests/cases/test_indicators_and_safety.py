from __future__ import annotations

from django.urls import reverse

from uppsok.cases.models import IndicatorObservation, SafetyAssessment


def ind_url(case):
    return reverse("cases:indicators", kwargs={"case_id": case.pk})


def safety_url(case):
    return reverse("cases:safety_add", kwargs={"case_id": case.pk})


SAFETY = {
    "assessed_on": "2026-01-05", "safe_when_leaving": "no", "wants_done": "Ring socialjouren",
    "controlled_by_other": "yes", "safe_contact_way": "Sms till jobbtelefonen", "children_involved": "unknown",
    "under_influence": "no", "risk_level": "high", "actions_taken": "",
}


def test_indicator_checklist_shows_seed_001_lists(client_for, bob, org_a, case_a):
    body = client_for(bob, org_a).get(ind_url(case_a)).content.decode()
    for text in ("Människohandel", "Prostitution", "Köp av sexuella tjänster", "Andra för ens talan", "Nedstämdhet"):
        assert text in body


def test_indicators_are_set_and_unset(client_for, bob, org_a, case_a):
    c = client_for(bob, org_a)
    c.post(ind_url(case_a), {"trafficking": ["th_others_speak", "th_stressed_afraid"], "prostitution": ["pr_low_mood"]})
    assert set(IndicatorObservation.objects.values_list("code", flat=True)) == {
        "th_others_speak", "th_stressed_afraid", "pr_low_mood"
    }
    c.post(ind_url(case_a), {"trafficking": ["th_others_speak"]})
    assert set(IndicatorObservation.objects.values_list("code", flat=True)) == {"th_others_speak"}


def test_unknown_indicator_is_refused(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(ind_url(case_a), {"trafficking": ["nope"]})
    assert r.status_code == 200 and IndicatorObservation.objects.count() == 0


def test_safety_assessment_with_seed_questions(client_for, bob, org_a, case_a):
    c = client_for(bob, org_a)
    body = c.get(safety_url(case_a)).content.decode()
    assert "Är du säker när du går härifrån?" in body
    assert "Vad vill du att vi gör kring att du inte är säker?" in body
    r = c.post(safety_url(case_a), SAFETY)
    assert r.status_code == 302
    s = SafetyAssessment.objects.get()
    assert s.case == case_a and s.risk_level == "high" and s.assessed_by == bob


def test_safety_bad_input_saves_nothing(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(safety_url(case_a), {**SAFETY, "risk_level": "extrem"})
    assert r.status_code == 200 and SafetyAssessment.objects.count() == 0


def test_it_checks_ownership(client_for, charlie, org_b, case_a):
    c = client_for(charlie, org_b)
    assert c.get(ind_url(case_a)).status_code == 404
    assert c.post(ind_url(case_a), {"trafficking": ["th_others_speak"]}).status_code == 404
    assert c.get(safety_url(case_a)).status_code == 404
    assert c.post(safety_url(case_a), SAFETY).status_code == 404
    assert IndicatorObservation.objects.count() == 0 and SafetyAssessment.objects.count() == 0


def test_wrong_role_is_refused(client_for, alice, org_a, case_a):
    assert client_for(alice, org_a).get(ind_url(case_a)).status_code == 403
    assert client_for(alice, org_a).post(safety_url(case_a), SAFETY).status_code == 403
