"""The rules for one ad row of the input format, shared by every reader of ad files.

The command line (`uppsok analyse`, through `extract`), `analyse_ads` and the web import (JSON Lines
and CSV after column mapping) all read lines and rows through this module, so they accept the same
rows and normalise them to the same values; only limits on a whole file (its size, its number of
rows) may differ between them.

A problem names the field it is about by its key (``seen_at``); the web import shows the field's
Swedish label instead (`RowProblem.swedish`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

try:  # orjson parses ads ~2x faster (its errors subclass json.JSONDecodeError, with .msg);
    # the standard library is the fallback
    from orjson import loads as _loads
except ImportError:  # pragma: no cover
    _loads = json.loads

# Longest accepted line. A real ad is a few kB; a multi-megabyte line is a scraping accident or
# an attack and would only slow everything down.
MAX_LINE_BYTES = 1_000_000
# Longest value per field (characters, after trimming surrounding whitespace). A longer value is
# refused rather than cut: an ad is evidence and is kept as it came or not at all.
MAX_LEN = {"id": 200, "site": 120, "url": 500, "city": 120, "profile_name": 200, "title": 300,
           "text": 20_000, "price": 100, "nationality": 100}
# An ad lists a few numbers; more than this is a scraping error (a whole page's numbers in one ad).
MAX_PHONES = 100
# Room for a number spelt out in words to dodge filters ("noll sju noll …", about 50 characters).
MAX_PHONE_LEN = 200
# Stated ages outside this range are typing or scraping errors, not ages.
MIN_AGE, MAX_AGE = 1, 119
# A sighting before 1970 or after 2100 is a broken timestamp (and far dates overflow offsets).
MIN_YEAR, MAX_YEAR = 1970, 2100
# Times written without an offset are Swedish local time: the sites are Swedish and so are the
# people who scrape them.
LOCAL_TZ = ZoneInfo("Europe/Stockholm")
BOM = b"\xef\xbb\xbf"

TEXT_FIELDS = ("site", "url", "city", "profile_name", "title", "text", "price", "nationality")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a line or row is refused. `field` is the input key ("" for the line as a whole); `sv`
    and `en` are the rest of the sentence, written to follow the field's name."""

    field: str
    sv: str
    en: str

    def __str__(self) -> str:
        if not self.field:
            return f"{self.sv} / {self.en}"
        return f"{self.field} {self.sv} / {self.field} {self.en}"

    def swedish(self, labels: Mapping[str, Any] | None = None) -> str:
        if not self.field:
            return self.sv
        return f"{(labels or {}).get(self.field, self.field)} {self.sv}"


def describe(problems: list[RowProblem]) -> str:
    """All problems of a row as one "svenska / english" message (the engine's style)."""
    return "; ".join(str(p) for p in problems)


def describe_swedish(problems: list[RowProblem], labels: Mapping[str, Any] | None = None) -> str:
    return "; ".join(p.swedish(labels) for p in problems)


def duplicate_id(ad_id: str) -> RowProblem:
    return RowProblem("id", f"{ad_id[:60]!r} är en dubblett: finns redan tidigare i filen",
                      f"{ad_id[:60]!r} is a duplicate: already earlier in the file")


# never text: PostgreSQL refuses it mid-import, SQLite would keep it raw
NUL_LINE = RowProblem("", "raden innehåller ett NUL-tecken (nollbyte)", "line contains a NUL byte")


