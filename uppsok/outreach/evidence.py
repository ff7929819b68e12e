"""An indicator's evidence worded for people, in the language of the page or the draft.

The engine gives the parts (`AdIndicator.evidence_data`: the ad's words with the matched words, or
facts such as other ads by date, town and profile name); the sentence is written here with gettext,
so the Swedish page says it in Swedish and the English page in English. A row without parts (added
by hand, or analysed before they existed) shows its stored text. Nothing here names an internal id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Ad, AdIndicator


@dataclass
class Evidence:
    """`text`: one plain sentence; `segments`: the quotation as (words, matched) for the page."""

    text: str
    segments: list[tuple[str, bool]] = field(default_factory=list)


def format_phone(e164: str) -> str:
    """A Swedish mobile number as Swedes write it ("070-123 45 67"); any other number as E.164."""
    if re.fullmatch(r"\+467\d{8}", e164 or ""):
        n = "0" + e164[3:]
        return f"{n[:3]}-{n[3:6]} {n[6:8]} {n[8:]}"
    return e164


def _more(n: int) -> str:
    return _("och %(n)s till") % {"n": n} if n else ""


def _ads(refs: list[dict[str, Any]], more: int) -> str:
    items = [
        " ".join(x for x in (str(r.get("date", "")), str(r.get("city", "")),
                             f"«{r['profile']}»" if r.get("profile") else "") if x)
        for r in refs
    ]
    tail = _more(more)
    return ", ".join(items) + (f" {tail}" if tail else "")


def _sentence(code: str, facts: dict[str, Any]) -> str:
    if code == "shared_phone":
        parts = []
        for p in facts.get("phones", []):
            n = len(p.get("ads", [])) + int(p.get("more", 0))
            parts.append(ngettext(
                "%(phone)s finns även i %(n)s annan annons: %(ads)s",
                "%(phone)s finns även i %(n)s andra annonser: %(ads)s", n,
            ) % {"phone": format_phone(p.get("phone", "")), "n": n,
                 "ads": _ads(p.get("ads", []), int(p.get("more", 0)))})
        for run in facts.get("serial", []):
            phones = ", ".join(format_phone(x) for x in run.get("phones", []))
            tail = _more(int(run.get("more", 0)))
            parts.append(_("Närliggande serienummer: %(phones)s") % {"phones": phones + (f" {tail}" if tail else "")})
        return "; ".join(parts)
    if code == "same_place_photos":
        return _("Liknande bilder i andra profilers annonser: %(ads)s") % {
            "ads": _ads(facts.get("ads", []), int(facts.get("more", 0)))}
    if code == "low_price":
        if facts.get("median") is not None:
            return _("%(price)s kr per timme (golv %(floor)s kr, median %(median)s kr)") % facts
        return _("%(price)s kr per timme (golv %(floor)s kr)") % facts
    if code == "moves_between_cities":
        steps = " → ".join(f"{s.get('city', '')} {s.get('date', '')}" for s in facts.get("steps", []))
        tail = _more(int(facts.get("more", 0)))
        steps += f" {tail}" if tail else ""
        if facts.get("who"):
            who = facts["who"]
            who = format_phone(who) if who.startswith("+") else f"«{who}»"
            return _("%(who)s har synts i: %(steps)s") % {"who": who, "steps": steps}
        return _("Har synts i: %(steps)s") % {"steps": steps}
    if code == "not_from_sweden" and "nationality" in facts:
        return _("Uppgiven nationalitet: %(nationality)s") % facts
    if code == "possible_minor" and "age" in facts:
        return _("Uppgiven ålder: %(age)s år") % facts
    if code == "face_visible" and facts.get("photos"):
        return _("Ansiktet syns på: %(photos)s") % {"photos": ", ".join(map(str, facts["photos"]))}
    return ""


def _valid_spans(spans: Any, length: int) -> list[tuple[int, int]]:
    """Spans that lie within a text of `length`, sorted and without overlaps (stored data is only
    trusted as far as it fits)."""
    out: list[tuple[int, int]] = []
    for span in spans if isinstance(spans, list) else []:
        if (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)
                and 0 <= span[0] < span[1] <= length):
            out.append((span[0], span[1]))
    return _merged(out, join_touching=False)


def _merged(spans: list[tuple[int, int]], *, join_touching: bool) -> list[tuple[int, int]]:
    """`spans` sorted and overlapping ones joined (touching ones too with `join_touching`)."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and (s <= merged[-1][1] if join_touching else s < merged[-1][1]):
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def quoted_marks(text: str, quotations: list[str]) -> list[tuple[str, bool]]:
    """For indicators analysed before the engine gave trigger offsets: `text` cut at the places
    where their stored quotations ("…gör allt…") occur."""
    spans: list[tuple[int, int]] = []
    low = text.casefold()
    for ev in quotations:
        for part in re.split(r"…|\.\.\.", ev or ""):
            part = part.strip()
            if len(part) < 3:
                continue
            i = low.find(part.casefold())
            if i >= 0 and len(part) == len(text[i : i + len(part)]):
                spans.append((i, i + len(part)))
    return split_marked(text, _merged(spans, join_touching=True))


def split_marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, marked) at `spans`; the template escapes every piece."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for s, e in spans:
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def describe(ind: AdIndicator) -> Evidence:
    """The evidence of `ind` in the active language."""
    data = ind.evidence_data if isinstance(ind.evidence_data, dict) else {}
    quote = data.get("quote")
    if isinstance(quote, str) and quote:
        return Evidence(f"«{quote}»", split_marked(quote, _valid_spans(data.get("trigger"), len(quote))))
    facts = data.get("facts")
    if isinstance(facts, dict):
        try:
            text = _sentence(ind.code, facts)
        except (KeyError, TypeError, ValueError):
            text = ""
        if text:
            return Evidence(text)
    return Evidence(ind.evidence)


def text_marks(ad: Ad, indicators: list[AdIndicator]) -> list[tuple[int, int]] | None:
    """Where the matched words of `indicators` lie in `ad.text`, or None when no indicator carries
    them (rows analysed before the engine gave them)."""
    # the engine reads the title and the text joined by one newline
    shift = len(ad.title) + 1 if ad.title and ad.text else (len(ad.title) if ad.title else 0)
    spans: list[list[int]] = []
    found = False
    for ind in indicators:
        if ind.status == AdIndicator.Status.DISMISSED:
            continue
        data = ind.evidence_data if isinstance(ind.evidence_data, dict) else {}
        at = data.get("trigger_in_text")
        if not isinstance(at, list):
            continue
        found = True
        for span in at:
            if isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span):
                spans.append([max(0, span[0] - shift), span[1] - shift])
    if not found:
        return None
    return _valid_spans(spans, len(ad.text))
