"""What an organisation's statistics count, and how the monthly figures are computed from its
records. Each measure is a count (or a sum) of one kind of record per month, optionally broken
down by one field; pages add months up to a period. A month's figures are recomputed while its
records may still change (this month and the last) and then kept, so figures survive the
retention deletion of the records behind them. A month retention may already have reached is
closed even inside that window (`open_from`): with a short period set, recounting it would count
only the records left and lower the figure."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uppsok.core import retention


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    section: str  # "outreach" or "cases"
    model: str  # app_label.Model
    date_field: str
    org_path: str = "organisation"
    dimension: str = ""  # a field to break the count down by
    where: tuple[tuple[str, Any], ...] = ()
    exclude: tuple[tuple[str, Any], ...] = ()
    distinct: str = ""  # count distinct values of this field instead of rows
    total: str = ""  # sum this field instead of counting
    prepare: str = ""  # a function here narrowing the rows further (a condition the fields cannot say)


def _recurring(qs: Any) -> Any:
    """Sightings of ads first seen in an earlier month (months compared as months: a time compared
    with a month's start would be off by the time zone on SQLite)."""
    from django.db.models import F

    return qs.annotate(_first=TruncMonth("ad__first_seen")).filter(_first__lt=F("_m"))


def _worked_alone(qs: Any) -> Any:
    """Shifts with at most one worker recorded."""
    shift = apps.get_model("outreach.Shift")
    return qs.filter(pk__in=shift._default_manager.annotate(_n=Count("workers")).filter(_n__lte=1).values("pk"))


PREPARE = {"recurring": _recurring, "worked_alone": _worked_alone}


MEASURES: tuple[Measure, ...] = (
    Measure("ads_new", _("Nya annonser"), "outreach", "outreach.Ad", "first_seen", dimension="site"),
    Measure("ads_seen", _("Annonser granskade (sedda)"), "outreach", "outreach.Sighting", "seen_at",
            org_path="ad__organisation", dimension="site", distinct="ad"),
    Measure("ads_recurring", _("Återkommande annonser (sedda tidigare månader)"), "outreach", "outreach.Sighting",
            "seen_at", org_path="ad__organisation", dimension="site", distinct="ad", prepare="recurring"),
    Measure("groups", _("Grupper med nya annonser"), "outreach", "outreach.Ad", "first_seen", distinct="group_key",
            exclude=(("group_key", ""),)),
    Measure("indicators_found", _("Indikatorer i nya annonser, efter indikator"), "outreach", "outreach.AdIndicator",
            "ad__first_seen", dimension="code"),
    Measure("indicators_confirmed", _("Bekräftade indikatorer, efter indikator"), "outreach", "outreach.AdIndicator",
            "decided_at", dimension="code", where=(("status", "confirmed"),)),
    Measure("shifts", _("Pass"), "outreach", "outreach.Shift", "started_at"),
    Measure("shifts_debriefed", _("Pass med avlastningssamtal"), "outreach", "outreach.Shift", "started_at",
            where=(("debrief_done", True),)),
    Measure("ads_reviewed", _("Granskade annonser enligt passen"), "outreach", "outreach.Shift", "started_at",
            total="ads_reviewed"),
    Measure("contacts", _("Kontakter, efter svar"), "outreach", "outreach.Contact", "contacted_at", dimension="response"),
    Measure("ads_contacted", _("Annonser vars annonsör kontaktades"), "outreach", "outreach.Contact", "contacted_at",
            distinct="ad", exclude=(("ad", None),)),
    Measure("shifts_alone", _("Pass där någon arbetade ensam"), "outreach", "outreach.Shift", "started_at",
            prepare="worked_alone"),
    Measure("do_not_contact", _("Nya kontaktspärrar"), "outreach", "outreach.DoNotContact", "created_at"),
    Measure("tips", _("Tips, polisanmälningar och orosanmälningar"), "outreach", "outreach.Tip", "created_at",
            dimension="kind"),
    Measure("cases_started", _("Nya ärenden, efter hur de startade"), "cases", "cases.Case", "opened_on",
            dimension="origin"),
    Measure("cases_by_type", _("Nya ärenden, efter ärendetyp"), "cases", "cases.Case", "opened_on",
            dimension="case_type__name"),
    Measure("cases_by_age", _("Nya ärenden, efter åldersgrupp"), "cases", "cases.Case", "opened_on",
            dimension="person__age_band"),
    Measure("cases_by_group", _("Nya ärenden, svenska/utländska gruppen"), "cases", "cases.Case", "opened_on",
            dimension="person__population_group"),
    Measure("cases_closed", _("Avslutade ärenden"), "cases", "cases.Case", "closed_on"),
    Measure("activities", _("Stödinsatser, efter typ"), "cases", "cases.SupportActivity", "date", dimension="kind"),
    Measure("activity_minutes", _("Stödinsatser, minuter"), "cases", "cases.SupportActivity", "date",
            total="duration_minutes"),
    Measure("referrals", _("Remisser, efter status"), "cases", "cases.Referral", "created_at", dimension="status"),
    Measure("needs_expressed", _("Behov uttryckta vid start"), "cases", "cases.CaseNeed", "case__opened_on",
            dimension="area", where=(("expressed_at_start", True),)),
    Measure("needs_met", _("Behov tillgodosedda vid avslut"), "cases", "cases.CaseNeed", "case__closed_on",
            dimension="area", where=(("met_at_close", "yes"),)),
    Measure("screening_asked", _("Klientmöten där frågan om sex mot ersättning ställdes, efter svar"), "cases",
            "cases.ScreeningRecord", "meeting_date", dimension="answer", where=(("asked", True),)),
)
BY_KEY = {m.key: m for m in MEASURES}


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, n: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def _bounds(field: Any, first: datetime.date, end: datetime.date) -> tuple[Any, Any]:
    """The period's limits in the field's own type: dates for a date, aware datetimes for a time."""
    from django.db.models import DateTimeField

    if isinstance(field, DateTimeField):
        tz = timezone.get_current_timezone()
        return (datetime.datetime.combine(first, datetime.time(), tzinfo=tz),
                datetime.datetime.combine(end, datetime.time(), tzinfo=tz))
    return first, end


def _field(model: Any, path: str) -> Any:
    parts = path.split("__")
    for name in parts[:-1]:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(parts[-1])


def compute(organisation: Any, measure: Measure, first: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str, int]]:
    """(month, breakdown, value) of `measure` for the organisation's records from `first` up to `end`
    (first days of months): every month with something, a total row ("") and, for a breakdown, a
    row per value."""
    model = apps.get_model(measure.model)
    lo, hi = _bounds(_field(model, measure.date_field), first, end)
    qs = model._default_manager.filter(**{measure.org_path: organisation, f"{measure.date_field}__gte": lo,
                                          f"{measure.date_field}__lt": hi})
    if measure.where:
        qs = qs.filter(**dict(measure.where))
    if measure.exclude:
        qs = qs.exclude(**dict(measure.exclude))
    if measure.total:
        agg = Sum(measure.total)
    elif measure.distinct:
        agg = Count(measure.distinct, distinct=True)
    else:
        agg = Count("pk")
    qs = qs.annotate(_m=TruncMonth(measure.date_field)).order_by()
    if measure.prepare:
        qs = PREPARE[measure.prepare](qs)
    rows: list[tuple[datetime.date, str, int]] = []
    for r in qs.values("_m").annotate(_v=agg):
        rows.append((_as_date(r["_m"]), "", int(r["_v"] or 0)))
    if measure.dimension:
        for r in qs.values("_m", measure.dimension).annotate(_v=agg):
            rows.append((_as_date(r["_m"]), str(r[measure.dimension] or "–")[:120], int(r["_v"] or 0)))
    return [r for r in rows if r[2]]


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def refresh(organisation: Any, first: datetime.date, end: datetime.date, measures: Iterable[Measure] = MEASURES) -> int:
    """Recompute the organisation's figures for the months from `first` up to `end`; returns rows written."""
    from .models import OrgFigure

    measures = list(measures)
    rows = [(organisation.pk, month, m.key, dim, value)
            for m in measures for month, dim, value in compute(organisation, m, first, end)]
    with transaction.atomic():
        OrgFigure.objects.filter(organisation=organisation, month__gte=first, month__lt=end,
                                 measure__in=[m.key for m in measures]).delete()
        OrgFigure.objects.bulk_create(
            [OrgFigure(organisation_id=o, month=mo, measure=me, dimension=d, value=v) for o, mo, me, d, v in rows],
            batch_size=2000,
        )
    return len(rows)


