"""The organisation's statistics page: a period's figures beside the previous period's, from the
stored monthly figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from . import figures


@dataclass
class Period:
    kind: str  # year, quarter, month
    year: int
    number: int  # quarter 1-4 or month 1-12 (1 for a year)

    @property
    def months(self) -> int:
        return {"year": 12, "quarter": 3, "month": 1}[self.kind]

    @property
    def first(self) -> datetime.date:
        month = {"year": 1, "quarter": 3 * (self.number - 1) + 1, "month": self.number}[self.kind]
        return datetime.date(self.year, month, 1)

    @property
    def end(self) -> datetime.date:
        return figures.add_months(self.first, self.months)

    def previous(self) -> Period:
        first = figures.add_months(self.first, -self.months)
        number = {"year": 1, "quarter": (first.month - 1) // 3 + 1, "month": first.month}[self.kind]
        return Period(self.kind, first.year, number)

    def label(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return _("kvartal %(q)s %(y)s") % {"q": self.number, "y": self.year}
        return f"{self.year}-{self.number:02d}"


@dataclass
class Row:
    measure: figures.Measure
    now: int
    before: int
    breakdown: list[tuple[str, int, int]] = field(default_factory=list)
    link: str = ""

    @property
    def change(self) -> int:
        return self.now - self.before


def _labels(measure: figures.Measure) -> dict[str, str]:
    """Display names of a breakdown's stored codes (a choice field's labels)."""
    if not measure.dimension:
        return {}
    f = figures._field(apps.get_model(measure.model), measure.dimension)
    return {str(k): str(v) for k, v in (f.choices or [])}


# The list each figure counts, and the capability needed to see it.
LINKS = {
    "ads_new": ("outreach:ad_list", "outreach.view"), "ads_seen": ("outreach:ad_list", "outreach.view"),
    "shifts": ("outreach:shift_list", "outreach.view"), "contacts": ("outreach:contact_list", "outreach.view"),
    "do_not_contact": ("outreach:dnc_list", "outreach.view"), "tips": ("outreach:tip_list", "outreach.view"),
    "cases_started": ("cases:case_list", "cases.view"), "cases_by_type": ("cases:case_list", "cases.view"),
    "cases_closed": ("cases:case_list", "cases.view"),
}


def sections(organisation: Any, period: Period, capabilities: set[str]) -> dict[str, list[Row]]:
    from django.urls import reverse

    now = figures.period_totals(organisation, period.first, period.end)
    prev_p = period.previous()
    before = figures.period_totals(organisation, prev_p.first, prev_p.end)
    out: dict[str, list[Row]] = {"outreach": [], "cases": []}
    for m in figures.MEASURES:
        a, b = now.get(m.key, {}), before.get(m.key, {})
        labels = _labels(m)
        dims = sorted({d for d in (*a, *b) if d})
        row = Row(m, a.get("", 0), b.get("", 0),
                  [(labels.get(d, d), a.get(d, 0), b.get(d, 0)) for d in dims])
        link = LINKS.get(m.key)
        if link and link[1] in capabilities:
            row.link = reverse(link[0])
        out[m.section].append(row)
    if period.kind == "year":
        # what only a whole year can say
        for key, label in figures.YEARLY_MEASURES.items():
            yearly = figures.Measure(key, label, "cases", "cases.SupportActivity", "date")
            out["cases"].append(Row(yearly, now.get(key, {}).get("", 0), before.get(key, {}).get("", 0)))
    return out


def monthly(organisation: Any, measure: str, first: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    """A measure's total per month over a period (for the trend chart and its table)."""
    from .models import OrgFigure

    values = dict(OrgFigure.objects.filter(organisation=organisation, measure=measure, dimension="",
                                           month__gte=first, month__lt=end).values_list("month", "value"))
    out = []
    cursor = first
    while cursor < end:
        out.append((cursor.strftime("%Y-%m"), int(values.get(cursor, 0))))
        cursor = figures.add_months(cursor, 1)
    return out


def section_tables(sections_: dict[str, list[Row]], period: Period) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The page's tables as rows for an export: one table per section, then each breakdown."""
    header = [_("Mått"), period.label(), period.previous().label(), _("Förändring")]
    out = []
    titles = {"outreach": _("Uppsökande arbete online"), "cases": _("Stöd och ärenden")}
    for key, rows in sections_.items():
        out.append((titles[key], header, [[str(r.measure.label), r.now, r.before, r.change] for r in rows]))
    for rows in sections_.values():
        for r in rows:
            if r.breakdown:
                out.append((str(r.measure.label)[:31], [_("Uppdelning"), period.label(), period.previous().label()],
                            [[label, a, b] for label, a, b in r.breakdown]))
    return out
