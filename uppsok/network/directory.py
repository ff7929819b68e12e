"""The directory's shipped entries: `data/directory.json`, taken from the source documents (each entry
names its source and when it was checked against it). Loaded by a migration and by
`uppsok load-directory` after an update of the file; an entry is matched by its key, so loading
again updates the shipped entries and never touches a network's own."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "directory.json"
FIELDS = ("kind", "name", "description", "phone", "website", "area", "takes_orosanmalan", "source")


def shipped_entries() -> list[dict[str, Any]]:
    return json.loads(DATA.read_text(encoding="utf-8"))["entries"]


def load(model: Any) -> tuple[int, int]:
    """Create or update the shipped entries in `model` (the model class, or a migration's historical
    one); returns (created, updated)."""
    created = updated = 0
    for e in shipped_entries():
        values = {k: e.get(k, "") for k in FIELDS}
        values["takes_orosanmalan"] = bool(e.get("takes_orosanmalan"))
        values["checked_on"] = datetime.date.fromisoformat(e["checked_on"]) if e.get("checked_on") else None
        _obj, made = model.objects.update_or_create(key=e["key"], network=None, defaults=values)
        created += made
        updated += not made
    return created, updated
