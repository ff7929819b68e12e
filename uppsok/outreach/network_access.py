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


# Months the network's escort-site log shows, the current one included.
ESCORT_LOG_MONTHS = 12


def network_escort_log(network: Network | Any, months: int = ESCORT_LOG_MONTHS) -> dict[str, Any]:
    """The escort-site log of step 2 for a network, computed from its member organisations' records:
    per site and month the ads seen and the new ones, per month the search occasions (shifts) and the
    ads reviewed on them. Counts only: no ad, text, number or organisation leaves here. The caller
    (a network page) has resolved the network and the person's access to it."""
    import datetime

    from django.db.models import Count, Sum
    from django.db.models.functions import Lower, TruncMonth
    from django.utils import timezone

    from .models import Ad, Shift, Sighting

    network_id = getattr(network, "pk", network)
    members = NetworkMembership.objects.filter(network_id=network_id).values("organisation_id")
    today = timezone.localdate()
    back = today.year * 12 + today.month - 1 - (months - 1)
    first = datetime.date(back // 12, back % 12 + 1, 1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    seen = (
        Sighting._default_manager.filter(ad__organisation_id__in=members, seen_at__gte=start)
        .annotate(month=TruncMonth("seen_at"), s=Lower("site"))
        .values("s", "month").annotate(n=Count("ad", distinct=True))
    )
    new = (
        Ad._default_manager.filter(organisation_id__in=members, first_seen__gte=start)
        .annotate(month=TruncMonth("first_seen"), s=Lower("site"))
        .values("s", "month").annotate(n=Count("id"))
    )
    shifts = (
        Shift._default_manager.filter(organisation_id__in=members, started_at__gte=start)
        .annotate(month=TruncMonth("started_at")).values("month")
        .annotate(n=Count("id"), reviewed=Sum("ads_reviewed"))
    )

    def month_key(value: Any) -> str:
        return (value.date() if hasattr(value, "date") else value).strftime("%Y-%m")

    month_keys = []
    cursor = first
    while cursor <= today:
        month_keys.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    sites: dict[str, dict[str, dict[str, int]]] = {}
    for row in seen:
        sites.setdefault(row["s"] or "–", {}).setdefault(month_key(row["month"]), {"seen": 0, "new": 0})["seen"] = row["n"]
    for row in new:
        sites.setdefault(row["s"] or "–", {}).setdefault(month_key(row["month"]), {"seen": 0, "new": 0})["new"] = row["n"]
    occasions = {month_key(r["month"]): (r["n"], r["reviewed"] or 0) for r in shifts}
    return {
        "months": month_keys,
        "sites": [(site, [by_month.get(m, {"seen": 0, "new": 0}) for m in month_keys]) for site, by_month in sorted(sites.items())],
        "occasions": [occasions.get(m, (0, 0)) for m in month_keys],
    }


def network_tip_contacts(organisation: Any) -> list[dict[str, str]]:
    """The contact person each of the organisation's networks names for tips about its town: the
    network's own setting, work details only."""
    networks = Network.objects.filter(networkmembership__organisation=organisation).exclude(tip_contact_name="").order_by("name")
    return [
        {"network": n.name, "name": n.tip_contact_name, "organisation": n.tip_contact_organisation,
         "phone": n.tip_contact_phone, "email": n.tip_contact_email,
         "recipient": ", ".join(x for x in (n.tip_contact_name, n.tip_contact_organisation, n.tip_contact_phone, n.tip_contact_email) if x)[:200]}
        for n in networks
    ]
