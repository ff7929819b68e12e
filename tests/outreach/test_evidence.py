"""Evidence on the ad page and in the tip draft: the viewer's language, exactly the matched words
marked, no internal ids; a manual indicator needs what the worker saw; a dismissal needs a reason
and records who, when and why."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from uppsok.audit.models import AuditEvent
from uppsok.outreach.analysis_adapter import analyse
from uppsok.outreach.models import AdIndicator


def _indicator_section(body: str) -> str:
    return body.split('id="indikatorer"', 1)[1].split("</section>", 1)[0]


def _english(client):  # noqa: ANN001, ANN202
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def two_ads(make_ad):  # noqa: ANN001, ANN201
    """Two profiles on one number: the second ad's shared_phone names the first."""
    first = make_ad(url="https://x.se/1", profile_name="Anna", city="Malmö")
    second = make_ad(url="https://x.se/2", profile_name="Bella", city="Lund", text="Ring mig, kram")
    return first, second


def test_ad_page_marks_exactly_the_matched_words(alice, org_a, make_ad, client_for):
    ad = make_ad(text="Hon är ny i stan och gör   allt, även utan kondom. 500 kr/h.")
    body = client_for(alice, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    text_part = body.split('class="ad-text"', 1)[1].split("</p>", 1)[0]
    assert re.findall(r"<mark>(.*?)</mark>", text_part) == ["Hon", "gör   allt"]
    # the quotation in the table marks the same words, not a window around them
    table = _indicator_section(body)
    assert "<mark>Hon</mark>" in table and "<mark>gör allt</mark>" in table
    assert set(re.findall(r"<mark>(.*?)</mark>", table)) == {"Hon", "gör allt"}


def test_hostile_ad_text_is_escaped_and_bidi_neutralised_around_marks(alice, org_a, make_ad, client_for):
    ad = make_ad(text="\u202e<b>gör allt</b> <script>alert(1)</script>")
    body = client_for(alice, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert "<script>alert(1)" not in body and "<b>gör" not in body
    assert "&lt;b&gt;<mark>gör allt</mark>&lt;/b&gt;" in body
    assert "\u202e" not in body and "[U+202E]" in body


def test_evidence_names_dates_towns_profiles_never_ids(alice, org_a, two_ads, client_for):
    first, second = two_ads
    shared = second.indicators.get(code="shared_phone")
    for value in (shared.evidence, str(shared.evidence_data)):
        assert str(first.pk) not in value and str(second.pk) not in value
    day = first.last_seen.date().isoformat()
    c = client_for(alice, org_a)
    table = _indicator_section(c.get(reverse("outreach:ad_detail", kwargs={"ad_id": second.pk})).content.decode())
    assert f"070-123 45 67 finns även i 1 annan annons: {day} Malmö «anna»" in table
    assert str(first.pk) not in table
    # the tip draft: the same sentence, no ids
    draft = c.get(reverse("outreach:tip_new", kwargs={"ad_id": second.pk})).context["form"].initial["text"]
    assert f"070-123 45 67 finns även i 1 annan annons: {day} Malmö «anna»" in draft
    assert str(first.pk) not in draft and str(second.pk) not in draft


def test_english_interface_shows_english_evidence_and_draft_stays_swedish(alice, org_a, two_ads, client_for):
    first, second = two_ads
    day = first.last_seen.date().isoformat()
    c = _english(client_for(alice, org_a))
    table = _indicator_section(c.get(reverse("outreach:ad_detail", kwargs={"ad_id": second.pk})).content.decode())
    assert f"070-123 45 67 is also in 1 other ad: {day} Malmö «anna»" in table
    assert "finns även i" not in table and "även i / also in" not in table
    draft = c.get(reverse("outreach:tip_new", kwargs={"ad_id": second.pk})).context["form"].initial["text"]
    assert "finns även i 1 annan annons" in draft and "is also in" not in draft
    assert "Samma telefonnummer i flera annonser eller serienummer" in draft


def test_row_without_structured_evidence_shows_the_stored_text(alice, org_a, make_ad, client_for):
    ad = make_ad()
    ind = ad.indicators.get(code="offers_everything")
    AdIndicator.objects.filter(pk=ind.pk).update(evidence_data={}, evidence="…gör allt, även utan kondom…")
    body = client_for(alice, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert "…gör allt, även utan kondom…" in _indicator_section(body)


def test_manual_indicator_needs_what_the_worker_saw(alice, org_a, make_ad, client_for):
    ad = make_ad()
    c = client_for(alice, org_a)
    url = reverse("outreach:ad_indicators", kwargs={"ad_id": ad.pk})
    for blank in ("", "   \n "):
        r = c.post(url, {"code": "language_mismatch", "evidence": blank}, follow=True)
        assert "Skriv vad du såg" in r.content.decode()
    assert not ad.indicators.filter(source=AdIndicator.Source.MANUAL).exists()
    c.post(url, {"code": "language_mismatch", "evidence": "Förstod inte svenska i telefon"})
    ind = ad.indicators.get(source=AdIndicator.Source.MANUAL)
    assert ind.evidence == "Förstod inte svenska i telefon" and ind.decided_by == alice


def test_dismissal_needs_a_reason(alice, org_a, make_ad, client_for):
    ad = make_ad()
    ind = ad.indicators.get(code="offers_everything")
    url = reverse("outreach:ad_indicators", kwargs={"ad_id": ad.pk})
    r = client_for(alice, org_a).post(url, {"indicator": ind.pk, "decision": "dismissed", "reason": "  "},
                                      follow=True)
    assert "Skriv varför indikatorn avfärdas." in r.content.decode()
    ind.refresh_from_db()
    assert ind.status == AdIndicator.Status.FOUND and ind.decided_by is None and ind.decision_reason == ""
    assert not AuditEvent.objects.filter(detail__startswith="indicator=").exists()


def test_dismissal_records_who_when_why_and_survives_reanalysis(alice, org_a, make_ad, client_for):
    ad = make_ad()
    ind = ad.indicators.get(code="offers_everything")
    c = client_for(alice, org_a)
    c.post(reverse("outreach:ad_indicators", kwargs={"ad_id": ad.pk}),
           {"indicator": ind.pk, "decision": "dismissed", "reason": "Citat ur en recension"})
    ind.refresh_from_db()
    assert ind.status == AdIndicator.Status.DISMISSED
    assert ind.decided_by == alice and ind.decision_reason == "Citat ur en recension"
    assert abs((timezone.now() - ind.decided_at).total_seconds()) < 60
    audit = AuditEvent.objects.get(detail="indicator=offers_everything;dismissed")
    assert audit.actor_id == alice.pk and audit.object_id == str(ad.pk)
    assert "Citat" not in audit.detail
    day = timezone.localtime(ind.decided_at).date().isoformat()
    body = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert f"Avfärdad av alice {day}: Citat ur en recension" in body
    english = _english(client_for(alice, org_a)).get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk}))
    assert f"Dismissed by alice {day}: Citat ur en recension" in english.content.decode()
    # a dismissed sign is left out of the tip draft
    draft = c.get(reverse("outreach:tip_new", kwargs={"ad_id": ad.pk})).context["form"].initial["text"]
    assert "Erbjuder ”allt”" not in draft
    # re-analysis replaces the automatic rows but keeps the decision and its reason
    analyse(org_a, [ad])
    again = ad.indicators.get(code="offers_everything", source=AdIndicator.Source.AUTO)
    assert again.pk != ind.pk
    assert (again.status, again.decided_by, again.decided_at, again.decision_reason) == (
        ind.status, ind.decided_by, ind.decided_at, ind.decision_reason)
    # confirming afterwards clears the dismissal's reason
    c.post(reverse("outreach:ad_indicators", kwargs={"ad_id": ad.pk}),
           {"indicator": again.pk, "decision": "confirmed"})
    again.refresh_from_db()
    assert again.status == AdIndicator.Status.CONFIRMED and again.decision_reason == ""
    body = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert f"Bekräftad av alice {day}" in body


def test_other_organisation_gets_404_on_indicator_actions(alice, org_a, charlie, org_b, make_ad, client_for):
    ad = make_ad()
    ind = ad.indicators.get(code="offers_everything")
    url = reverse("outreach:ad_indicators", kwargs={"ad_id": ad.pk})
    c = client_for(charlie, org_b)
    assert c.post(url, {"indicator": ind.pk, "decision": "dismissed", "reason": "x"}).status_code == 404
    assert c.post(url, {"code": "language_mismatch", "evidence": "x"}).status_code == 404
    assert c.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).status_code == 404
    ind.refresh_from_db()
    assert ind.status == AdIndicator.Status.FOUND
    assert not ad.indicators.filter(source=AdIndicator.Source.MANUAL).exists()
