"""Every stylesheet and script the templates link to is found by the static files finders."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

TEMPLATES = Path(__file__).resolve().parent.parent / "uppsok" / "templates"


def test_every_static_reference_resolves():
    refs = set()
    for path in TEMPLATES.rglob("*.html"):
        refs |= set(re.findall(r"{%\s*static\s+['\"]([^'\"]+)['\"]\s*%}", path.read_text(encoding="utf-8")))
    assert "uppsok/app.css" in refs
    missing = sorted(ref for ref in refs if finders.find(ref) is None)
    assert missing == []
