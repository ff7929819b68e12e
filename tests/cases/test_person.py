from __future__ import annotations

from django.urls import reverse


def detail(person):
    return reverse("cases:person_detail", kwargs={"person_id": person.pk})


def edit(person):
    return reverse("cases:person_edit", kwargs={"person_id": person.pk})


def test_detail_hides_identity_without_permission(client_for, bob, org_a, case_a):
    body = client_for(bob, org_a).get(detail(case_a.person)).content.decode()
    assert "Mira" in body and "Riktigtnamn" not in body and "19990101" not in body


def test_detail_shows_identity_with_permission(client_for, ida, org_a, case_a):
    body = client_for(ida, org_a).get(detail(case_a.person)).content.decode()
    assert "Hemligt Riktigtnamn" in body


def test_edit_without_permission_keeps_identity(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(edit(case_a.person), {
        "alias": "Mira2", "age_band": "25-34", "gender_identity": "woman", "population_group": "swedish",
        "languages": "", "real_name": "Försök att skriva över",
    })
    assert r.status_code == 302
    case_a.person.refresh_from_db()
    assert case_a.person.alias == "Mira2"
    assert case_a.person.real_name == "Hemligt Riktigtnamn"


def test_edit_with_permission_changes_identity(client_for, ida, org_a, case_a):
    client_for(ida, org_a).post(edit(case_a.person), {
        "alias": "Mira", "age_band": "25-34", "gender_identity": "woman", "population_group": "swedish",
        "languages": "", "real_name": "Nytt Namn", "personal_number": "", "birth_date": "", "identity_note": "",
    })
    case_a.person.refresh_from_db()
    assert case_a.person.real_name == "Nytt Namn"


def test_it_checks_ownership(client_for, charlie, org_b, case_a):
    c = client_for(charlie, org_b)
    assert c.get(detail(case_a.person)).status_code == 404
    assert c.get(edit(case_a.person)).status_code == 404
    assert c.post(edit(case_a.person), {"alias": "x"}).status_code == 404


def test_wrong_role_is_refused(client_for, alice, org_a, case_a):
    assert client_for(alice, org_a).get(detail(case_a.person)).status_code == 403
    assert client_for(alice, org_a).get(edit(case_a.person)).status_code == 403
