"""Text from outside that tries to mislead the reader or break the database.

A title with a right-to-left override must not display reordered (a phone number after it would read
backwards), in pages, CSV exports or PDFs; a NUL byte in an upload is refused with a clear message
before anything is stored.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF

from uppsok.core.display import BIDI_CONTROLS, neutralise_bidi
from uppsok.core.exports import safe_csv_cell
from uppsok.core.pdf import new_document
from uppsok.outreach import actions
from uppsok.outreach.imports import parse_csv, parse_jsonl
from uppsok.outreach.models import Ad, ImportJob

RLO_TITLE = "Anna\u202egnp.exe 0701234567"


@pytest.fixture
def rlo_ad(alice, org_a):
    ad, _ = actions.do_capture_ad(
        alice,
        org_a,
        {"title": RLO_TITLE, "text": "Ny i stan \u2067070\u2069 \u200f-123", "phone": "070-123 45 67",
         "city": "Malmö", "site": "rosasidan.ws", "profile_name": "Bella\u202d", "url": "https://rosasidan.ws/ad/1"},
    )
    return ad


def test_neutralise_replaces_every_control_with_a_visible_code():
    assert neutralise_bidi("Anna\u202egnp.exe") == "Anna[U+202E]gnp.exe"
    assert all(ch not in neutralise_bidi("x" + BIDI_CONTROLS) for ch in BIDI_CONTROLS)
    assert neutralise_bidi("Åsa ringer 070-123 45 67") == "Åsa ringer 070-123 45 67"


def test_pages_show_no_raw_bidi_controls(alice, org_a, client_for, rlo_ad):
    c = client_for(alice, org_a)
    for url in (
        reverse("outreach:ad_detail", kwargs={"ad_id": rlo_ad.pk}),
        reverse("outreach:ad_list"),
        reverse("outreach:ad_group", kwargs={"ad_id": rlo_ad.pk}),
    ):
        r = c.get(url)
        assert r.status_code == 200, url
        page = r.content.decode()
        assert not any(ch in page for ch in BIDI_CONTROLS), url
        assert int(r.get("Content-Length", len(r.content))) == len(r.content)
    page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": rlo_ad.pk})).content.decode()
    assert "Anna[U+202E]gnp.exe" in page
    # The stored title is untouched evidence.
    assert Ad.objects.get(pk=rlo_ad.pk).title == RLO_TITLE


def test_csv_export_neutralises_bidi_controls(alice, org_a, client_for, rlo_ad):
    assert safe_csv_cell("=1+\u202e2") == "'=1+[U+202E]2"
    r = client_for(alice, org_a).get(reverse("outreach:ad_export"))
    text = b"".join(r.streaming_content).decode() if r.streaming else r.content.decode()
    assert not any(ch in text for ch in BIDI_CONTROLS)
    assert "Anna[U+202E]gnp.exe" in text


def test_pdf_text_is_neutralised():
    pdf = new_document("Tips")
    assert isinstance(pdf, FPDF)
    assert pdf.normalize_text(RLO_TITLE) == "Anna[U+202E]gnp.exe 0701234567"


def test_nul_byte_in_csv_upload_is_refused_and_nothing_stored(alice, org_a, client_for):
    c = client_for(alice, org_a)
    data = "id;text;phones\nx1;Hej\x00då;0701234567\n".encode()
    r = c.post(reverse("outreach:import_upload"), {"file_format": "csv", "file": SimpleUploadedFile("ads.csv", data)})
    assert r.status_code == 200
    assert "NUL-tecken" in r.content.decode() and "rad 2" in r.content.decode()
    assert not ImportJob.objects.exists() and not Ad.objects.exists()


def test_nul_byte_in_jsonl_upload_is_refused(alice, org_a, client_for):
    c = client_for(alice, org_a)
    data = b'{"id": "a", "text": "hej"}\n{"id": "b", "text": "d\x00a"}\n'
    r = c.post(reverse("outreach:import_upload"), {"file_format": "jsonl", "file": SimpleUploadedFile("a.jsonl", data)})
    assert "NUL-tecken" in r.content.decode()
    assert not ImportJob.objects.exists()


def test_escaped_nul_in_a_json_field_is_a_row_error_not_a_silent_edit():
    rows = [{"id": "a", "text": "d\u0000a"}, {"id": "b", "text": "ok", "phones": ["070\u00001234567"]}]
    parsed = parse_jsonl("\n".join(json.dumps(r) for r in rows).encode())
    assert not parsed.rows
    assert [n for n, _ in parsed.errors] == [1, 2]
    assert all("NUL" in msg for _, msg in parsed.errors)


def test_parse_csv_refuses_raw_nul_even_past_the_form():
    buf = io.StringIO()
    csv.writer(buf).writerows([["id", "text"], ["a", "x\x00y"]])
    parsed = parse_csv(buf.getvalue().encode(), {"id": "id", "text": "text"})
    assert not parsed.ok and not parsed.rows
