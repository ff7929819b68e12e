"""Reading ad files: the analysis engine's JSON Lines format and CSV with a column mapping.

Parsing never writes; it returns validated rows and the errors per row so that a dry run can show
them. Writing is `actions.do_import_ads` (one transaction: nothing is saved when it fails) and, for
the web's background import, `actions.run_import_job` (one transaction per batch, resumable).

Which rows are valid, and their normalised values, is decided by the engine's row rules
(`uppsok.analysis.rows`) so that an import and `uppsok analyse` of the same file agree; this module
adds only limits on the whole file and names the fields by their Swedish labels.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from uppsok.analysis.rows import (
    BOM,
    MAX_LEN,
    NUL_LINE,
    describe_swedish,
    duplicate_id,
    is_blank,
    parse_json_line,
    split_lines,
    validate_row,
)

__all__ = ["BOM", "FIELDS", "MAX_LEN", "MAX_ROWS", "Parsed", "clean_row", "csv_headers", "nul_line",
           "parse_csv", "parse_jsonl"]

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
# A limit of the web import only (one transaction, one preview), not a rule about rows.
MAX_ROWS = 500_000
EMPTY_FILE = "filen innehåller inga annonser"


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    lines: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def clean_row(obj: Any) -> tuple[dict[str, Any] | None, str]:
    """One ad as a row to store, or (None, its Swedish errors naming the fields by their labels)."""
    row, problems = validate_row(obj)
    if row is None:
        return None, describe_swedish(problems, FIELDS)
    row["seen_at"] = row["seen_at"].isoformat()
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
        row, err = clean_row(obj)
        if row is None:
            out.errors.append((n, err))
            continue
        if row["id"] in seen_ids:
            out.errors.append((n, duplicate_id(row["id"]).swedish(FIELDS)))
            continue
        seen_ids.add(row["id"])
        out.rows.append(row)
    if not out.rows and not out.errors:
        out.errors.append((0, EMPTY_FILE))
    return out


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def nul_line(text: str) -> int | None:
    """The line number of the first NUL character, or None."""
    at = text.find("\x00")
    return None if at < 0 else text.count("\n", 0, at) + 1


def _not_utf8() -> Parsed:
    out = Parsed()
    out.errors.append((0, "filen är inte UTF-8-text"))
    return out


def parse_jsonl(data: bytes) -> Parsed:
    """Lines are split, read and numbered as `uppsok analyse` does; a line that cannot be read
    (not UTF-8, a NUL byte, not JSON) is that line's error."""
    if data.startswith(BOM):
        data = data[len(BOM):]

    def records() -> Iterator[tuple[int, Any]]:
        for n, raw in enumerate(split_lines(data), start=1):
            if is_blank(raw):
                continue
            obj, problem = parse_json_line(raw)
            yield n, (obj if problem is None else _LineError(problem.swedish()))

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
    """`mapping`: engine field → CSV column name (empty: not in the file). Each mapped row is checked
    by the same row rules as a JSON line; unmapped columns are ignored like unknown JSON fields."""
    text = _decode(data)
    if text is None:
        return _not_utf8()
    dialect = _dialect(text)
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    has_nul = "\x00" in text

    def records() -> Iterator[tuple[int, Any]]:
        for rec in reader:
            if not any(isinstance(v, str) and v.strip() for v in rec.values()):
                continue  # a blank or whitespace line, as in JSON Lines
            if has_nul and any("\x00" in str(v) for v in rec.values()):
                yield reader.line_num, _LineError(NUL_LINE.swedish())  # in any column, as in a JSON line
                continue
            yield reader.line_num, {f: (rec.get(col) or "").strip() for f, col in mapping.items() if col}

    return _collect(records())
