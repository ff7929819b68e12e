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
