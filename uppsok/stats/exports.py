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


def _bar_chart(pdf: Any, title: str, points: list[tuple[str, int | None]]) -> None:
    """Bars drawn with rectangles (a hidden value draws no bar and is marked "–"), then its numbers,
    so the chart is never the only place a figure is."""
    usable = [v for _l, v in points if v is not None]
    top = max(usable, default=0) or 1
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, "B", 10)
    pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    x0, y0 = pdf.l_margin, pdf.get_y()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    height = 40
    step = width / max(1, len(points))
    pdf.set_fill_color(29, 78, 137)
    pdf.set_font(FONT_FAMILY, "", 6)
    for i, (label, value) in enumerate(points):
        x = x0 + i * step
        if value:
            h = height * value / top
            pdf.rect(x + 1, y0 + height - h, max(1.0, step - 2), h, style="F")
        pdf.set_xy(x, y0 + height + 1)
        pdf.cell(step, 3, f"{label}: {'–' if value is None else value}", align="C")
    pdf.set_xy(x0, y0 + height + 6)


def annual_report_pdf(title: str, intro: list[str], tables: list[tuple[str, list[str], list[list[Any]]]],
                      notes: list[str], charts: list[tuple[str, list[tuple[str, int | None]]]] = ()) -> bytes:
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
    for chart_title, points in charts:
        _bar_chart(pdf, chart_title, points)
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, "", 8)
    for line in notes:
        pdf.multi_cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
