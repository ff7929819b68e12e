"""The network's common statistics template (Helsingborg's four measures and the coordinator's
own): each member's yearly figures, filled from its records or entered, and the network's one
published table per year with small cells suppressed. A year is the only period, so tables never
overlap and one cannot be subtracted from another."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.changes import Loaded, check_version, version_of_values

from . import figures
from .models import NetworkMeasure, NetworkReport
from .suppression import Published, suppress

STANDARD_MEASURES: tuple[tuple[str, Any, str], ...] = (
    ("incidents", _("Incidenter rapporterade som kan röra människohandel eller prostitution"), "tips"),
    ("persons_documented", _("Möjligt utsatta personer dokumenterade"), "cases_started"),
    ("support_conversations", _("Stödsamtal genomförda"), "activities:support_conversation"),
    ("long_term_support", _("Långsiktigt stöd givet"), "long_term_cases"),
)


def measures(network: Any) -> list[NetworkMeasure]:
    """The network's measures, Helsingborg's four first created when there are none."""
    found = list(NetworkMeasure.objects.filter(network=network))
    if found:
        return found
    with transaction.atomic():
        for order, (key, label, source) in enumerate(STANDARD_MEASURES, start=1):
            NetworkMeasure.objects.get_or_create(network=network, key=key,
                                                 defaults={"label": str(label), "order": order, "source": source})
    return list(NetworkMeasure.objects.filter(network=network))


def from_records(organisation: Any, year: int, wanted: list[NetworkMeasure]) -> dict[Any, int | None]:
    """Each measure's value for the year from the organisation's stored figures (None: the measure
    has no source in Uppsök and is entered by hand)."""
    import datetime

    totals = figures.period_totals(organisation, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    out: dict[Any, int | None] = {}
    for m in wanted:
        if not m.source:
            out[m.pk] = None
            continue
        key, _sep, dim = m.source.partition(":")
        out[m.pk] = totals.get(key, {}).get(dim, 0)
    return out


def report_version(organisation: Any, network: Any, year: int) -> str:
    """The version of the figures the organisation has reported for the year, as the report page shows them."""
    reported = NetworkReport.objects.filter(network=network, organisation=organisation, year=year)
    return version_of_values((str(m), v) for m, v in reported.values_list("measure_id", "value"))


@transaction.atomic
def do_report(actor: Any, organisation: Any, network: Any, year: int, values: dict[Any, int],
              computed: dict[Any, int | None], *, loaded: Loaded | None = None) -> int:
    """Store the organisation's figures for the year, each marked as from Uppsök when it is the
    figure the records give, otherwise as entered; refused (`EditConflict`) when another person
    reported other figures after this page was loaded."""
    from uppsok.network.models import NetworkMembership

    # the membership row serialises two reports of the organisation, the first one included
    NetworkMembership.objects.select_for_update().filter(network=network, organisation=organisation).first()
    check_version(report_version(organisation, network, year), loaded)
    n = 0
    for measure in NetworkMeasure.objects.filter(network=network, pk__in=list(values)):
        value = values[measure.pk]
        source = NetworkReport.Source.UPPSOK if computed.get(measure.pk) == value else NetworkReport.Source.MANUAL
        NetworkReport.objects.update_or_create(
            network=network, organisation=organisation, measure=measure, year=year,
            defaults={"value": value, "source": source, "reported_by": actor},
        )
        n += 1
    record(actor, AuditAction.CHANGE, organisation=organisation, network=network, object_type="stats.networkreport",
           object_id=str(network.pk), detail=f"year={year};measures={n}")
    return n


@dataclass
class NetworkTable:
    year: int
    k: int
    measures: list[NetworkMeasure]
    rows: list[tuple[Any, list[int | None]]]  # (organisation, cells) of members who reported every measure
    totals: list[int | None]
    complete: list[Any] = field(default_factory=list)
    incomplete: list[Any] = field(default_factory=list)
    missing: list[Any] = field(default_factory=list)
    published: Published | None = None


def network_table(network: Any, year: int, members: list[Any]) -> NetworkTable:
    """The year's published table: members who reported every measure, with cells under the
    network's k and their complements suppressed. Nothing unsuppressed leaves this function."""
    wanted = measures(network)
    reports = NetworkReport.objects.filter(network=network, year=year, organisation__in=members)
    values: dict[Any, dict[Any, int]] = {}
    for r in reports.values_list("organisation_id", "measure_id", "value"):
        values.setdefault(r[0], {})[r[1]] = r[2]
    ids = [m.pk for m in wanted]
    complete = [o for o in members if all(i in values.get(o.pk, {}) for i in ids)]
    incomplete = [o for o in members if o.pk in values and o not in complete]
    missing = [o for o in members if o.pk not in values]
    table = NetworkTable(year, network.stats_k, wanted, [], [None] * len(wanted), complete, incomplete, missing)
    if complete and wanted:
        published = suppress([[values[o.pk][i] for i in ids] for o in complete], network.stats_k)
        table.rows = list(zip(complete, published.cells, strict=True))
        table.totals = published.col_totals
        table.published = published
    return table


@transaction.atomic
def do_add_measure(actor: Any, network: Any, label: str) -> NetworkMeasure:
    """A further measure the coordinator adds; members enter it by hand (it has no source)."""
    from django.utils.text import slugify
    from django.utils.translation import gettext as _t

    label = label.strip()
    key = slugify(label)[:50] or "matt"
    existing = measures(network)
    if any(m.key == key for m in existing):
        raise ValueError(_t("Nätverket har redan ett mått med det namnet."))
    measure = NetworkMeasure.objects.create(network=network, key=key, label=label,
                                            order=max((m.order for m in existing), default=0) + 1)
    record(actor, AuditAction.CREATE, network=network, obj=measure)
    return measure


def measure_choices(network: Any) -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in measures(network)]


def target_outcomes(network: Any, targets: list[Any]) -> dict[Any, int | None]:
    """A bound target's outcome: the network's published total of its measure for its year (None
    when hidden or not reported) — never an unsuppressed figure."""
    from uppsok.network.queries import member_organisations

    if not targets:
        return {}
    members = member_organisations(network)
    out: dict[Any, int | None] = {}
    for year in sorted({t.year for t in targets}):
        table = network_table(network, year, members)
        totals = {m.key: total for m, total in zip(table.measures, table.totals, strict=True)}
        for t in targets:
            if t.year == year:
                out[t.pk] = totals.get(t.stats_measure)
    return out
