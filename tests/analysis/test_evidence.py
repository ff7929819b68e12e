"""Evidence fit to paste into a police tip: other ads named by date, town and profile name (never by
id), the facts stated apart for an interface in another language, and the matched words located
exactly in the quotation and in the ad."""

from __future__ import annotations

import json
import re
from pathlib import Path

from uppsok.analysis import IncrementalIndex, analyse_ads
from uppsok.analysis.cli import main
from uppsok.analysis.text import quote, text_indicators

# Ids a reader would never type: if any of them shows up in evidence, it came from the id field.
ROOM = "00ff00ff00ff00ff"


def _ad(i: str, day: int, **kw: object) -> dict:
    d = {"id": f"ID-7f3a-{i}", "seen_at": f"2026-03-{day:02d}T20:00:00+01:00", "site": "rosasidan"}
    d.update(kw)
    return d


def _corpus() -> list[dict]:
    return [
        # one number, two profiles in two towns: shared_phone
        _ad("a", 1, profile_name="Anna", city="Malmö", text="Hon är ny i stan. Ring henne 070-123 45 67."),
        _ad("b", 2, profile_name="Bella", city="Lund", text="Ring mig på 0701234567, 800 kr/h."),
        # one profile moving between towns: moves_between_cities
        _ad("m1", 3, profile_name="Luna", city="Umeå", text="Hej, jag heter Luna. Sms 073-111 22 33."),
        _ad("m2", 9, profile_name="Luna", city="Göteborg", text="Hej, jag heter Luna. Sms 073-111 22 33."),
        # serial run: three near numbers on one site in one week
        _ad("s1", 4, phones=["076-500 00 01"], text="Ring."), _ad("s2", 4, phones=["076-500 00 02"], text="Ring."),
        _ad("s3", 5, phones=["076-500 00 04"], text="Ring."),
        # the same room behind two women: same_place_photos
        _ad("p1", 6, profile_name="Ioana", city="Kalmar", text="Sms 072-999 00 01.",
            image_features=[{"phash": "0123456789abcdef", "bghash": ROOM}]),
        _ad("p2", 7, profile_name="Elena", city="Kalmar", text="Sms 072-999 00 02.",
            image_features=[{"phash": "fedcba9876543210", "bghash": ROOM, "face": True, "name": "bild1.jpg"}]),
    ]


def _by_code(row: dict) -> dict[str, dict]:
    return {i["code"]: i for i in row["indicators"]}


def test_cli_evidence_names_no_ad_id(tmp_path: Path) -> None:
    ads = _corpus()
    inp = tmp_path / "ads.jsonl"
    inp.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ads), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main([str(inp), "-o", str(out), "--quiet", "--workers", "1"]) == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    codes = {i["code"] for r in rows.values() for i in r["indicators"]}
    assert {"shared_phone", "moves_between_cities", "same_place_photos", "low_price", "face_visible"} <= codes
    for row in rows.values():
        for ind in row["indicators"]:
            assert set(ind) >= {"code", "evidence"}
            blob = json.dumps({k: v for k, v in ind.items() if k != "code"}, ensure_ascii=False)
            assert "ID-7f3a" not in blob, ind

    shared = _by_code(rows["ID-7f3a-a"])["shared_phone"]
    assert shared["evidence"] == ("+46701234567 även i 1 annan annons / also in 1 other ad: "
                                  "2026-03-02 Lund «bella»")
    assert shared["facts"] == {"phones": [{"phone": "+46701234567", "more": 0,
                                           "ads": [{"date": "2026-03-02", "city": "Lund", "profile": "bella"}]}],
                               "serial": []}
    serial = _by_code(rows["ID-7f3a-s2"])["shared_phone"]
    assert serial["facts"]["serial"] == [{"phones": ["+46765000001", "+46765000002", "+46765000004"], "more": 0}]
    assert serial["evidence"] == "serienummer / serial run: +46765000001, +46765000002, +46765000004"

    moves = _by_code(rows["ID-7f3a-m2"])["moves_between_cities"]
    assert moves["evidence"] == "luna: Umeå 2026-03-03 → Göteborg 2026-03-09"
    assert moves["facts"] == {"who": "luna", "more": 0, "steps": [{"city": "Umeå", "date": "2026-03-03"},
                                                                   {"city": "Göteborg", "date": "2026-03-09"}]}

    place = _by_code(rows["ID-7f3a-p1"])["same_place_photos"]
    assert place["facts"] == {"ads": [{"date": "2026-03-07", "city": "Kalmar", "profile": "elena"}], "more": 0}
    assert place["evidence"].endswith(": 2026-03-07 Kalmar «elena»")
    assert _by_code(rows["ID-7f3a-p2"])["face_visible"]["facts"] == {"photos": ["bild1.jpg"]}

    price = _by_code(rows["ID-7f3a-b"])["low_price"]
    assert price["facts"] == {"price": 800, "floor": 1000, "median": None}
    assert price["evidence"] == "800 kr/h (golv / floor 1000 kr)"


