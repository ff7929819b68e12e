from __future__ import annotations

from django.urls import reverse

from uppsok.cases.models import Consent

from .conftest import make_consent


def add_url(case):
    return reverse("cases:consent_add", kwargs={"case_id": case.pk})


def withdraw_url(consent):
    return reverse("cases:consent_withdraw", kwargs={"case_id": consent.case_id, "consent_id": consent.pk})


DATA = {"kind": "share_referral", "scope": "Behov av boende", "to_whom": "Socialtjänsten", "given_on": "2026-01-05"}


def test_record_consent(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(add_url(case_a), DATA)
    assert r.status_code == 302
    consent = Consent.objects.get()
    assert consent.case == case_a and consent.recorded_by == bob and consent.is_active


def test_consent_to_a_non_partner_organisation_is_refused(client_for, bob, org_a, org_b, case_a):
    # No shared network: org B is not offered.
    r = client_for(bob, org_a).post(add_url(case_a), {**DATA, "to_organisation": str(org_b.pk)})
    assert r.status_code == 200 and Consent.objects.count() == 0


def test_withdraw(client_for, bob, org_a, case_a):
    consent = make_consent(case_a)
    client_for(bob, org_a).post(withdraw_url(consent))
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None


def test_withdraw_is_post_only(client_for, bob, org_a, case_a):
    consent = make_consent(case_a)
    assert client_for(bob, org_a).get(withdraw_url(consent)).status_code == 405


def test_it_checks_ownership(client_for, charlie, org_b, case_a):
    consent = make_consent(case_a)
    c = client_for(charlie, org_b)
    assert c.get(add_url(case_a)).status_code == 404
    assert c.post(add_url(case_a), DATA).status_code == 404
    assert c.post(withdraw_url(consent)).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None and Consent.objects.count() == 1


def test_wrong_role_is_refused(client_for, alice, org_a, case_a):
    consent = make_consent(case_a)
    assert client_for(alice, org_a).post(withdraw_url(consent)).status_code == 403
    assert client_for(alice, org_a).post(add_url(case_a), DATA).status_code == 403
