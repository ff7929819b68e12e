from __future__ import annotations

from django.urls import reverse

from uppsok.cases.models import Case, ExploitationType, Person

URL = reverse("cases:case_create")


def payload(**overrides):
    data = {
        "person-alias": "Lina",
        "person-age_band": "18-24",
        "person-gender_identity": "woman",
        "person-population_group": "foreign",
        "person-languages": "rumänska",
        "case-case_type": str(ExploitationType.objects.get(code="trafficking-adult").pk),
        "case-origin": "outreach_online",
        "case-opened_on": "2026-01-10",
    }
    data.update(overrides)
    return data


def test_case_worker_creates_person_and_case(client_for, bob, org_a):
    r = client_for(bob, org_a).post(URL, payload(**{"case-case_worker": str(bob.pk)}))
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("cases:needs", kwargs={"case_id": case.pk})
    assert case.organisation == org_a and case.case_worker == bob
    assert case.person.alias == "Lina" and case.person.population_group == "foreign"


def test_identity_fields_are_ignored_without_permission(client_for, bob, org_a):
    client_for(bob, org_a).post(URL, payload(**{"person-real_name": "Verkligt Namn", "person-personal_number": "1"}))
    person = Person.objects.get()
    assert person.real_name == "" and person.personal_number == ""


def test_identity_fields_are_saved_with_permission(client_for, ida, org_a):
    client_for(ida, org_a).post(URL, payload(**{"person-real_name": "Verkligt Namn"}))
    assert Person.objects.get().real_name == "Verkligt Namn"


def test_identity_fields_not_offered_without_permission(client_for, bob, ida, org_a):
    assert "person-real_name" not in client_for(bob, org_a).get(URL).content.decode()
    assert "person-real_name" in client_for(ida, org_a).get(URL).content.decode()


def test_bad_input_saves_nothing(client_for, bob, org_a):
    r = client_for(bob, org_a).post(URL, payload(**{"person-alias": "", "case-opened_on": "2999-01-01"}))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Startdatum kan inte ligga i framtiden." in body
    assert Person.objects.count() == 0 and Case.objects.count() == 0


def test_case_worker_from_other_organisation_is_refused(client_for, bob, charlie, org_a):
    r = client_for(bob, org_a).post(URL, payload(**{"case-case_worker": str(charlie.pk)}))
    assert r.status_code == 200 and Case.objects.count() == 0


def test_new_case_for_existing_person(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(URL + f"?person={case_a.person_id}", payload())
    assert r.status_code == 302
    assert Case.objects.filter(person=case_a.person).count() == 2


def test_it_checks_ownership(client_for, charlie, org_b, case_a):
    c = client_for(charlie, org_b)
    assert c.get(URL + f"?person={case_a.person_id}").status_code == 404
    assert c.post(URL + f"?person={case_a.person_id}", payload()).status_code == 404
    assert Case.objects.filter(person=case_a.person).count() == 1


def test_wrong_role_is_refused(client_for, alice, org_a):
    assert client_for(alice, org_a).post(URL, payload()).status_code == 403
    assert Case.objects.count() == 0