def _models_of(measure: Measure) -> set[str]:
    """The models whose rows a measure reads: its own and every one on its field paths."""
    model = apps.get_model(measure.model)
    labels = {model._meta.label}
    paths = [measure.date_field, measure.org_path, measure.dimension, measure.distinct, measure.total,
             *(k for k, _v in measure.where), *(k for k, _v in measure.exclude)]
    for path in filter(None, paths):
        current = model
        for name in path.split("__"):
            try:
                field = current._meta.get_field(name)
            except FieldDoesNotExist:  # a lookup, such as "year", ends the path
                break
            if not field.is_relation or field.related_model is None:
                break
            current = field.related_model
            labels.add(current._meta.label)
    return labels


def open_from(organisation: Any, measure: Measure, today: datetime.date) -> datetime.date | None:
    """The first month whose records no retention rule can have touched yet (None: no rule removes
    what the measure counts). Months before it are never recounted: the records retention removed
    are still in their stored figures, and a recount would lose them."""
    cutoff = retention.cutoff_for_models(organisation, _models_of(measure), today)
    return add_months(month_start(cutoff), 1) if cutoff else None


def refresh_open(organisation: Any, first: datetime.date, end: datetime.date, today: datetime.date | None = None,
                 *, reached_on: datetime.date | None = None) -> int:
    """`refresh` of the months from `first` up to `end` that retention had not reached by
    `reached_on` (default `today`), per measure."""
    reached_on = reached_on or today or timezone.localdate()
    by_start: dict[datetime.date, list[Measure]] = {}
    for measure in MEASURES:
        start = max(first, open_from(organisation, measure, reached_on) or first)
        if start < end:
            by_start.setdefault(start, []).append(measure)
    return sum(refresh(organisation, start, end, measures) for start, measures in sorted(by_start.items()))


