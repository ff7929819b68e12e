from __future__ import annotations

from django.urls import reverse

from uppsok.audit.models import AuditEvent


def url(case):
    return reverse("cases:case_detail", kwargs={"case_id": case.pk})


def test_owner_sees_the_case(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).get(url(case_a))
    assert r.status_code == 200
    assert "Mira" in r.content.decode()


def test_it_checks_ownership(client_for, charlie, org_b, case_a):
    assert client_for(charlie, org_b).get(url(case_a)).status_code == 404


def test_wrong_role_is_refused(client_for, alice, org_a, case_a):
    assert client_for(alice, org_a).get(url(case_a)).status_code == 403


def test_identity_hidden_without_permission(client_for, bob, org_a, case_a):
    body = client_for(bob, org_a).get(url(case_a)).content.decode()
    assert "Riktigtnamn" not in body
    assert "19990101-1234" not in body


def test_identity_shown_with_permission(client_for, ida, org_a, case_a):
    body = client_for(ida, org_a).get(url(case_a)).content.decode()
    assert "Hemligt Riktigtnamn" in body
    assert "19990101-1234" in body


def test_viewing_is_audited_without_personal_data(client_for, bob, org_a, case_a):
    client_for(bob, org_a).get(url(case_a))
    event = AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(case_a.pk)).get()
    assert "Mira" not in event.detail


def test_malformed_id_is_404(client_for, bob, org_a):
    assert client_for(bob, org_a).get("/arenden/inte-ett-id/").status_code == 404
