"""After the purge, nothing of a person is left: a full database dump holds none of the text of any
kind of personal data, and no photo is left in storage."""

from __future__ import annotations

import datetime
import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from tests.cases.conftest import make_case
from uppsok.cases.models import Case
from uppsok.core import retention
from uppsok.outreach import actions
from uppsok.outreach.models import Ad, AdImage, AdTextFeature, Contact, ImportJob, NetworkContactMark

pytestmark = pytest.mark.django_db

# Recognisable words for every kind of personal data, each found nowhere else in a fresh database.
MARKS = {
    "ad_text": "Annonstextqzx",
    "ad_title": "Rubrikqzx",
    "ad_url": "annonsadressqzx",
    "profile": "Profilnamnqzx",
    "phone_e164": "+46701987654",
    "contact_note": "Kontaktanteckningqzx",
    "tip": "Tipstextqzx",
    "incident": "Incidenttextqzx",
    "incident_follow_up": "Uppfoljningqzx",
    "risk": "Riskbedomningqzx",
    "risk_place": "Motesplatsqzx",
    "shift": "Passanteckningqzx",
    "import_raw": "Importfilqzx",
    "import_payload": "Importradqzx",
    "case_alias": "Aliasqzx",
    "case_note": "Insatsanteckningqzx",
}


def _photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buf, "JPEG")
    return buf.getvalue()


def _dump() -> str:
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_purged_personal_data_leaves_no_trace_in_a_dump_or_in_storage(
    alice, bob, org_a, network, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    org_a.keep_ad_images = True
    org_a.save()
    m = MARKS
    ad, _ = actions.do_capture_ad(alice, org_a, {
        "title": m["ad_title"], "text": f"{m['ad_text']} ny i stan, gör allt. 500 kr/h.", "profile_name": m["profile"],
        "phone": "070-198 76 54", "url": f"https://rosasidan.ws/{m['ad_url']}", "site": "rosasidan.ws",
        "city": "Malmö",
    }, images=[SimpleUploadedFile("bild.jpg", _photo(), content_type="image/jpeg")])
    photo_files = _files(tmp_path)
    assert len(photo_files) == 1 and AdImage.objects.get(ad=ad).image
    photo_bytes = photo_files[0].read_bytes()
    # "no further contact": a kontaktspärr on the number and profile, and a mark in the network
    actions.do_log_contact(alice, org_a, ad, {
        "channel": "sms", "contacted_at": timezone.now(), "notes": m["contact_note"],
        "response": Contact.Response.NO_FURTHER, "block_months": 1,
    })
    actions.do_create_tip(alice, org_a, kind="orosanmalan", text=m["tip"], ad=ad)
    actions.do_save_risk_assessment(alice, org_a, {"notes": m["risk"], "place": m["risk_place"], "ad": ad})
    shift = actions.do_start_shift(alice, org_a, [], [], notes=m["shift"])
    actions.do_save_incident(alice, org_a, {"occurred_at": timezone.now(), "description": m["incident"],
                                            "follow_up": m["incident_follow_up"], "shift": shift})
    actions.do_create_import_job(alice, org_a, "jsonl", "annonser.jsonl",
                                 [{"id": "x1", "text": m["import_payload"]}], raw=m["import_raw"])
    case = make_case(org_a, bob, alias=m["case_alias"], source_ad=ad)
    from uppsok.cases.models import SupportActivity

    SupportActivity.objects.create(organisation=org_a, case=case, kind="support_conversation", duration_minutes=30,
                                   note=m["case_note"], date=timezone.localdate())
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=timezone.localdate())
    assert AdTextFeature.objects.filter(ad=ad).exists()
    marks = list(NetworkContactMark.objects.values_list("digest", flat=True))
    assert marks

    before = _dump()
    for name, text in m.items():
        assert text in before, name  # the check below can see each kind while it is there

    # every period has ended
    on = retention.add_months(timezone.localdate(), 12 * 30)
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = retention.run(on, organisations=[org_a])
    assert {o.rule.key for o in outcomes if o.rows} >= {
        "ads", "contacts", "tips", "risk_assessments", "incidents", "shifts", "import_jobs", "do_not_contact",
        "closed_cases"}

    after = _dump()
    for name, text in m.items():
        assert text not in after, name
    for digest in marks:
        assert digest not in after
    assert "701987654" not in after
    assert not Ad.objects.filter(organisation=org_a).exists()
    assert not AdTextFeature.objects.filter(organisation=org_a).exists()
    assert not ImportJob.objects.filter(organisation=org_a).exists()
    # the photo is gone from storage, not only its row
    assert all(p.read_bytes() != photo_bytes for p in _files(tmp_path))
    assert not (tmp_path / "outreach" / "ads" / str(org_a.pk)).exists() or not any(
        (tmp_path / "outreach" / "ads" / str(org_a.pk)).iterdir())


def test_a_photo_left_behind_by_a_crash_is_swept(org_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    folder = tmp_path / "outreach" / "ads" / str(org_a.pk)
    folder.mkdir(parents=True)
    orphan, fresh = folder / "orphan.jpg", folder / "fresh.jpg"
    orphan.write_bytes(_photo())
    fresh.write_bytes(_photo())
    old = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    import os

    os.utime(orphan, (old, old))
    counts = retention.rule("ads").purge(org_a, timezone.localdate())
    assert counts["orphan_files"] == 1
    # a photo younger than a day may belong to a capture still being saved
    assert not orphan.exists() and fresh.exists()
