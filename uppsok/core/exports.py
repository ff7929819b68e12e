"""Making exported values inert."""

from __future__ import annotations

from typing import Any

from .display import neutralise_bidi

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_csv_cell(value: Any) -> str:
    # A spreadsheet honours bidirectional controls as a browser does: "gnp.exe" would read "exe.png".
    text = "" if value is None else neutralise_bidi(str(value))
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text
