"""Fill the English catalogue from scripts/en_translations.tsv (Swedish msgid <TAB> English).

Swedish is the source language of the interface; this keeps the English translations reviewable
as one sorted file. Run: .venv/bin/python scripts/translate_en.py  (then compilemessages).
Prints the msgids that still lack an English text.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "uppsok" / "locale" / "en" / "LC_MESSAGES" / "django.po"
TSV = ROOT / "scripts" / "en_translations.tsv"


def load_pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sv, _, en = line.partition("\t")
        pairs[sv.replace("\\n", "\n")] = en.replace("\\n", "\n")
    return pairs


def main() -> int:
    pairs = load_pairs()
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if entry.msgid_plural:
            one, many = pairs.get(entry.msgid), pairs.get(entry.msgid_plural)
            if one and many:
                entry.msgstr_plural = {0: one, 1: many}
            else:
                missing.append(entry.msgid)
        elif entry.msgid in pairs:
            entry.msgstr = pairs[entry.msgid]
        else:
            missing.append(entry.msgid)
    po.metadata["Language"] = "en"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    for m in missing:
        print(f"saknar översättning / missing: {m!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
