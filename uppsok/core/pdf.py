"""PDF documents with a Unicode font shipped in the package (å, ä, ö on any server).

The font is DejaVu Sans (free licence in fonts/LICENSE-DejaVu.txt); shipping it avoids depending
on whatever fonts a municipal server happens to have installed.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from .display import neutralise_bidi

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu"


class Document(FPDF):
    """An A4 document whose every text passes through `neutralise_bidi`: a tip to the police must
    show a phone number in the order it was written."""

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(neutralise_bidi(text))


def new_document(title: str) -> FPDF:
    pdf = Document(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Uppsök")
    pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    return pdf
