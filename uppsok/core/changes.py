"""Saving an edit of an existing row together with its audit row, refused when someone else changed
the row since the person loaded the form.

Two people who open the same edit page both see the row as it was; without a check the second
save silently overwrites the first. An edit form therefore carries the version of what it showed
(`core.forms.EditVersion`: a hash of the edited fields' values as loaded, so no model needs a
version column), and the save compares it with the row, locked, before writing: a difference is
an `EditConflict` and nothing is saved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from uppsok.audit.log import record
from uppsok.audit.models import AuditAction


class EditConflict(Exception):  # noqa: N818 - a conflict, not a programming error
    """The row changed after the person loaded the form; nothing was saved. `current` is the row
    (or whatever the edit showed) as it is now."""

    def __init__(self, current: Any = None) -> None:
        super().__init__("edit conflict")
        self.current = current


@dataclass(frozen=True)
class Loaded:
    """What an edit form showed: the names of its fields and the version of their values then
    ("" when the form did not say: an old page or a script, which is not checked)."""

    fields: tuple[str, ...]
    version: str


def version_of_values(values: Iterable[tuple[str, Any]]) -> str:
    """A short hash of named values; dates, numbers and ids by their text."""
    canonical = json.dumps(sorted((str(k), v) for k, v in values), default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _stored(obj: models.Model, name: str) -> Any:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return getattr(obj, name, None)
    if field.many_to_many:
        return sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True))
    if field.is_relation:
        return getattr(obj, field.attname)
    return field.value_from_object(obj)


def row_version(obj: models.Model, fields: Iterable[str]) -> str:
    """The version of `fields` of `obj` as stored."""
    return version_of_values((name, _stored(obj, name)) for name in fields)


def check_version(current_version: str, loaded: Loaded | None, current: Any = None) -> None:
    """Raise `EditConflict` when the form said which version it showed and that is not `current_version`."""
    if loaded is not None and loaded.version and loaded.version != current_version:
        raise EditConflict(current)


def lock_unchanged(obj: models.Model, loaded: Loaded | None) -> models.Model:
    """Lock the row of `obj` for the rest of the transaction and return it fresh; raise
    `EditConflict` (with the fresh row) when the fields the form showed have changed since."""
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if loaded is not None:
        check_version(row_version(locked, loaded.fields), loaded, locked)
    return locked


def save_changes(
    actor: Any, obj: models.Model, changes: dict[str, Any], *, organisation: Any = None, network: Any = None,
    loaded: Loaded | None = None,
) -> list[str]:
    """Apply `changes` to `obj`, save it and write one CHANGE audit row naming the fields that changed
    (names only, never values: the values may be personal data). Call inside the action's transaction.

    With `loaded` (the edit form's `loaded`), the row is first locked and compared with what the form
    showed: `EditConflict` when someone else changed it since; `obj` is read again, so the save keeps
    their changes to fields the form did not show."""
    if loaded is not None:
        lock_unchanged(obj, loaded)
        obj.refresh_from_db()
    changed = sorted(k for k, v in changes.items() if getattr(obj, k) != v)
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.save()
    record(actor, AuditAction.CHANGE, organisation=organisation, network=network, obj=obj,
           detail=",".join(changed)[:200])
    return changed
