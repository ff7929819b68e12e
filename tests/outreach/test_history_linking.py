"""A captured or imported ad is linked against the organisation's whole history of ads.

The analysis used to see only related ads and the latest 400; now every ad's text features are
kept (AdTextFeature) and an analysis takes in each earlier ad sharing specific text with the new
one, however far down the list it is, while phrases common in the organisation stay stock.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uppsok.analysis import text_features
from uppsok.outreach import actions, analysis_adapter
from uppsok.outreach.models import Ad, AdLink, AdTextFeature

# A ring's own template: sentences nobody else in the organisation writes.
RING = ("Ny tjej från Europa besöker {city} bara denna vecka. Jag bor diskret i en lugn lägenhet "
        "nära stationen med egen ingång. Hygien och respekt är alltid viktigt för mig och dig. "
        "Min väninna svarar på alla meddelanden och bokar din tid hos mig.")
# A second ring's template, for a second measurement that must not find the first ring.
RING_2 = ("Två glada väninnor från Baltikum stannar i {city} över helgen. Vi delar en varm våning "
          "högst upp i huset vid torget. Diskretion och renlighet går före allt annat hos oss. "
          "Skriv till vår chaufför som ordnar en tid som passar dig.")
# Phrases every unrelated ad of the organisation has: stock, they say nothing about who wrote an ad.
STOCK = ("Hör av dig med sms först så svarar jag så snabbt jag kan. Jag tar inte emot samtal "
         "från dolda nummer eller skolade röster. Betalning sker alltid kontant vid mötet innan vi börjar.")
_WORDS = ("glad lugn snäll mysig sportig kurvig smal lång kort rolig social nyfiken varm ärlig spontan "
          "romantisk busig naturlig träning promenader mat vin resor film musik skogen dans böcker yoga spa "
          "konst hästar havet middag sällskap kväll massage umgänge sol regn vår höst vinter sommar fjäll "
          "kust stad by kaffe te choklad bullar pizza sushi tåg buss cykel båt").split()


def own_words(n: int, k: int = 16) -> str:
    return " ".join(random.Random(n).choices(_WORDS, k=k)) + "."


def row(n: int, text: str, seen, *, profile: str | None = None, phone: str = "", site: str = "rosasidan.ws"):
    return {"id": f"h{n}", "seen_at": seen, "site": site, "url": f"https://{site}/h/{n}", "city": "Malmö",
            "profile_name": profile or f"Profil{n}", "title": "", "text": text, "price": "",
            "nationality": "", "age": None, "phones": [phone] if phone else []}


def import_rows(org, rows):
    actions.do_import_ads(None, org, rows, analyse_now=True)


def unrelated(org, count: int, start: int = 0, days_ago: float = 10):
    """`count` ads of their own advertisers and words, seen in the last `days_ago` days, all with STOCK."""
    now = timezone.now()
    import_rows(org, [row(n, f"{STOCK} {own_words(n)}", now - timedelta(days=days_ago * (count - k) / count))
                      for k, n in enumerate(range(start, start + count))])


def capture(org, n: int, text: str, **data):
    fields = {"url": f"https://rosasidan.ws/ny/{n}", "site": "rosasidan.ws", "city": "Malmö",
              "profile_name": f"Ny{n}", "text": text}
    fields.update(data)
    return actions.do_capture_ad(None, org, fields)[0]


def reasons(a: Ad, b: Ad) -> list[str] | None:
    link = AdLink.objects.filter(organisation=a.organisation, from_ad=a, to_ad=b).first()
    return link.reasons if link else None


def by_external(org, n: int) -> Ad:
    return Ad.objects.get(organisation=org, external_id=f"h{n}")


@pytest.fixture
def history(org_a):
    """An old ring ad (20 days ago), then 600 unrelated ads: the ring ad is far below the latest 400."""
    import_rows(org_a, [row(9000, RING.format(city="Malmö"), timezone.now() - timedelta(days=20),
                            profile="Roxana", phone="070-811 22 33")])
    unrelated(org_a, 600)
    return by_external(org_a, 9000)


def test_new_ad_links_to_an_old_ring_ad_below_the_latest_400(org_a, history):
    newer = Ad.objects.filter(organisation=org_a, last_seen__gt=history.last_seen).count()
    assert newer >= 600  # the 400-ad window would not have reached it
    ad = capture(org_a, 1, RING.format(city="Malmö"), profile_name="Bianca", phone="072-944 55 66")
    history.refresh_from_db()
    assert reasons(ad, history) == ["similar_text"]
    assert reasons(history, ad) == ["similar_text"]
    assert ad.group_key and ad.group_key == history.group_key


def test_capture_stores_the_engines_text_features(org_a):
    ad = capture(org_a, 1, RING.format(city="Lund"))
    stored = sorted(analysis_adapter.feature_from_db(v)
                    for v in AdTextFeature.objects.filter(organisation=org_a, ad=ad).values_list("feature", flat=True))
    assert stored == text_features(analysis_adapter.to_engine(ad))
    assert any(f >= 1 << 31 for f in stored)  # unsigned values above the signed range round-trip
    # seen again with another text: the features are replaced, not added to
    capture(org_a, 1, STOCK)
    stored = {analysis_adapter.feature_from_db(v)
              for v in AdTextFeature.objects.filter(organisation=org_a, ad=ad).values_list("feature", flat=True)}
    ad.refresh_from_db()
    assert stored == set(text_features(analysis_adapter.to_engine(ad)))


def test_ads_sharing_only_stock_phrases_are_not_linked(org_a, history):
    # imported together, so both are in one batch: too small to see that STOCK is common, only the
    # history says so
    now = timezone.now()
    import_rows(org_a, [row(1, f"{STOCK} {own_words(1001, 6)}", now, profile="Lina"),
                        row(2, f"{STOCK} {own_words(1002, 6)}", now, profile="Moa")])
    a, b = by_external(org_a, 1), by_external(org_a, 2)
    assert reasons(a, b) is None and reasons(b, a) is None
    assert not a.group_key or a.group_key != b.group_key
    # one captured later, alone
    c = capture(org_a, 3, f"{STOCK} {own_words(1003, 6)}")
    assert not AdLink.objects.filter(organisation=org_a, from_ad=c).exists()


def test_stock_phrases_in_the_batch_alone_would_link(org_a, monkeypatch):
    """The control for the test above: without the history's stock phrases the same two ads link."""
    unrelated(org_a, 60)
    monkeypatch.setattr(analysis_adapter, "_text_history", lambda organisation, features, counts: ([], []))
    now = timezone.now()
    import_rows(org_a, [row(1, f"{STOCK} {own_words(1001, 6)}", now, profile="Lina"),
                        row(2, f"{STOCK} {own_words(1002, 6)}", now, profile="Moa")])
    assert reasons(by_external(org_a, 1), by_external(org_a, 2)) == ["similar_text"]


