"""Writes that bring people in and take them out: organisations and their first admin, invitations,
accepting an invitation, deactivation. Each runs in a transaction and leaves an audit row.

An invitation is a one-time link: only its hash is stored and the token exists only in the answer to
whoever made it, and the person behind it chooses their own password and authenticator, so neither
the admin nor the platform staff ever knows a credential of the account."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.audit.log import record, record_for_account
from uppsok.audit.models import AuditAction
from uppsok.core.errors import ActionError
from uppsok.network import actions as network_actions
from uppsok.network.actions import do_appoint
from uppsok.network.models import Network, NetworkRole

from .actions import _end_network_roles_without_membership, _ties_elsewhere
from .models import AccountResetLink, CapabilityGrant, Membership, Organisation, Role, User, hash_reset_token

# A week: a new colleague may start on a Monday after the link was made on a Tuesday.
INVITATION_LIFETIME = timedelta(days=7)


def _require_system_admin(actor: User | None) -> None:
    # None is the platform operator at the command line, who already holds the server.
    if actor is not None and not actor.is_system_admin:
        raise ActionError(_("Bara systemadministratörer kan göra det här."))


def _new_person(username: str, *, first_name: str = "", last_name: str = "", email: str = "",
                is_system_admin: bool = False) -> User:
    username = username.strip()
    if not username:
        raise ActionError(_("Ange ett användarnamn."))
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(_("Användarnamnet är upptaget. Välj ett annat."))
    user = User(username=username, first_name=first_name, last_name=last_name, email=email,
                is_system_admin=is_system_admin)
    # No password until the person sets one through the invitation.
    user.set_unusable_password()
    user.save()
    return user


def _issue(actor: User | None, user: User, organisation: Organisation | None) -> tuple[AccountResetLink, str]:
    now = timezone.now()
    AccountResetLink.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    link = AccountResetLink.objects.create(
        user=user, kind=AccountResetLink.Kind.INVITATION, token_hash=hash_reset_token(token),
        organisation=organisation, created_by=actor, expires_at=now + INVITATION_LIFETIME,
        # The person is not told "someone made a reset link" about their own invitation.
        notice_shown_at=now,
    )
    return link, token


def has_accepted(user: User) -> bool:
    return user.has_usable_password() or user.two_factor_enrolled_at is not None


@transaction.atomic
def do_invite_member(
    actor: User, organisation: Organisation, *, username: str, roles: list[str],
    first_name: str = "", last_name: str = "", email: str = "",
) -> tuple[User, AccountResetLink, str]:
    """A new person in the organisation with the given roles; they are reachable only through the
    returned link until they have set their password and authenticator."""
    if not roles:
        raise ActionError(_("Välj minst en roll."))
    user = _new_person(username, first_name=first_name, last_name=last_name, email=email)
    for role in sorted(set(roles)):
        Membership.objects.create(user=user, organisation=organisation, role=role)
    link, token = _issue(actor, user, organisation)
    record(actor, AuditAction.CREATE, organisation=organisation, obj=user,
           detail="invited;roles=" + ",".join(sorted(set(roles))))
    return user, link, token


@transaction.atomic
def do_reissue_invitation(actor: User, organisation: Organisation, member: User) -> tuple[AccountResetLink, str]:
    """A new link for someone who has not yet accepted (the first was lost or expired); it replaces
    the earlier one. Once the person has their own password, the reset links are the way."""
    member = User.objects.select_for_update().get(pk=member.pk)
    if not Membership.objects.filter(user=member, organisation=organisation, is_active=True).exists():
        raise ActionError(_("Personen är inte längre aktiv i organisationen."))
    if not member.is_active:
        raise ActionError(_("Kontot är avstängt."))
    if has_accepted(member):
        raise ActionError(_("Personen har redan tagit emot inbjudan. Använd återställningslänkarna i stället."))
    link, token = _issue(actor, member, organisation)
    record(actor, AuditAction.CHANGE, organisation=organisation, obj=member, detail="invitation_reissued")
    return link, token


@transaction.atomic
def do_create_organisation(
    actor: User | None, *, name: str, slug: str, kind: str, municipality: str = "",
    does_online_outreach: bool = False, admin_username: str, admin_first_name: str = "",
    admin_last_name: str = "", admin_email: str = "",
) -> tuple[Organisation, User, AccountResetLink, str]:
    """A new organisation and the invitation of its first admin (system administration)."""
    _require_system_admin(actor)
    name, slug = name.strip(), slug.strip()
    if not name:
        raise ActionError(_("Ange organisationens namn."))
    if not slug:
        raise ActionError(_("Ange ett kortnamn."))
    if Organisation.objects.filter(slug=slug).exists():
        raise ActionError(_("Det finns redan en organisation med kortnamnet %(slug)s.") % {"slug": slug})
    if kind not in Organisation.Kind.values:
        raise ActionError(_("Okänd typ av organisation."))
    organisation = Organisation.objects.create(
        name=name, slug=slug, kind=kind, municipality=municipality, does_online_outreach=does_online_outreach
    )
    record(actor, AuditAction.CREATE, organisation=organisation, obj=organisation)
    admin = _new_person(admin_username, first_name=admin_first_name, last_name=admin_last_name, email=admin_email)
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    link, token = _issue(actor, admin, organisation)
    record(actor, AuditAction.CREATE, organisation=organisation, obj=admin, detail="invited;roles=admin")
    return organisation, admin, link, token


@transaction.atomic
def do_invite_network_person(
    actor: User | None, network: Network, *, username: str, role: str,
    first_name: str = "", last_name: str = "", email: str = "",
) -> tuple[User, AccountResetLink, str]:
    """A person without an organisation in Uppsök (a hotel, a police contact) or a new coordinator,
    invited into the network with a network role only."""
    if role not in NetworkRole.Role.values:
        raise ActionError(_("Okänd roll i nätverket."))
    if role == NetworkRole.Role.COORDINATOR:
        # A coordinator reaches every member's shared material: appointed by platform staff only.
        _require_system_admin(actor)
    user = _new_person(username, first_name=first_name, last_name=last_name, email=email)
    do_appoint(actor, network, user, role)
    link, token = _issue(actor, user, None)
    record(actor, AuditAction.CREATE, network=network, obj=user, detail=f"invited;network_role={role}")
    return user, link, token


@transaction.atomic
def do_create_network(
    actor: User | None, *, name: str, slug: str, area: str = "", coordinator_username: str,
    coordinator_email: str = "",
) -> tuple[Network, User, AccountResetLink | None, str]:
    """A network and its coordinator: an existing account is appointed, a new name is invited.
    Returns the link and token of the invitation, or None and "" when nobody was invited."""
    _require_system_admin(actor)
    coordinator = User.objects.filter(username__iexact=coordinator_username.strip()).first()
    if coordinator is not None and (coordinator.is_system_admin or not coordinator.is_active):
        raise ActionError(_("%(u)s kan inte samordna ett nätverk (systemadministratör eller avstängt konto).")
                          % {"u": coordinator.username})
    try:
        network = network_actions.do_create_network(actor, name=name.strip(), slug=slug.strip(), area=area,
                                                     coordinator=coordinator)
    except network_actions.ActionError as exc:
        raise ActionError(str(exc)) from exc
    if coordinator is not None:
        return network, coordinator, None, ""
    person, link, token = do_invite_network_person(
        actor, network, username=coordinator_username, role=NetworkRole.Role.COORDINATOR, email=coordinator_email
    )
    return network, person, link, token


@transaction.atomic
def do_reissue_network_invitation(actor: User, network: Network, person: User) -> tuple[AccountResetLink, str]:
    person = User.objects.select_for_update().get(pk=person.pk)
    if not NetworkRole.objects.active().filter(network=network, user=person).exists():
        raise ActionError(_("Personen har ingen roll i nätverket."))
    if has_accepted(person):
        raise ActionError(_("Personen har redan tagit emot inbjudan."))
    link, token = _issue(actor, person, None)
    record(actor, AuditAction.CHANGE, network=network, obj=person, detail="invitation_reissued")
    return link, token


@transaction.atomic
def do_invite_system_admin(
    actor: User | None, *, username: str, first_name: str = "", last_name: str = "", email: str = ""
) -> tuple[User, AccountResetLink, str]:
    _require_system_admin(actor)
    user = _new_person(username, first_name=first_name, last_name=last_name, email=email, is_system_admin=True)
    link, token = _issue(actor, user, None)
    record_for_account(actor, AuditAction.CREATE, user, detail="invited;system_admin")
    return user, link, token


def _invitation(link: AccountResetLink) -> AccountResetLink:
    fresh = AccountResetLink.objects.usable().select_for_update().filter(
        pk=link.pk, kind=AccountResetLink.Kind.INVITATION
    ).first()
    if fresh is None:
        raise ActionError(_("Inbjudan gäller inte längre. Be den som bjöd in dig om en ny länk."))
    return fresh


@transaction.atomic
def do_set_invitation_password(link: AccountResetLink, password: str) -> None:
    """The first step of accepting: the person's own password. The link stays open for the second
    step (the authenticator), which the person must also finish before reaching anything."""
    link = _invitation(link)
    user = User.objects.select_for_update().get(pk=link.user_id)
    if user.has_usable_password():
        raise ActionError(_("Lösenordet är redan valt."))
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record_for_account(user, AuditAction.CHANGE, user, detail="invitation:password_set")


@transaction.atomic
def do_complete_invitation(link: AccountResetLink, device: TOTPDevice) -> User:
    """The second step: the authenticator is confirmed and the link is used up."""
    link = _invitation(link)
    user = User.objects.select_for_update().get(pk=link.user_id)
    if device.user_id != user.pk or not user.has_usable_password():
        raise ActionError(_("Inbjudan gäller inte längre. Be den som bjöd in dig om en ny länk."))
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user.two_factor_enrolled_at = timezone.now()
    user.save(update_fields=["two_factor_enrolled_at"])
    record_for_account(user, AuditAction.CHANGE, user, detail="invitation:accepted")
    return user


def _switch_off(person: User) -> None:
    """The account with no tie left: its open links are revoked and it is switched off; a new session
    generation changes every session's auth hash, so open sessions end on their next request."""
    AccountResetLink.objects.filter(user=person, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    person.is_active = False
    person.session_generation += 1
    person.save(update_fields=["is_active", "session_generation"])


@transaction.atomic
def do_deactivate_member(actor: User, organisation: Organisation, member: User) -> bool:
    """The person stops working in the organisation: every role and extra capability there ends,
    open links are revoked and, when the organisation was the person's only tie, the account is
    switched off and every session ends at once. Returns whether the account was switched off."""
    if member.pk == actor.pk:
        raise ActionError(_("Du kan inte stänga av dig själv. Be en annan administratör."))
    member = User.objects.select_for_update().get(pk=member.pk)
    rows = Membership.objects.select_for_update().filter(user=member, organisation=organisation, is_active=True)
    if not rows.exists():
        raise ActionError(_("Personen är redan avslutad i organisationen."))
    rows.update(is_active=False)
    CapabilityGrant.objects.filter(user=member, organisation=organisation).delete()
    AccountResetLink.objects.filter(user=member, organisation=organisation, used_at__isnull=True,
                                    revoked_at__isnull=True).update(revoked_at=timezone.now())
    _end_network_roles_without_membership(actor, organisation, member)
    switched_off = not _ties_elsewhere(member, organisation)
    if switched_off:
        _switch_off(member)
    record(actor, AuditAction.CHANGE, organisation=organisation, obj=member,
           detail="deactivated" + (";account_off" if switched_off else ""))
    return switched_off


@transaction.atomic
def do_end_network_person(actor: User, role: NetworkRole) -> bool:
    """The coordinator ends someone's role in the network; an account left with no role anywhere
    (a network-only member) is switched off and its sessions end. Returns whether it was."""
    try:
        network_actions.do_end_role(actor, role)
    except network_actions.ActionError as exc:
        raise ActionError(str(exc)) from exc
    person = User.objects.select_for_update().get(pk=role.user_id)
    if Membership.objects.filter(user=person, is_active=True).exists() or \
            NetworkRole.objects.active().filter(user=person).exists() or person.is_system_admin:
        return False
    _switch_off(person)
    record(actor, AuditAction.CHANGE, network=role.network_id, obj=person, detail="deactivated;account_off")
    return True
