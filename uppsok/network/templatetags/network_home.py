"""The start page's network panel: the follow-ups networks gave the active organisation."""

from __future__ import annotations

from typing import Any

from django import template

from uppsok.network.access import directory_suggestions
from uppsok.network.queries import open_follow_ups_for_organisation

register = template.Library()


@register.inclusion_tag("network/_home_panel_body.html", takes_context=True)
def network_home_panel(context: Any) -> dict[str, Any]:
    request = context.get("request")
    org = getattr(request, "organisation", None) if request is not None else None
    if org is None:
        return {"follow_ups": []}
    return {"follow_ups": open_follow_ups_for_organisation(org)}


@register.inclusion_tag("network/_directory_datalist.html", takes_context=True)
def directory_datalist(context: Any) -> dict[str, Any]:
    """The directory as suggestions for an outside actor's name and how to reach it (one query)."""
    request = context.get("request")
    entries = list(directory_suggestions(getattr(request, "organisation", None), getattr(request, "network", None)))
    return {"entries": entries}
