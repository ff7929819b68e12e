"""Photos of ads: the engine analyses them (features on AdImage), the adapter hands the features
back to the engine and stores its `face_visible` / `same_place_photos` indicators and `same_image`
links; the organisation's own photos only.

The photos are drawn with the engine tests' helpers (a room, a person in it, a re-upload); the face
is the astronaut portrait that ships inside the scikit-image wheel.
"""

from __future__ import annotations

import importlib
import io
import itertools
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from tests.analysis.test_images import _packaged_face, _png_header, person, reupload, room
from tests.factories import make_user
from uppsok.accounts.models import Role
from uppsok.analysis import analyse_ads
from uppsok.analysis.images import analyse_image
from uppsok.analysis.linking import BACKGROUND_MAX_HAMMING, IMAGE_MAX_HAMMING
from uppsok.outreach import analysis_adapter, forms
from uppsok.outreach.models import Ad, AdImage, AdIndicator, AdLink, ImportJob


def jpeg(a: np.ndarray, quality: int = 92) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def reencoded(data: bytes, tmp_path: Path) -> bytes:
    """The same photo as another site shows it: resized, a sliver cropped, JPEG at quality 60."""
    (tmp_path / "src.jpg").write_bytes(data)
    reupload(tmp_path / "src.jpg", tmp_path / "dst.jpg", quality=60)
    return (tmp_path / "dst.jpg").read_bytes()


