"""A referral as PDF, for an organisation outside the platform. Built in memory, never stored."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from uppsok.core.pdf import new_document


def referral_pdf(referral: Any, sender: Any) -> bytes:
    pdf = new_document("Remiss")

    def heading(text: str, size: int = 12) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    def para(text: str) -> None:
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    heading("Remiss – sekretessbelagd", 16)
    para(f"Från: {sender.name}")
    para(f"Till: {referral.recipient_name}")
    para(f"Datum: {timezone.localtime(referral.created_at):%Y-%m-%d}")
    para(f"Referens: R-{str(referral.pk)[:8].upper()}")
    heading("Samtycke")
    if referral.consent_id:
        consent = referral.consent
        para(
            f"Personen har samtyckt {consent.given_on:%Y-%m-%d} till att dela följande med {consent.to_whom}: "
            f"{consent.scope}"
        )
    else:
        para("Remissen görs utan samtycke efter ett dokumenterat beslut hos avsändaren.")
    heading("Sammanfattning som personen har godkänt att dela")
    para(referral.summary)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0, 5,
        "Uppgifterna omfattas av sekretess. Spara dem bara så länge ni behöver dem för ert stöd till personen, "
        "och kontakta avsändaren om personen återkallar sitt samtycke.",
    )
    return bytes(pdf.output())
