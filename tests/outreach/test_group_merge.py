"""Groups stored earlier that a new ad shows to be one take one key, with every ad of theirs."""

from __future__ import annotations

from uppsok.outreach.models import Ad


def test_a_bridging_ad_joins_two_stored_groups_and_all_their_ads(org_a, org_b, make_ad):
    # two groups, each held together by its own number
    a1 = make_ad(url="https://x.se/a1", phone="070-111 11 11", profile_name="Anna", text="Första texten här.")
    a2 = make_ad(url="https://x.se/a2", phone="070-111 11 11", profile_name="Anna", text="Helt annan text.")
    b1 = make_ad(url="https://x.se/b1", phone="070-222 22 22", profile_name="Bella", text="Tredje texten nu.")
    b2 = make_ad(url="https://x.se/b2", phone="070-222 22 22", profile_name="Bella", text="Fjärde texten nu.")
    # another organisation's ads with the same numbers are its own business
    other = make_ad(org=org_b, url="https://x.se/o1", phone="070-222 22 22", profile_name="Bella")
    for ad in (a1, a2, b1, b2, other):
        ad.refresh_from_db()
    assert a1.group_key == a2.group_key and b1.group_key == b2.group_key
    assert a1.group_key != b1.group_key
    other_key = other.group_key

    # an ad with both numbers shows the two to be one operation
    bridge = make_ad(url="https://x.se/c", phone="070-111 11 11", text="Ring 070-222 22 22 också.")
    keys = set(Ad.objects.filter(organisation=org_a).values_list("group_key", flat=True))
    assert len(keys) == 1
    assert keys == {min(a1.group_key, b1.group_key)}
    bridge.refresh_from_db()
    assert bridge.group_key in keys
    other.refresh_from_db()
    assert other.group_key == other_key


def test_reanalysis_keeps_indicator_counts_and_languages(org_a, make_ad):
    ad = make_ad(url="https://x.se/1", text="Hon är ny i stan och gör allt, även utan kondom. 500 kr/h.")
    ad.refresh_from_db()
    assert ad.indicator_count == ad.indicators.count() > 0
    assert ad.language == "sv"
    assert ad.prices_sek == [500]
    assert ad.analysed_at is not None


def test_group_keys_chain_through_shared_stored_keys():
    from types import SimpleNamespace

    from uppsok.outreach.analysis_adapter import _group_keys

    stored = {"t1": "g-b", "x": "g-c", "t2": "", "y": "g-c", "z": "g-d", "t3": "", "u": "", "v": ""}
    ads = {k: SimpleNamespace(group_key=v) for k, v in stored.items()}
    members = {
        "G1": {"t1", "x"},        # joins stored g-b and g-c
        "G2": {"t2", "y", "z"},   # joins g-c (so g-b too) and g-d
        "G3": {"t3", "u"},        # new: takes its smallest id
        "G4": {"v"},              # alone: no group
        "G5": {"u", "v"},         # no analysed ad in it: left alone
    }
    member_key, renames = _group_keys(members, {"t1", "t2", "t3"}, ads)
    assert {member_key[m] for m in ("t1", "x", "t2", "y", "z")} == {"g-b"}
    assert member_key["t3"] == member_key["u"] == "g-t3"
    assert "v" not in member_key
    assert renames == {"g-c": "g-b", "g-d": "g-b"}