def face_jpeg() -> bytes:
    with Image.open(_packaged_face()) as im:
        buf = io.BytesIO()
        im.convert("RGB").resize((400, 400)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def upload(data: bytes, name: str = "bild.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


_WORDS = ("glad lugn snäll mysig sportig kurvig smal lång kort rolig social nyfiken varm ärlig spontan romantisk "
          "busig naturlig träning promenader mat vin resor film musik skogen dans böcker yoga spa konst hästar "
          "havet middag sällskap kväll massage umgänge").split()


def wording(n: int) -> str:
    """Text of its own for ad n, so that the text cannot link two ads."""
    return f"Hej, jag heter Namn{n}. " + " ".join(np.random.default_rng(n).choice(_WORDS, 14)) + "."


def capture(client, n: int, photos: list[bytes], **fields: str):
    """An ad of its own profile, number and wording, so only its photos can link it to another."""
    data = {"url": f"https://rosasidan.ws/ad/{n}", "site": "rosasidan.ws", "city": "Malmö",
            "profile_name": f"Profil{n}", "phone": f"070-{n:03d} 12 {n % 90 + 10}",
            "text": wording(n)}
    data.update(fields)
    data["photos"] = [upload(p, f"bild{n}-{k}.jpg") for k, p in enumerate(photos)]
    return client.post(reverse("outreach:ad_capture"), data)


def ad_of(org, n: int) -> Ad:
    return Ad.objects.get(organisation=org, url=f"https://rosasidan.ws/ad/{n}")


def auto_codes(ad: Ad) -> dict[str, str]:
    return dict(ad.indicators.filter(source=AdIndicator.Source.AUTO).values_list("code", "evidence"))


def link_reasons(a: Ad, b: Ad) -> list[str] | None:
    link = AdLink.objects.filter(from_ad=a, to_ad=b).first()
    return None if link is None else link.reasons


@pytest.fixture
def bob_b(org_b):
    """Bob: an outreach worker in the other organisation."""
    return make_user("bob-b", org_b, [Role.OUTREACH])


# --- the engine takes stored features as it takes files ------------------------------------------


def test_engine_features_give_the_same_results_as_the_photo_files(tmp_path):
    r1 = room(31)
    files = {
        "orig.jpg": jpeg(person(r1, 1)),
        "other_woman.jpg": jpeg(person(r1, 2, light=False)),
        "face.jpg": face_jpeg(),
        "unrelated.jpg": jpeg(person(room(32), 3)),
    }
    files["copy.jpg"] = reencoded(files["orig.jpg"], tmp_path)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    layout = [["orig.jpg"], ["copy.jpg", "face.jpg"], ["other_woman.jpg"], ["unrelated.jpg"]]
    ads = [{"id": f"a{i}", "seen_at": "2026-03-01T20:00:00+01:00", "site": "s", "profile_name": f"p{i}",
            "text": f"annons nummer {i}"} for i in range(len(layout))]
    by_path = analyse_ads([dict(ad, images=names) for ad, names in zip(ads, layout, strict=True)],
                          base_dir=tmp_path)

    def feats(name: str) -> dict:
        f = analyse_image(tmp_path / name, name)
        return {"phash": f"{f.phash:016x}", "bghash": f"{f.bghash:016x}", "face": f.face, "name": name}

    by_features = analyse_ads([dict(ad, image_features=[feats(n) for n in names])
                               for ad, names in zip(ads, layout, strict=True)])
    assert by_features == by_path
    # …and the photos did decide something: a link, a room, a face
    assert by_path[0]["links"] == [{"id": "a1", "reasons": ["same_image"]}]
    codes = {r["id"]: {i["code"] for i in r["indicators"]} for r in by_path}
    assert "same_place_photos" in codes["a2"] and "face_visible" in codes["a1"]
    assert "face_visible" not in codes["a0"] and codes["a3"].isdisjoint({"same_place_photos", "face_visible"})


@pytest.mark.parametrize("bad", [{"phash": "-1", "bghash": "0"}, {"phash": "zz", "bghash": "1"}, "x",
                                 {"phash": "f" * 17, "bghash": "1"}, {"phash": "1", "bghash": "1", "face": "yes"}])
def test_engine_refuses_a_row_with_malformed_features(bad):
    # machine-made features that do not parse are a damaged row, refused the same way by the
    # command line, analyse_ads and the web import (rows.validate_row)
    ad = {"id": "a", "seen_at": "2026-03-01T20:00:00+01:00", "text": "hej", "image_features": [bad]}
    (row,) = analyse_ads([ad])
    assert "image_features" in row["error"]


def test_hash_bands_cover_the_engine_distance():
    # the bands the adapter stores cover the engine's distance (pigeonhole)
    assert len(analysis_adapter.HASH_BANDS) > max(IMAGE_MAX_HAMMING, BACKGROUND_MAX_HAMMING)
    bands = analysis_adapter.HASH_BANDS
    assert bands[0][0] == 0 and bands[-1][1] == 64 and all(a[1] == b[0] for a, b in itertools.pairwise(bands))


# --- capture through the web form ------------------------------------------------------------------


def test_captured_photo_keeps_the_engines_features_not_the_photo(alice, org_a, client_for, tmp_path):
    data = jpeg(person(room(40), 40))
    r = capture(client_for(alice, org_a), 1, [data])
    assert r.status_code == 302, r.content.decode()[:2000]
    img = AdImage.objects.get(ad=ad_of(org_a, 1))
    (tmp_path / "p.jpg").write_bytes(data)
    f = analyse_image(tmp_path / "p.jpg", "p.jpg")
    assert (img.phash, img.bghash, img.face) == (f"{f.phash:016x}", f"{f.bghash:016x}", False)
    assert [img.ph0, img.ph1, img.ph2, img.ph3, img.ph4] == analysis_adapter.hash_bands(img.phash)
    assert [img.bg0, img.bg1, img.bg2, img.bg3, img.bg4] == analysis_adapter.hash_bands(img.bghash)
    assert not img.image  # the organisation does not keep photos


def test_photo_kept_when_the_organisation_keeps_photos_without_metadata(alice, org_a, client_for):
    org_a.keep_ad_images = True
    org_a.save()
    exif = Image.Exif()
    exif[0x010F] = "Kamerafabriken"  # Make
    buf = io.BytesIO()
    Image.fromarray(person(room(41), 41)).save(buf, "JPEG", exif=exif)
    assert capture(client_for(alice, org_a), 1, [buf.getvalue()]).status_code == 302
    img = AdImage.objects.get(ad=ad_of(org_a, 1))
    assert img.image and img.phash
    with img.image.open("rb") as fh, Image.open(fh) as im:
        assert not im.getexif()


def test_reencoded_photo_in_another_profile_links_same_image_and_same_place(alice, org_a, client_for, tmp_path):
    c = client_for(alice, org_a)
    orig = jpeg(person(room(42), 42))
    copy = reencoded(orig, tmp_path)
    assert capture(c, 1, [orig]).status_code == 302
    assert capture(c, 2, [copy]).status_code == 302
    a1, a2 = ad_of(org_a, 1), ad_of(org_a, 2)
    h1, h2 = (int(AdImage.objects.get(ad=a).phash, 16) for a in (a1, a2))
    # not the same bytes or hash: only the engine's near-duplicate matching finds it
    assert h1 != h2 and (h1 ^ h2).bit_count() <= IMAGE_MAX_HAMMING
    assert link_reasons(a2, a1) == ["same_image"] and link_reasons(a1, a2) == ["same_image"]
    assert "profil1" in auto_codes(a2)["same_place_photos"].casefold()  # the evidence names the other ad
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert a1.group_key and a1.group_key == a2.group_key
    page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": a2.pk})).content.decode()
    assert "samma bild" in page and "Bilder tagna på samma plats för flera profiler" in page


def test_same_room_different_person_is_same_place_not_same_image(alice, org_a, client_for):
    c = client_for(alice, org_a)
    r = room(43)
    assert capture(c, 1, [jpeg(person(r, 143, light=True))]).status_code == 302
    assert capture(c, 2, [jpeg(person(r, 243, light=False), quality=75)]).status_code == 302
    a1, a2 = ad_of(org_a, 1), ad_of(org_a, 2)
    assert link_reasons(a2, a1) is None
    assert "profil1" in auto_codes(a2)["same_place_photos"].casefold()
    page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": a2.pk})).content.decode()
    assert "Bilder tagna på samma plats för flera profiler" in page and "samma bild" not in page


def test_face_visible_from_the_engine(alice, org_a, client_for):
    c = client_for(alice, org_a)
    assert capture(c, 1, [jpeg(room(44)), face_jpeg()]).status_code == 302
    assert capture(c, 2, [jpeg(person(room(45), 45))]).status_code == 302
    a1, a2 = ad_of(org_a, 1), ad_of(org_a, 2)
    assert list(AdImage.objects.filter(ad=a1).order_by("pk").values_list("face", flat=True)) == [False, True]
    assert "face_visible" in auto_codes(a1) and "face_visible" not in auto_codes(a2)
    page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": a1.pk})).content.decode()
    assert "Ansiktet syns på bilderna" in page


def test_old_photo_found_through_its_bands_not_only_recent_ads(alice, org_a, client_for, tmp_path):
    """No recent ads are taken in as context: the old ad comes in only because a band of its photo matches."""
    c = client_for(alice, org_a)
    orig = jpeg(person(room(46), 46))
    assert capture(c, 1, [orig]).status_code == 302
    assert capture(c, 2, [jpeg(person(room(47), 47))]).status_code == 302
    assert capture(c, 3, [reencoded(orig, tmp_path)]).status_code == 302
    a1, a2, a3 = ad_of(org_a, 1), ad_of(org_a, 2), ad_of(org_a, 3)
    assert link_reasons(a3, a1) == ["same_image"]
    assert link_reasons(a3, a2) is None and link_reasons(a2, a1) is None


def test_other_organisation_with_the_identical_photo_gets_no_link(alice, org_a, bob_b, org_b, client_for):
    photo = jpeg(person(room(48), 48))
    alice_c, bob_c = client_for(alice, org_a), client_for(bob_b, org_b)
    assert capture(alice_c, 1, [photo]).status_code == 302
    assert capture(bob_c, 2, [photo]).status_code == 302
    alices, bobs = ad_of(org_a, 1), ad_of(org_b, 2)
    assert AdImage.objects.get(ad=alices).phash == AdImage.objects.get(ad=bobs).phash
    assert not AdLink.objects.filter(from_ad__in=[alices, bobs], to_ad__in=[alices, bobs]).exists()
    assert "same_place_photos" not in auto_codes(bobs) and "same_place_photos" not in auto_codes(alices)
    bobs.refresh_from_db()
    assert not bobs.group_key
    assert bob_c.get(reverse("outreach:ad_detail", kwargs={"ad_id": alices.pk})).status_code == 404
    assert str(alices.pk) not in bob_c.get(reverse("outreach:ad_detail", kwargs={"ad_id": bobs.pk})).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a photo at all", "är inte en bild som kan läsas"),
        (_png_header(9_000, 9_000), "har för många bildpunkter"),
        (_png_header(100_000, 100_000), "har för många bildpunkter"),
    ],
)
def test_non_photo_or_bomb_is_refused_and_nothing_saved(alice, org_a, client_for, data, message):
    c = client_for(alice, org_a)
    good = jpeg(person(room(49), 49))
    r = capture(c, 1, [good, data])
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not Ad.objects.exists() and not AdImage.objects.exists()


