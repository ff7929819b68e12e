from __future__ import annotations

from django.urls import reverse

from uppsok.cases.models import SupportActivity


def url(case):
    return reverse("cases:activity_add", kwargs={"case_id": case.pk})


def test_log_activity(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(url(case_a), {
        "kind": "accompaniment", "date": "2026-01-05", "duration_minutes": "90", "note": "Följde med till Mika",
    })
    assert r.status_code == 302
    a = SupportActivity.objects.get()
    assert a.case == case_a and a.organisation == org_a and a.performed_by == bob and a.duration_minutes == 90
    body = client_for(bob, org_a).get(reverse("cases:case_detail", kwargs={"case_id": case_a.pk})).content.decode()
    assert "Ledsagning" in body


def test_bad_duration_is_refused(client_for, bob, org_a, case_a):
    r = client_for(bob, org_a).post(url(case_a), {"kind": "support_conversation", "date": "2026-01-05", "duration_minutes": "0"})
    assert "mellan 1 och 1440" in r.content.decode()
    assert SupportActivity.objects.count() == 0


def test_it_checks_ownership(client_for, charlie, org_b, case_a):
    c = client_for(charlie, org_b)
    assert c.get(url(case_a)).status_code == 404
    assert c.post(url(case_a), {"kind": "other", "date": "2026-01-05", "duration_minutes": "5"}).status_code == 404
    assert SupportActivity.objects.count() == 0


def test_wrong_role_is_refused(client_for, alice, org_a, case_a):
    assert client_for(alice, org_a).get(url(case_a)).status_code == 403