def test_other_organisation_with_the_same_template_gets_no_link(org_a, org_b, history, charlie, client_for):
    theirs = capture(org_b, 1, RING.format(city="Malmö"), profile_name="Bianca", phone="072-944 55 66")
    assert not AdLink.objects.filter(from_ad=theirs).exists()
    assert not AdLink.objects.filter(to_ad=history).exists()
    assert theirs.group_key != history.group_key or not theirs.group_key
    assert not AdTextFeature.objects.filter(organisation=org_b).exclude(ad__organisation=org_b).exists()
    page = client_for(charlie, org_b).get(reverse("outreach:ad_detail", kwargs={"ad_id": theirs.pk}))
    assert page.status_code == 200 and "Roxana" not in page.content.decode()
    assert client_for(charlie, org_b).get(
        reverse("outreach:ad_detail", kwargs={"ad_id": history.pk})).status_code == 404
    # and Alice's new ring ad finds her own old one, not Charlie's
    ours = capture(org_a, 2, RING.format(city="Malmö"), profile_name="Ioana", phone="073-955 66 77")
    assert set(AdLink.objects.filter(from_ad=ours).values_list("to_ad", flat=True)) == {history.pk}


def test_deleting_an_ad_deletes_its_text_features(org_a):
    ad = capture(org_a, 1, RING.format(city="Lund"))
    other = capture(org_a, 2, STOCK)
    assert AdTextFeature.objects.filter(ad=ad).exists()
    ad.delete()
    assert not AdTextFeature.objects.filter(ad_id=ad.pk).exists()
    assert AdTextFeature.objects.filter(ad=other).exists()
    Ad.objects.filter(organisation=org_a).delete()
    assert not AdTextFeature.objects.filter(organisation=org_a).exists()


def captured_queries(org, n: int, template: str) -> tuple[int, Ad, Ad]:
    """Queries of capturing a ring ad whose earlier copy (another woman's) is in the history."""
    import_rows(org, [row(8000 + n, template.format(city="Lund"), timezone.now() - timedelta(days=20),
                          profile=f"Gammal{n}", phone=f"070-{n:03d} 81 22")])
    with CaptureQueriesContext(connection) as ctx:
        ad = capture(org, n, template.format(city="Lund"), profile_name=f"Ny{n}", phone=f"073-{n:03d} 95 66")
    return len(ctx.captured_queries), ad, by_external(org, 8000 + n)


def test_query_count_of_a_capture_does_not_grow_with_the_history(org_a):
    unrelated(org_a, 100)
    small, ad1, old1 = captured_queries(org_a, 1, RING)
    unrelated(org_a, 500, start=100)
    large, ad2, old2 = captured_queries(org_a, 2, RING_2)
    assert Ad.objects.filter(organisation=org_a).count() == 604
    assert reasons(ad1, old1) == ["similar_text"] and reasons(ad2, old2) == ["similar_text"]
    assert reasons(ad2, old1) is None
    assert small == large