def split_lines(data: bytes) -> list[bytes]:
    """Physical lines, numbered from 1 by their position: split at LF only (a JSON string may hold
    U+2028 or a bare CR), without the CR of CRLF; text after the last LF is a line too."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]


def is_blank(raw: bytes) -> bool:
    """A line of only spaces, tabs or CR is no ad and no error."""
    return not raw.strip()


def parse_json_line(raw: bytes) -> tuple[Any, RowProblem | None]:
    """One line of JSON Lines decoded: (object, None) or (None, why it cannot be read)."""
    if len(raw) > MAX_LINE_BYTES:
        mb = f"{len(raw) / 1e6:.1f} MB > {MAX_LINE_BYTES / 1e6:.0f} MB"
        return None, RowProblem("", f"raden är för lång ({mb})", f"line too long ({mb})")
    if b"\x00" in raw:
        return None, NUL_LINE
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, RowProblem("", f"ogiltig UTF-8 (byte {exc.start})", f"invalid UTF-8 (byte {exc.start})")
    try:
        return _loads(s), None
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "för djup nästling / nested too deep"
        return None, RowProblem("", f"ogiltig JSON ({detail})", f"invalid JSON ({detail})")


def _short(value: Any) -> str:
    return repr(value if isinstance(value, str) else str(value))[:40]


def _text(key: str, value: Any, problems: list[RowProblem]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        if key == "price" and isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            value = str(value)  # a price written as a JSON number
        elif key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # numeric ids from spreadsheets and databases
        else:
            problems.append(RowProblem(key, "ska vara text", "must be a string"))
            return ""
    if "\x00" in value:
        problems.append(RowProblem(key, "innehåller ett NUL-tecken (\\u0000)", "contains a NUL character (\\u0000)"))
        return ""
    value = value.strip()
    if len(value) > MAX_LEN[key]:
        problems.append(RowProblem(key, f"har för många tecken ({len(value)}, högst {MAX_LEN[key]})",
                                   f"has too many characters ({len(value)}, at most {MAX_LEN[key]})"))
        return ""
    return value


def parse_seen_at(value: Any, problems: list[RowProblem]) -> datetime | None:
    """ISO 8601 date and time (a date alone is its midnight); without an offset it is Swedish time."""
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(RowProblem("seen_at", "saknas", "missing"))
        return None
    if not isinstance(value, str):
        problems.append(RowProblem("seen_at", "ska vara text (ISO 8601)", "must be a string (ISO 8601)"))
        return None
    v = value.strip()
    if v.endswith("z"):
        v = v[:-1] + "Z"
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        problems.append(RowProblem(
            "seen_at", f"är inte en tidpunkt i ISO 8601, t.ex. 2026-01-31T20:00:00+01:00 ({_short(value)})",
            f"is not an ISO 8601 time, e.g. 2026-01-31T20:00:00+01:00 ({_short(value)})"))
        return None
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        problems.append(RowProblem("seen_at", f"har ett orimligt år ({dt.year}, ska vara {MIN_YEAR}–{MAX_YEAR})",
                                   f"has an implausible year ({dt.year}, must be {MIN_YEAR}-{MAX_YEAR})"))
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=LOCAL_TZ)


def _phones(value: Any, problems: list[RowProblem]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        # one cell or string with several numbers, as spreadsheets hold them
        items: list[Any] = value.replace(";", ",").split(",")
    elif isinstance(value, list):
        items = value
    else:
        items = [None]
    out: list[str] = []
    for p in items:
        if isinstance(p, int) and not isinstance(p, bool):
            p = str(p)
        if not isinstance(p, str):
            problems.append(RowProblem("phones", "ska vara en lista med nummer (text) eller ett nummer",
                                       "must be a list of numbers (strings) or one string"))
            return []
        if "\x00" in p:
            problems.append(RowProblem("phones", "innehåller ett NUL-tecken (\\u0000)",
                                       "contains a NUL character (\\u0000)"))
            return []
        p = p.strip()
        if len(p) > MAX_PHONE_LEN:
            problems.append(RowProblem("phones", f"har ett nummer som är för långt (högst {MAX_PHONE_LEN} tecken)",
                                       f"has a number that is too long (at most {MAX_PHONE_LEN} characters)"))
            return []
        if p:
            out.append(p)
    if len(out) > MAX_PHONES:
        problems.append(RowProblem("phones", f"har för många nummer ({len(out)}, högst {MAX_PHONES})",
                                   f"has too many numbers ({len(out)}, at most {MAX_PHONES})"))
        return []
    return out


def _age(value: Any, problems: list[RowProblem]) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        s = value.strip()
        if not s:
            return None
        age = int(s) if len(s) <= 3 and s.isascii() and s.isdigit() else None
    else:
        age = value if isinstance(value, int) and not isinstance(value, bool) else None
    if age is None:
        problems.append(RowProblem("age", f"ska vara ett heltal ({_short(value)})",
                                   f"must be a whole number ({_short(value)})"))
    elif not MIN_AGE <= age <= MAX_AGE:
        problems.append(RowProblem("age", f"är orimlig ({age}, ska vara {MIN_AGE}–{MAX_AGE})",
                                   f"is implausible ({age}, must be {MIN_AGE}-{MAX_AGE})"))
        age = None
    return age


# Photos' features as `images.analyse_image` computes them (64-bit hashes in hex), at most this many.
MAX_IMAGE_FEATURES = 20
_HEX = frozenset("0123456789abcdefABCDEF")


def _image_features(value: Any, problems: list[RowProblem]) -> list[dict[str, Any]]:
    """Pre-computed photo features, normalised. They are machine-made (a ZIP import, the web
    app's stored photos), so a malformed entry refuses the row in every path rather than
    quietly dropping a photo that could link two ads."""
    if not isinstance(value, list) or len(value) > MAX_IMAGE_FEATURES:
        problems.append(RowProblem("image_features", f"ska vara en lista med högst {MAX_IMAGE_FEATURES} bilder",
                                   f"must be a list of at most {MAX_IMAGE_FEATURES} photos"))
        return []
    out = []
    for k, item in enumerate(value, start=1):
        ok = isinstance(item, dict) and all(
            isinstance(item.get(h), str) and 0 < len(item[h]) <= 16 and _HEX.issuperset(item[h])
            for h in ("phash", "bghash")
        ) and isinstance(item.get("face", False), bool) and isinstance(item.get("name", ""), str)
        if not ok:
            problems.append(RowProblem("image_features", f"bild {k}: phash och bghash ska vara 1–16 hexadecimala "
                                       "siffror, face sant/falskt",
                                       f"photo {k}: phash and bghash must be 1-16 hex digits, face a boolean"))
            return []
        out.append({"name": (item.get("name") or f"#{k}")[:200], "phash": f"{int(item['phash'], 16):016x}",
                    "bghash": f"{int(item['bghash'], 16):016x}", "face": bool(item.get("face", False))})
    return out


def validate_row(obj: Any) -> tuple[dict[str, Any] | None, list[RowProblem]]:
    """One ad as its normalised row, or (None, every problem found).

    The row: ``id`` and the text fields trimmed (missing text fields are ""), ``seen_at`` an aware
    datetime, ``phones`` a list of non-empty strings as written, ``age`` an int or None, ``image_features`` (when given) a list of
    ``{"name", "phash", "bghash", "face"}`` with 16-digit hex hashes. Unknown fields (``images``
    among them: photo files are read by the analysis only) are left out.
    """
    if not isinstance(obj, dict):
        return None, [RowProblem("", "raden är inte ett JSON-objekt", "line is not a JSON object")]
    problems: list[RowProblem] = []
    get = obj.get
    ad_id = _text("id", get("id"), problems)
    if not ad_id and not problems:
        problems.append(RowProblem("id", "saknas", "missing"))
    row: dict[str, Any] = {"id": ad_id, "seen_at": parse_seen_at(get("seen_at"), problems)}
    for key in TEXT_FIELDS:
        v = get(key)
        if v is None:
            row[key] = ""
            continue
        if type(v) is str and "\x00" not in v:  # the common case inline: millions of rows
            v = v.strip()
            if len(v) <= MAX_LEN[key]:
                row[key] = v
                continue
        row[key] = _text(key, get(key), problems)
    row["phones"] = _phones(get("phones"), problems)
    row["age"] = _age(get("age"), problems)
    if get("image_features") is not None:
        row["image_features"] = _image_features(get("image_features"), problems)
    if problems:
        return None, problems
    return row, problems
