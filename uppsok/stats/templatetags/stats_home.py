"""The start page's statistics panel for roles with stats.view: this year so far against last year's
same months, from the stored figures (one query)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.db.models import Sum
from django.utils import timezone

from uppsok.core.capabilities import Cap
from uppsok.stats.figures import BY_KEY, add_months
from uppsok.stats.models import OrgFigure

register = template.Library()

PANEL_MEASURES = ("ads_seen", "contacts", "tips", "cases_started", "activities")


@register.inclusion_tag("stats/_home_panel_body.html", takes_context=True)
def stats_home_panel(context: Any) -> dict[str, Any]:
    request = context.get("request")
    org = getattr(request, "organisation", None) if request is not None else None
    if org is None or Cap.STATS_VIEW not in getattr(request, "capabilities", frozenset()):
        return {"show": False}
    today = timezone.localdate()
    this_first, this_end = datetime.date(today.year, 1, 1), add_months(today.replace(day=1), 1)
    last_first, last_end = datetime.date(today.year - 1, 1, 1), add_months(today.replace(day=1, year=today.year - 1), 1)
    rows = (OrgFigure.objects.filter(organisation=org, measure__in=PANEL_MEASURES, dimension="", month__gte=last_first,
                                     month__lt=this_end)
            .values("measure", "month").annotate(v=Sum("value")))
    now = dict.fromkeys(PANEL_MEASURES, 0)
    before = dict.fromkeys(PANEL_MEASURES, 0)
    for r in rows:
        if this_first <= r["month"] < this_end:
            now[r["measure"]] += r["v"]
        elif last_first <= r["month"] < last_end:
            before[r["measure"]] += r["v"]
    return {"show": True, "year": today.year, "rows": [(BY_KEY[k].label, now[k], before[k]) for k in PANEL_MEASURES]}
