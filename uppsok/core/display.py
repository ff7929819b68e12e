"""Text from outside (imported ads, typed notes) made safe to show.

Unicode's bidirectional controls (right-to-left override, isolates, marks) reorder what follows them
on screen: "Anna\u202egnp.exe" shows as "Annaexe.png", and a phone number after it reads reversed.
Such text is kept as it arrived (it can be evidence) and neutralised wherever it is shown: in every
HTML page by `BidiNeutraliseMiddleware`, in CSV exports and in PDFs through `neutralise_bidi`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the invisible direction
# marks (U+200E, U+200F, U+061C): each is replaced by a visible code such as "[U+202E]".
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_RE = re.compile("[" + BIDI_CONTROLS + "]")
# The same characters as UTF-8 bytes, to skip decoding the (usual) page that has none.
_BIDI_BYTES_RE = re.compile(b"|".join(re.escape(ch.encode()) for ch in BIDI_CONTROLS))


def _visible(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group(0)):04X}]"


def neutralise_bidi(text: str) -> str:
    """The text with every bidirectional control replaced by its visible code."""
    if not text:
        return text
    return _BIDI_RE.sub(_visible, text)


class BidiNeutraliseMiddleware:
    """Neutralises bidirectional controls in every HTML page, whatever template or field shows them.

    Doing it on the finished page rather than per template means a new template cannot forget it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        body = response.content
        if not _BIDI_BYTES_RE.search(body):
            return response
        charset = response.charset or "utf-8"
        response.content = neutralise_bidi(body.decode(charset)).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