def test_incremental_index_evidence_names_no_ad_id(tmp_path: Path) -> None:
    with IncrementalIndex(tmp_path / "idx.sqlite3") as idx:
        results = [idx.add(ad) for ad in _corpus()]
    for r in results:
        for ind in r["indicators"]:
            assert "ID-7f3a" not in json.dumps(ind, ensure_ascii=False), ind
    by_id = {r["id"]: _by_code(r) for r in results}
    assert by_id["ID-7f3a-b"]["shared_phone"]["evidence"].endswith(": 2026-03-01 Malmö «anna»")
    assert by_id["ID-7f3a-m2"]["moves_between_cities"]["facts"]["steps"] == [
        {"city": "Umeå", "date": "2026-03-03"}, {"city": "Göteborg", "date": "2026-03-09"}]
    assert by_id["ID-7f3a-m2"]["moves_between_cities"]["evidence"] == "luna: Umeå 2026-03-03 → Göteborg 2026-03-09"


def _marked(ind: dict) -> list[str]:
    return [ind["quote"][s:e] for s, e in ind["trigger"]]


def test_trigger_marks_exactly_the_matched_words() -> None:
    title = "Ny i stan"
    text = ("Söt tjej. Hon tar emot dig i min  lägenhet och\n gör allt, även utan   kondom. "
            "Du får inte prata med henne. Hon pratar bara engelska. BDSM, hennes herre är alltid med.")
    row = analyse_ads([_ad("t", 1, title=title, text=text)])[0]
    inds = _by_code(row)
    assert _marked(inds["third_person"]) == ["Hon"]
    # "gör allt" is the first matching phrase; whitespace in the ad is collapsed in the quotation
    assert _marked(inds["offers_everything"]) == ["gör allt"]
    assert _marked(inds["swedish_ad_speaks_english"]) == ["pratar bara engelska"]
    assert _marked(inds["bdsm_third_party"]) == ["BDSM", "hennes herre"]
    body = f"{title}\n{text}"
    for ind in inds.values():
        if "quote" not in ind:
            continue
        assert ind["quote"] == ind["evidence"]
        assert len(ind["trigger"]) == len(ind["trigger_in_text"])
        for (s, e), (ts, te) in zip(ind["trigger"], ind["trigger_in_text"], strict=True):
            # the same words in the quotation and in the ad, whitespace apart
            assert ind["quote"][s:e] == " ".join(body[ts:te].split())
            assert ind["quote"][s:e] and not ind["quote"][s:e].startswith(" ")


def test_quote_keeps_far_apart_matches_in_two_windows() -> None:
    text = "BDSM " + "ord " * 40 + "hennes herre"
    q, marks = quote(text, (0, 4), (len(text) - 12, len(text)))
    assert " … " in q
    assert [q[s:e] for s, e in marks] == ["BDSM", "hennes herre"]


def test_stated_fields_are_facts_not_quotes() -> None:
    inds = dict((c, x) for c, _e, x in text_indicators("Hej", "sv", "Rumänien", 16, detail=True))
    assert inds["not_from_sweden"] == {"nationality": "Rumänien"}
    assert inds["possible_minor"] == {"age": 16}
    # without `detail` the indicators stay (code, evidence) pairs
    assert all(len(t) == 2 for t in text_indicators("Hon är ny, hon gör allt", "sv", None, None))


def test_low_price_against_the_corpus_median_states_it() -> None:
    ads = [_ad(f"q{i}", 1 + i % 20, text=f"Ring 070-{200 + i:03d} 11 22. {2000 + 10 * i} kr/h", profile_name=f"p{i}")
           for i in range(40)]
    ads.append(_ad("cheap", 3, text="Ring 070-999 11 22. 900 kr/h", profile_name="cheap"))
    row = {r["id"]: r for r in analyse_ads(ads)}["ID-7f3a-cheap"]
    facts = _by_code(row)["low_price"]["facts"]
    assert facts["price"] == 900 and facts["floor"] == 1000 and facts["median"] == 2190
    assert re.search(r"median 2190 kr", _by_code(row)["low_price"]["evidence"])
