"""What each role may do. Views declare the capability they need; roles map to capabilities here.

Keeping the whole mapping in one table makes it reviewable by the organisation's data protection
officer and keeps views from testing role names directly.
"""

from __future__ import annotations

from enum import StrEnum

from uppsok.accounts.models import Role


class Cap(StrEnum):
    OUTREACH_VIEW = "outreach.view"
    OUTREACH_EDIT = "outreach.edit"
    OUTREACH_CONFIGURE = "outreach.configure"
    CASES_VIEW = "cases.view"
    CASES_EDIT = "cases.edit"
    # Granted individually, never by role: seeing a person's real identity.
    PERSONS_IDENTITY = "persons.identity"
    # Granted individually: referring without recorded consent, with a written reason.
    REFERRAL_OVERRIDE = "referrals.override"
    ORG_MANAGE_USERS = "org.manage_users"
    ORG_SETTINGS = "org.settings"
    AUDIT_VIEW = "audit.view"
    RETENTION_VIEW = "retention.view"
    STATS_VIEW = "stats.view"
    # A network's material (no organisation's personal data): reading it, and running the network.
    NETWORK_VIEW = "network.view"
    NETWORK_EDIT = "network.edit"


ROLE_CAPABILITIES: dict[str, frozenset[Cap]] = {
    Role.OUTREACH: frozenset({Cap.OUTREACH_VIEW, Cap.OUTREACH_EDIT, Cap.STATS_VIEW}),
    Role.CASEWORKER: frozenset({Cap.CASES_VIEW, Cap.CASES_EDIT, Cap.OUTREACH_VIEW, Cap.STATS_VIEW}),
    Role.ADMIN: frozenset(
        {Cap.ORG_MANAGE_USERS, Cap.ORG_SETTINGS, Cap.OUTREACH_CONFIGURE, Cap.RETENTION_VIEW, Cap.STATS_VIEW}
    ),
    Role.AUDITOR: frozenset({Cap.AUDIT_VIEW, Cap.RETENTION_VIEW}),
}

# Capabilities an admin may hand to one person on top of their roles.
GRANTABLE_CAPABILITIES: tuple[Cap, ...] = (Cap.PERSONS_IDENTITY, Cap.REFERRAL_OVERRIDE)


def capabilities_for_roles(roles: set[str]) -> frozenset[Cap]:
    caps: set[Cap] = set()
    for role in roles:
        caps |= ROLE_CAPABILITIES.get(role, frozenset())
    return frozenset(caps)


# How a person reaches a network: a network role, or working in a member organisation (the active
# one). Keyed by plain strings so that core names no feature app; the network app maps its roles.
NETWORK_ROLE_CAPABILITIES: dict[str, frozenset[Cap]] = {
    "coordinator": frozenset({Cap.NETWORK_VIEW, Cap.NETWORK_EDIT}),
    "member": frozenset({Cap.NETWORK_VIEW}),
    "member_organisation": frozenset({Cap.NETWORK_VIEW}),
}


def capabilities_for_network_roles(roles: set[str]) -> frozenset[Cap]:
    caps: set[Cap] = set()
    for role in roles:
        caps |= NETWORK_ROLE_CAPABILITIES.get(role, frozenset())
    return frozenset(caps)
