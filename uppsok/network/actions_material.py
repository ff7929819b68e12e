"""Writes to the stakeholder analysis, the knowledge bank and the directory: atomic, each with its
audit row."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsok.accounts.models import User
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.changes import Loaded, save_changes
from uppsok.core.files import removed_on_error, track

from .actions import do_remove
from .models import DirectoryEntry, Network, Resource, Stakeholder

STAKEHOLDER_TEXTS = ("actor", "reason", "action", "result", "contact_person", "level", "comment")


def _stakeholder_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"influence": data["influence"], "support": data["support"],
            **{k: (data.get(k) or "").strip() for k in STAKEHOLDER_TEXTS}}


@transaction.atomic
def do_add_stakeholder(actor: User, network: Network, data: dict[str, Any]) -> Any:
    row = Stakeholder.objects.create(network=network, **_stakeholder_fields(data))
    record(actor, AuditAction.CREATE, network=network, obj=row)
    return row


@transaction.atomic
def do_update_stakeholder(actor: User, row: Any, data: dict[str, Any], *, loaded: Loaded | None = None) -> list[str]:
    locked = Stakeholder.objects.select_for_update().get(pk=row.pk)
    return save_changes(actor, locked, _stakeholder_fields(data), network=locked.network_id, loaded=loaded)


@removed_on_error()
@transaction.atomic
def do_add_resource(actor: User, network: Network, data: dict[str, Any]) -> Any:
    upload = data.get("file")
    row = Resource(network=network, added_by=actor, title=data["title"], url=data.get("url") or "",
                   category=data["category"], focus=data.get("focus") or "", description=data.get("description") or "",
                   checked_on=data.get("checked_on"))
    if upload:
        row.file_name = upload.name[:200]
        row.file = upload
    row.save()
    track(row.file)
    record(actor, AuditAction.CREATE, network=network, obj=row)
    return row


@transaction.atomic
def do_remove_resource(actor: User, row: Any) -> None:
    stored = row.file.name if row.file else ""
    do_remove(actor, row)
    if stored:
        # the file goes only once the row is gone for good
        transaction.on_commit(lambda: default_storage.delete(stored))


DIRECTORY_TEXTS = ("kind", "name", "description", "phone", "website", "email", "area")


def _directory_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"takes_orosanmalan": bool(data.get("takes_orosanmalan")),
            **{k: (data.get(k) or "").strip() for k in DIRECTORY_TEXTS}}


@transaction.atomic
def do_add_directory_entry(actor: User, network: Network, data: dict[str, Any]) -> Any:
    entry = DirectoryEntry.objects.create(network=network, source=str(_("Nätverkets egen uppgift")),
                                          checked_on=timezone.localdate(), **_directory_fields(data))
    record(actor, AuditAction.CREATE, network=network, obj=entry)
    return entry


@transaction.atomic
def do_update_directory_entry(actor: User, entry: Any, data: dict[str, Any], *, loaded: Loaded | None = None) -> list[str]:
    locked = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    changes = {**_directory_fields(data), "checked_on": timezone.localdate()}
    return save_changes(actor, locked, changes, network=locked.network_id, loaded=loaded)
