"""End-to-end tests of `uppsok analyse` and hostile input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from uppsok.analysis import analyse_ads
from uppsok.analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _ad(i: str, **kw: object) -> dict:
    d = {"id": i, "seen_at": "2024-03-01T20:00:00+01:00", "site": "rosasidan"}
    d.update(kw)
    return d


def test_end_to_end_generated_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", "1500", "--seed", "3",
                    "--phrasings", "B", "-o", str(corpus)], check=True)
    out = tmp_path / "o.jsonl"
    r = subprocess.run([sys.executable, "-m", "uppsok.analysis.cli", str(corpus), "-o", str(out), "--quiet"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    ids = [json.loads(x)["id"] for x in corpus.read_text().splitlines()]
    assert [r["id"] for r in rows] == ids
    for row in rows:
        assert set(row) == {"id", "phones", "prices_sek", "language", "indicators", "group", "links"}
        for link in row["links"]:
            assert link["reasons"]
    ev = subprocess.run([sys.executable, str(ROOT / "bench" / "evaluate.py"), str(corpus), str(out),
                         "--json", str(tmp_path / "e.json")], capture_output=True, text=True, check=True)
    res = json.loads((tmp_path / "e.json").read_text())
    # This generator's rings that share no number write only phrases other rings use too: text
    # alone cannot tell them apart from independents, so recall is bounded; wrong groups are not.
    assert res["pairwise"]["precision"] > 0.95, ev.stdout
    assert res["bcubed"]["f1"] > 0.95, ev.stdout
    assert res["indicator_macro_f1"] > 0.85, ev.stdout


def test_links_and_groups() -> None:
    ads = [
        _ad("a", text="Hon är ny i stan. Ring henne 070-123 45 67.", city="Malmö", profile_name="Anna"),
        _ad("b", text="Ring 0701234567", city="Lund", seen_at="2024-03-05T20:00:00+01:00", profile_name="Bella"),
        _ad("c", text="Jag heter Sara, ring mig 073-999 88 77", city="Umeå"),
        # serial run: three consecutive numbers on one site in the same week
        _ad("s1", phones=["076-500 00 01"]), _ad("s2", phones=["076-500 00 02"]), _ad("s3", phones=["076-500 00 04"]),
    ]
    res = {r["id"]: r for r in analyse_ads(ads)}
    assert res["a"]["group"] == res["b"]["group"] != res["c"]["group"]
    assert res["a"]["links"] == [{"id": "b", "reasons": ["same_phone"]}]
    codes = {i["code"]: i["evidence"] for i in res["a"]["indicators"]}
    # two profiles on one number in two towns are a group's spread, not one woman moving
    assert "moves_between_cities" not in codes
    # the other ad named as the police can look it up: date, town and profile, never its id
    assert codes["shared_phone"] == "+46701234567 även i 1 annan annons / also in 1 other ad: 2024-03-05 Lund «bella»"
    assert res["s1"]["group"] == res["s2"]["group"] == res["s3"]["group"]
    assert any("serial_phone" in link["reasons"] for link in res["s2"]["links"])


def test_agency_number_does_not_glue() -> None:
    import random

    rnd = random.Random(1)
    words = "glad lugn snäll mysig sportig kurvig smal lång kort rolig social nyfiken varm ärlig spontan".split()
    ads = [_ad(f"x{i}", profile_name=f"p{i}",
               text=" ".join(rnd.choices(words, k=15)) + " Bokning via 08-123 456 78.") for i in range(40)]
    res = analyse_ads(ads)
    assert len({r["group"] for r in res}) == 40
    # A booking line printed in many unrelated ads is not the advertisers' own number: it links
    # nothing and does not make their number "shared".
    assert not any(i["code"] == "shared_phone" for r in res for i in r["indicators"])
    assert all(r["links"] == [] for r in res)


def test_hostile_input(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    lines = [
        json.dumps(_ad("ok1", text="Hej, ring 070-123 45 67")),
        "{not json",
        "\x00\xff binary",
        json.dumps(_ad("big", text="x" * 3_000_000)),
        json.dumps(_ad("types", phones="070-1234567", age="tjugo", city=5, images="nope")),
        json.dumps(_ad("img", images=["missing.jpg", 7])),
        json.dumps(_ad("ok1")),
        json.dumps([1, 2]),
        json.dumps({"id": "noseen"}),
        json.dumps(_ad("naive", seen_at="2024-03-01T20:00:00")),
        "[" * 100000,
        json.dumps(_ad("phonestr", phones="070-123 45 67; 073-765 43 21")),
    ]
    p = tmp_path / "in.jsonl"
    p.write_bytes(b"\n".join(x.encode("utf-8", "surrogateescape") if isinstance(x, str) else x for x in lines)
                  .replace(b"\\u0000\\u00ff", b"\x00\xff") + b"\n")
    p.write_bytes(p.read_bytes().replace("\x00\xff binary".encode(), b"\x00\xff\xfe binary"))
    out = tmp_path / "out.jsonl"
    assert main([str(p), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for n in (2, 3, 4, 5, 7, 8, 9, 11):
        assert f"rad {n} / line {n}:" in err, err
    assert "rad 2 / line 2: ogiltig JSON" in err
    assert "rad 3 / line 3: raden innehåller ett NUL-tecken" in err
    # a field of the wrong type refuses the row (the web import refuses it too), naming every problem
    assert "rad 5 / line 5: city ska vara text / city must be a string; age ska vara ett heltal ('tjugo')" in err
    assert "dubblett" in err and "för lång" in err and "missing.jpg" in err
    # a time without an offset is Swedish time, not an error
    assert "rad 10 / line 10" not in err
    ids = [json.loads(x)["id"] for x in out.read_text().splitlines()]
    assert ids == ["ok1", "img", "naive", "phonestr"]
    row = json.loads(out.read_text().splitlines()[3])
    assert row["phones"] == ["+46701234567", "+46737654321"]


def test_nothing_readable_exits_nonzero(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text("nope\n{}\n")
    assert main([str(p), "-o", str(tmp_path / "o.jsonl"), "-q"]) == 1
    assert main([str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o.jsonl")]) == 2


def test_byte_order_mark_and_blank_lines(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    p = tmp_path / "bom.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(_ad("first", text="Hej")).encode() + b"\r\n \r\n\t\n"
                  + json.dumps(_ad("second", text="Hej")).encode())
    out = tmp_path / "o.jsonl"
    assert main([str(p), "-o", str(out), "-q", "--no-images"]) == 0
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["first", "second"]
    assert capsys.readouterr().err == ""


def test_a_file_of_blank_lines_is_an_empty_file(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    answers = []
    for name, data in [("empty", b""), ("blank", b"\n  \n\t\r\n\n"), ("bom", b"\xef\xbb\xbf\n")]:
        p = tmp_path / f"{name}.jsonl"
        p.write_bytes(data)
        code = main([str(p), "-o", str(tmp_path / f"{name}.out"), "-q"])
        answers.append((code, capsys.readouterr().err))
    assert answers[0] == (1, "uppsok analyse: filen innehåller inga annonser / the file contains no ads\n")
    assert answers[1] == answers[0] and answers[2] == answers[0]


def _refused_before_reading(monkeypatch, capsys, argv: list[str]) -> str:  # noqa: ANN001
    from uppsok.analysis import engine

    def must_not_read(*a: object, **k: object) -> None:
        raise AssertionError("read before the paths were checked")

    monkeypatch.setattr(engine, "read_corpus", must_not_read)
    assert main(argv) == 2
    return capsys.readouterr().err


def test_paths_are_checked_before_any_work(tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    good = tmp_path / "in.jsonl"
    good.write_text(json.dumps(_ad("a", text="Hej")) + "\n")
    out = str(tmp_path / "o.jsonl")

    def refused(*argv: str) -> str:
        return _refused_before_reading(monkeypatch, capsys, list(argv))

    assert "indata är en katalog / the input is a directory" in refused(str(tmp_path), "-o", out).replace(
        ", inte en fil", "").replace(", not a file", "")
    assert "utdata är en katalog, inte en fil / the output is a directory" in refused(str(good), "-o", str(tmp_path))
    err = refused(str(good), "-o", str(tmp_path / "nowhere" / "o.jsonl"))
    assert "katalogen för utdata finns inte / the directory for the output does not exist" in err
    err = refused(str(good), "-o", str(good))
    assert "utdata kan inte vara samma fil som indata / the output cannot be the input file" in err
    # the same file under another name
    err = refused(str(good), "-o", str(tmp_path / "." / "in.jsonl"))
    assert "samma fil som indata" in err
    err = refused(str(good), "-o", out, "--index", str(tmp_path / "nowhere" / "i.sqlite3"))
    assert "katalogen för indexet finns inte" in err
    err = refused(str(good), "-o", out, "--index", out)
    assert "indexet kan inte vara samma fil som utdata" in err
    assert good.read_text().startswith("{")  # the input was not overwritten
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_output_is_refused_before_any_work(tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    good = tmp_path / "in.jsonl"
    good.write_text(json.dumps(_ad("a", text="Hej")) + "\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        err = _refused_before_reading(monkeypatch, capsys, [str(good), "-o", str(locked / "o.jsonl")])
        assert "får inte skapa utdata i / no permission to create the output in" in err
        ro = tmp_path / "ro.jsonl"
        ro.write_text("")
        ro.chmod(0o400)
        err = _refused_before_reading(monkeypatch, capsys, [str(good), "-o", str(ro)])
        assert "får inte skriva utdata / no permission to write the output" in err
        good.chmod(0o200)
        err = _refused_before_reading(monkeypatch, capsys, [str(good), "-o", str(tmp_path / "o.jsonl")])
        assert "får inte läsa filen / no permission to read the file" in err
    finally:
        locked.chmod(0o700)
        good.chmod(0o600)


STOCK = [
    "Jag är diskret och tar mig tid för dig.", "Hör av dig med sms först, tack.", "Jag har en mysig lägenhet nära centrum.",
    "Du kommer inte att ångra dig, det lovar jag.", "Jag älskar att träffa nya trevliga män.", "Ring inte från dolt nummer.",
    "Jag tar emot dig i min lägenhet eller kommer till ditt hotell.", "Hygien är viktigt för mig och för dig.",
    "Jag är en glad och positiv tjej som gillar att skratta.", "Svarar bara på sms, inga samtal tack.",
    "Jag bjuder på en avslappnad stund utan stress.", "Välkommen att höra av dig när du vill.",
]


def test_independents_writing_stock_sentences_are_not_chained() -> None:
    import random

    rnd = random.Random(7)
    ads = []
    for i in range(80):
        text = " ".join(rnd.sample(STOCK, 5)) + f" Ring 070-{100 + i:03d} 45 67."
        ads.append(_ad(f"ind{i}", text=text, city="Malmö", seen_at=f"2024-03-0{1 + i % 5}T20:00:00+01:00"))
    # one ring: its own phrasing plus stock sentences, four women with their own numbers, one town
    ring = ("Söta {n} har precis kommit till stan och väntar på ett besök från en generös gentleman. "
            "Hon är ödmjuk och lyhörd och tar emot dygnet runt i en diskret lägenhet vid stationen. "
            "Boka din stund med {n} i god tid, hennes kalender fylls snabbt under helgerna. ")
    for k, name in enumerate(["Ioana", "Elena", "Daria", "Vika"]):
        ads.append(_ad(f"ring{k}", text=ring.format(n=name) + " ".join(STOCK[k:k + 3]) + f" Ring 073-55{k} 12 34.",
                       city="Malmö", seen_at=f"2024-03-0{2 + k}T21:00:00+01:00"))
    res = {r["id"]: r for r in analyse_ads(ads)}
    assert len({res[f"ind{i}"]["group"] for i in range(80)}) == 80
    assert len({res[f"ring{k}"]["group"] for k in range(4)}) == 1
    assert not any(res[f"ind{i}"]["group"] == res["ring0"]["group"] for i in range(80))


def test_same_display_name_with_different_phones_is_not_a_link() -> None:
    ads = [_ad("a1", profile_name="Anna", text="Hej, ring 070-111 22 33"),
           _ad("a2", profile_name="Anna", text="Hej, ring 070-444 55 66")]
    res = {r["id"]: r for r in analyse_ads(ads)}
    assert res["a1"]["group"] != res["a2"]["group"]


def test_two_adjacent_numbers_link_only_with_a_shared_template() -> None:
    template = ("Exklusiv {n} tar emot i en privat svit med utsikt över hamnen och bjuder på champagne. "
                "Endast seriösa herrar med gott omdöme är välkomna till denna ljuva stund. "
                "Kontakta {n} via meddelande, hon svarar inom kort och bekräftar tiden. ")
    linked = [_ad("p1", text=template.format(n="Lina") + "Ring 076-123 45 45", city="Lund"),
              _ad("p2", text=template.format(n="Mira") + "Ring 076-123 45 46", city="Lund")]
    lone = [_ad("q1", text="Hej jag heter Sara. Ring 076-987 65 45", city="Lund"),
            _ad("q2", text="Ny i stan, vi ses? Ring 076-987 65 46", city="Lund")]
    res = {r["id"]: r for r in analyse_ads(linked + lone)}
    assert res["p1"]["group"] == res["p2"]["group"]
    assert any("serial_phone" in link["reasons"] for link in res["p1"]["links"])
    assert res["q1"]["group"] != res["q2"]["group"]


def test_a_move_is_a_profiles_own_change_of_town_and_spellings_are_one_town() -> None:
    ads = [_ad("m1", profile_name="luna_77", text="Hej", city="Sthlm"),
           _ad("m2", profile_name="luna_77", text="Hej", city="Stockholm City", seen_at="2024-03-03T20:00:00+01:00"),
           _ad("m3", profile_name="luna_77", text="Hej", city="Göteborg", seen_at="2024-03-09T20:00:00+01:00"),
           _ad("s1", profile_name="sara_1", text="Hej", city="Sthlm"),
           _ad("s2", profile_name="sara_1", text="Hej", city="Stockholm", seen_at="2024-03-05T20:00:00+01:00")]
    res = {r["id"]: {i["code"]: i["evidence"] for i in r["indicators"]} for r in analyse_ads(ads)}
    assert res["m3"]["moves_between_cities"] == "luna_77: Sthlm 2024-03-01 → Göteborg 2024-03-09"
    assert "moves_between_cities" not in res["s1"] and "moves_between_cities" not in res["s2"]
