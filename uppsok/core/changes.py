"""Saving an edit of an existing row together with its audit row."""

from __future__ import annotations

from typing import Any

from django.db import models

from uppsok.audit.log import record
from uppsok.audit.models import AuditAction


def save_changes(
    actor: Any, obj: models.Model, changes: dict[str, Any], *, organisation: Any = None, network: Any = None
) -> list[str]:
    """Apply `changes` to `obj`, save it and write one CHANGE audit row naming the fields that changed
    (names only, never values: the values may be personal data). Call inside the action's transaction."""
    changed = sorted(k for k, v in changes.items() if getattr(obj, k) != v)
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.save()
    record(actor, AuditAction.CHANGE, organisation=organisation, network=network, obj=obj,
           detail=",".join(changed)[:200])
    return changed
