"""Cross-organisation reads for a network, kept out of the views modules on purpose.

Views read organisation data only through `uppsok.core.access` (tests/test_lint_scoping.py). The
network's platform coverage is the one outreach read that must look at other organisations' rows:
it lives here, checks that the active organisation is a member of the network (404 otherwise, the
same answer as for a network that does not exist) and returns aggregates only — a platform's
address, its kind and how many members cover it — never notes, accounts, ids or who the member is.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from uppsok.core.access import active_organisation
from uppsok.network.models import Network, NetworkMembership

from .models import Platform


def networks_of_active_organisation(request: HttpRequest) -> list[Network]:
    """The networks the request's active organisation is a member of."""
    org = active_organisation(request)
    return list(Network.objects.filter(networkmembership__organisation=org).order_by("name"))


def network_platform_coverage(request: HttpRequest, network: Network | Any) -> dict[str, list[dict[str, Any]]]:
    """Which platforms the network's members know of, covered or not, as address/kind aggregates.

    Returns {"uncovered": [...], "covered": [...]}, each entry {"address", "kind", "covered"} where
    "covered" is the number of member organisations that work on the platform.
    """
    org = active_organisation(request)
    network_id = getattr(network, "pk", network)
    if not NetworkMembership.objects.filter(network_id=network_id, organisation=org).exists():
        raise Http404
    member_ids = NetworkMembership.objects.filter(network_id=network_id).values("organisation_id")
    by_address: dict[str, dict[str, Any]] = {}
    rows = (
        Platform._default_manager.filter(organisation_id__in=member_ids)
        .order_by("address")
        .values_list("address", "kind", "covered")
    )
    for address, kind, covered in rows:
        entry = by_address.setdefault(address.casefold(), {"address": address, "kind": kind, "covered": 0})
        entry["covered"] += 1 if covered else 0
    entries = sorted(by_address.values(), key=lambda e: e["address"])
    return {
        "uncovered": [e for e in entries if not e["covered"]],
        "covered": [e for e in entries if e["covered"]],
    }
