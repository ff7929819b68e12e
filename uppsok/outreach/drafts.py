"""Drafts for a police tip and an orosanmälan, from seed 000's appendix texts, and their PDF."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from . import evidence
from .models import INDICATOR_LABELS, Ad, AdIndicator

FIRST_CONTACT_TEXT = """Hej {profil}

Mitt namn är {namn} och jag arbetar på {organisation}. Jag söker inte någon sexuell kontakt utan vill bara kolla hur det är med dig? Jag vet att det ibland kan vara tufft att vara på de här sidorna och att det finns män som gör saker som man själv kanske inte vill/som inte känns okej.

Det kan vara skönt att prata med någon om det. Jag lyssnar gärna.

Om du vill prata vidare så kan vi göra det. Annars får du gärna spara mina kontaktuppgifter så kan du höra av dig längre fram om det skulle vara något.

Ta hand om dig,
{namn} ({organisation})"""


def fill_template(body: str, *, profile: str, worker: str, organisation: str) -> str:
    return body.replace("{profil}", profile or "").replace("{namn}", worker).replace("{organisation}", organisation)


def _indicator_lines(ad: Ad) -> list[str]:
    """The signs not dismissed, each with the sentence the ad page shows, in the draft's language
    (Swedish, whatever language the worker's interface is in)."""
    inds = [i for i in ad.indicators.all() if i.status != AdIndicator.Status.DISMISSED]
    with translation.override("sv"):
        lines = []
        for i in inds:
            text = evidence.describe(i).text
            lines.append(f"- {INDICATOR_LABELS.get(i.code, i.code)}" + (f": {text[:300]}" if text else ""))
    return lines


def tip_text(ad: Ad, organisation: Any, linked: list[Ad], contacts: list[Any]) -> str:
    seen = ad.first_seen.date().isoformat()
    last = ad.last_seen.date().isoformat()
    lines = [
        "Hej,",
        "",
        "Jag önskar att detta tips ska nå någon inom polisen som arbetar med människohandelsfrågor.",
        "",
        f"Jag vill tipsa om misstänkt människohandel. Jag arbetar för {organisation.name}, som är en verksamhet"
        + (f" i {organisation.municipality}" if organisation.municipality else "")
        + " som erbjuder stöd för personer som utnyttjats i människohandel för sexuella ändamål eller prostitution."
        " Vi arbetar uppsökande till personer som förekommer i annonser på sexköpssidor. Vi tar kontakt med personer"
        " via deras annonser, för att skapa relation, informera om och erbjuda stöd.",
        "",
        f"Annonsen sågs första gången {seen} och senast {last}"
        + (f" i {ad.city}" if ad.city else "")
        + (f" på {ad.site}" if ad.site else "")
        + ".",
    ]
    if contacts:
        c = contacts[0]
        lines += ["", f"Vi tog kontakt den {c.contacted_at.date().isoformat()} genom vårt uppsökande arbete på internet."]
        signs = c.someone_else_signs
        if signs:
            lines.append("Vid kontakten märkte vi: " + ", ".join(signs) + ".")
    ind = _indicator_lines(ad)
    if ind:
        lines += ["", "Det vi reagerade på (indikatorer på människohandel):", *ind]
    if ad.url:
        lines += ["", f"Länk till annonsen: {ad.url}"]
    if linked:
        lines += ["", "Annonser som hänger ihop med denna (samma eller närliggande telefonnummer, bilder eller text):"]
        for other in linked[:20]:
            phones = ", ".join(p.e164 for p in other.phones.all())
            lines.append(f"- {other.url or other.title or other.profile_name} ({other.city}, {other.last_seen.date().isoformat()}) {phones}".rstrip())
    lines += [
        "",
        "Av erfarenhet vet vi att det är brådskande eftersom personerna ofta flyttas runt av människohandlarna,"
        " som en form av kontroll och nytt utbud för kunder.",
        "",
        "Annonsen är fortfarande aktiv." if ad.still_active else "Annonsen verkar inte längre vara aktiv.",
        "",
        "Vänligen kontakta oss på telefonnummer: ",
    ]
    return "\n".join(lines)


def orosanmalan_text(ad: Ad, organisation: Any) -> str:
    ind = _indicator_lines(ad)
    return "\n".join(
        [
            "Orosanmälan – till socialtjänsten i den kommun där barnet bor",
            "",
            f"Från: {organisation.name}",
            "",
            "Vilket barn det gäller:",
            f"Profilnamn i annonsen: {ad.profile_name or '–'}"
            + (f", uppgiven ålder {ad.stated_age}" if ad.stated_age else "")
            + (f", ort {ad.city}" if ad.city else ""),
            f"Annonsens adress: {ad.url or '–'}",
            "",
            "Vad vi har sett:",
            f"Annonsen sågs {ad.first_seen.date().isoformat()}–{ad.last_seen.date().isoformat()}.",
            *ind,
            "",
            "Vår oro för barnet:",
            "(Beskriv konkret och detaljerat vad som gör er oroliga.)",
            "",
            "Barnet har informerats om anmälan och erbjudits att läsa den: ja/nej",
            "",
            "Kontaktuppgifter till oss: ",
        ]
    )


def to_pdf(title: str, text: str) -> bytes:
    from uppsok.core.pdf import FONT_FAMILY, new_document

    pdf = new_document(title)
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.multi_cell(0, 8, title)
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, size=11)
    # Plain text only: fpdf2 does not interpret markup in multi_cell unless asked (markdown=False).
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())
