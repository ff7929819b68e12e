"""`analyse_ads` (the web app's entry) extracts a large batch on forked processes: the results
must be those of the sequential path, refused rows included, in the same order."""

from __future__ import annotations

import os

import pytest

from uppsok.analysis import engine
from uppsok.analysis.phones import extract_phones


def _ads(n: int) -> list[dict]:
    out: list[dict] = []
    for k in range(n):
        out.append({"id": f"a{k}", "seen_at": f"2024-03-{1 + k % 28:02d}T12:00:00+01:00", "site": "rosasidan",
                    "city": "Malmö" if k % 3 else "Lund", "profile_name": f"Anna{k % 7}",
                    "title": "Ny i stan", "price": "1500 kr/h",
                    "text": f"Hej! Jag heter Anna{k % 7}. Ring 070-{k % 5:03d} 12 34. Hon gör allt du vill."})
    out[5] = {"id": "bad", "seen_at": "not a date"}
    out[11] = "not an ad"
    return out


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool needs two CPUs")
def test_the_forked_pool_gives_the_sequential_results(monkeypatch):
    ads = _ads(45)
    monkeypatch.setattr(engine, "PARALLEL_MIN_ADS", 10**9)
    sequential = engine.analyse_ads(ads, with_images=False)
    monkeypatch.setattr(engine, "PARALLEL_MIN_ADS", 10)
    monkeypatch.setattr(engine, "PARALLEL_ADS_PER_TASK", 7)
    parallel = engine.analyse_ads(ads, with_images=False)
    assert parallel == sequential
    assert parallel[5]["error"] and parallel[11]["error"]
    assert engine._pool_ads == []  # nothing kept after the run


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool needs two CPUs")
def test_a_child_that_dies_fails_the_run_instead_of_hanging(monkeypatch):
    # the kernel's out-of-memory killer can end one child of a large analysis: the run must fail
    # (and its transaction roll back), not wait for the child's result for ever
    from concurrent.futures.process import BrokenProcessPool

    monkeypatch.setattr(engine, "PARALLEL_MIN_ADS", 10)
    monkeypatch.setattr(engine, "PARALLEL_ADS_PER_TASK", 7)
    monkeypatch.setattr(engine, "features_from_obj", lambda *a: os._exit(9))  # inherited by the forks
    with pytest.raises(BrokenProcessPool):
        engine.analyse_ads(_ads(45), with_images=False)
    assert engine._pool_ads == []


@pytest.mark.parametrize("first", [0, 12, 45])
def test_ads_extracted_beforehand_give_the_same_results(first):
    # the web app extracts the analysed ads first (their text features choose the context), then
    # analyses them with the context: reusing that extraction must change nothing
    ads = _ads(45)
    whole = engine.analyse_ads(ads, with_images=False)
    extracted = engine.extract_ads(ads[:first], with_images=False)
    assert len(extracted) == first
    assert engine.analyse_ads(ads, with_images=False, extracted=extracted) == whole
    assert any(r.get("links") for r in whole) and whole[5]["error"] and whole[11]["error"]


def test_text_features_of_an_extraction_are_those_of_the_ads():
    ads = _ads(30)
    features = engine.text_features_of(engine.extract_ads(ads, with_images=False))
    assert features == engine.text_features_many(ads)
    assert features[5] is None and features[11] is None and all(features[k] for k in (0, 1, 29))


def test_the_batch_features_are_each_ads_own_distinct_sorted_features():
    # the batch computes every ad's features in one sort; each must still be what the ad alone
    # gives, repeats dropped (the text repeats itself) and in order, empty text included
    ads = _ads(30)
    ads[3] = {**ads[3], "text": "Diskret. " * 8 + "Hör av dig. Hör av dig.", "title": ""}
    ads[4] = {**ads[4], "text": "", "title": ""}
    batch = engine.text_features_many(ads)
    for k, ad in enumerate(ads):
        if batch[k] is None:
            continue
        alone = engine.text_features(ad)
        assert batch[k] == alone == sorted(set(alone))
    assert batch[4] == [] and len(batch[3]) < len(engine.textfeatures.shingles([engine.template_of(ads[3])])[0])


def test_more_extracted_items_than_ads_are_refused():
    with pytest.raises(ValueError, match="extracted"):
        engine.analyse_ads(_ads(12)[:2], with_images=False, extracted=engine.extract_ads(_ads(12)[:3], with_images=False))


def test_phones_of_rows_on_the_pool_equal_one_process(monkeypatch):
    rows = [
        {"title": f"Ring 070-{n:03d} 22 33" if n % 3 == 0 else "", "text": "noll sju noll ett två tre fyra fem sex sju"
         if n % 5 == 0 else f"Hej {n}", "phones": [f"073-{n:03d} 11 00 / 076-{n:03d} 11 00"] if n % 2 else []}
        for n in range(60)
    ]
    expected = [extract_phones(r["title"], r["text"], *r["phones"]) for r in rows]
    assert any(len(p) >= 2 for p in expected) and any(p == [] for p in expected)
    assert engine.phones_of_rows(rows) == expected  # one process
    monkeypatch.setattr(engine, "PARALLEL_MIN_ADS", 10)
    monkeypatch.setattr(engine, "PHONE_ROWS_PER_TASK", 7)
    monkeypatch.setattr(engine, "_workers", lambda: 2)
    assert engine.phones_of_rows(rows) == expected  # on the pool, in order
