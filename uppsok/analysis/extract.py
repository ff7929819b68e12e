"""Per-ad extraction: read one JSON line, validate it (`rows`) and turn it into `AdFeatures`.

Runs in worker processes on byte ranges of the input file, so the raw lines never travel
between processes; only the compact features and hashed text features come back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import textfeatures
from .images import ImageFeatures, analyse_image
from .model import AdFeatures, ChunkResult, Problem
from .phones import extract_phones
from .rows import BOM, MAX_LINE_BYTES, describe, is_blank, parse_json_line, split_lines, validate_row
from .text import (
    TOKEN_RE,
    detect_language,
    extract_prices,
    lower_tokens,
    lowered,
    template_hashes,
    template_raw_tokens,
    text_indicators,
)

__all__ = ["MAX_LINE_BYTES", "BadLine", "extract_chunk", "features_from_obj", "parse_line", "template_of"]

# At most this many photos per ad are analysed; more is unusual and only costs time.
MAX_IMAGES_PER_AD = 20

# Photos analysed per process are remembered (by file, size and modification time) up to this
# many: an ad seen again, or a ring re-posting, names the same file, and face detection costs
# ~30 ms a photo. 20,000 entries of ~200 bytes is ~4 MB.
IMAGE_CACHE_MAX = 20_000
_image_cache: dict[tuple[str, int, int], ImageFeatures] = {}


def _cached_image(path: Path, name: str) -> ImageFeatures:
    try:
        st = path.stat()
    except OSError:
        return analyse_image(path, name)  # gives the readable message
    key = (str(path), st.st_size, st.st_mtime_ns)
    f = _image_cache.get(key)
    if f is None:
        f = analyse_image(path, name)
        if len(_image_cache) >= IMAGE_CACHE_MAX:
            _image_cache.clear()
        _image_cache[key] = f
    elif f.name != name:
        f = ImageFeatures(name, f.phash, f.bghash, f.face)
    return f


class BadLine(ValueError):
    pass


def _msg(sv: str, en: str) -> str:
    return f"{sv} / {en}"


def features_from_obj(
    obj: Any, base_dir: Path | None, with_images: bool, warn: list[str]
) -> tuple[AdFeatures, list[int]]:
    """A decoded ad as features. The row rules are `rows.validate_row` (a refused row raises
    BadLine); problems with its photos do not prevent analysis and go to `warn`."""
    f, problems = validate_row(obj)
    if f is None:
        raise BadLine(describe(problems))
    ad_id, dt, age, phone_strs = f["id"], f["seen_at"], f["age"], f["phones"]

    title, text = f["title"], f["text"]
    body = ad_body(f)
    raw_tokens = template_raw_tokens(body)
    body_low = lowered(body)  # once for the tokens and the indicators' patterns
    low = lower_tokens(body, raw_tokens, body_low)
    words = low + TOKEN_RE.findall(" ".join(phone_strs).lower()) if phone_strs else low
    phones = extract_phones(title, text, *phone_strs, words=words)
    prices = extract_prices(f["price"], title, text)
    language = detect_language(body, low)
    inds = text_indicators(body, language, f["nationality"], age, low, detail=True, low=body_low)

    imgs: list[ImageFeatures] = []
    imgs_in = obj.get("images")
    if imgs_in is not None and not isinstance(imgs_in, list):
        warn.append(_msg("fältet images ska vara en lista, ignoreras", "field images must be a list, ignored"))
    elif imgs_in and with_images:
        for name in imgs_in[:MAX_IMAGES_PER_AD]:
            if not isinstance(name, str):
                warn.append(_msg("en bild i images är inte en sträng", "an entry in images is not a string"))
                continue
            if base_dir is None:
                continue
            p = (base_dir / name)
            try:
                imgs.append(_cached_image(p, name))
            except (OSError, ValueError) as exc:
                warn.append(str(exc))
    if with_images:
        for item in f.get("image_features", ())[: max(0, MAX_IMAGES_PER_AD - len(imgs))]:
            imgs.append(ImageFeatures(item["name"], int(item["phash"], 16), int(item["bghash"], 16), item["face"]))
    faces = [im.name for im in imgs if im.face]
    if faces:
        inds.append(("face_visible", "ansikte syns på / face visible in: " + ", ".join(faces[:5])))

    profile = ""
    if f["profile_name"].strip():
        profile = f["site"].strip().casefold() + "\x1f" + " ".join(f["profile_name"].casefold().split())
    ad = AdFeatures(
        id=ad_id,
        seen=dt.timestamp(),
        date=dt.date().isoformat(),
        site=f["site"].strip().casefold(),
        city=" ".join(f["city"].split()),
        profile=profile,
        phones=tuple(phones),
        prices=tuple(prices),
        language=language,
        indicators=inds,
        images=tuple(imgs),
    )
    return ad, template_hashes(body, (f["profile_name"],), raw_tokens)


def ad_body(f: dict[str, Any]) -> str:
    """The text an ad's words are read from: its title and text (a validated row)."""
    title, text = f["title"], f["text"]
    return f"{title}\n{text}" if title and text else (title or text)


def template_of(obj: Any) -> list[int]:
    """The template token hashes of one ad in the input format, as `features_from_obj` gives
    them, without the rest of the extraction. Raises BadLine for a refused row."""
    f, problems = validate_row(obj)
    if f is None:
        raise BadLine(describe(problems))
    return template_hashes(ad_body(f), (f["profile_name"],))


def parse_line(raw: bytes, base_dir: Path | None, with_images: bool, warn: list[str]):  # noqa: ANN201
    obj, problem = parse_json_line(raw)
    if problem is not None:
        raise BadLine(str(problem))
    return features_from_obj(obj, base_dir, with_images, warn)


def extract_chunk(path: str, start: int, end: int, with_images: bool) -> ChunkResult:
    """Analyse the lines in byte range [start, end) of the input (range starts at a line start)."""
    base_dir = Path(path).resolve().parent
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    if start == 0 and data.startswith(BOM):
        data = data[len(BOM):]  # Windows tools start UTF-8 files with a byte order mark
    lines = split_lines(data)
    res = ChunkResult(n_lines=len(lines))
    hashes: list[list[int]] = []
    for i, raw in enumerate(lines, start=1):
        if is_blank(raw):
            continue  # blank lines are not ads and not errors
        warn: list[str] = []
        try:
            ad, th = parse_line(raw, base_dir, with_images, warn)
        except BadLine as exc:
            res.problems.append(Problem(i, str(exc), True))
            continue
        except Exception as exc:  # noqa: BLE001 — one odd line must never stop a million-ad run
            res.problems.append(Problem(i, _msg(f"oväntat fel ({type(exc).__name__}: {exc})"[:300],
                                                "unexpected error"), True))
            continue
        for w in warn:
            res.problems.append(Problem(i, w, False))
        res.ads.append(ad)
        res.ad_lines.append(i)
        hashes.append(th)
    res.shingles, res.shingle_counts = textfeatures.shingles(hashes)
    return res
