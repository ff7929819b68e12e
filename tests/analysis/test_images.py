"""The photo path end to end: re-used photos, same room, stock photos, faces, hostile files.

Every photo is drawn here (numpy + Pillow into tmp_path) except the face photo, which is the
astronaut portrait that ships inside the scikit-image wheel (skimage/data/astronaut.png; nothing
is downloaded at run time).
"""

from __future__ import annotations

import importlib.util
import json
import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from uppsok.analysis import analyse_ads
from uppsok.analysis.cli import main
from uppsok.analysis.images import analyse_image
from uppsok.analysis.linking import IMAGE_HUB_MAX_PROFILES

W, H = 480, 360


def room(seed: int) -> np.ndarray:
    """A hotel room: striped wallpaper at a random angle, a checked bedspread, a window."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:H, 0:W]
    period = int(rng.integers(18, 40))
    ang = rng.uniform(0, np.pi)
    stripes = np.sin((xx * np.cos(ang) + yy * np.sin(ang)) * 2 * np.pi / period) > 0
    a = np.where(stripes[..., None], rng.integers(0, 256, 3), rng.integers(0, 256, 3)).astype(np.uint8)
    checks = ((xx // int(rng.integers(20, 50)) + yy // int(rng.integers(20, 50))) % 2).astype(bool)
    bed = yy > H * 0.65
    a[bed] = np.where(checks[bed][:, None], rng.integers(0, 256, 3), rng.integers(0, 256, 3))
    x0, y0 = int(rng.integers(0, W // 4)), int(rng.integers(0, H // 4))
    a[y0:y0 + H // 5, x0:x0 + W // 6] = rng.integers(150, 256, 3)
    return a


def person(a: np.ndarray, seed: int, light: bool | None = None) -> np.ndarray:
    """A woman (body and head in her own colours) in the middle of the photo; `light` picks light
    or dark clothes, so that two women in one room surely look different."""
    rng = np.random.default_rng(seed)
    lo, hi = (0, 256) if light is None else (170, 256) if light else (0, 86)
    yy, xx = np.mgrid[0:H, 0:W]
    cx = W / 2 + int(rng.integers(-10, 10))
    body = ((xx - cx) / (W * 0.12)) ** 2 + ((yy - H * 0.55) / (H * 0.18)) ** 2 < 1
    head = ((xx - cx) / (W * 0.05)) ** 2 + ((yy - H * 0.33) / (H * 0.07)) ** 2 < 1
    b = a.copy()
    b[body] = rng.integers(lo, hi, 3)
    b[head] = rng.integers(120, 256, 3)
    return b


def save(a: np.ndarray, path: Path, quality: int = 92) -> str:
    Image.fromarray(a).save(path, quality=quality)
    return path.name


def reupload(src: Path, dst: Path, *, scale: float = 0.9, crop: float = 0.005, quality: int = 60) -> str:
    """The same photo as another site shows it: resized, a sliver cropped off each side, re-encoded
    as JPEG at another quality. (The hash tolerates ~0.5–1 % cropped per side; see PERFORMANCE.md.)"""
    with Image.open(src) as im:
        im = im.convert("RGB").resize((int(im.width * scale), int(im.height * scale)), Image.LANCZOS)
    cx, cy = round(im.width * crop), round(im.height * crop)
    im.crop((cx, cy, im.width - cx, im.height - cy)).save(dst, quality=quality)
    return dst.name


_WORDS = ("glad lugn snäll mysig sportig kurvig smal lång kort rolig social nyfiken varm ärlig spontan "
          "romantisk busig naturlig träning promenader mat vin resor film musik skogen dans böcker yoga "
          "spa konst hästar havet middag sällskap kväll massage umgänge").split()


def ad(i: int, images: list[str], **kw: object) -> dict:
    """An ad with its own profile, phone and wording, so only the photos can link it to another."""
    words = " ".join(np.random.default_rng(i).choice(_WORDS, 14))
    d = {"id": f"a{i}", "seen_at": f"2024-03-{1 + i % 28:02d}T20:00:00+01:00", "site": "rosasidan",
         "profile_name": f"profil{i}", "city": "Malmö", "images": images,
         "text": f"Hej, jag heter Namn{i}. {words}. Ring mig 070-{i:03d} 12 {i % 90 + 10}."}
    d.update(kw)
    return d


def by_id(rows: list[dict]) -> dict[str, dict]:
    assert all("error" not in r for r in rows), rows
    return {r["id"]: r for r in rows}


def codes(row: dict) -> dict[str, str]:
    return {i["code"]: i["evidence"] for i in row["indicators"]}


def links(row: dict) -> dict[str, list[str]]:
    return {x["id"]: x["reasons"] for x in row["links"]}


def run_cli(tmp_path: Path, ads: list[dict], capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, dict], str]:
    inp = tmp_path / "ads.jsonl"
    inp.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ads), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main([str(inp), "-o", str(out), "--quiet", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    return by_id([json.loads(x) for x in out.read_text().splitlines()]), err


# --- (a) one photo re-used by two profiles ---------------------------------------------------
def test_reused_photo_links_two_profiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    orig = save(person(room(1), 1), tmp_path / "orig.jpg", quality=92)
    copy = reupload(tmp_path / orig, tmp_path / "copy.jpg", quality=60)
    other = save(person(room(2), 2), tmp_path / "other.jpg")
    res, err = run_cli(tmp_path, [ad(0, [orig]), ad(1, [copy, other]), ad(2, [other.replace("other", "x")])],
                       capsys)
    assert "Traceback" not in err
    assert links(res["a0"]) == {"a1": ["same_image"]}
    assert links(res["a1"]) == {"a0": ["same_image"]}
    assert res["a0"]["group"] == res["a1"]["group"]
    ev0, ev1 = codes(res["a0"]), codes(res["a1"])
    assert "«profil1»" in ev0["same_place_photos"] and "«profil0»" in ev1["same_place_photos"]
    # a2's photo is missing: a warning naming it, the ad still analysed on its own
    assert "x.jpg" in err
    assert res["a2"]["links"] == [] and "same_place_photos" not in codes(res["a2"])


def test_reused_photo_same_profile_is_no_place_indicator(tmp_path: Path) -> None:
    """The same woman re-posting her own photo links her ads but says nothing about a shared
    place with *other* profiles."""
    orig = save(person(room(3), 3), tmp_path / "o.jpg")
    copy = reupload(tmp_path / orig, tmp_path / "c.jpg", quality=75)
    res = by_id(analyse_ads([ad(0, [orig]), ad(1, [copy], profile_name="profil0")], base_dir=tmp_path))
    assert "same_image" in links(res["a0"])["a1"]
    assert "same_place_photos" not in codes(res["a0"])


# --- (b) same room, different woman --------------------------------------------------------------
def test_same_room_different_woman_is_same_place_not_same_image(tmp_path: Path) -> None:
    for seed in (10, 11, 12):
        r = room(seed)
        p1 = save(person(r, 100 + seed, light=True), tmp_path / f"r{seed}a.jpg", quality=90)
        big = Image.fromarray(person(r, 200 + seed, light=False)).resize((440, 330), Image.LANCZOS)
        big.save(tmp_path / f"r{seed}b.jpg", quality=75)
        f1 = analyse_image(tmp_path / p1, p1, detect_faces=False)
        f2 = analyse_image(tmp_path / f"r{seed}b.jpg", "b", detect_faces=False)
        assert (f1.phash ^ f2.phash).bit_count() > 4, "the photos themselves must differ"
        res = by_id(analyse_ads([ad(0, [p1]), ad(1, [f"r{seed}b.jpg"])], base_dir=tmp_path))
        assert res["a0"]["links"] == [] and res["a1"]["links"] == [], seed
        assert res["a0"]["group"] != res["a1"]["group"]
        assert "«profil1»" in codes(res["a0"]).get("same_place_photos", ""), seed
        assert "«profil0»" in codes(res["a1"]).get("same_place_photos", ""), seed


# --- (c) unrelated photos ------------------------------------------------------------------------
def test_unrelated_photos_do_not_link(tmp_path: Path) -> None:
    names = [save(person(room(50 + i), 70 + i), tmp_path / f"u{i}.jpg") for i in range(12)]
    res = by_id(analyse_ads([ad(i, [n]) for i, n in enumerate(names)], base_dir=tmp_path))
    assert len({r["group"] for r in res.values()}) == len(names)
    for r in res.values():
        assert r["links"] == []
        assert "same_place_photos" not in codes(r)


# --- (d) a stock photo in many unrelated ads -----------------------------------------------------
def test_stock_photo_does_not_glue_unrelated_ads(tmp_path: Path) -> None:
    stock = save(person(room(900), 900), tmp_path / "stock.jpg")
    n = IMAGE_HUB_MAX_PROFILES + 3
    ads = []
    for i in range(n):
        own = save(person(room(300 + i), 400 + i), tmp_path / f"own{i}.jpg")
        # some sites re-encode the stock photo, some show it as uploaded
        s = reupload(tmp_path / stock, tmp_path / f"stock{i}.jpg", quality=60 + i) if i % 2 else stock
        ads.append(ad(i, [own, s]))
    res = by_id(analyse_ads(ads, base_dir=tmp_path))
    assert len({r["group"] for r in res.values()}) == n
    for r in res.values():
        assert r["links"] == []
        assert "same_place_photos" not in codes(r)


def test_photo_shared_by_few_profiles_still_links(tmp_path: Path) -> None:
    """Control for the stock-photo test: under the hub cap the same photo does link."""
    shared = save(person(room(901), 901), tmp_path / "shared.jpg")
    ads = [ad(i, [save(person(room(500 + i), 600 + i), tmp_path / f"o{i}.jpg"), shared]) for i in range(3)]
    res = by_id(analyse_ads(ads, base_dir=tmp_path))
    assert len({r["group"] for r in res.values()}) == 1
    assert links(res["a0"]) == {"a1": ["same_image"], "a2": ["same_image"]}


# --- (e) faces -----------------------------------------------------------------------------------
def _packaged_face() -> Path:
    spec = importlib.util.find_spec("skimage")
    if spec is None or spec.origin is None:
        pytest.skip("scikit-image (test dependency) not installed: its wheel ships the face photo")
    p = Path(spec.origin).parent / "data" / "astronaut.png"
    if not p.is_file():
        pytest.skip(f"{p} not in this scikit-image build")
    return p


def test_face_visible(tmp_path: Path) -> None:
    face = _packaged_face()
    # the portrait as an ad shows it: JPEG, smaller
    with Image.open(face) as im:
        im.convert("RGB").resize((400, 400)).save(tmp_path / "face.jpg", quality=80)
    no_face = save(person(room(7), 7), tmp_path / "room.jpg")
    res = by_id(analyse_ads([ad(0, ["face.jpg"]), ad(1, [no_face]), ad(2, [no_face, "face.jpg"])],
                            base_dir=tmp_path))
    assert codes(res["a0"])["face_visible"].endswith("face.jpg")
    assert "face_visible" not in codes(res["a1"])
    assert "face.jpg" in codes(res["a2"])["face_visible"] and "room.jpg" not in codes(res["a2"])["face_visible"]


def test_no_face_in_faceless_photos(tmp_path: Path) -> None:
    """Textured rooms (stripes, checks) and noise: the detector's false-face risk."""
    rng = np.random.default_rng(5)
    for i in range(6):
        save(room(700 + i), tmp_path / f"f{i}.jpg")
    Image.fromarray(rng.integers(0, 256, (H, W, 3), dtype=np.uint8)).save(tmp_path / "noise.png")
    for name in [f"f{i}.jpg" for i in range(6)] + ["noise.png"]:
        assert not analyse_image(tmp_path / name, name).face, name