def test_low_price_median_still_comes_from_the_organisations_ads(org_a):
    """One captured ad has no corpus of its own: the organisation's latest prices give the median."""
    now = timezone.now()
    import_rows(org_a, [{**row(n, own_words(n), now - timedelta(hours=n)), "price": "3000 kr/h"}
                        for n in range(40)])
    ad = capture(org_a, 1, own_words(999), price="1200 kr/h")
    facts = ad.indicators.get(code="low_price").evidence_data["facts"]
    assert facts["median"] == 3000 and facts["price"] == 1200


def test_backfill_command_stores_missing_features_and_is_idempotent(org_a, org_b):
    unrelated(org_a, 30)
    capture(org_b, 1, RING.format(city="Lund"))
    expected = {(pk, f) for pk, f in AdTextFeature.objects.values_list("ad_id", "feature")}
    # as before the rows existed: the analysis ran, but no features were kept
    AdTextFeature.objects.filter(organisation=org_a).delete()
    kept_b = AdTextFeature.objects.filter(organisation=org_b).count()
    call_command("backfill_text_features", "--batch", "7", stdout=io.StringIO())
    assert {(pk, f) for pk, f in AdTextFeature.objects.values_list("ad_id", "feature")} == expected
    assert all(org == ad_org for org, ad_org in AdTextFeature.objects.values_list("organisation", "ad__organisation"))
    out = io.StringIO()
    call_command("backfill_text_features", stdout=out)
    assert "for 0 annonser" in out.getvalue()
    call_command("backfill_text_features", "--all", "--organisation", org_b.slug, stdout=io.StringIO())
    assert AdTextFeature.objects.filter(organisation=org_b).count() == kept_b
    assert {(pk, f) for pk, f in AdTextFeature.objects.values_list("ad_id", "feature")} == expected


def test_a_phrase_in_more_ads_than_any_stock_bound_is_kept_once_not_per_ad(org_a, org_b, monkeypatch):
    from uppsok.outreach.models import StockTextFeature

    monkeypatch.setattr(analysis_adapter, "SATURATED_ADS", 20)
    unrelated(org_a, 15)
    assert not StockTextFeature.objects.exists()  # 15 ads: no phrase is in more than 20 yet
    unrelated(org_a, 10, start=15)  # STOCK now in 25 ads
    stock = {analysis_adapter.feature_from_db(v)
             for v in StockTextFeature.objects.filter(organisation=org_a).values_list("feature", flat=True)}
    stock_phrase_features = set(text_features({"id": "x", "seen_at": "2024-01-01T10:00:00+01:00", "text": STOCK}))
    assert stock and stock <= stock_phrase_features
    # their rows are gone, everything else of the ads' texts is kept, and new ads keep none
    ring = capture(org_a, 1, f"{STOCK} {RING.format(city='Lund')}")
    stored = {analysis_adapter.feature_from_db(v)
              for v in AdTextFeature.objects.filter(organisation=org_a).values_list("feature", flat=True)}
    assert not stored & stock
    assert set(text_features(analysis_adapter.to_engine(ring))) - stock <= stored
    # another organisation's phrases are its own
    capture(org_b, 2, STOCK)
    assert not StockTextFeature.objects.filter(organisation=org_b).exists()
    assert AdTextFeature.objects.filter(organisation=org_b).count() == len(stock_phrase_features)
    # the ring's copy in a later ad is still found through the kept rows, the stock phrase is not
    # a reason (the same template, another woman's number)
    copy = capture(org_a, 3, f"{STOCK} {RING.format(city='Lund')}", phone="073-999 12 34")
    assert reasons(copy, ring) == ["similar_text"]


def test_the_organisations_ads_are_counted_only_as_far_as_the_stock_bound_needs(org_a, monkeypatch):
    # from SATURATED_ADS * TEXT_STOCK_ADVERTISERS_PER ads on the bound no longer grows: the
    # count stops there (a capture in a million-ad organisation must not count a million rows)
    from uppsok.analysis import linking

    monkeypatch.setattr(linking, "TEXT_STOCK_ADVERTISERS_PER", 1)
    monkeypatch.setattr(analysis_adapter, "SATURATED_ADS", 3)
    unrelated(org_a, 12)
    with CaptureQueriesContext(connection) as ctx:
        capture(org_a, 1, RING.format(city="Lund"))
    counts = [q["sql"] for q in ctx.captured_queries
              if "COUNT(*)" in q["sql"] and '"outreach_ad"' in q["sql"] and "LIMIT 3" in q["sql"]]
    assert counts, [q["sql"][:120] for q in ctx.captured_queries if "COUNT" in q["sql"]]
