from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def organisation(request: HttpRequest) -> dict[str, Any]:
    memberships = getattr(request, "memberships", [])
    orgs = {m.organisation_id: m.organisation for m in memberships}
    return {
        "active_organisation": getattr(request, "organisation", None),
        "my_organisations": sorted(orgs.values(), key=lambda o: o.name),
        "capabilities": {c.value for c in getattr(request, "capabilities", frozenset())},
    }