def test_face_detection_off_without_images(tmp_path: Path) -> None:
    _packaged_face()
    with Image.open(_packaged_face()) as im:
        im.convert("RGB").save(tmp_path / "face.jpg")
    res = analyse_ads([ad(0, ["face.jpg"])], base_dir=tmp_path, with_images=False)
    assert "face_visible" not in codes(res[0])


# --- (f) hostile files ---------------------------------------------------------------------------
def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels and holds a few bytes of data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def test_hostile_images_give_messages_not_tracebacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = save(person(room(8), 8), tmp_path / "good.jpg")
    data = (tmp_path / good).read_bytes()
    (tmp_path / "truncated.jpg").write_bytes(data[: len(data) // 3])
    (tmp_path / "one.jpg").write_bytes(b"\xff")
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "bomb.png").write_bytes(_png_header(100_000, 100_000))  # 10 gigapixels
    (tmp_path / "bomb2.png").write_bytes(_png_header(9_000, 9_000))  # 81 Mpx: Pillow would only warn
    (tmp_path / "text.jpg").write_text("not a photo")
    (tmp_path / "dir.jpg").mkdir()
    hostile = ["truncated.jpg", "one.jpg", "empty.jpg", "bomb.png", "bomb2.png", "text.jpg", "dir.jpg",
               "../outside.jpg", "/etc/passwd"]
    ads = [ad(i, [name, good]) for i, name in enumerate(hostile)]
    res, err = run_cli(tmp_path, ads, capsys)
    assert "Traceback" not in err and "Warning:" not in err, err
    for name in hostile:
        assert name in err, (name, err)
    assert "ogiltig bild / invalid image: bomb.png (DecompressionBombError)" in err
    assert "ogiltig bild / invalid image: bomb2.png" in err
    assert len(res) == len(hostile)
    # refused from the header alone, without Pillow's DecompressionBombWarning (pytest would
    # swallow a warning printed by the run above, so look for it here)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="bomb2.png"):
            analyse_image(tmp_path / "bomb2.png", "bomb2.png")
    assert not caught, [str(w.message) for w in caught]
    # the good photo in each ad was still analysed: all of them share it
    assert len({r["group"] for r in res.values()}) == 1


def test_photo_across_profiles_is_a_group_not_one_woman_moving(tmp_path: Path) -> None:
    """A ring posts one photo for two women in two towns: same group, but not `moves_between_cities`
    (that needs the same woman — phone or profile — in two towns)."""
    orig = save(person(room(20), 20), tmp_path / "o.jpg")
    copy = reupload(tmp_path / orig, tmp_path / "c.jpg")
    res = by_id(analyse_ads([ad(0, [orig], city="Malmö"), ad(1, [copy], city="Umeå")], base_dir=tmp_path))
    assert res["a0"]["group"] == res["a1"]["group"]
    assert "moves_between_cities" not in codes(res["a0"]) and "moves_between_cities" not in codes(res["a1"])
    # the same profile with that photo in two towns does move
    res = by_id(analyse_ads([ad(0, [orig], city="Malmö"), ad(1, [copy], city="Umeå", profile_name="profil0")],
                            base_dir=tmp_path))
    assert "Malmö" in codes(res["a1"])["moves_between_cities"]
