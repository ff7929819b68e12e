from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsok.outreach.imports import parse_csv, parse_jsonl
from uppsok.outreach.models import Ad, ImportJob, Sighting


def _jsonl(rows):
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()


ROWS = [
    {"id": "a1", "seen_at": "2026-01-02T20:00:00+01:00", "site": "rosasidan.ws", "city": "Malmö",
     "profile_name": "Anna", "text": "Hon gör allt, även utan kondom", "phones": ["070-123 45 67"]},
    {"id": "a2", "seen_at": "2026-01-03T20:00:00+01:00", "site": "rosasidan.ws", "city": "Lund",
     "profile_name": "Bella", "text": "=cmd|' /C calc'!A0", "phones": ["0701234567"]},
]


def test_jsonl_dry_run_then_import(alice, org_a, client_for):
    c = client_for(alice, org_a)
    r = c.post(reverse("outreach:import_upload"), {"file_format": "jsonl", "file": SimpleUploadedFile("ads.jsonl", _jsonl(ROWS))})
    job = ImportJob.objects.get()
    assert r["Location"].endswith(reverse("outreach:import_job", kwargs={"job_id": job.pk}))
    preview = c.get(r["Location"]).content.decode()
    assert "Importera 2 annonser" in preview
    assert not Ad.objects.exists()
    c.post(reverse("outreach:import_start", kwargs={"job_id": job.pk}))
    job.refresh_from_db()
    assert job.status == "done" and job.created_count == 2
    a, b = Ad.objects.order_by("external_id")
    assert a.group_key and a.group_key == b.group_key
    assert c.get(reverse("outreach:import_job", kwargs={"job_id": job.pk})).status_code == 200


def test_errors_per_row_and_nothing_saved(alice, org_a, client_for):
    c = client_for(alice, org_a)
    bad = _jsonl(ROWS) + b"\n{not json}\n" + _jsonl([{"id": "x", "seen_at": "igår", "text": "t"}])
    c.post(reverse("outreach:import_upload"), {"file_format": "jsonl", "file": SimpleUploadedFile("ads.jsonl", bad)})
    job = ImportJob.objects.get()
    page = c.get(reverse("outreach:import_job", kwargs={"job_id": job.pk})).content.decode()
    # the field is named by its label in the mapping form, not by its key
    assert "ogiltig JSON" in page and "Sedd (datum och tid) är inte en tidpunkt i ISO 8601" in page
    c.post(reverse("outreach:import_start", kwargs={"job_id": job.pk}))
    assert not Ad.objects.exists()


def test_failure_during_import_rolls_back(alice, org_a, monkeypatch):
    from uppsok.outreach import actions

    rows = parse_jsonl(_jsonl(ROWS)).rows
    job = actions.do_create_import_job(alice, org_a, "jsonl", "x", rows)

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions.engine, "analyse", boom)
    actions.run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "inget sparades" in job.error
    assert not Ad.objects.exists() and not Sighting.objects.exists()


def test_csv_mapping(alice, org_a, client_for):
    c = client_for(alice, org_a)
    data = "Annons-ID;Datum;Stad;Text;Nummer\nc1;2026-01-05 21:00;Malmö;Ny i stan;0701112233\n".encode()
    c.post(reverse("outreach:import_upload"), {"file_format": "csv", "file": SimpleUploadedFile("ads.csv", data)})
    job = ImportJob.objects.get()
    url = reverse("outreach:import_job", kwargs={"job_id": job.pk})
    assert "Koppla kolumnerna" in c.get(url).content.decode()
    mapping = {"map_id": "Annons-ID", "map_seen_at": "Datum", "map_city": "Stad", "map_text": "Text", "map_phones": "Nummer"}
    assert "Importera 1 annonser" in c.get(url, mapping).content.decode()
    c.post(reverse("outreach:import_start", kwargs={"job_id": job.pk}), mapping)
    ad = Ad.objects.get()
    assert ad.city == "Malmö" and ad.phones.get().e164 == "+46701112233"


