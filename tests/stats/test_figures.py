"""The stored monthly figures equal a direct count from the records (Python-side grouping over the
demo data, independent of the SQL that fills them), and they outlive the records they count."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.apps import apps
from django.utils import timezone

from uppsok.core.demo import create_demo_data
from uppsok.stats import figures
from uppsok.stats.models import OrgFigure

pytestmark = pytest.mark.django_db


def _get(obj, path):
    for part in path.split("__"):
        obj = getattr(obj, part) if obj is not None else None
    return obj


def direct(org, measure, first, end):
    """The same figure by reading every record and grouping in Python."""
    model = apps.get_model(measure.model)
    out = Counter()
    distinct = {}
    for row in model._default_manager.all():
        owner = _get(row, measure.org_path.replace("organisation", "organisation_id")) if measure.org_path == "organisation" else _get(row, measure.org_path).pk
        if owner != org.pk:
            continue
        if any(_get(row, f) != v for f, v in measure.where) or any(_get(row, f) == v for f, v in measure.exclude):
            continue
        if measure.prepare == "worked_alone" and row.workers.count() > 1:
            continue
        when = _get(row, measure.date_field)
        if when is None:
            continue
        if isinstance(when, datetime.datetime):
            when = timezone.localtime(when).date()
        month = when.replace(day=1)
        if not (first <= month < end):
            continue
        if measure.prepare == "recurring":
            first_seen = timezone.localtime(row.ad.first_seen)
            if not first_seen < timezone.make_aware(datetime.datetime.combine(month, datetime.time())):
                continue
        keys = [""] + ([str(_get(row, measure.dimension) or "–")] if measure.dimension else [])
        for key in keys:
            if measure.total:
                out[(month, key)] += _get(row, measure.total) or 0
            elif measure.distinct:
                value = _get(row, measure.distinct)
                distinct.setdefault((month, key), set()).add(getattr(value, "pk", value))
            else:
                out[(month, key)] += 1
    for k, v in distinct.items():
        out[k] = len(v)
    return {k: v for k, v in out.items() if v}


def test_every_measure_equals_a_direct_count_from_the_records():
    ctx = create_demo_data()
    today = timezone.localdate()
    first, end = figures.add_months(today.replace(day=1), -24), figures.add_months(today.replace(day=1), 1)
    for org in ctx.organisations.values():
        figures.refresh(org, first, end)
        for measure in figures.MEASURES:
            stored = {(f.month, f.dimension): f.value for f in OrgFigure.objects.filter(organisation=org, measure=measure.key)}
            assert stored == direct(org, measure, first, end), measure.key
    # the demo has something in most measures, or the comparison says little
    assert OrgFigure.objects.values("measure").distinct().count() >= 10


def test_figures_outlive_the_records_and_refresh_only_recent_months():
    from uppsok.outreach.models import Tip

    ctx = create_demo_data()
    org = ctx.organisations["stodcentrum-syd"]
    today = timezone.localdate()
    old = figures.add_months(today.replace(day=1), -6)
    Tip.objects.create(organisation=org, kind="anonymous_tip", text="t")
    Tip.objects.filter(organisation=org).update(created_at=timezone.make_aware(datetime.datetime.combine(old, datetime.time(12))))
    figures.refresh(org, old, figures.add_months(old, 1))
    kept = OrgFigure.objects.get(organisation=org, month=old, measure="tips", dimension="").value
    Tip.objects.filter(organisation=org).delete()  # as retention would
    figures.refresh_recent([org], today)
    assert OrgFigure.objects.get(organisation=org, month=old, measure="tips", dimension="").value == kept


def test_every_condition_names_a_value_the_field_can_hold():
    """A filter on a value the field never stores counts nothing, and the direct count above would
    agree with it; so each condition's value must be one of the field's choices."""
    for measure in figures.MEASURES:
        model = apps.get_model(measure.model)
        for path, value in (*measure.where, *measure.exclude):
            field = None
            current = model
            for part in path.split("__"):
                field = current._meta.get_field(part)
                current = field.related_model or current
            if field.choices:
                assert value in {c[0] for c in field.flatchoices}, (measure.key, path, value)


def test_needs_met_counts_needs_met_at_close(org_a, bob):
    from tests.cases.conftest import make_case
    from uppsok.cases.models import Case, CaseNeed, CaseStatus

    case = make_case(org_a, bob)
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=today)
    CaseNeed.objects.create(organisation=org_a, case=case, area="housing", expressed_at_start=True, met_at_close="yes")
    CaseNeed.objects.create(organisation=org_a, case=case, area="health", expressed_at_start=True, met_at_close="no")
    figures.refresh(org_a, today.replace(day=1), figures.add_months(today.replace(day=1), 1))
    stored = {f.dimension: f.value for f in OrgFigure.objects.filter(organisation=org_a, measure="needs_met")}
    assert stored == {"": 1, "housing": 1}
