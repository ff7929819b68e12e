"""Writes on accounts and organisations. Each runs in a transaction and leaves an audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.changes import save_changes
from uppsok.core.errors import ActionError

from .models import CapabilityGrant, Membership, Organisation, User


@transaction.atomic
def do_create_member(
    actor: User,
    organisation: Organisation,
    *,
    username: str,
    password: str,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError("Användarnamnet är upptaget. / The username is taken.")
    user = User.objects.create_user(
        username=username, password=password, first_name=first_name, last_name=last_name, email=email
    )
    for role in roles:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    record(actor, AuditAction.CREATE, organisation=organisation, obj=user, detail="roles=" + ",".join(sorted(roles)))
    return user


@transaction.atomic
def do_set_roles(
    actor: User, organisation: Organisation, member: User, roles: list[str], capabilities: list[str]
) -> None:
    wanted = set(roles)
    if member == actor and "admin" not in wanted:
        raise ActionError(
            "Du kan inte ta bort din egen administratörsroll. / You cannot remove your own admin role."
        )
    existing = {m.role: m for m in Membership.objects.select_for_update().filter(user=member, organisation=organisation)}
    for role, membership in existing.items():
        if role not in wanted and membership.is_active:
            membership.is_active = False
            membership.save(update_fields=["is_active"])
        elif role in wanted and not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
    for role in wanted - set(existing):
        Membership.objects.create(user=member, organisation=organisation, role=role)
    CapabilityGrant.objects.filter(user=member, organisation=organisation).exclude(capability__in=capabilities).delete()
    for cap in capabilities:
        CapabilityGrant.objects.get_or_create(
            user=member, organisation=organisation, capability=cap, defaults={"granted_by": actor}
        )
    record(
        actor,
        AuditAction.CHANGE,
        organisation=organisation,
        obj=member,
        detail=("roles=" + ",".join(sorted(wanted)) + ";caps=" + ",".join(sorted(capabilities)))[:200],
    )


@transaction.atomic
def do_reset_two_factor(actor: User, organisation: Organisation, member: User) -> None:
    TOTPDevice.objects.filter(user=member).delete()
    record(actor, AuditAction.CHANGE, organisation=organisation, obj=member, detail="two_factor_reset")


@transaction.atomic
def do_update_organisation(actor: User, organisation: Organisation, changes: dict[str, Any]) -> None:
    save_changes(actor, organisation, changes, organisation=organisation)


@transaction.atomic
def do_confirm_totp_device(user: User, device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(user, AuditAction.CHANGE, obj=user, detail="two_factor_enrolled")
