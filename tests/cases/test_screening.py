from __future__ import annotations

from django.urls import reverse

from uppsok.cases.models import ScreeningRecord

LIST = reverse("cases:screening")
ADD = reverse("cases:screening_add")


def test_record_meetings_and_count_per_period(client_for, bob, org_a):
    c = client_for(bob, org_a)
    assert c.post(ADD, {"meeting_date": "2026-01-10", "asked": "1", "answer": "yes"}).status_code == 302
    c.post(ADD, {"meeting_date": "2026-01-20", "asked": "1", "answer": "no"})
    c.post(ADD, {"meeting_date": "2026-02-03", "asked": "0", "answer": ""})
    c.post(ADD, {"meeting_date": "2026-02-04", "asked": "1", "answer": "declined"})
    assert ScreeningRecord.objects.filter(organisation=org_a).count() == 4
    r = c.get(LIST, {"start": "2026-01-01", "end": "2026-02-28"})
    months = {row["month"].strftime("%Y-%m"): row for row in r.context["per_month"]}
    assert months["2026-01"]["meetings"] == 2 and months["2026-01"]["asked"] == 2 and months["2026-01"]["yes"] == 1
    assert months["2026-02"]["meetings"] == 2 and months["2026-02"]["asked"] == 1 and months["2026-02"]["declined"] == 1
    assert r.context["totals"] == {"meetings": 4, "asked": 3, "yes": 1, "declined": 1}
    r = c.get(LIST, {"start": "2026-02-01", "end": "2026-02-28"})
    assert r.context["totals"]["meetings"] == 2


def test_answer_without_asking_is_refused(client_for, bob, org_a):
    r = client_for(bob, org_a).post(ADD, {"meeting_date": "2026-01-10", "asked": "0", "answer": "yes"})
    assert "Ett svar kan bara anges om frågan ställdes." in r.content.decode()
    r = client_for(bob, org_a).post(ADD, {"meeting_date": "2026-01-10", "asked": "1", "answer": ""})
    assert "Ange svaret när frågan ställdes." in r.content.decode()
    assert ScreeningRecord.objects.count() == 0


def test_no_client_identity_is_stored():
    fields = {f.name for f in ScreeningRecord._meta.get_fields()}
    assert fields == {"id", "organisation", "created_at", "updated_at", "meeting_date", "asked", "answer", "recorded_by"}


def test_it_checks_ownership(client_for, bob, charlie, org_a, org_b):
    client_for(bob, org_a).post(ADD, {"meeting_date": "2026-01-10", "asked": "1", "answer": "yes"})
    r = client_for(charlie, org_b).get(LIST, {"start": "2026-01-01", "end": "2026-12-31"})
    assert r.context["totals"]["meetings"] == 0


def test_wrong_role_is_refused(client_for, alice, org_a):
    assert client_for(alice, org_a).get(LIST).status_code == 403
    assert client_for(alice, org_a).post(ADD, {"meeting_date": "2026-01-10", "asked": "1", "answer": "yes"}).status_code == 403
    assert ScreeningRecord.objects.count() == 0
