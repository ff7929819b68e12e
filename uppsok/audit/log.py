"""The one way to write an audit row."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from typing import Any

from django.conf import settings

from .models import AuditAction, AuditEvent


def keyed_digest(value: str, *, purpose: str) -> str:
    """A short keyed hash of a value that must not be stored in clear (a search term, a typed user
    name). The auditor can check a known value against it; the log alone reveals nothing."""
    key = hmac.new(settings.SECRET_KEY.encode(), ("uppsok-audit:" + purpose).encode(), hashlib.sha256).digest()
    normalised = " ".join(value.split()).casefold()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()[:24]


def record(
    actor: Any,
    action: str,
    *,
    organisation: Any = None,
    network: Any = None,
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
    network_id = getattr(network, "pk", network)
    if network_id is not None and not isinstance(network_id, uuid.UUID):
        network_id = uuid.UUID(str(network_id))
    return AuditEvent.objects.create(
        actor_id=actor_id,
        actor_username=(getattr(actor, "username", "") or "")[:150] if actor_id else "",
        organisation_id=org_id,
        network_id=network_id,
        action=AuditAction(action),
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        detail=detail[:200],
    )


def organisations_of(account: Any) -> list[uuid.UUID]:
    """The organisations where the account holds an active membership, in a stable order."""
    from uppsok.accounts.models import Membership

    account_id = getattr(account, "pk", account)
    ids = Membership.objects.filter(user_id=account_id, is_active=True).values_list("organisation_id", flat=True)
    return sorted(set(ids), key=str)


def record_for_account(
    actor: Any,
    action: str,
    account: Any,
    *,
    object_type: str = "accounts.user",
    object_id: str = "",
    detail: str = "",
    network: Any = None,
) -> list[AuditEvent]:
    """One row in each organisation of `account`, so every auditor who answers for the person sees
    events about the account itself (logins, password and authenticator changes); an account with no
    organisation still gets one row without one."""
    object_id = object_id or str(getattr(account, "pk", account))
    orgs: list[Any] = list(organisations_of(account)) or [None]
    return [
        record(actor, action, organisation=org, network=network, object_type=object_type, object_id=object_id,
               detail=detail)
        for org in orgs
    ]