def test_reimport_updates_timeline(alice, org_a, tmp_path):
    f = tmp_path / "ads.jsonl"
    f.write_bytes(_jsonl(ROWS))
    call_command("import_ads", str(f), organisation=org_a.slug)
    again = [dict(ROWS[0], seen_at="2026-01-09T20:00:00+01:00", city="Göteborg")]
    f.write_bytes(_jsonl(again))
    call_command("import_ads", str(f), organisation=org_a.slug)
    assert Ad.objects.count() == 2
    ad = Ad.objects.get(external_id="a1")
    assert list(ad.sightings.values_list("city", flat=True)) == ["Malmö", "Göteborg"]


def test_cli_refuses_bad_file(org_a, tmp_path):
    f = tmp_path / "ads.jsonl"
    f.write_bytes(_jsonl(ROWS) + b"\nnope\n")
    with pytest.raises(CommandError):
        call_command("import_ads", str(f), organisation=org_a.slug)
    assert not Ad.objects.exists()


def test_it_checks_ownership(alice, bob, charlie, org_a, org_b, client_for):
    job = ImportJob.objects.create(organisation=org_a, file_format="jsonl", raw=_jsonl(ROWS).decode(), filename="a")
    assert client_for(charlie, org_b).get(reverse("outreach:import_job", kwargs={"job_id": job.pk})).status_code == 404
    assert client_for(charlie, org_b).post(reverse("outreach:import_start", kwargs={"job_id": job.pk})).status_code == 404
    assert client_for(bob, org_a).get(reverse("outreach:import_upload")).status_code == 403
    assert not Ad.objects.exists()


# --- one row rule for the web import and `uppsok analyse` ----------------------------------------


def _cli_ids(data: bytes) -> list[str]:
    """The ids `uppsok analyse` accepts from `data`, in output order."""
    from uppsok.analysis.cli import main

    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d) / "in.jsonl", Path(d) / "out.jsonl"
        src.write_bytes(data)
        code = main([str(src), "-o", str(out), "--no-images", "--quiet"])
        assert code in (0, 1)
        lines = out.read_bytes().splitlines() if out.exists() else []
    return [json.loads(x)["id"] for x in lines]


def _web_ids(data: bytes) -> list[str]:
    return [r["id"] for r in parse_jsonl(data).rows]


_POOL_IDS = st.sampled_from(["a", "b", " a ", "A", "", "  ", "ä\u2028ö", "x" * 200, "x" * 201])
_ODD = st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(),
                 st.lists(st.integers(0, 9), max_size=2), st.dictionaries(st.sampled_from("ab"), st.integers(), max_size=1))
_BOUNDARY = st.builds(lambda c, n: c * n, st.sampled_from(["x", "å", " ", "\u00a0"]),
                      st.sampled_from([99, 100, 101, 119, 120, 121, 200, 201, 300, 301, 500, 501, 20_000, 20_001]))
