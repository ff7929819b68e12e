"""Reading ad files: the analysis engine's JSON Lines format and CSV with a column mapping.

Parsing never writes; it returns validated rows and the errors per row so that a dry run can show
them. Writing is `actions.do_import_ads` (one transaction: nothing is saved when it fails).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

# The fields of one ad in the engine's input format, with the Swedish label shown when mapping CSV columns.
FIELDS: dict[str, str] = {
    "id": "Id",
    "seen_at": "Sedd (datum och tid)",
    "site": "Webbplats",
    "url": "Adress (URL)",
    "city": "Ort",
    "profile_name": "Profilnamn",
    "title": "Rubrik",
    "text": "Annonstext",
    "phones": "Telefon",
    "price": "Pris",
    "age": "Ålder",
    "nationality": "Nationalitet",
}
MAX_LEN = {"site": 120, "url": 500, "city": 120, "profile_name": 200, "title": 300, "price": 100,
           "nationality": 100, "id": 200, "text": 20000}
MAX_ROWS = 500_000


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    lines: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _parse_seen(value: Any) -> datetime | None:
    if value in (None, ""):
        return timezone.now()
    if not isinstance(value, str):
        return None
    text = value.strip()
    dt = parse_datetime(text)
    if dt is None:
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            return None
    if timezone.is_naive(dt):
        dt = timezone.make_aware(dt)
    return dt


def clean_row(obj: Any, line: int) -> tuple[dict[str, Any] | None, str]:
    """One ad as a validated dict, or (None, Swedish error)."""
    if not isinstance(obj, dict):
        return None, "raden är inte ett objekt"
    row: dict[str, Any] = {}
    for key in ("id", "site", "url", "city", "profile_name", "title", "text", "price", "nationality"):
        value = obj.get(key, "")
        if value is None:
            value = ""
        if isinstance(value, int | float):
            value = str(value)
        if not isinstance(value, str):
            return None, f"fältet {key} ska vara text"
        if "\x00" in value:
            return None, f"fältet {key} innehåller ett NUL-tecken (\\u0000)"
        value = value.strip()
        if len(value) > MAX_LEN[key]:
            return None, f"fältet {key} är för långt (högst {MAX_LEN[key]} tecken)"
        row[key] = value
    seen = _parse_seen(obj.get("seen_at"))
    if seen is None:
        return None, "seen_at är inte ett datum (ISO 8601, t.ex. 2026-01-31T20:00:00+01:00)"
    row["seen_at"] = seen.isoformat()
    phones = obj.get("phones", [])
    if isinstance(phones, str):
        phones = [p for p in phones.replace(";", ",").split(",") if p.strip()]
    if not isinstance(phones, list) or not all(isinstance(p, str | int) for p in phones):
        return None, "phones ska vara en lista med nummer"
    if any("\x00" in str(p) for p in phones):
        return None, "phones innehåller ett NUL-tecken (\\u0000)"
    row["phones"] = [str(p)[:40] for p in phones][:10]
    age = obj.get("age")
    if age in (None, ""):
        row["age"] = None
    else:
        try:
            row["age"] = int(str(age).strip())
        except ValueError:
            return None, "age ska vara ett heltal"
        if not 0 < row["age"] < 120:
            return None, "age är orimlig"
    if not (row["id"] or row["url"]):
        return None, "id eller adress (url) behövs för att känna igen annonsen igen"
    if not (row["text"] or row["title"] or row["phones"] or row["profile_name"]):
        return None, "annonsen saknar både text, rubrik, telefon och profilnamn"
    return row, ""


class _LineError(str):
    """A line that could not be read at all; carried through `_collect` as its message."""


def _collect(records: Iterable[tuple[int, Any]]) -> Parsed:
    """Check (line number, record) pairs the same way for every file format: row limit, fields,
    duplicate ids. A record is a dict of fields, or a _LineError for a line that did not parse."""
    out = Parsed()
    seen_ids: set[str] = set()
    for n, obj in records:
        out.lines += 1
        if out.lines > MAX_ROWS:
            out.errors.append((n, f"för många rader (högst {MAX_ROWS})"))
            break
        if isinstance(obj, _LineError):
            out.errors.append((n, str(obj)))
            continue
        row, err = clean_row(obj, n)
        if row is None:
            out.errors.append((n, err))
            continue
        if row["id"] and row["id"] in seen_ids:
            out.errors.append((n, f"id {row['id'][:40]!r} finns redan i filen"))
            continue
        seen_ids.add(row["id"])
        out.rows.append(row)
    if not out.rows and not out.errors:
        out.errors.append((0, "filen innehåller inga annonser"))
    return out


def _decode(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    # A NUL byte is never text: SQLite would store it, PostgreSQL refuses it mid-import.
    return None if "\x00" in text else text


def nul_line(text: str) -> int | None:
    """The line number of the first NUL character, or None."""
    at = text.find("\x00")
    return None if at < 0 else text.count("\n", 0, at) + 1


def _not_utf8() -> Parsed:
    out = Parsed()
    out.errors.append((0, "filen är inte UTF-8-text (eller innehåller NUL-tecken)"))
    return out


def parse_jsonl(data: bytes) -> Parsed:
    text = _decode(data)
    if text is None:
        return _not_utf8()

    def records() -> Iterator[tuple[int, Any]]:
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, _LineError(f"ogiltig JSON ({exc.msg})")

    return _collect(records())


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    # Swedish spreadsheets export with semicolons; sniff the first lines, fall back to commas.
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def csv_headers(data: bytes) -> list[str]:
    text = _decode(data)
    if text is None:
        return []
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text), dialect)
    return [h.strip() for h in next(reader, [])]


def parse_csv(data: bytes, mapping: dict[str, str]) -> Parsed:
    """`mapping`: engine field → CSV column name (empty: not in the file)."""
    text = _decode(data)
    if text is None:
        return _not_utf8()
    dialect = _dialect(text)
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    records = (
        (n, {f: (rec.get(col) or "").strip() for f, col in mapping.items() if col})
        for n, rec in enumerate(reader, start=2)
    )
    return _collect(records)


# Progress of a running import, readable by another process while the import's transaction is open.
def _progress_path(job_id: Any) -> Path:
    d = Path(tempfile.gettempdir()) / "uppsok-import-progress"
    d.mkdir(mode=0o700, exist_ok=True)
    return d / f"{job_id}.txt"


def write_progress(job_id: Any, done: int, total: int) -> None:
    _progress_path(job_id).write_text(f"{done} {total}")


def read_progress(job_id: Any) -> tuple[int, int] | None:
    try:
        done, total = _progress_path(job_id).read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return None


def clear_progress(job_id: Any) -> None:
    _progress_path(job_id).unlink(missing_ok=True)
