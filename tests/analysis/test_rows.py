"""The row rules every reader of ad files shares (`uppsok.analysis.rows`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from uppsok.analysis import analyse_ads
from uppsok.analysis.rows import (
    MAX_LEN,
    RowProblem,
    describe,
    duplicate_id,
    parse_json_line,
    split_lines,
    validate_row,
)

SEEN = "2024-03-01T20:00:00+01:00"


def _ok(**kw: object) -> dict:
    row, problems = validate_row({"id": "a1", "seen_at": SEEN, **kw})
    assert row is not None, describe(problems)
    return row


def _refused(**kw: object) -> list[RowProblem]:
    obj = {"id": "a1", "seen_at": SEEN, **kw}
    obj = {k: v for k, v in obj.items() if v is not _MISSING}
    row, problems = validate_row(obj)
    assert row is None and problems
    return problems


_MISSING = object()


def test_a_minimal_row_is_normalised() -> None:
    row = _ok(city="  Malmö ", unknown={"x": 1}, images=["a.jpg"])
    assert row == {"id": "a1", "seen_at": datetime(2024, 3, 1, 20, tzinfo=timezone(timedelta(hours=1))),
                   "site": "", "url": "", "city": "Malmö", "profile_name": "", "title": "", "text": "",
                   "price": "", "nationality": "", "phones": [], "age": None}


def test_id_rules() -> None:
    assert _ok(id=" 42 ")["id"] == "42"
    assert _ok(id=42)["id"] == "42"
    for bad in (_MISSING, None, "", "  "):
        assert [str(p) for p in _refused(id=bad)] == ["id saknas / id missing"]
    for bad in (True, 4.2, ["a"], {"a": 1}):
        assert _refused(id=bad)[0].sv == "ska vara text"
    assert _ok(id="x" * MAX_LEN["id"])
    assert _refused(id="x" * (MAX_LEN["id"] + 1))[0].sv == "har för många tecken (201, högst 200)"


def test_seen_at_rules() -> None:
    stockholm = _ok(seen_at="2024-07-01T20:00:00")["seen_at"]
    assert stockholm.utcoffset() == timedelta(hours=2)  # summer time in Sweden
    assert _ok(seen_at="2024-01-01 20:00")["seen_at"].utcoffset() == timedelta(hours=1)
    assert _ok(seen_at="2024-01-01T19:00:00Z")["seen_at"] == _ok(seen_at="2024-01-01T20:00:00+01:00")["seen_at"]
    assert _ok(seen_at="2024-01-01T19:00:00z")["seen_at"].utcoffset() == timedelta(0)
    assert _ok(seen_at="2024-01-01")["seen_at"].hour == 0
    for bad in (_MISSING, None, "", " "):
        assert str(_refused(seen_at=bad)[0]) == "seen_at saknas / seen_at missing"
    assert "ISO 8601" in _refused(seen_at="igår")[0].sv
    assert "'igår'" in _refused(seen_at="igår")[0].sv
    assert _refused(seen_at=1709319600)[0].sv.startswith("ska vara text")
    for far in ("1969-12-31T23:00:00+00:00", "2101-01-01T00:00:00", "0001-01-01T00:00:00+01:00"):
        assert "orimligt år" in _refused(seen_at=far)[0].sv


def test_text_fields() -> None:
    assert _ok(price=1500)["price"] == "1500"
    assert _ok(price=1499.5)["price"] == "1499.5"
    assert _ok(text=None)["text"] == ""
    for key in ("site", "city", "title", "text", "nationality"):
        assert [(p.field, p.sv) for p in _refused(**{key: 5})] == [(key, "ska vara text")]
    assert _refused(price=True)[0].field == "price"
    assert _ok(text="x" * 20_000) and "(20001, högst 20000)" in _refused(text="x" * 20_001)[0].sv
    assert "NUL" in _refused(title="a\x00b")[0].sv
    # surrounding whitespace does not count towards the length
    assert _ok(city=" " * 50 + "x" * MAX_LEN["city"])["city"] == "x" * MAX_LEN["city"]


def test_phones() -> None:
    assert _ok(phones="070-123 45 67; 073-765 43 21,")["phones"] == ["070-123 45 67", "073-765 43 21"]
    assert _ok(phones=[" 0701234567 ", 46701234567, ""])["phones"] == ["0701234567", "46701234567"]
    assert _ok(phones=None)["phones"] == []
    # a number spelt out in words is a number
    assert _ok(phones=["noll sju tre fyra sex tre fyra noll nio fyra"])["phones"]
    for bad in ([True], [None], [["070"]], {"a": "070"}, 70.5):
        assert _refused(phones=bad)[0].field == "phones"
    assert "för många" in _refused(phones=["070"] * 101)[0].sv
    assert "NUL" in _refused(phones=["070\x001234567"])[0].sv


def test_age() -> None:
    assert _ok(age=25)["age"] == 25
    assert _ok(age=" 25 ")["age"] == 25
    assert _ok(age="")["age"] is None
    assert _ok(age=None)["age"] is None
    assert _ok(age=1)["age"] == 1 and _ok(age=119)["age"] == 119
    for bad in ("tjugo", 25.0, True, "25 år", "٢٥", "1e2", "+25"):
        assert "heltal" in _refused(age=bad)[0].sv, bad
    for bad in (0, 120, -3, "150"):
        assert "orimlig" in _refused(age=bad)[0].sv, bad


def test_every_problem_is_named_once_in_both_languages() -> None:
    problems = _refused(id=_MISSING, seen_at="igår", age="tjugo")
    assert [p.field for p in problems] == ["id", "seen_at", "age"]
    text = describe(problems)
    assert text.startswith("id saknas / id missing; seen_at är inte en tidpunkt")
    labels = {"id": "Id", "seen_at": "Sedd (datum och tid)", "age": "Ålder"}
    assert problems[0].swedish(labels) == "Id saknas"
    assert problems[2].swedish(labels) == "Ålder ska vara ett heltal ('tjugo')"
    assert str(duplicate_id("a1")).startswith("id 'a1' är en dubblett")
    row, problems = validate_row(["not", "a", "dict"])
    assert row is None and str(problems[0]) == "raden är inte ett JSON-objekt / line is not a JSON object"


def test_lines() -> None:
    assert split_lines(b"a\r\nb\n\nc") == [b"a", b"b", b"", b"c"]
    assert split_lines(b"a\n") == [b"a"]
    # a JSON string may hold U+2028 or a bare CR: only LF ends a line
    assert split_lines('{"t": "x\u2028y\rz"}\n'.encode()) == ['{"t": "x\u2028y\rz"}'.encode()]
    assert parse_json_line(b'{"a": 1}') == ({"a": 1}, None)
    assert "NUL" in parse_json_line(b'{"a": "\x00"}')[1].sv
    assert "UTF-8" in parse_json_line(b'{"a": "\xff"}')[1].sv
    assert "ogiltig JSON" in parse_json_line(b"{nope")[1].sv
    assert "för lång" in parse_json_line(b"x" * 1_000_001)[1].sv


@pytest.mark.parametrize("naive", ["2024-03-01T20:00:00", "2024-03-01 20:00"])
def test_analyse_ads_applies_the_same_rules(naive: str) -> None:
    out = analyse_ads([{"id": "a", "seen_at": naive, "text": "Hej"},
                       {"id": "b", "seen_at": SEEN, "city": 5},
                       {"id": " a ", "seen_at": SEEN, "text": "igen"}])
    assert "error" not in out[0]
    assert out[1]["error"] == "city ska vara text / city must be a string"
    assert "dubblett" in out[2]["error"]