_TEXT = st.one_of(st.text(max_size=20), _BOUNDARY, _ODD)
_SEEN = st.one_of(
    st.sampled_from(["2024-03-01T20:00:00+01:00", "2024-03-01T19:00:00Z", "2024-03-01T19:00:00z", "2024-03-01 20:00",
                     "2024-03-01", " 2024-07-01T20:00 ", "igår", "", " ", "2024-13-01T00:00:00", "1969-12-31T23:00:00Z",
                     "2101-01-01T00:00:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)).map(datetime.isoformat),
    _ODD,
)
_PHONE = st.one_of(st.text(max_size=15), st.integers(0, 10**11), st.booleans(), st.none(),
                   st.sampled_from(["070-123 45 67", "noll sju noll ett två tre fyra fem sex sju", "1" * 201]))
_PHONES = st.one_of(st.text(max_size=40), st.lists(_PHONE, max_size=4), st.lists(st.just("0701234567"), min_size=99, max_size=102),
                    _ODD)
_AGE = st.one_of(st.integers(-5, 130), st.sampled_from(["", " ", "25", " 25 ", "tjugo", "25.0", "٢٥", "0", "119", "120"]), _ODD)
_HASH = st.one_of(st.sampled_from(["0", "f" * 16, "F" * 16, "f" * 17, "zz", "-1", " 1"]), st.text(max_size=4), _ODD)
_FEATURE = st.one_of(st.fixed_dictionaries({"phash": _HASH, "bghash": _HASH},
                                           optional={"face": st.one_of(st.booleans(), _ODD), "name": _TEXT}), _ODD)
_ROW = st.builds(
    lambda known, unknown: {**unknown, **known},
    st.fixed_dictionaries({}, optional={
        "id": st.one_of(_POOL_IDS, st.integers(0, 3), _ODD), "seen_at": _SEEN, "phones": _PHONES, "age": _AGE,
        **{k: _TEXT for k in ("site", "url", "city", "profile_name", "title", "text", "price", "nationality")},
        "images": st.one_of(st.lists(st.text(max_size=5), max_size=2), _ODD),
        "image_features": st.one_of(st.lists(_FEATURE, max_size=3), st.lists(_FEATURE, min_size=21, max_size=21), _ODD),
    }),
    st.dictionaries(st.text(max_size=6), st.one_of(st.text(max_size=10), _ODD), max_size=2),
)
_RAW_LINES = st.sampled_from([b"", b"   ", b"\t", b"{not json", b"[1, 2]", b'"x"', b"5", b"null", b"\xff\xfe{}",
                              b'{"id": "n", "seen_at": "2024-03-01T20:00:00+01:00", "text": "a\x00b"}',
                              b'{"id": "nan", "seen_at": "2024-03-01T20:00:00+01:00", "age": NaN}',
                              b'\xef\xbb\xbf{"id": "bom2", "seen_at": "2024-03-01T20:00:00+01:00"}'])
_LINE = st.one_of(
    st.builds(lambda row, ascii_: json.dumps(row, ensure_ascii=ascii_).encode(), _ROW, st.booleans()),
    _RAW_LINES,
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lines=st.lists(_LINE, max_size=8), bom=st.booleans(), crlf=st.booleans(), final_newline=st.booleans())
def test_web_import_and_command_line_accept_the_same_rows(lines, bom, crlf, final_newline):
    data = (b"\xef\xbb\xbf" if bom else b"") + (b"\r\n" if crlf else b"\n").join(lines)
    if final_newline and lines:
        data += b"\n"
    assert _web_ids(data) == _cli_ids(data)


def test_the_rules_that_changed_apply_in_both_paths():
    rows = [
        {"id": "ok", "seen_at": "2026-01-02T20:00:00+01:00", "text": "t"},
        {"id": "naive", "seen_at": "2026-01-02 20:00", "text": "t"},  # Swedish time, not "now" nor an error
        {"id": "noseen", "text": "t"},  # a missing time is no longer "now"
        {"url": "https://example.invalid/1", "seen_at": "2026-01-02T20:00:00+01:00", "text": "t"},  # id required
        {"id": "bare", "seen_at": "2026-01-02T20:00:00+01:00"},  # a sighting without content is a sighting
        {"id": 7, "seen_at": "2026-01-02T20:00:00+01:00"},  # numeric ids are text
        {"id": "7", "seen_at": "2026-01-02T20:00:00+01:00"},  # … and so a duplicate of the one above
        {"id": "city", "seen_at": "2026-01-02T20:00:00+01:00", "city": 5},  # wrong type: refused, not ignored
        {"id": "age", "seen_at": "2026-01-02T20:00:00+01:00", "age": "tjugo"},
        {"id": "long", "seen_at": "2026-01-02T20:00:00+01:00", "text": "x" * 20_001},  # refused, not cut
    ]
    data = b"\xef\xbb\xbf" + _jsonl(rows)
    assert _web_ids(data) == _cli_ids(data) == ["ok", "naive", "bare", "7"]
    parsed = parse_jsonl(data)
    assert parsed.rows[1]["seen_at"] == "2026-01-02T20:00:00+01:00"
    errors = dict(parsed.errors)
    assert errors[3] == "Sedd (datum och tid) saknas"
    assert errors[4] == "Id saknas"
    assert errors[7].startswith("Id '7' är en dubblett")
    assert errors[8] == "Ort ska vara text"
    assert errors[9] == "Ålder ska vara ett heltal ('tjugo')"
    assert errors[10] == "Annonstext har för många tecken (20001, högst 20000)"


def test_csv_applies_the_same_rules_as_json_lines():
    rows = [
        ["Annons-ID", "Datum", "Stad", "Text", "Nummer", "Ålder"],
        ["c1", "2026-01-05 21:00", "Malmö", "Ny i stan", "0701112233; 073-765 43 21", "25"],
        ["", "", "", "", "", ""],
        ["c2", "", "Lund", "Hej", "", ""],
        ["c3", "2026-01-05T21:00:00+01:00", "x" * 121, "Hej", "", ""],
        ["c1", "2026-01-06 21:00", "Lund", "igen", "", ""],
        ["c4", "2026-01-05T21:00:00Z", "Umeå", "Hej\x00då", "", ""],
        ["c5", "2026-01-05", " Kiruna ", "", "", "tjugo"],
        ["c6", "2026-01-05", "Luleå", "Hej", "", " 30 "],
    ]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows[:3])
    buf.write("   \r\n")
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows[3:])
    data = b"\xef\xbb\xbf" + buf.getvalue().encode()
    keys = ["id", "seen_at", "city", "text", "phones", "age"]
    parsed_csv = parse_csv(data, dict(zip(keys, rows[0], strict=True)))
    # a spreadsheet's empty row (";;;;;") is a blank line, as in JSON Lines
    as_json = _jsonl([dict(zip(keys, r, strict=True)) for r in rows[1:] if any(r)])
    parsed_json = parse_jsonl(as_json)
    assert parsed_csv.rows == parsed_json.rows
    assert [r["id"] for r in parsed_csv.rows] == _cli_ids(as_json) == ["c1", "c6"]
    assert parsed_csv.rows[0]["phones"] == ["0701112233", "073-765 43 21"]
    assert parsed_csv.rows[0]["age"] == 25 and parsed_csv.rows[1]["age"] == 30
    # the CSV line numbers count the header and the blank lines
    assert [n for n, _ in parsed_csv.errors] == [5, 6, 7, 8, 9]
    csv_msgs, json_msgs = [msg for _, msg in parsed_csv.errors], [msg for _, msg in parsed_json.errors]
    # a NUL in CSV is a raw byte, so the whole line is refused as a JSON line with a NUL byte is
    assert csv_msgs[3] == "raden innehåller ett NUL-tecken (nollbyte)"
    assert json_msgs[3] == "Annonstext innehåller ett NUL-tecken (\\u0000)"
    assert csv_msgs[:3] + csv_msgs[4:] == json_msgs[:3] + json_msgs[4:]
    assert csv_msgs[:3] == ["Sedd (datum och tid) saknas", "Ort har för många tecken (121, högst 120)",
                            "Id 'c1' är en dubblett: finns redan tidigare i filen"]
    # … in any column, also one that is not imported
    nul_elsewhere = b"id;seen_at;note\na;2026-01-05;x\x00y\nb;2026-01-05;ok\n"
    parsed = parse_csv(nul_elsewhere, {"id": "id", "seen_at": "seen_at"})
    assert [r["id"] for r in parsed.rows] == ["b"] and parsed.errors == [(2, "raden innehåller ett NUL-tecken (nollbyte)")]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_file_of_blank_lines_is_an_empty_file(alice, org_a, client_for, fmt):
    assert parse_jsonl(b"\n \n\t\r\n").errors == parse_jsonl(b"").errors == [(0, "filen innehåller inga annonser")]
    assert parse_csv(b"id;text\n\n  \n", {"id": "id"}).errors == [(0, "filen innehåller inga annonser")]
    c = client_for(alice, org_a)
    answers = []
    for data in (b"", b"\n  \n\t\r\n", b"\xef\xbb\xbf\n"):
        r = c.post(reverse("outreach:import_upload"), {"file_format": fmt, "file": SimpleUploadedFile(f"a.{fmt}", data)})
        assert r.status_code == 200
        answers.append(r.context["form"].errors["file"])
    assert answers[0] == answers[1] == answers[2]
    assert not ImportJob.objects.exists() and not Ad.objects.exists()


