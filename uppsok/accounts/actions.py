"""Writes on accounts and organisations. Each runs in a transaction and leaves an audit row."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.audit.log import record, record_for_account
from uppsok.audit.models import AuditAction
from uppsok.core.changes import save_changes
from uppsok.core.errors import ActionError
from uppsok.network.models import NetworkMembership, NetworkRole

from .models import AccountResetLink, CapabilityGrant, Membership, Organisation, User, hash_reset_token

# Long enough to reach a person over a weekend, short enough that a forgotten link dies.
RESET_LINK_LIFETIME = timedelta(hours=72)


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
    _end_network_roles_without_membership(actor, organisation, member)
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
def do_update_organisation(actor: User, organisation: Organisation, changes: dict[str, Any]) -> None:
    save_changes(actor, organisation, changes, organisation=organisation)


def _end_network_roles_without_membership(actor: User, organisation: Organisation, member: User) -> None:
    """A network role held through working in this organisation ends when the person no longer
    works in any of that network's organisations: only for networks this organisation belongs to,
    so a role the coordinator gave someone without an organisation (a hotel, a police contact) or in
    another network is never ended by an organisation's admin."""
    if Membership.objects.filter(user=member, organisation=organisation, is_active=True).exists():
        return
    mine = NetworkMembership.objects.filter(organisation=organisation).values("network_id")
    still_in = NetworkMembership.objects.filter(
        organisation__memberships__user=member, organisation__memberships__is_active=True
    ).values("network_id")
    ended = (
        NetworkRole.objects.select_for_update()
        .filter(user=member, is_active=True, network_id__in=mine)
        .exclude(network_id__in=still_in)
    )
    for role in ended:
        save_changes(actor, role, {"is_active": False}, organisation=organisation, network=role.network_id)


@transaction.atomic
def do_confirm_totp_device(user: User, device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user.two_factor_enrolled_at = timezone.now()
    user.save(update_fields=["two_factor_enrolled_at"])
    record_for_account(user, AuditAction.CHANGE, user, detail="two_factor_enrolled")


@transaction.atomic
def do_prepare_authenticator(user: User) -> TOTPDevice:
    """A fresh, unconfirmed key to show as a QR code. Not audited: an unconfirmed key opens nothing;
    its confirmation is the audited step."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)


@transaction.atomic
def do_note_two_factor_failure(actor: User | None, account: User, *, where: str) -> None:
    # A wrong code after a right password means the password is known: every auditor of the person must see it.
    record_for_account(actor, AuditAction.TWO_FACTOR_FAILED, account, detail=where)


@transaction.atomic
def do_change_password(user: User, new_password: str) -> None:
    """The person sets their own password. Changing the hash ends their other sessions; the view
    keeps the current one with update_session_auth_hash."""
    user.set_password(new_password)
    user.must_change_password = False
    # Not save_changes: the change is recorded once per organisation of the person, not in one.
    user.save(update_fields=["password", "must_change_password"])
    record_for_account(user, AuditAction.CHANGE, user, detail="password_changed")


def _ties_elsewhere(member: User, organisation: Organisation) -> bool:
    other_org = Membership.objects.filter(user=member, is_active=True).exclude(organisation=organisation).exists()
    return other_org or NetworkRole.objects.active().filter(user=member).exists()


@transaction.atomic
def do_issue_reset_link(
    actor: User | None, organisation: Organisation | None, member: User, kind: str
) -> tuple[AccountResetLink, str]:
    """A one-time link for the person to set a new password or enrol a new authenticator.

    Returns the link and its token; only a hash of the token is stored, so the token exists only in
    the answer to the admin. `organisation` None is the platform operator (management command)."""
    member = User.objects.select_for_update().get(pk=member.pk)
    if not member.is_active:
        raise ActionError(_("Kontot är avstängt och kan inte återställas."))
    if organisation is not None:
        if not Membership.objects.filter(user=member, organisation=organisation, is_active=True).exists():
            raise ActionError(_("Personen är inte längre aktiv i organisationen och kan inte återställas härifrån."))
        if _ties_elsewhere(member, organisation):
            raise ActionError(
                _(
                    "Personen arbetar också i en annan organisation eller har en roll i ett nätverk. "
                    "En organisation kan då inte återställa kontot ensam – kontakta Uppsöks driftansvariga."
                )
            )
    if kind == AccountResetLink.Kind.TWO_FACTOR and member.must_change_password:
        # The admin still knows the password, which is what proves the person on a two-factor link.
        raise ActionError(
            _(
                "Personen har inte bytt det tillfälliga lösenord som administratören valde. "
                "En ny autentiseringsapp kan därför inte kopplas med en länk – kontakta Uppsöks driftansvariga."
            )
        )
    now = timezone.now()
    AccountResetLink.objects.filter(user=member, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    link = AccountResetLink.objects.create(
        user=member,
        kind=kind,
        token_hash=hash_reset_token(token),
        organisation=organisation,
        created_by=actor,
        expires_at=now + RESET_LINK_LIFETIME,
    )
    if organisation is not None:
        record(actor, AuditAction.CHANGE, organisation=organisation, obj=member, detail=f"reset_link:{kind}")
    else:
        record_for_account(actor, AuditAction.CHANGE, member, detail=f"reset_link:{kind}")
    return link, token


def _use_link(link: AccountResetLink, kind: str) -> AccountResetLink:
    fresh = AccountResetLink.objects.usable().select_for_update().filter(pk=link.pk, kind=kind).first()
    if fresh is None:
        raise ActionError(_("Länken gäller inte längre. Be administratören om en ny länk."))
    fresh.used_at = timezone.now()
    fresh.save(update_fields=["used_at"])
    return fresh


@transaction.atomic
def do_complete_password_reset(link: AccountResetLink, new_password: str) -> None:
    link = _use_link(link, AccountResetLink.Kind.PASSWORD)
    user = User.objects.select_for_update().get(pk=link.user_id)
    user.set_password(new_password)
    user.must_change_password = False
    user.session_generation += 1
    user.save(update_fields=["password", "must_change_password", "session_generation"])
    record_for_account(user, AuditAction.CHANGE, user, detail="reset_done:password")


@transaction.atomic
def do_complete_two_factor_reset(link: AccountResetLink, device: TOTPDevice) -> None:
    """The new authenticator replaces every old one, and every session of the person ends."""
    link = _use_link(link, AccountResetLink.Kind.TWO_FACTOR)
    user = User.objects.select_for_update().get(pk=link.user_id)
    if device.user_id != user.pk:
        raise ActionError(_("Länken gäller inte längre. Be administratören om en ny länk."))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user.two_factor_enrolled_at = timezone.now()
    user.session_generation += 1
    user.save(update_fields=["two_factor_enrolled_at", "session_generation"])
    record_for_account(user, AuditAction.CHANGE, user, detail="reset_done:two_factor")


@transaction.atomic
def do_mark_reset_notices_shown(user: User, links: Iterable[AccountResetLink]) -> None:
    ids = [link.pk for link in links]
    AccountResetLink.objects.filter(user=user, pk__in=ids, notice_shown_at__isnull=True).update(
        notice_shown_at=timezone.now()
    )
    # The trail shows that the person was told about each reset.
    record_for_account(user, AuditAction.VIEW, user, detail=f"reset_notice_shown={len(ids)}")
