"""Which ads under the same display name an analysis takes in as context.

A plain name ("Anna") used with many numbers is no evidence of one advertiser, and a common one can
be in thousands of an organisation's ads: a capture takes in only a few of them, enough for the
engine to see the name is shared. A name used with one number is one woman, and all her ads are
taken in, so a new ad under her name with no number still joins her.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from uppsok.outreach import actions, analysis_adapter
from uppsok.outreach.models import Ad, AdLink


def row(n: int, *, profile: str, phone: str = "", site: str = "rosasidan.ws", city: str = "Malmö", days: float = 5):
    return {"id": f"p{n}", "seen_at": timezone.now() - timedelta(days=days), "site": site,
            "url": f"https://{site}/p/{n}", "city": city, "profile_name": profile, "title": "",
            "text": f"Hej, jag heter {profile} och finns här i {city} nummer {n}.", "price": "",
            "nationality": "", "age": None, "phones": [phone] if phone else []}


def capture(org, n: int, **data):
    fields = {"url": f"https://rosasidan.ws/ny/{n}", "site": "rosasidan.ws", "city": "Malmö", "text": "Hej!"}
    fields.update(data)
    return actions.do_capture_ad(None, org, fields)[0]


def context_of(org, ad: Ad) -> set:
    return {a.pk for a in analysis_adapter._context_ads(org, [ad], analysis_adapter.engine_rows(org, [ad]))}


def test_a_common_name_with_many_numbers_takes_in_a_few_of_its_ads(org_a):
    actions.do_import_ads(None, org_a, [row(n, profile="Anna", phone=f"070-100 {n:04d}") for n in range(40)],
                          analyse_now=True)
    ad = capture(org_a, 1, profile_name="Anna", phone="073-999 88 77")
    annas = set(Ad.objects.filter(organisation=org_a, profile_key="anna").exclude(pk=ad.pk).values_list("pk", flat=True))
    taken = context_of(org_a, ad) & annas
    # more than the engine's one number per name, so it sees a shared name, and no more
    assert len(taken) == analysis_adapter.PROFILE_SAMPLE_NUMBERS
    assert not AdLink.objects.filter(from_ad=ad).exists()
    assert not ad.group_key or Ad.objects.filter(organisation=org_a, group_key=ad.group_key).count() == 1


def test_a_common_name_still_links_through_its_number(org_a):
    actions.do_import_ads(None, org_a, [row(n, profile="Anna", phone=f"070-100 {n:04d}") for n in range(40)],
                          analyse_now=True)
    same = Ad.objects.get(organisation=org_a, external_id="p17")
    ad = capture(org_a, 1, profile_name="Anna", phone="070-100 0017")
    assert same.pk in context_of(org_a, ad)
    link = AdLink.objects.get(from_ad=ad, to_ad=same)
    assert link.reasons == ["same_phone"]


def test_a_name_with_one_number_takes_in_all_its_ads(org_a):
    rows = [row(n, profile="Roxana", phone="070-811 22 33", city=("Malmö", "Lund")[n % 2], days=30 - n)
            for n in range(12)]
    actions.do_import_ads(None, org_a, rows, analyse_now=True)
    ad = capture(org_a, 1, profile_name="Roxana")  # no number this time
    hers = set(Ad.objects.filter(organisation=org_a, profile_key="roxana").exclude(pk=ad.pk).values_list("pk", flat=True))
    assert len(hers) == 12
    assert hers <= context_of(org_a, ad)
    assert {r for link in AdLink.objects.filter(from_ad=ad) for r in link.reasons} == {"same_profile"}
    ad.refresh_from_db()
    assert Ad.objects.filter(organisation=org_a, group_key=ad.group_key).count() == 13


def test_the_same_name_on_another_site_is_another_profile(org_a):
    rows = [row(n, profile="Bella", phone=f"070-200 {n:04d}", site="annonsguiden.se") for n in range(10)]
    rows.append(row(99, profile="Bella", phone="070-555 12 34"))
    actions.do_import_ads(None, org_a, rows, analyse_now=True)
    own = Ad.objects.get(organisation=org_a, external_id="p99")
    ad = capture(org_a, 1, profile_name="Bella")
    # on rosasidan.ws "Bella" has one number: that ad is hers; the other site's Bellas are a crowd
    assert own.pk in context_of(org_a, ad)
    assert AdLink.objects.get(from_ad=ad, to_ad=own).reasons == ["same_profile"]
    assert AdLink.objects.filter(from_ad=ad).count() == 1


def test_a_crowd_under_the_name_elsewhere_does_not_crowd_out_her_own_profile(org_a, monkeypatch):
    # the other site's Annas alone pass the limit; the profile on her own site is still read whole
    monkeypatch.setattr(analysis_adapter, "PROFILE_ROWS_MAX", 30)
    rows = [row(n, profile="Anna", phone=f"070-300 {n:04d}", site="annonsguiden.se") for n in range(60)]
    rows += [row(100 + n, profile="Anna", phone="070-555 77 88") for n in range(3)]
    actions.do_import_ads(None, org_a, rows, analyse_now=True)
    hers = set(Ad.objects.filter(organisation=org_a, external_id__in=["p100", "p101", "p102"]).values_list("pk", flat=True))
    ad = capture(org_a, 1, profile_name="Anna")
    assert hers <= context_of(org_a, ad)
    assert {link.to_ad_id for link in AdLink.objects.filter(from_ad=ad)} == hers


def test_a_taxi_number_among_hers_leaves_the_engine_to_judge(org_a):
    # a number in a dozen women's ads is the engine's hub phone, not hers: with it she still shows
    # one number of her own, and all her ads (two without a number) are hers
    taxi = "070-999 00 11"
    actions.do_import_ads(None, org_a, [row(n, profile=f"Kvinna{n}", phone=taxi) for n in range(12)],
                          analyse_now=True)
    actions.do_import_ads(None, org_a, [row(50, profile="Lina", phone="070-444 11 22", city="Lund"),
                                        row(51, profile="Lina", city="Göteborg"),
                                        row(52, profile="Lina", city="Uppsala")], analyse_now=True)
    hers = set(Ad.objects.filter(organisation=org_a, profile_key="lina").values_list("pk", flat=True))
    ad = capture(org_a, 1, profile_name="Lina", phone=taxi)
    assert hers <= context_of(org_a, ad)
    assert {link.to_ad_id for link in AdLink.objects.filter(from_ad=ad) if "same_profile" in link.reasons} == hers
