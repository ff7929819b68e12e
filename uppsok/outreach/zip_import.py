"""Import of a ZIP file: the ads as JSON Lines plus the photos they name.

The photos are analysed by the engine while the upload is checked (`analysis_adapter.read_photo`),
and each ad's ``images`` (paths relative to the JSON Lines file, as `uppsok analyse` reads them)
becomes its ``image_features``. The import job then holds text only, like any JSON Lines import:
the photos' features are stored, the photos themselves are not.
"""

from __future__ import annotations

import io
import json
import posixpath
import zipfile
from typing import Any

from .analysis_adapter import MAX_PHOTOS_PER_AD, PhotoRefused, read_photo

# Face detection takes ~30 ms a photo: a ZIP of this many is checked in well under a minute.
MAX_PHOTOS = 1000
# Entries a ZIP may hold (a ZIP of millions of empty entries costs time to even list).
MAX_ENTRIES = 5000
# As for a photo given with the capture form.
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# As for a JSON Lines upload.
MAX_ADS_BYTES = 200 * 1024 * 1024
# Problems listed when a ZIP is refused; the rest are counted.
MAX_PROBLEMS = 20


class ZipRefused(ValueError):
    """The ZIP cannot be imported; `problems` are Swedish sentences for the worker."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def is_zip(upload: Any) -> bool:
    upload.seek(0)
    found = zipfile.is_zipfile(upload)
    upload.seek(0)
    return found


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The entry's bytes, or None when it is larger than `limit` (checked while reading too: the
    size in the ZIP's directory is only what the file claims)."""
    if info.file_size > limit:
        return None
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    return None if len(data) > limit else data


def _features(zf: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo], base: str, name: Any) -> dict[str, Any]:
    if not isinstance(name, str) or not name:
        raise PhotoRefused("images ska vara en lista med sökvägar till bilder")
    path = posixpath.normpath(posixpath.join(base, name))
    info = None if name.startswith("/") or path.startswith("../") or path == ".." else entries.get(path)
    if info is None:
        raise PhotoRefused(f"Bilden {name} finns inte i ZIP-filen.")
    data = _read(zf, info, MAX_PHOTO_BYTES)
    if data is None:
        raise PhotoRefused(f"Bilden {name} är större än 8 MB.")
    fields, _content = read_photo(io.BytesIO(data), name, keep=False)
    return {"phash": fields["phash"], "bghash": fields["bghash"], "face": fields["face"], "name": name}


def unpack(upload: Any) -> str:
    """The ZIP's JSON Lines text with each ad's photos as ``image_features``; raises ZipRefused."""
    try:
        zf = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ZipRefused(["Filen är inte en ZIP-fil som kan läsas."]) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ZipRefused([f"ZIP-filen har för många filer (högst {MAX_ENTRIES})."])
        entries = {i.filename: i for i in infos if not i.is_dir()}
        ads = [n for n in entries if n.casefold().endswith(".jsonl") and not n.startswith("__MACOSX/")]
        if len(ads) != 1:
            raise ZipRefused(["ZIP-filen ska innehålla en enda fil med annonserna (.jsonl)."])
        data = _read(zf, entries[ads[0]], MAX_ADS_BYTES)
        if data is None:
            raise ZipRefused(["Filen med annonserna är för stor (högst 200 MB)."])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ZipRefused(["Filen med annonserna måste vara kodad i UTF-8."]) from exc
        base = posixpath.dirname(ads[0])
        problems: list[str] = []
        photos = 0
        lines = text.split("\n")
        for n, line in enumerate(lines, start=1):
            try:
                obj = json.loads(line)
            except ValueError:
                continue  # the import's check reports the line
            if not isinstance(obj, dict) or "images" not in obj:
                continue
            names = obj.pop("images")
            if not isinstance(names, list) or len(names) > MAX_PHOTOS_PER_AD:
                problems.append(f"rad {n}: images ska vara en lista med högst {MAX_PHOTOS_PER_AD} bilder")
                continue
            photos += len(names)
            if photos > MAX_PHOTOS:
                raise ZipRefused([f"ZIP-filen har fler än {MAX_PHOTOS} bilder. Dela upp den i flera filer."])
            features = []
            for name in names:
                try:
                    features.append(_features(zf, entries, base, name))
                except PhotoRefused as exc:
                    problems.append(f"rad {n}: {exc}")
            obj["image_features"] = features
            lines[n - 1] = json.dumps(obj, ensure_ascii=False)
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise ZipRefused(problems[:MAX_PROBLEMS] + ([f"… och {more} fel till."] if more > 0 else []))
    return "\n".join(lines)