@pytest.mark.parametrize("chunk", [1000, 1])
@pytest.mark.parametrize("newest_first", [False, True])
def test_the_same_ad_twice_in_one_file_is_one_ad_with_both_sightings(alice, org_a, monkeypatch, chunk, newest_first):
    from uppsok.outreach import actions

    monkeypatch.setattr(actions, "IMPORT_CHUNK", chunk)  # 1: the two rows fall in different chunks
    twice = [
        {"id": "r1", "url": "https://rosasidan.ws/ad/7", "seen_at": "2026-01-02T20:00:00+01:00", "site": "rosasidan.ws",
         "city": "Malmö", "text": "Ny i stan", "phones": ["070-123 45 67"]},
        {"id": "r2", "url": "https://rosasidan.ws/ad/7", "seen_at": "2026-01-05T20:00:00+01:00", "site": "rosasidan.ws",
         "city": "Lund", "text": "Ny i stan", "phones": ["070-123 45 67"]},
    ]
    if newest_first:
        twice.reverse()
    parsed = parse_jsonl(_jsonl(twice))
    assert parsed.ok
    created, updated, ids = actions.do_import_ads(alice, org_a, parsed.rows)
    assert (created, updated, len(ids)) == (1, 0, 1)
    ad = Ad.objects.get(organisation=org_a)
    assert sorted(Sighting.objects.filter(ad=ad).values_list("city", flat=True)) == ["Lund", "Malmö"]
    assert (ad.first_seen.day, ad.last_seen.day) == (2, 5)
    assert ad.city == "Lund"  # what the ad said when last seen, whatever the order in the file


