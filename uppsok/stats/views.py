"""The organisation's statistics, counted from its own records per month, quarter and year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsok.core.access import active_organisation
from uppsok.core.capabilities import Cap
from uppsok.core.decorators import requires

from . import actions, exports, queries
from .forms import PeriodForm


@dataclass
class _Chosen:
    """The organisation, the period asked for and the page's figures, for the page and its files."""

    org: Any
    form: PeriodForm
    period: queries.Period
    caps: set[str]
    sections: dict[str, list[queries.Row]]


def _chosen(request: HttpRequest) -> _Chosen:
    org = active_organisation(request)
    form = PeriodForm(request.GET or None)
    period = form.chosen()  # an unbound or invalid form gives this year
    caps = {c.value for c in request.capabilities}  # type: ignore[attr-defined]
    return _Chosen(org, form, period, caps, queries.sections(org, period, caps))


@requires(Cap.STATS_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    c = _chosen(request)
    org, period, trend = c.org, c.period, c.form.trend_measure()
    return render(request, "stats/overview.html", {
        "form": c.form, "period": period, "previous": period.previous(), "sections": c.sections,
        "trend": queries.monthly(org, trend, queries.figures.add_months(period.end, -12), period.end),
        "trend_label": queries.figures.BY_KEY[trend].label,
        "can_refresh": Cap.ORG_SETTINGS.value in c.caps,
    })


@requires(Cap.STATS_VIEW, Cap.ORG_SETTINGS)
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    actions.do_refresh_figures(request.user, active_organisation(request))
    messages.success(request, _("Siffrorna för de senaste månaderna är omräknade."))
    return redirect("stats:overview")


@requires(Cap.STATS_VIEW)
def overview_xlsx(request: HttpRequest) -> HttpResponse:
    c = _chosen(request)
    period = c.period
    response = HttpResponse(exports.xlsx(queries.section_tables(c.sections, period)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="statistik-{period.label().replace(" ", "-")}.xlsx"'
    return response


@requires(Cap.STATS_VIEW)
def annual_report(request: HttpRequest) -> HttpResponse:
    """The organisation's year against the previous year, as PDF."""
    from django.utils import timezone

    org = active_organisation(request)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    period = queries.Period("year", year, 1)
    caps = {c.value for c in request.capabilities}  # type: ignore[attr-defined]
    sections = queries.sections(org, period, caps)
    pdf = exports.annual_report_pdf(
        _("Årsrapport %(y)s – %(o)s") % {"y": year, "o": org.name},
        [_("Verksamhetens siffror %(y)s jämfört med %(p)s, räknade ur organisationens registreringar i Uppsök.") % {
            "y": year, "p": year - 1}],
        queries.section_tables(sections, period),
        [_("Siffrorna är räknade månad för månad och bevaras när uppgifterna bakom dem gallras. Inga personuppgifter ingår.")],
        charts=[(str(queries.figures.BY_KEY[key].label), [(label[5:], value) for label, value in queries.monthly(
            org, key, period.first, period.end)]) for key in ("ads_seen", "contacts", "cases_started")],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arsrapport-{year}.pdf"'
    return response


@requires(Cap.STATS_VIEW)
def overview_csv(request: HttpRequest) -> HttpResponse:
    """Every table of the page in one CSV, each row naming its table (the project's CSV dialect)."""
    from uppsok.core.exports import csv_response, safe_csv_cell

    c = _chosen(request)
    period, sections = c.period, c.sections
    response, writer = csv_response(f"statistik-{period.label().replace(' ', '-')}.csv")
    for title, header, rows in queries.section_tables(sections, period):
        writer.writerow([safe_csv_cell(x) for x in [_("Tabell"), *header]])
        for row in rows:
            writer.writerow([safe_csv_cell(title), *(safe_csv_cell(x) for x in row)])
    return response