# --- manual photo indicators --------------------------------------------------------------------


def test_photo_indicators_can_be_added_by_hand(alice, org_a, client_for):
    codes = dict(forms.ManualIndicatorForm().fields["code"].choices)
    assert {"face_visible", "same_place_photos"} <= set(codes)
    c = client_for(alice, org_a)
    assert capture(c, 1, []).status_code == 302
    ad = ad_of(org_a, 1)
    url = reverse("outreach:ad_indicators", kwargs={"ad_id": ad.pk})
    for code in ("face_visible", "same_place_photos"):
        c.post(url, {"code": code, "evidence": "Syns på bilderna i annonsen / seen in the ad's photos"})
    manual = set(ad.indicators.filter(source=AdIndicator.Source.MANUAL).values_list("code", flat=True))
    assert manual == {"face_visible", "same_place_photos"}
    page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})).content.decode()
    assert "Ansiktet syns på bilderna" in page and "Bilder tagna på samma plats för flera profiler" in page


def test_band_columns_cut_the_hash_as_the_engine_reads_it():
    fields = analysis_adapter.image_fields("00000000000000ff", "8000000000000001", True)
    assert (fields["ph0"], fields["ph1"], fields["ph4"]) == (0xFF, 0, 0)
    assert (fields["bg0"], fields["bg4"]) == (1, 1 << 11)
    assert analysis_adapter.hash_bands("") == [None] * 5


