"""The one way to write an audit row."""

from __future__ import annotations

import uuid
from typing import Any

from .models import AuditAction, AuditEvent


def record(
    actor: Any,
    action: str,
    *,
    organisation: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    detail: str = "",
) -> AuditEvent:
    """Write one audit row. `obj` is a model instance; only its type and primary key are kept."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    org_id = getattr(organisation, "pk", organisation)
    if org_id is not None and not isinstance(org_id, uuid.UUID):
        org_id = uuid.UUID(str(org_id))
    return AuditEvent.objects.create(
        actor_id=actor_id,
        actor_username=(getattr(actor, "username", "") or "")[:150] if actor_id else "",
        organisation_id=org_id,
        action=AuditAction(action),
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        detail=detail[:200],
    )