def test_a_newer_row_updates_the_ad_and_an_older_one_only_adds_its_sighting(alice, org_a):
    from uppsok.outreach import actions
    from uppsok.outreach.models import Platform

    first = {"id": "r1", "url": "https://rosasidan.ws/ad/9", "seen_at": "2026-01-05T20:00:00+01:00",
             "site": "rosasidan.ws", "city": "Malmö", "profile_name": "Mia", "text": "Ny i stan",
             "phones": ["070-123 45 67"]}
    actions.do_import_ads(alice, org_a, parse_jsonl(_jsonl([first])).rows)
    ad = Ad.objects.get(organisation=org_a)
    assert ad.platform_id is None
    platform = Platform.objects.create(organisation=org_a, name="Rosasidan", address="Rosasidan.ws")
    # the same address under other ids: the same ad, seen before and after
    older = dict(first, id="r0", seen_at="2026-01-01T20:00:00+01:00", city="Kiruna", profile_name="Old", text="Gammal")
    newer = dict(first, id="r2", seen_at="2026-01-09T20:00:00+01:00", city="Lund", profile_name="Mia  Rosa", age=24,
                 text="Nu i Lund", phones=["070-765 43 21"])
    parsed = parse_jsonl(_jsonl([older, newer]))
    assert parsed.ok
    created, updated, ids = actions.do_import_ads(alice, org_a, parsed.rows)
    assert (created, updated, ids) == (0, 1, [ad.pk])
    ad.refresh_from_db()
    assert (ad.city, ad.profile_name, ad.profile_key, ad.text, ad.stated_age) == ("Lund", "Mia  Rosa", "mia rosa",
                                                                                  "Nu i Lund", 24)
    assert (ad.first_seen.day, ad.last_seen.day) == (1, 9)
    assert sorted(ad.sightings.values_list("city", flat=True)) == ["Kiruna", "Lund", "Malmö"]
    assert sorted(ad.phones.values_list("e164", flat=True)) == ["+46701234567", "+46707654321"]
    assert ad.platform_id == platform.pk  # the site's platform, known since the first import
    assert ad.updated_at > ad.created_at
