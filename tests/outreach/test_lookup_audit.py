"""Looking at or searching for a person in the outreach pages leaves a row in the audit log."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uppsok.audit.log import keyed_digest
from uppsok.audit.models import AuditEvent
from uppsok.outreach.models import ImportJob


def test_prefilled_block_form_is_a_view_of_the_ad(alice, org_a, make_ad, client_for):
    ad = make_ad(phone="070-222 33 44")
    c = client_for(alice, org_a)
    before = AuditEvent.objects.filter(action="view", object_id=str(ad.pk)).count()
    page = c.get(reverse("outreach:dnc_add") + f"?annons={ad.pk}").content.decode()
    assert "+46702223344" in page
    assert AuditEvent.objects.filter(action="view", object_id=str(ad.pk)).count() == before + 1


def test_searches_by_number_or_name_are_logged_as_digests_with_results(alice, org_a, make_ad, client_for):
    make_ad(phone="070-222 33 44", profile_name="Anna")
    c = client_for(alice, org_a)
    c.get(reverse("outreach:ad_list") + "?q=070-222+33+44")
    c.get(reverse("outreach:ad_list") + "?q=Nobody")
    rows = {r.object_id: r for r in AuditEvent.objects.filter(action="search")}
    assert set(rows) == {"ad_phone", "ad_profile"}
    assert rows["ad_phone"].detail == f"kind=ad_phone;term={keyed_digest('+46702223344', purpose='search')};results=1"
    assert rows["ad_profile"].detail.endswith(";results=0")
    assert all(r.organisation_id == org_a.pk and "46702223344" not in r.detail for r in rows.values())


def test_export_of_a_search_is_logged_as_the_search(alice, org_a, make_ad, client_for):
    make_ad(phone="070-222 33 44")
    client_for(alice, org_a).get(reverse("outreach:ad_export") + "?q=0702223344")
    assert AuditEvent.objects.filter(action="search", object_id="ad_phone").count() == 1
    assert AuditEvent.objects.filter(action="export", object_type="outreach.ad").count() == 1


def test_import_preview_is_a_view(alice, org_a, client_for):
    row = {"id": "p1", "seen_at": "2026-01-02T20:00:00+01:00", "site": "rosasidan.ws", "city": "Malmö",
           "profile_name": "Förhandsprofil", "text": "Ny i stan", "phones": ["070-123 45 67"]}
    c = client_for(alice, org_a)
    c.post(reverse("outreach:import_upload"),
           {"file_format": "jsonl", "file": SimpleUploadedFile("ads.jsonl", json.dumps(row).encode())})
    job = ImportJob.objects.get()
    page = c.get(reverse("outreach:import_job", kwargs={"job_id": job.pk})).content.decode()
    assert "Förhandsprofil" in page
    assert AuditEvent.objects.filter(action="view", object_id=str(job.pk)).count() == 1
    # the progress that the page polls for shows no row of the file and is not a view
    c.post(reverse("outreach:import_start", kwargs={"job_id": job.pk}))
    c.get(reverse("outreach:import_job", kwargs={"job_id": job.pk}), HTTP_HX_REQUEST="true")
    assert AuditEvent.objects.filter(action="view", object_id=str(job.pk)).count() == 1