def refresh_recent(organisations: Iterable[Any], today: datetime.date | None = None, *,
                   reached_on: datetime.date | None = None) -> int:
    """This month and the last, and the yearly figures of their years, for every organisation:
    the scheduler's incremental refresh. Months retention had reached by `reached_on` (default
    `today`) are kept as stored."""
    today = today or timezone.localdate()
    reached_on = reached_on or today
    first = add_months(month_start(today), -1)
    end = add_months(month_start(today), 1)
    total = 0
    for org in organisations:
        total += refresh_open(org, first, end, today, reached_on=reached_on)
        reached = open_from(org, BY_KEY["activities"], reached_on)
        for year in sorted({first.year, today.year}):
            total += refresh_yearly(org, year, keep_higher=reached is not None and datetime.date(year, 1, 1) < reached)
    return total


def refresh_before_purge(organisation: Any, on: datetime.date) -> None:
    """The retention run calls this just before it deletes: the months that the previous day's run
    had not reached are recounted while the records this run deletes are still there, so a month's
    figures are complete before its first record goes."""
    refresh_recent([organisation], on, reached_on=on - datetime.timedelta(days=1))


# Long-term support: a case with support given in at least this many different months of a year.
LONG_TERM_MONTHS = 3
YEARLY_MEASURES = {"long_term_cases": _("Ärenden med långsiktigt stöd (stödinsatser under minst tre månader av året)")}


def compute_long_term(organisation: Any, year: int) -> int:
    activity = apps.get_model("cases.SupportActivity")
    months = (
        activity._default_manager.filter(organisation=organisation, date__year=year)
        .annotate(_m=TruncMonth("date")).values("case_id", "_m").distinct().order_by()
    )
    per_case: dict[Any, int] = {}
    for row in months:
        per_case[row["case_id"]] = per_case.get(row["case_id"], 0) + 1
    return sum(1 for n in per_case.values() if n >= LONG_TERM_MONTHS)


def refresh_yearly(organisation: Any, year: int, *, keep_higher: bool = False) -> int:
    """The figures that only a whole year can say, stored on the year's first day. With
    `keep_higher` (retention may have removed some of the year's records) a lower count does not
    replace the stored one."""
    from .models import OrgFigure

    value = compute_long_term(organisation, year)
    with transaction.atomic():
        stored = OrgFigure.objects.filter(organisation=organisation, month=datetime.date(year, 1, 1),
                                          measure__in=list(YEARLY_MEASURES))
        if keep_higher:
            value = max([value, *stored.filter(measure="long_term_cases").values_list("value", flat=True)])
        stored.delete()
        if value:
            OrgFigure.objects.create(organisation=organisation, month=datetime.date(year, 1, 1),
                                     measure="long_term_cases", dimension="", value=value)
    return 1 if value else 0


def period_totals(organisation: Any, first: datetime.date, end: datetime.date) -> dict[str, dict[str, int]]:
    """{measure: {breakdown: value}} summed over the months of a period, from the stored figures."""
    from .models import OrgFigure

    out: dict[str, dict[str, int]] = {}
    rows = (OrgFigure.objects.filter(organisation=organisation, month__gte=first, month__lt=end)
            .values("measure", "dimension").annotate(v=Sum("value")))
    for r in rows:
        out.setdefault(r["measure"], {})[r["dimension"]] = int(r["v"])
    return out