# --- import with photos (the command line import: JSON Lines plus the photos it names) ------------


def write_import(tmp_path: Path, photos: dict[str, bytes], layout: list[list[str]]) -> Path:
    """A JSON Lines file whose ads name photos by paths relative to it, as `uppsok analyse` reads them."""
    folder = tmp_path / "import"
    (folder / "bilder").mkdir(parents=True, exist_ok=True)
    for name, data in photos.items():
        (folder / "bilder" / name).write_bytes(data)
    lines = []
    for n, names in enumerate(layout, start=1):
        lines.append(json.dumps({
            "id": f"imp-{n}", "url": f"https://rosasidan.ws/ad/{n}", "seen_at": "2026-03-01T20:00:00+01:00",
            "site": "rosasidan.ws", "city": "Malmö", "profile_name": f"Profil{n}", "phones": [f"070-{n:03d} 55 {n + 10}"],
            "text": wording(n), "images": [f"bilder/{x}" for x in names],
        }, ensure_ascii=False))
    path = folder / "annonser.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def import_file(tmp_path: Path) -> Path:
    r = room(60)
    orig = jpeg(person(r, 60, light=True))
    photos = {"orig.jpg": orig, "copy.jpg": reencoded(orig, tmp_path), "face.jpg": face_jpeg(),
              "same_room.jpg": jpeg(person(r, 160, light=False)), "other.jpg": jpeg(person(room(61), 61))}
    return write_import(tmp_path, photos, [["orig.jpg"], ["copy.jpg", "face.jpg"], ["same_room.jpg"], ["other.jpg"]])


def test_imported_photos_give_the_engines_indicators_and_links(org_a, alice, client_for, import_file):
    call_command("import_ads", str(import_file), organisation=org_a.slug, stdout=io.StringIO())
    a1, a2, a3, a4 = (ad_of(org_a, n) for n in (1, 2, 3, 4))
    orig = analyse_image(import_file.parent / "bilder" / "orig.jpg", "orig.jpg")
    img = AdImage.objects.get(ad=a1)
    assert (img.phash, img.bghash) == (f"{orig.phash:016x}", f"{orig.bghash:016x}") and not img.image
    assert link_reasons(a2, a1) == ["same_image"] and link_reasons(a1, a2) == ["same_image"]
    assert "face_visible" in auto_codes(a2) and "face_visible" not in auto_codes(a1)
    assert "same_place_photos" in auto_codes(a3) and link_reasons(a3, a1) is None
    assert not AdLink.objects.filter(from_ad=a4).exists() and "same_place_photos" not in auto_codes(a4)
    page = client_for(alice, org_a).get(reverse("outreach:ad_detail", kwargs={"ad_id": a2.pk})).content.decode()
    assert "samma bild" in page and "Ansiktet syns på bilderna" in page
    # the same file again: a new sighting, not a second copy of each photo
    call_command("import_ads", str(import_file), organisation=org_a.slug, stdout=io.StringIO())
    assert AdImage.objects.filter(ad=a2).count() == 2


