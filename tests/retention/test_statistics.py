"""The statistics keep what retention deletes: a month that retention has reached is never
recounted, even with the shortest periods, and it was counted in full before its first record went."""

from __future__ import annotations

import datetime

import pytest

from uppsok.core import retention
from uppsok.stats import figures
from uppsok.stats.models import OrgFigure

from .conftest import make_ad, make_contact, moment

pytestmark = pytest.mark.django_db

MAY = datetime.date(2026, 5, 1)


def _may(org, measure: str) -> int:
    row = OrgFigure.objects.filter(organisation=org, month=MAY, measure=measure, dimension="").first()
    return row.value if row else 0


def test_a_month_keeps_its_figures_when_a_short_period_deletes_its_records(org_a):
    org_a.ad_retention_months = org_a.contact_retention_months = 1
    org_a.save()
    seen = moment(datetime.date(2026, 5, 10))
    make_ad(org_a, seen)
    make_contact(org_a, seen)
    figures.refresh_recent([org_a], datetime.date(2026, 5, 31))
    assert _may(org_a, "ads_new") == 1 and _may(org_a, "contacts") == 1
    # a contact logged late for May, before the first of May's records goes
    make_contact(org_a, moment(datetime.date(2026, 5, 31)))
    # the daily runs: the one that deletes May's first records recounts May just before
    for day in range(1, 11):
        retention.run(datetime.date(2026, 6, day), organisations=[org_a])
    assert _may(org_a, "contacts") == 2
    # the records are gone, and the hourly refresh leaves May as stored
    assert figures.compute(org_a, figures.BY_KEY["ads_new"], MAY, datetime.date(2026, 6, 1)) == []
    figures.refresh_recent([org_a], datetime.date(2026, 6, 20))
    assert _may(org_a, "ads_new") == 1 and _may(org_a, "contacts") == 2
    assert _may(org_a, "ads_seen") == 1


def test_months_retention_has_not_reached_are_recounted(org_a):
    # the default periods are a year and more: last month is open, as before; a kontaktspärr may
    # be as short as a month, and its count (of entries made, never dated back) is completed by
    # the run just after the month ends
    today = datetime.date(2026, 6, 20)
    for measure in figures.MEASURES:
        opened = figures.open_from(org_a, measure, today)
        expected = datetime.date(2026, 6, 1) if measure.key == "do_not_contact" else MAY
        assert opened is None or opened <= expected, measure.key
    assert figures.open_from(org_a, figures.BY_KEY["do_not_contact"], datetime.date(2026, 5, 31)) == MAY
    assert figures.open_from(org_a, figures.BY_KEY["ads_contacted"], today) == datetime.date(2025, 7, 1)
