from __future__ import annotations

from django.urls import reverse

from uppsok.cases.models import Case, CaseStatus

from .conftest import make_case

URL = reverse("cases:case_list")


def test_it_lists_only_the_organisations_cases(client_for, bob, org_a, case_a, case_b):
    r = client_for(bob, org_a).get(URL)
    assert r.status_code == 200
    assert case_a.reference in r.content.decode()
    assert case_b.reference not in r.content.decode()


def test_it_checks_ownership(client_for, charlie, org_b, case_a, case_b):
    body = client_for(charlie, org_b).get(URL).content.decode()
    assert case_b.reference in body
    assert case_a.reference not in body
    assert "Mira" not in body


def test_wrong_role_is_refused(client_for, alice, org_a, case_a):
    assert client_for(alice, org_a).get(URL).status_code == 403


def test_anonymous_goes_to_login(client, case_a):
    r = client.get(URL)
    assert r.status_code == 302 and "/konto/logga-in/" in r["Location"]


def test_identity_never_appears_in_the_list(client_for, ida, org_a, case_a):
    body = client_for(ida, org_a).get(URL).content.decode()
    assert "Mira" in body
    assert "Riktigtnamn" not in body and "19990101" not in body


def test_filters_status_and_mine(client_for, bob, ida, org_a, case_a):
    other = make_case(org_a, ida, alias="Nora")
    Case.objects.filter(pk=other.pk).update(status=CaseStatus.CLOSED)
    c = client_for(bob, org_a)
    body = c.get(URL, {"status": "closed"}).content.decode()
    assert other.reference in body and case_a.reference not in body
    body = c.get(URL, {"mine": "on"}).content.decode()
    assert case_a.reference in body and other.reference not in body


def test_no_n_plus_one(client_for, bob, org_a, django_assert_max_num_queries):
    for i in range(30):
        make_case(org_a, bob, alias=f"P{i}")
    c = client_for(bob, org_a)
    c.get(URL)  # warm caches (session, content types)
    with django_assert_max_num_queries(15):
        r = c.get(URL)
    assert r.status_code == 200
    assert r.content.decode().count("/arenden/") >= 30


def test_bad_page_number_falls_back(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).get(URL, {"sida": "xyz"})
    assert r.status_code == 200


def test_search_by_alias(client_for, bob, org_a, case_a):
    other = make_case(org_a, bob, alias="Nora")
    body = client_for(bob, org_a).get(URL, {"q": "nor"}).content.decode()
    assert other.reference in body and case_a.reference not in body
