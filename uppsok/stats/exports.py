"""Statistics as files: XLSX (a sheet per table, numbers as number cells, text made inert), and the
annual report as PDF."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from uppsok.core.exports import safe_csv_cell
from uppsok.core.pdf import FONT_FAMILY, new_document


def xlsx(tables: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """One sheet per (title, header, rows); a number stays a number, any text is made inert."""
    buffer = io.BytesIO()
    # strings are never turned into formulas or numbers by the library either
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    used: set[str] = set()
    for title, header, rows in tables:
        name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Blad"
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = book.add_worksheet(name)
        for c, text in enumerate(header):
            sheet.write_string(0, c, safe_csv_cell(text), bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, bool) or value is None:
                    sheet.write_string(r, c, "" if value is None else str(value))
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, safe_csv_cell(value))
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, max(1, len(header) - 1), 14)
    book.close()
    return buffer.getvalue()


def annual_report_pdf(title: str, intro: list[str], tables: list[tuple[str, list[str], list[list[Any]]]],
                      notes: list[str]) -> bytes:
    pdf = new_document(title)
    pdf.set_font(FONT_FAMILY, "B", 16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10)
    for line in intro:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    for heading, header, rows in tables:
        pdf.ln(3)
        pdf.set_font(FONT_FAMILY, "B", 12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        with pdf.table(text_align=("LEFT", *("RIGHT",) * (len(header) - 1)), first_row_as_headings=True,
                       col_widths=(3, *(1,) * (len(header) - 1)), line_height=5) as table:
            pdf.set_font(FONT_FAMILY, "", 8)
            for row in [header, *rows]:
                cells = table.row()
                for value in row:
                    cells.cell("–" if value is None else str(value))
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, "", 8)
    for line in notes:
        pdf.multi_cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
