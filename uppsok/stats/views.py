"""The organisation's statistics, counted from its own records per month, quarter and year."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsok.core.access import active_organisation
from uppsok.core.capabilities import Cap
from uppsok.core.decorators import requires

from . import actions, queries
from .forms import PeriodForm


@requires(Cap.STATS_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    form = PeriodForm(request.GET or None)
    period = form.chosen() if form.is_bound else PeriodForm().chosen()
    caps = {c.value for c in request.capabilities}  # type: ignore[attr-defined]
    return render(request, "stats/overview.html", {
        "form": form, "period": period, "previous": period.previous(),
        "sections": queries.sections(org, period, caps),
        "trend": queries.monthly(org, "ads_seen", period.first if period.kind == "year" else
                                 queries.figures.add_months(period.end, -12), period.end),
        "can_refresh": Cap.ORG_SETTINGS.value in caps,
    })


@requires(Cap.STATS_VIEW, Cap.ORG_SETTINGS)
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    actions.do_refresh_figures(request.user, active_organisation(request))
    messages.success(request, _("Siffrorna för de senaste månaderna är omräknade."))
    return redirect("stats:overview")
