from __future__ import annotations

from django.urls import reverse


def url(case):
    return reverse("cases:case_edit", kwargs={"case_id": case.pk})


def data(case, **kw):
    d = {
        "case-case_type": str(case.case_type_id),
        "case-origin": "tip",
        "case-case_worker": str(case.case_worker_id),
        "case-opened_on": case.opened_on.isoformat(),
        "case-recontact_on": "2026-02-01",
        "case-next_meeting_at": "",
    }
    d.update(kw)
    return d


def test_owner_edits(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(url(case_a), data(case_a))
    assert r.status_code == 302
    case_a.refresh_from_db()
    assert case_a.origin == "tip" and case_a.recontact_on.isoformat() == "2026-02-01"


def test_bad_input_changes_nothing(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(url(case_a), data(case_a, **{"case-recontact_on": "inte ett datum"}))
    assert r.status_code == 200
    case_a.refresh_from_db()
    assert case_a.origin == "outreach_online"


def test_it_checks_ownership(client_for, charlie, org_b, case_a):
    c = client_for(charlie, org_b)
    assert c.get(url(case_a)).status_code == 404
    assert c.post(url(case_a), data(case_a)).status_code == 404
    case_a.refresh_from_db()
    assert case_a.origin == "outreach_online"


def test_wrong_role_is_refused(client_for, alice, org_a, case_a):
    assert client_for(alice, org_a).get(url(case_a)).status_code == 403
