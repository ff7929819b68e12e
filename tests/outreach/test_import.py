from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

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
    assert "ogiltig JSON" in page and "seen_at är inte ett datum" in page
    c.post(reverse("outreach:import_start", kwargs={"job_id": job.pk}))
    assert not Ad.objects.exists()


def test_failure_during_import_rolls_back(alice, org_a, monkeypatch):
    from uppsok.outreach import actions
    from uppsok.outreach.imports import parse_jsonl

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
