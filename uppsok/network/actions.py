"""Writes to a network's material: each `do_*` is atomic and writes its audit row. The network
comes from the object acted on; who may act is declared on the views (`@in_network`)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsok.accounts.models import Organisation, User
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.changes import Loaded, check_version, save_changes, version_of_values

from . import steps
from .models import (
    CoreGroupMember,
    Network,
    NetworkInvitation,
    NetworkMembership,
    NetworkRole,
    StepEntry,
    StepProgress,
)
from .texts import COORDINATOR_ROLE_TEXT, NETWORK_ROLE_TEXT


class ActionError(ValueError):
    """A refused action, with a message for the person (Swedish first)."""


@transaction.atomic
def do_create_network(actor: User | None, *, name: str, slug: str, area: str = "", coordinator: User | None = None) -> Network:
    """A new network with the handbook's role descriptions as starting text and, when given, its
    first coordinator (system administration; until that has pages, a management command)."""
    if Network.objects.filter(slug=slug).exists():
        raise ActionError(_("Det finns redan ett nätverk med kortnamnet %(slug)s.") % {"slug": slug})
    network = Network.objects.create(
        name=name, slug=slug, area=area,
        coordinator_role_text=str(COORDINATOR_ROLE_TEXT), network_role_text=str(NETWORK_ROLE_TEXT),
    )
    record(actor, AuditAction.CREATE, network=network, obj=network)
    if coordinator is not None:
        do_appoint(actor, network, coordinator, NetworkRole.Role.COORDINATOR)
    return network


@transaction.atomic
def do_appoint(actor: User | None, network: Network, user: User, role: str) -> NetworkRole:
    """Give `user` a network role (a network-only member needs no organisation)."""
    held, made = NetworkRole.objects.get_or_create(network=network, user=user, role=role)
    if not made and not held.is_active:
        save_changes(actor, held, {"is_active": True}, network=network)
    elif made:
        record(actor, AuditAction.CREATE, network=network, obj=held, detail=role)
    return held


@transaction.atomic
def do_end_role(actor: User, role: NetworkRole) -> None:
    network = role.network
    if role.role == NetworkRole.Role.COORDINATOR and role.user_id == actor.pk and not NetworkRole.objects.active().filter(
        network=network, role=NetworkRole.Role.COORDINATOR
    ).exclude(pk=role.pk).exists():
        raise ActionError(_("Nätverket behöver minst en samordnare. Utse en ny innan du lämnar rollen."))
    save_changes(actor, role, {"is_active": False}, network=network)


@transaction.atomic
def do_update_network(actor: User, network: Network, changes: dict[str, Any], *, loaded: Loaded | None = None) -> list[str]:
    locked = Network.objects.select_for_update().get(pk=network.pk)
    return save_changes(actor, locked, changes, network=network, loaded=loaded)


@transaction.atomic
def do_invite_organisation(actor: User, network: Network, organisation: Organisation, message: str = "") -> NetworkInvitation:
    if NetworkMembership.objects.filter(network=network, organisation=organisation).exists():
        raise ActionError(_("%(org)s är redan medlem i nätverket.") % {"org": organisation.name})
    try:
        with transaction.atomic():
            invitation = NetworkInvitation.objects.create(
                network=network, organisation=organisation, message=message, invited_by=actor
            )
    except IntegrityError as exc:
        raise ActionError(_("%(org)s har redan en inbjudan som väntar på svar.") % {"org": organisation.name}) from exc
    record(actor, AuditAction.CREATE, network=network, organisation=organisation, obj=invitation)
    return invitation


@transaction.atomic
def do_withdraw_invitation(actor: User, invitation: NetworkInvitation) -> None:
    locked = NetworkInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != NetworkInvitation.Status.PENDING:
        raise ActionError(_("Inbjudan är redan besvarad."))
    save_changes(actor, locked, {"status": NetworkInvitation.Status.WITHDRAWN}, network=locked.network_id)


@transaction.atomic
def do_answer_invitation(actor: User, invitation: NetworkInvitation, *, accept: bool) -> None:
    """The invited organisation's admin answers; accepting makes the organisation a member."""
    locked = NetworkInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != NetworkInvitation.Status.PENDING:
        raise ActionError(_("Inbjudan är inte längre öppen."))
    status = NetworkInvitation.Status.ACCEPTED if accept else NetworkInvitation.Status.DECLINED
    save_changes(actor, locked, {"status": status, "answered_by": actor, "answered_at": timezone.now()},
                 organisation=locked.organisation_id, network=locked.network_id)
    if accept:
        membership, made = NetworkMembership.objects.get_or_create(
            network_id=locked.network_id, organisation_id=locked.organisation_id
        )
        if made:
            record(actor, AuditAction.CREATE, organisation=locked.organisation_id, network=locked.network_id,
                   obj=membership)


