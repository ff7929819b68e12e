from __future__ import annotations

from django.urls import reverse

from uppsok.audit.models import AuditEvent
from uppsok.outreach.evidence import quoted_marks
from uppsok.outreach.models import Ad, AdIndicator, Sighting

from .conftest import HOSTILE


def test_capture_analyses_and_shows_evidence(alice, org_a, client_for):
    c = client_for(alice, org_a)
    r = c.post(reverse("outreach:ad_capture"), {
        "url": "https://rosasidan.ws/a/1", "site": "rosasidan.ws", "title": "Ny i stan",
        "text": "Hon är ny i stan och gör allt, även utan kondom. 500 kr/h.", "phone": "070-123 45 67", "city": "Malmö",
    })
    assert r.status_code == 302
    ad = Ad.objects.get(organisation=org_a)
    assert list(ad.phones.values_list("e164", flat=True)) == ["+46701234567"]
    codes = set(ad.indicators.values_list("code", flat=True))
    assert "offers_everything" in codes
    page = c.get(r["Location"])
    assert b"<mark>" in page.content
    assert AuditEvent.objects.filter(object_id=str(ad.pk), action="create").exists()


def test_seen_again_adds_sighting_not_duplicate(alice, org_a, make_ad):
    a1 = make_ad(url="https://x.se/1", city="Malmö")
    a2 = make_ad(url="https://x.se/1", city="Lund")
    assert a1.pk == a2.pk
    assert Ad.objects.filter(organisation=org_a).count() == 1
    assert list(Sighting.objects.filter(ad=a1).values_list("city", flat=True)) == ["Malmö", "Lund"]


def test_same_phone_groups_ads(alice, org_a, make_ad, client_for):
    a = make_ad(url="https://x.se/1", profile_name="Anna")
    b = make_ad(url="https://x.se/2", profile_name="Bella", text="Annan text helt", city="Lund")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.group_key and a.group_key == b.group_key
    r = client_for(alice, org_a).get(reverse("outreach:ad_group", kwargs={"ad_id": a.pk}))
    assert r.status_code == 200
    assert "samma telefonnummer" in r.content.decode()
    assert "Lund" in r.content.decode()


def test_bad_capture_saves_nothing(alice, org_a, client_for):
    r = client_for(alice, org_a).post(reverse("outreach:ad_capture"), {"url": "https://x.se/9", "phone": "hej"})
    assert r.status_code == 200
    assert "Fyll i minst" in r.content.decode() or "telefonnummer" in r.content.decode()
    assert not Ad.objects.exists()


def test_hostile_text_is_inert_in_page_and_csv(alice, org_a, make_ad, client_for):
    ad = make_ad(title=HOSTILE, text=HOSTILE + " gör allt", profile_name="=HYPERLINK(\"http://evil\")")
    c = client_for(alice, org_a)
    for url in (reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk}), reverse("outreach:ad_list")):
        body = c.get(url).content.decode()
        assert "<script>alert(1)" not in body
        assert "&lt;script&gt;" in body
    csv_body = c.get(reverse("outreach:ad_export")).content.decode()
    assert "'=HYPERLINK" in csv_body
    assert ",=HYPERLINK" not in csv_body


def test_quoted_marks_split_text():
    segs = quoted_marks("abc <b>gör allt</b> def", ["…gör allt…"])
    assert ("gör allt", True) in segs
    assert "".join(s for s, _ in segs) == "abc <b>gör allt</b> def"


def test_confirm_dismiss_and_manual_indicator(alice, org_a, make_ad, client_for):
    ad = make_ad()
    ind = ad.indicators.first()
    c = client_for(alice, org_a)
    url = reverse("outreach:ad_indicators", kwargs={"ad_id": ad.pk})
    c.post(url, {"indicator": ind.pk, "decision": "dismissed", "reason": "Annonsen citerar en dikt"})
    ind.refresh_from_db()
    assert ind.status == AdIndicator.Status.DISMISSED and ind.decided_by == alice
    c.post(url, {"code": "possible_minor", "evidence": "ser ung ut"})
    assert ad.indicators.filter(code="possible_minor", source="manual").exists()
    # re-analysis keeps the worker's decision
    from uppsok.outreach.analysis_adapter import analyse

    analyse(org_a, [ad])
    assert ad.indicators.get(pk__isnull=False, code=ind.code, source="auto").status == "dismissed"


def test_list_filters_and_search(alice, org_a, make_ad, client_for, django_assert_max_num_queries):
    make_ad(url="https://x.se/1", city="Malmö", phone="070-111 11 11", profile_name="Anna")
    make_ad(url="https://x.se/2", city="Lund", phone="070-222 22 22", profile_name="Bella", text="Hej")
    c = client_for(alice, org_a)
    body = c.get(reverse("outreach:ad_list"), {"city": "Lund"}).content.decode()
    assert "Bella" in body and "Anna" not in body
    body = c.get(reverse("outreach:ad_list"), {"q": "0701111111"}).content.decode()
    assert "Anna" in body and "Bella" not in body
    body = c.get(reverse("outreach:ad_list"), {"q": "bella"}).content.decode()
    assert "Bella" in body and "Anna" not in body
    body = c.get(reverse("outreach:ad_list"), {"indicator": "offers_everything"}).content.decode()
    assert "Anna" in body and "Bella" not in body
    for i in range(20):
        make_ad(url=f"https://x.se/n{i}", phone=f"070-333 33 {i:02d}")
    with django_assert_max_num_queries(12):
        c.get(reverse("outreach:ad_list"))


def test_it_checks_ownership(alice, bob, charlie, org_a, org_b, make_ad, client_for):
    ad = make_ad()
    other = client_for(charlie, org_b)
    for name in ("ad_detail", "ad_group", "contact_add", "tip_new"):
        assert other.get(reverse(f"outreach:{name}", kwargs={"ad_id": ad.pk})).status_code == 404
    assert other.post(reverse("outreach:ad_status", kwargs={"ad_id": ad.pk}), {"status": "closed"}).status_code == 404
    assert "Ny i stan" not in other.get(reverse("outreach:ad_list")).content.decode()
    teammate = client_for(bob, org_a)
    assert teammate.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).status_code == 200
    assert teammate.get(reverse("outreach:ad_capture")).status_code == 403
    assert teammate.post(reverse("outreach:ad_status", kwargs={"ad_id": ad.pk}), {"status": "closed"}).status_code == 403
