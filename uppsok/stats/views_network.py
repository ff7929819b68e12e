"""The network's common statistics: a member organisation reports its yearly figures (filled from
its records, or entered); the network sees one table per year with small cells suppressed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsok.core.access import active_organisation, scoped
from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict
from uppsok.core.decorators import in_network, requires
from uppsok.core.exports import csv_response, safe_csv_cell
from uppsok.core.forms import post_data, tell_conflict
from uppsok.network.access import active_network, can_edit, network_scoped
from uppsok.network.models import Network, NetworkMembership
from uppsok.network.queries import member_organisations

from . import network_stats
from .forms import MeasureForm, report_form_class
from .models import NetworkReport

YEAR_MIN, YEAR_MAX = 2000, 2100


def _year_or_404(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    return year


@requires(Cap.STATS_VIEW, POST=Cap.ORG_SETTINGS)
def report(request: HttpRequest, network_id: Any, year: int) -> HttpResponse:
    """The active organisation's figures for one of its networks and a year."""
    org = active_organisation(request)
    membership = scoped(request, NetworkMembership).filter(network_id=network_id).select_related("network").first()
    if membership is None:
        raise Http404
    network: Network = membership.network
    year = _year_or_404(year)
    wanted = network_stats.measures(network)
    computed = network_stats.from_records(org, year, wanted)

    def report_form(data: Any) -> Any:
        reported = {r.measure_id: r for r in scoped(request, NetworkReport).filter(network=network, year=year)}
        initial = {f"m_{m.pk.hex}": reported[m.pk].value if m.pk in reported else computed[m.pk] for m in wanted}
        version = network_stats.report_version(org, network, year)
        return report_form_class(wanted)(data, initial=initial, version=version), reported

    form, reported = report_form(post_data(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {m.pk: form.cleaned_data[f"m_{m.pk.hex}"] for m in wanted}
        try:
            network_stats.do_report(request.user, org, network, year, values, computed, loaded=form.loaded)
        except EditConflict:
            tell_conflict(request)
            (form, reported), status = report_form(None), 409
        else:
            messages.success(request, _("Organisationens siffror för %(y)s är rapporterade till %(n)s.") % {"y": year, "n": network.name})
            return redirect("stats:network_report", network_id=network.pk, year=year)
    rows = [(m, form[f"m_{m.pk.hex}"], computed[m.pk], reported.get(m.pk)) for m in wanted]
    return render(request, "stats/network_report.html", {
        "network": network, "year": year, "form": form, "rows": rows, "can_report": Cap.ORG_SETTINGS in request.capabilities,  # type: ignore[attr-defined]
    }, status=status)


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def network_table(request: HttpRequest, network_id: Any, year: int) -> HttpResponse:
    network = active_network(request)
    year = _year_or_404(year)
    members = member_organisations(network)
    if request.method == "POST":
        return _remind(request, network, year, members)
    table = network_stats.network_table(network, year, members)
    return render(request, "stats/network_table.html", {
        "network": network, "year": year, "table": table, "measure_form": MeasureForm(),
        "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        "can_edit": can_edit(request),
    })


def _remind(request: HttpRequest, network: Network, year: int, members: list[Any]) -> HttpResponse:
    """A follow-up for each member that has not reported the year: it shows on their start page."""
    import datetime

    from uppsok.network import actions_meetings

    table = network_stats.network_table(network, year, members)
    due = timezone.localdate() + datetime.timedelta(days=30)
    for org in table.missing + table.incomplete:
        actions_meetings.do_add_follow_up(request.user, network, None, {  # type: ignore[arg-type]
            "what": _("Rapportera nätverkets statistik för %(y)s") % {"y": year}, "responsible_organisation": org,
            "due_on": due,
        })
    messages.success(request, _("%(n)s organisationer har fått en påminnelse på sin startsida.") % {
        "n": len(table.missing) + len(table.incomplete)})
    return redirect("stats:network_table", network_id=network.pk, year=year)


@in_network(Cap.NETWORK_VIEW)
def network_table_csv(request: HttpRequest, network_id: Any, year: int) -> HttpResponse:
    network = active_network(request)
    table = network_stats.network_table(network, _year_or_404(year), member_organisations(network))
    response, writer = csv_response(f"natverksstatistik-{year}.csv")
    writer.writerow([safe_csv_cell(x) for x in [_("Organisation"), *(m.label for m in table.measures)]])
    for org, cells in table.rows:
        writer.writerow([safe_csv_cell(org.name), *(safe_csv_cell("" if c is None else c) for c in cells)])
    writer.writerow([safe_csv_cell(_("Nätverket totalt")), *(safe_csv_cell("" if c is None else c) for c in table.totals)])
    writer.writerow([safe_csv_cell(_("Tomma celler är dolda: färre än %(k)s, eller dolda för att en sådan inte ska kunna räknas fram.") % {"k": table.k})])
    return response


@in_network(Cap.NETWORK_EDIT)
@require_POST
def measure_add(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            network_stats.do_add_measure(request.user, network, form.cleaned_data["label"])
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Måttet är tillagt; medlemmarna fyller i det själva."))
    return redirect("stats:network_table", network_id=network.pk, year=timezone.localdate().year)


def _table_rows(table: network_stats.NetworkTable) -> tuple[list[str], list[list[Any]]]:
    header = [_("Organisation"), *(m.label for m in table.measures)]
    rows = [[org.name, *cells] for org, cells in table.rows]
    rows.append([_("Nätverket totalt"), *table.totals])
    return header, rows


@in_network(Cap.NETWORK_VIEW)
def network_table_xlsx(request: HttpRequest, network_id: Any, year: int) -> HttpResponse:
    from . import exports

    network = active_network(request)
    table = network_stats.network_table(network, _year_or_404(year), member_organisations(network))
    header, rows = _table_rows(table)
    response = HttpResponse(exports.xlsx([(f"Statistik {year}", header, rows)]),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="natverksstatistik-{year}.xlsx"'
    return response


@in_network(Cap.NETWORK_VIEW)
def network_annual_report(request: HttpRequest, network_id: Any, year: int) -> HttpResponse:
    """The network's year: the published table beside the previous year's totals, the plan's
    targets against outcomes, the development level, and the suppression rule stated."""
    from uppsok.network.models import StepEntry, YearlyTarget

    from . import exports

    network = active_network(request)
    year = _year_or_404(year)
    members = member_organisations(network)
    table = network_stats.network_table(network, year, members)
    before = network_stats.network_table(network, year - 1, members)
    header, rows = _table_rows(table)
    totals = [[m.label, a, b] for m, a, b in zip(table.measures, table.totals, before.totals, strict=True)]
    targets = [[f"{t.sub_goal.title}: {t.measure}", t.target, t.outcome]
               for t in network_scoped(request, YearlyTarget).filter(year=year).select_related("sub_goal")]
    level = network_scoped(request, StepEntry).filter(step=7, part="utvecklingsniva").order_by("-version").first()
    intro = [_("Nätverkets gemensamma statistikmall för %(y)s, sammanställd ur medlemmarnas rapporter.") % {"y": year}]
    if level is not None:
        intro.append(_("Utvecklingsnivå (steg 7): nu %(a)s, mål %(b)s.") % {
            "a": level.data.get("current", "–"), "b": level.data.get("wanted", "–")})
    pdf = exports.annual_report_pdf(
        _("Årsrapport %(y)s – %(n)s") % {"y": year, "n": network.name}, intro,
        [(_("Medlemmarnas siffror"), header, rows),
         (_("Nätverket totalt, jämfört med föregående år"), [_("Mått"), str(year), str(year - 1)], totals),
         (_("Samverkansplanens mål och utfall"), [_("Delmål och mått"), _("Mål"), _("Utfall")], targets)],
        [_("Period: kalenderåret %(y)s; en tabell per år.") % {"y": year},
         _("Tal under %(k)s visas inte, och inte heller tal som annars skulle låta någon räkna fram dem (–).") % {"k": network.stats_k},
         _("Inga personuppgifter ingår.")],
        charts=[(_("%(m)s: %(a)s och %(b)s") % {"m": m.label, "a": year, "b": year - 1}, [(str(year), a), (str(year - 1), b)])
                for m, a, b in zip(table.measures, table.totals, before.totals, strict=True)],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="natverkets-arsrapport-{year}.pdf"'
    return response
