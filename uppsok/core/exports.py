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


def csv_response(filename: str) -> tuple[Any, Any]:
    """The project's one CSV dialect: UTF-8 with a BOM (Excel reads å, ä, ö), semicolons (a Swedish
    spreadsheet's list separator), an attachment. Returns (response, writer); pass every cell
    through `safe_csv_cell`."""
    import csv

    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv.writer(response, delimiter=";")