def test_the_same_import_in_another_organisation_links_nothing_across(org_a, org_b, bob_b, client_for,
                                                                       import_file):
    call_command("import_ads", str(import_file), organisation=org_a.slug, stdout=io.StringIO())
    call_command("import_ads", str(import_file), organisation=org_b.slug, stdout=io.StringIO())
    alices, bobs = ad_of(org_a, 1), ad_of(org_b, 2)
    # each organisation's own copies link among themselves, never across
    assert link_reasons(bobs, ad_of(org_b, 1)) == ["same_image"]
    assert not AdLink.objects.filter(from_ad__organisation=org_b, to_ad__organisation=org_a).exists()
    assert not AdLink.objects.filter(from_ad__organisation=org_a, to_ad__organisation=org_b).exists()
    assert link_reasons(bobs, alices) is None
    bob_c = client_for(bob_b, org_b)
    assert bob_c.get(reverse("outreach:ad_detail", kwargs={"ad_id": alices.pk})).status_code == 404


def test_import_with_a_missing_or_broken_photo_saves_nothing(org_a, tmp_path):
    good = jpeg(person(room(62), 62))
    path = write_import(tmp_path, {"good.jpg": good, "broken.jpg": good[: len(good) // 3],
                                   "bomb.png": _png_header(100_000, 100_000)},
                        [["good.jpg"], ["missing.jpg"], ["broken.jpg"], ["bomb.png"], ["../../utanfor.jpg"]])
    err = io.StringIO()
    with pytest.raises(CommandError, match="inget sparades"):
        call_command("import_ads", str(path), organisation=org_a.slug, stdout=io.StringIO(), stderr=err)
    msgs = err.getvalue()
    assert "rad 2: Bilden bilder/missing.jpg finns inte." in msgs
    assert "rad 3: Filen bilder/broken.jpg är inte en bild som kan läsas" in msgs
    assert "rad 4: Bilden bilder/bomb.png har för många bildpunkter" in msgs
    assert "rad 5: bilden bilder/../../utanfor.jpg ligger utanför filens mapp" in msgs
    assert not Ad.objects.exists() and not AdImage.objects.exists()


# --- photos stored before the engine analysed them ------------------------------------------------


def test_migration_gives_stored_photos_engine_features_and_bands(org_a, make_ad):
    migration = importlib.import_module("uppsok.outreach.migrations.0007_ad_image_features_bands")
    ad = make_ad()
    face = face_jpeg()
    kept = AdImage(ad=ad, organisation=org_a, phash="0123456789abcdef", bghash="fedcba9876543210", face=False)
    kept.image.save("photo.jpg", ContentFile(face), save=False)
    kept.save()
    hashed_only = AdImage.objects.create(ad=ad, organisation=org_a, phash="00000000000000ff", bghash="")
    migration.fill_bands(apps, None)
    kept.refresh_from_db()
    hashed_only.refresh_from_db()
    f = analyse_image(io.BytesIO(face), "face")
    assert (kept.phash, kept.bghash, kept.face) == (f"{f.phash:016x}", f"{f.bghash:016x}", True)
    assert [kept.ph0, kept.ph1, kept.ph2, kept.ph3, kept.ph4] == analysis_adapter.hash_bands(kept.phash)
    assert (hashed_only.phash, hashed_only.ph0, hashed_only.ph4, hashed_only.bg0) == ("00000000000000ff", 0xFF, 0, None)


# --- web import of a ZIP: the JSON Lines plus the photos it names -----------------------------------


def zipped(jsonl: Path, extra: dict[str, bytes] | None = None) -> bytes:
    """The import folder as a worker zips it: the JSON Lines file and the photo folder beside it."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted(jsonl.parent.rglob("*")):
            if f.is_file():
                zf.write(f, "export/" + f.relative_to(jsonl.parent).as_posix())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def web_import(client, data: bytes):
    return client.post(reverse("outreach:import_upload"),
                       {"file_format": "zip", "file": SimpleUploadedFile("annonser.zip", data, "application/zip")})


def test_web_import_of_a_zip_gives_the_engines_indicators_and_links(org_a, alice, org_b, bob_b, client_for,
                                                                     import_file):
    c = client_for(alice, org_a)
    r = web_import(c, zipped(import_file))
    assert r.status_code == 302, r.content.decode()[:3000]
    job = ImportJob.objects.get(organisation=org_a)
    assert job.file_format == "jsonl" and "image_features" in job.raw and "bilder/orig.jpg" in job.raw
    assert "Importera 4 annonser" in c.get(r["Location"]).content.decode()
    assert not Ad.objects.exists()  # checked, not yet imported
    c.post(reverse("outreach:import_start", kwargs={"job_id": job.pk}))
    job.refresh_from_db()
    assert job.status == "done" and job.created_count == 4, job.error
    a1, a2, a3, a4 = (ad_of(org_a, n) for n in (1, 2, 3, 4))
    orig = analyse_image(import_file.parent / "bilder" / "orig.jpg", "orig.jpg")
    img = AdImage.objects.get(ad=a1)
    assert (img.phash, img.bghash, img.ph0) == (f"{orig.phash:016x}", f"{orig.bghash:016x}",
                                                analysis_adapter.hash_bands(img.phash)[0])
    assert not img.image  # a ZIP import keeps features only
    assert link_reasons(a2, a1) == ["same_image"]
    assert "face_visible" in auto_codes(a2) and "same_place_photos" in auto_codes(a3)
    assert not AdLink.objects.filter(from_ad=a4).exists()
    page = c.get(reverse("outreach:ad_detail", kwargs={"ad_id": a2.pk})).content.decode()
    assert "samma bild" in page and "Ansiktet syns på bilderna" in page
    # Bob imports the same ZIP in his organisation: no link to Alice's ads, her ads stay hers
    bob_c = client_for(bob_b, org_b)
    web_import(bob_c, zipped(import_file))
    bob_c.post(reverse("outreach:import_start", kwargs={"job_id": ImportJob.objects.get(organisation=org_b).pk}))
    bobs = ad_of(org_b, 2)
    assert link_reasons(bobs, ad_of(org_b, 1)) == ["same_image"]
    assert not AdLink.objects.filter(from_ad__organisation=org_b, to_ad__organisation=org_a).exists()
    assert not AdLink.objects.filter(from_ad__organisation=org_a, to_ad__organisation=org_b).exists()
    assert bob_c.get(reverse("outreach:ad_detail", kwargs={"ad_id": a1.pk})).status_code == 404


def test_web_import_of_a_zip_with_bad_photos_is_refused_before_anything_is_stored(org_a, alice, client_for,
                                                                                  tmp_path):
    good = jpeg(person(room(63), 63))
    path = write_import(tmp_path, {"good.jpg": good, "text.jpg": b"inte en bild",
                                   "bomb.png": _png_header(100_000, 100_000)},
                        [["good.jpg"], ["saknas.jpg"], ["text.jpg"], ["bomb.png"], ["../../../etc/passwd"]])
    r = web_import(client_for(alice, org_a), zipped(path))
    assert r.status_code == 200
    page = r.content.decode()
    for msg in ("rad 2: Bilden bilder/saknas.jpg finns inte i ZIP-filen.",
                "rad 3: Filen bilder/text.jpg är inte en bild som kan läsas",
                "rad 4: Bilden bilder/bomb.png har för många bildpunkter",
                "rad 5: Bilden bilder/../../../etc/passwd finns inte i ZIP-filen."):
        assert msg in page, msg
    assert not ImportJob.objects.exists() and not Ad.objects.exists() and not AdImage.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 trasig", "inte en ZIP-fil som kan läsas"),
        (None, "en enda fil med annonserna (.jsonl)"),
    ],
)
def test_web_import_refuses_a_zip_it_cannot_use(org_a, alice, client_for, data, message):
    if data is None:  # two files of ads: which one is meant?
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("a.jsonl", "{}")
            zf.writestr("b.jsonl", "{}")
        data = buf.getvalue()
    r = web_import(client_for(alice, org_a), data)
    assert r.status_code == 200 and message in r.content.decode()
    assert not ImportJob.objects.exists()


def test_image_features_in_an_import_are_checked_by_the_engine_rule(org_a, alice, client_for):
    row = {"id": "x1", "seen_at": "2026-03-01T20:00:00+01:00", "text": "hej", "image_features": [{"phash": "zz"}]}
    c = client_for(alice, org_a)
    c.post(reverse("outreach:import_upload"), {"file_format": "jsonl", "file": SimpleUploadedFile(
        "a.jsonl", json.dumps(row).encode())})
    job = ImportJob.objects.get()
    page = c.get(reverse("outreach:import_job", kwargs={"job_id": job.pk})).content.decode()
    assert "phash och bghash ska vara 1–16 hexadecimala siffror" in page
    c.post(reverse("outreach:import_start", kwargs={"job_id": job.pk}))
    assert not Ad.objects.exists()
