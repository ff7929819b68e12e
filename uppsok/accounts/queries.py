"""Read-models for the platform's own administration. These cross organisations on purpose and
read only names and who administers what, never an organisation's records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from uppsok.network.models import Network, NetworkRole

from .models import Membership, Organisation, Role, User


@dataclass
class PlatformOverview:
    organisations: Any
    networks: Any
    system_admins: Any


def platform_overview() -> PlatformOverview:
    admins = Membership.objects.active().filter(role=Role.ADMIN).select_related("user")
    coordinators = NetworkRole.objects.active().filter(role=NetworkRole.Role.COORDINATOR).select_related("user")
    return PlatformOverview(
        organisations=Organisation.objects.prefetch_related(Prefetch("memberships", queryset=admins, to_attr="admins")),
        networks=Network.objects.order_by("name").prefetch_related(
            Prefetch("roles", queryset=coordinators, to_attr="coordinators")
        ),
        system_admins=User.objects.filter(is_system_admin=True, is_active=True).order_by("username"),
    )