@transaction.atomic
def do_leave_network(actor: User, membership: NetworkMembership) -> None:
    """An organisation leaves (its admin) or is removed (the coordinator). What the organisation
    shared stays with the network; its own records never were the network's."""
    record(actor, AuditAction.DELETE, organisation=membership.organisation_id, network=membership.network_id,
           obj=membership)
    membership.delete()


def _core_member_fields(data: dict[str, Any]) -> dict[str, Any]:
    keys = {k for k, _label, _basic in steps.CORE_CRITERIA}
    fields = {k: data[k] for k in ("name", "organisation_name", "sector", "title", "email", "phone") if k in data}
    fields["criteria"] = sorted(k for k in data.get("criteria", []) if k in keys)
    return fields


@transaction.atomic
def do_add_core_member(actor: User, network: Network, data: dict[str, Any]) -> CoreGroupMember:
    member = CoreGroupMember.objects.create(network=network, **_core_member_fields(data))
    record(actor, AuditAction.CREATE, network=network, obj=member)
    return member


@transaction.atomic
def do_update_core_member(actor: User, member: CoreGroupMember, data: dict[str, Any], *,
                          loaded: Loaded | None = None) -> list[str]:
    locked = CoreGroupMember.objects.select_for_update().get(pk=member.pk)
    return save_changes(actor, locked, _core_member_fields(data), network=locked.network_id, loaded=loaded)


@transaction.atomic
def do_remove(actor: User, row: Any) -> None:
    """Delete one of a network's own rows (a core-group member, a stakeholder, a directory entry),
    audited with the network."""
    record(actor, AuditAction.DELETE, network=row.network_id, obj=row)
    row.delete()


def step_part_version(entry: StepEntry | None) -> str:
    """The version of a part as its edit page shows it: the number of its latest saved version."""
    return version_of_values([("version", entry.version if entry else 0)])


@transaction.atomic
def do_save_step_part(actor: User, network: Network, number: int, part_slug: str, data: dict[str, Any], *,
                      loaded: Loaded | None = None) -> StepEntry | None:
    """A new version of one part of a step; the earlier versions stay. Saving the same content
    again makes no version (None); saving over a version someone else saved after the page was
    loaded is an `EditConflict`."""
    step = steps.step(number)
    if step is None or step.part(part_slug) is None:
        raise ActionError(_("Okänd del av processen."))
    # the network row is locked so that two people saving at once get consecutive versions
    Network.objects.select_for_update().filter(pk=network.pk).first()
    latest = StepEntry.objects.filter(network=network, step=number, part=part_slug).order_by("-version").first()
    if latest is not None and latest.data == data:
        return None
    check_version(step_part_version(latest), loaded, latest)
    entry = StepEntry.objects.create(
        network=network, step=number, part=part_slug, data=data,
        version=(latest.version + 1) if latest else 1, saved_by=actor,
    )
    record(actor, AuditAction.CHANGE if latest else AuditAction.CREATE, network=network, obj=entry,
           detail=f"step={number};part={part_slug};v={entry.version}")
    return entry


@transaction.atomic
def do_mark_step(actor: User, network: Network, number: int, *, done: bool) -> StepProgress:
    if steps.step(number) is None:
        raise ActionError(_("Okänt steg."))
    progress, _made = StepProgress.objects.select_for_update().get_or_create(network=network, step=number)
    changes = {"done_at": timezone.now(), "done_by": actor} if done else {"done_at": None, "done_by": None}
    save_changes(actor, progress, changes, network=network)
    return progress
