"""Writes to a network's meetings, their decisions and follow-ups: atomic, each with its audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsok.accounts.models import User
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.changes import Loaded, save_changes

from .actions import ActionError
from .models import FollowUp, Meeting, MeetingDecision, Network, NetworkMembership

MEETING_TEXTS = ("title", "place", "agenda", "minutes", "other_participants")


def _meeting_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"starts_at": data["starts_at"], "ends_at": data.get("ends_at"),
            **{k: (data.get(k) or "").strip() for k in MEETING_TEXTS}}


def _check_participants(network: Network, organisations: Any) -> list[Any]:
    """Participants are member organisations; anything else is refused, not silently dropped."""
    orgs = list(organisations or [])
    members = set(NetworkMembership.objects.filter(network=network).values_list("organisation_id", flat=True))
    if any(o.pk not in members for o in orgs):
        raise ActionError(_("Deltagare i Uppsök måste vara medlemsorganisationer i nätverket."))
    return orgs


@transaction.atomic
def do_book_meeting(actor: User, network: Network, data: dict[str, Any]) -> Meeting:
    orgs = _check_participants(network, data.get("participant_organisations"))
    meeting = Meeting.objects.create(network=network, created_by=actor, **_meeting_fields(data))
    meeting.participant_organisations.set(orgs)
    record(actor, AuditAction.CREATE, network=network, obj=meeting)
    return meeting


@transaction.atomic
def do_update_meeting(actor: User, meeting: Meeting, data: dict[str, Any], *, loaded: Loaded | None = None) -> list[str]:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    orgs = _check_participants(locked.network, data.get("participant_organisations"))
    changes = _meeting_fields(data)
    changed = save_changes(actor, locked, changes, network=locked.network_id, loaded=loaded)
    if {o.pk for o in orgs} != set(locked.participant_organisations.values_list("pk", flat=True)):
        locked.participant_organisations.set(orgs)
        record(actor, AuditAction.CHANGE, network=locked.network_id, obj=locked, detail="participant_organisations")
        changed.append("participant_organisations")
    return changed


@transaction.atomic
def do_add_decision(actor: User, meeting: Meeting, text: str) -> MeetingDecision:
    decision = MeetingDecision.objects.create(network_id=meeting.network_id, meeting=meeting, text=text)
    record(actor, AuditAction.CREATE, network=meeting.network_id, obj=decision)
    return decision


@transaction.atomic
def do_add_follow_up(actor: User, network: Network, meeting: Meeting | None, data: dict[str, Any]) -> FollowUp:
    org = data.get("responsible_organisation")
    if org is not None and not NetworkMembership.objects.filter(network=network, organisation=org).exists():
        raise ActionError(_("Den ansvariga organisationen måste vara medlem i nätverket."))
    if org is None and not (data.get("responsible_name") or "").strip():
        raise ActionError(_("Ange vem som är ansvarig: en medlemsorganisation eller ett namn."))
    follow_up = FollowUp.objects.create(
        network=network, meeting=meeting, what=data["what"], responsible_organisation=org,
        responsible_name=(data.get("responsible_name") or "").strip(), due_on=data.get("due_on"),
    )
    record(actor, AuditAction.CREATE, network=network, obj=follow_up)
    return follow_up


@transaction.atomic
def do_mark_follow_up(actor: User, follow_up: FollowUp, *, done: bool) -> None:
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    changes = {"done_at": timezone.now(), "done_by": actor} if done else {"done_at": None, "done_by": None}
    save_changes(actor, locked, changes, network=locked.network_id)
