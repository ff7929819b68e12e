"""The disk full while a file is written: the person is told so in the form, nothing is half-saved
(no row, no truncated file, no orphan of an earlier file of the same action), and `uppsok analyse`
leaves no partial output. The web's exports are built in memory and write no file."""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from tests.analysis.test_images import person, room
from tests.network.conftest import nora  # noqa: F401 - the network's coordinator, a fixture
from uppsok.core import files
from uppsok.core.errors import DiskFull
from uppsok.network.models import Resource
from uppsok.outreach.models import Ad, AdImage

MESSAGE = "Servern har inte plats att spara filen just nu (disken är full). Inget sparades."


@pytest.fixture
def disk(tmp_path):
    """Uploaded files go to a real directory through the project's storage."""
    media = tmp_path / "media"
    storages = {"default": {"BACKEND": "uppsok.core.files.AtomicFileSystemStorage", "OPTIONS": {"location": media}},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages, MEDIA_ROOT=media):
        yield media


def _full_after(monkeypatch, good_files: int, good_bytes: int = 100) -> None:
    """The storage's writes succeed for `good_files` files; the next one gets `good_bytes` onto the
    disk and then ENOSPC."""
    real_fdopen = os.fdopen
    opened = {"n": 0}

    class Full(io.RawIOBase):
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            self.fh.write(bytes(data[:good_bytes]))
            self.fh.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    def fdopen(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)
        opened["n"] += 1
        return fh if opened["n"] <= good_files else Full(fh)

    monkeypatch.setattr(files.os, "fdopen", fdopen)


def _left(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []


def test_the_storage_writes_whole_files_or_none(disk, monkeypatch):
    storage = files.AtomicFileSystemStorage(location=disk)
    assert storage.open(storage.save("a/first.txt", ContentFile(b"x" * 5000))).read() == b"x" * 5000
    # the same name again gets a name of its own, never overwrites
    second = storage.save("a/first.txt", ContentFile(b"y"))
    assert second != "a/first.txt" and storage.open("a/first.txt").read() == b"x" * 5000
    _full_after(monkeypatch, good_files=0)
    with pytest.raises(DiskFull) as raised:
        storage.save("a/third.txt", ContentFile(b"z" * 5000))
    assert MESSAGE in str(raised.value)
    assert _left(disk) == sorted(["a/first.txt", second])


def test_a_full_disk_during_a_capture_with_photos_is_a_form_error_and_saves_nothing(
    alice, org_a, client_for, disk, monkeypatch,
):
    org_a.keep_ad_images = True
    org_a.save()
    photos = []
    for n in (51, 52):
        buf = io.BytesIO()
        Image.fromarray(person(room(n), n)).save(buf, "JPEG")
        photos.append(SimpleUploadedFile(f"bild{n}.jpg", buf.getvalue(), content_type="image/jpeg"))
    # the first photo is written, the second finds the disk full
    _full_after(monkeypatch, good_files=1)
    response = client_for(alice, org_a).post(reverse("outreach:ad_capture"), {
        "url": "https://rosasidan.ws/ad/1", "site": "rosasidan.ws", "city": "Malmö", "profile_name": "Profil",
        "text": "Ny i stan", "photos": photos,
    })
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Ad.objects.exists() and not AdImage.objects.exists()
    assert _left(disk) == []  # nor the first photo, whose row was rolled back


def test_a_full_disk_during_a_knowledge_bank_upload_is_a_form_error_and_saves_nothing(
    client_for, nora, network, disk, monkeypatch,  # noqa: F811 - the fixture imported above
):
    _full_after(monkeypatch, good_files=0)
    pdf = SimpleUploadedFile("rutin.pdf", b"%PDF-1.4 " + b"r" * 10_000, content_type="application/pdf")
    response = client_for(nora).post(reverse("network:knowledge_bank", kwargs={"network_id": network.pk}),
                                     {"title": "Rutin för hotell", "file": pdf, "category": "tool"})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Resource.objects.exists()
    assert _left(disk) == []


def test_a_full_disk_during_uppsok_analyse_leaves_the_earlier_output_and_no_partial_file(tmp_path, monkeypatch, capsys):
    from uppsok.analysis import cli, engine

    src = tmp_path / "ads.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"a{n}", "seen_at": "2026-01-02T20:00:00+01:00", "site": "s",
                                         "text": f"Annons nummer {n}", "phones": [f"070-100 00 {n:02d}"]})
                             for n in range(20)) + "\n")
    out = tmp_path / "out.jsonl"
    assert cli.main([str(src), "-o", str(out), "--no-images", "--quiet", "--workers", "1"]) == 0
    earlier = out.read_bytes()
    assert earlier.count(b"\n") == 20
    real = engine._write_part

    def full(corpus, links, fh, part):
        fh.write(b'{"id": "a0", "half')
        fh.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(engine, "_write_part", full)
    assert cli.main([str(src), "-o", str(out), "--no-images", "--quiet", "--workers", "1"]) == 2
    assert "disken är full – inget skrevs" in capsys.readouterr().err
    assert out.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ads.jsonl", "out.jsonl"]
    # and to a new file: none is made
    monkeypatch.setattr(engine, "_write_part", full)
    assert cli.main([str(src), "-o", str(tmp_path / "new.jsonl"), "--no-images", "--quiet", "--workers", "1"]) == 2
    assert not (tmp_path / "new.jsonl").exists()
    monkeypatch.setattr(engine, "_write_part", real)
