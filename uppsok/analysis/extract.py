"""Per-ad extraction: validate one JSON line and turn it into `AdFeatures`.

Runs in worker processes on byte ranges of the input file, so the raw lines never travel
between processes; only the compact features and hashed text features come back.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from . import textfeatures
from .images import ImageFeatures, analyse_image
from .model import AdFeatures, ChunkResult, Problem
from .phones import extract_phones
from .text import TOKEN_RE, detect_language, extract_prices, template_hashes, text_indicators

# Longest accepted line. A real ad is a few kB; a multi-megabyte line is a scraping accident or
# an attack and would only slow everything down.
MAX_LINE_BYTES = 1_000_000
# Texts are cut to this many characters before analysis: longer "ads" are keyword spam and
# regexes on them cost time without adding evidence.
MAX_TEXT_CHARS = 20_000
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


_STR_FIELDS = ("site", "url", "city", "profile_name", "title", "text", "price", "nationality")


try:  # orjson parses ads ~2x faster (its errors subclass json.JSONDecodeError, with .msg);
    # the standard library is the fallback
    from orjson import loads as _loads
except ImportError:  # pragma: no cover
    _loads = json.loads


class BadLine(ValueError):
    pass


def _msg(sv: str, en: str) -> str:
    return f"{sv} / {en}"


def parse_seen_at(value: Any) -> datetime:
    if not isinstance(value, str):
        raise BadLine(_msg("seen_at saknas eller är inte en sträng", "seen_at missing or not a string"))
    v = value.strip()
    if v.endswith(("Z", "z")):
        v = v[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(v)
    except ValueError as exc:
        raise BadLine(_msg(f"ogiltigt seen_at {value[:40]!r}", f"invalid seen_at {value[:40]!r}")) from exc
    if dt.tzinfo is None:
        raise BadLine(_msg("seen_at saknar tidszon", "seen_at lacks a UTC offset"))
    return dt


def features_from_obj(
    obj: Any, base_dir: Path | None, with_images: bool, warn: list[str]
) -> tuple[AdFeatures, list[int]]:
    """Validate a decoded ad; field problems that do not prevent analysis go to `warn`."""
    if not isinstance(obj, dict):
        raise BadLine(_msg("raden är inte ett JSON-objekt", "line is not a JSON object"))
    ad_id = obj.get("id")
    if isinstance(ad_id, int) and not isinstance(ad_id, bool):
        ad_id = str(ad_id)
    if not isinstance(ad_id, str) or not ad_id.strip():
        raise BadLine(_msg("id saknas eller är inte en sträng", "id missing or not a string"))
    dt = parse_seen_at(obj.get("seen_at"))
    f: dict[str, str] = {}
    for k in _STR_FIELDS:
        v = obj.get(k)
        if v is None:
            f[k] = ""
        elif isinstance(v, str):
            f[k] = v[:MAX_TEXT_CHARS]
        elif isinstance(v, int | float) and not isinstance(v, bool) and k == "price":
            f[k] = str(v)
        else:
            warn.append(_msg(f"fältet {k} ska vara en sträng, ignoreras", f"field {k} must be a string, ignored"))
            f[k] = ""
    phones_in = obj.get("phones")
    phone_strs: list[str] = []
    if isinstance(phones_in, str):
        warn.append(_msg("fältet phones ska vara en lista, tolkas som ett nummer",
                         "field phones must be a list, read as one number"))
        phone_strs = [phones_in[:200]]
    elif isinstance(phones_in, list):
        for p in phones_in[:50]:
            if isinstance(p, str | int) and not isinstance(p, bool):
                phone_strs.append(str(p)[:200])
            else:
                warn.append(_msg("ett värde i phones är inte en sträng, ignoreras",
                                 "a value in phones is not a string, ignored"))
    elif phones_in is not None:
        warn.append(_msg("fältet phones ska vara en lista, ignoreras", "field phones must be a list, ignored"))
    age_in = obj.get("age")
    age: int | None = None
    if isinstance(age_in, int) and not isinstance(age_in, bool):
        age = age_in
    elif isinstance(age_in, str) and age_in.strip().isdigit():
        age = int(age_in.strip())
    elif age_in is not None:
        warn.append(_msg(f"fältet age ska vara ett heltal ({str(age_in)[:20]!r}), ignoreras",
                         f"field age must be an integer ({str(age_in)[:20]!r}), ignored"))
    if age is not None and not 0 < age < 120:
        warn.append(_msg(f"orimlig ålder {age}, ignoreras", f"implausible age {age}, ignored"))
        age = None

    title, text = f["title"], f["text"]
    body = f"{title}\n{text}" if title and text else (title or text)
    low = TOKEN_RE.findall(body.lower())
    words = low + TOKEN_RE.findall(" ".join(phone_strs).lower()) if phone_strs else low
    phones = extract_phones(title, text, *phone_strs, words=words)
    prices = extract_prices(f["price"], title, text)
    language = detect_language(body, low)
    inds = text_indicators(body, language, f["nationality"], age, low)

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
    return ad, template_hashes(body, (f["profile_name"],))


def parse_line(raw: bytes, base_dir: Path | None, with_images: bool, warn: list[str]):  # noqa: ANN201
    if len(raw) > MAX_LINE_BYTES:
        raise BadLine(_msg(f"raden är för lång ({len(raw) / 1e6:.1f} MB > {MAX_LINE_BYTES / 1e6:.0f} MB)",
                           f"line too long ({len(raw) / 1e6:.1f} MB > {MAX_LINE_BYTES / 1e6:.0f} MB)"))
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLine(_msg(f"ogiltig UTF-8 (byte {exc.start})", f"invalid UTF-8 (byte {exc.start})")) from exc
    try:
        obj = _loads(s)
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "för djup nästling / nested too deep"
        raise BadLine(_msg(f"ogiltig JSON ({detail})", f"invalid JSON ({detail})")) from exc
    return features_from_obj(obj, base_dir, with_images, warn)


def extract_chunk(path: str, start: int, end: int, with_images: bool) -> ChunkResult:
    """Analyse the lines in byte range [start, end) of the input (range starts at a line start)."""
    base_dir = Path(path).resolve().parent
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    res = ChunkResult(n_lines=len(lines))
    hashes: list[list[int]] = []
    for i, raw in enumerate(lines, start=1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if not raw.strip():
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
