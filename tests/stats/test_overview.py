"""The organisation's statistics page: its own figures for a period beside the previous one, links
to the lists they count for those who may see them, the admin's refresh; no other organisation's
figures; a role without stats.view gets 403."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uppsok.outreach.models import Tip
from uppsok.stats import figures
from uppsok.stats.models import OrgFigure

pytestmark = pytest.mark.django_db
URL = reverse("stats:overview")


def _tips(org, n, when):
    for _ in range(n):
        Tip.objects.create(organisation=org, kind="anonymous_tip", text="t")
    Tip.objects.filter(organisation=org, created_at__gte=timezone.now() - datetime.timedelta(minutes=5)).update(
        created_at=timezone.make_aware(datetime.datetime.combine(when, datetime.time(12))))


def test_the_years_figures_beside_last_years(client_for, alice, org_a, charlie, org_b):
    year = timezone.localdate().year
    _tips(org_a, 3, datetime.date(year, 1, 15))
    _tips(org_a, 1, datetime.date(year - 1, 6, 15))
    _tips(org_b, 7, datetime.date(year, 1, 15))
    for org in (org_a, org_b):
        figures.refresh(org, datetime.date(year - 1, 1, 1), datetime.date(year + 1, 1, 1))
    page = client_for(alice, org_a).get(URL + f"?period=year&year={year}").content.decode()
    section = page[page.index('id="sec-outreach"'):]
    row = section[section.index("Tips, polisanmälningar"):]
    row = row[: row.index("</tr>")]
    assert "<td>3</td><td>1</td><td>+2</td>" in row.replace("\n", "").replace(" ", "")
    assert reverse("outreach:tip_list") in page  # Alice may see the tips list
    assert "<td>7</td>" not in row


def test_a_quarter_and_a_month(client_for, alice, org_a):
    year = timezone.localdate().year
    _tips(org_a, 2, datetime.date(year, 2, 10))
    figures.refresh(org_a, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    c = client_for(alice, org_a)
    assert "kvartal 1" in c.get(URL + f"?period=quarter&year={year}&number=1").content.decode()
    bad = c.get(URL + f"?period=quarter&year={year}&number=7")
    assert bad.status_code == 200  # the page falls back to the year and says nothing is broken


def test_a_role_without_stats_gets_403(client_for, dana, org_a):
    assert client_for(dana, org_a).get(URL).status_code == 403


def test_only_an_admin_refreshes_and_it_is_audited(client_for, alice, bob, org_a):
    from uppsok.audit.models import AuditEvent

    assert client_for(bob, org_a).post(reverse("stats:refresh")).status_code == 403
    _tips(org_a, 2, timezone.localdate())
    assert client_for(alice, org_a).post(reverse("stats:refresh")).status_code == 302
    assert OrgFigure.objects.get(organisation=org_a, measure="tips", dimension="").value == 2
    assert AuditEvent.objects.filter(object_type="stats.figures", organisation_id=org_a.pk).exists()


def test_the_page_reads_a_fixed_number_of_queries(client_for, alice, org_a):
    c = client_for(alice, org_a)
    year = timezone.localdate().year
    c.get(URL)
    with CaptureQueriesContext(connection) as few:
        c.get(URL)
    for month in range(1, 13):
        _tips(org_a, 2, datetime.date(year, month, 3))
    figures.refresh(org_a, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    with CaptureQueriesContext(connection) as many:
        c.get(URL)
    assert len(many) == len(few)


def test_the_organisations_figures_as_xlsx_and_annual_report(client_for, alice, org_a):
    import io

    from openpyxl import load_workbook

    year = timezone.localdate().year
    _tips(org_a, 4, datetime.date(year, 2, 2))
    figures.refresh(org_a, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    c = client_for(alice, org_a)
    x = c.get(reverse("stats:overview_xlsx") + f"?period=year&year={year}")
    book = load_workbook(io.BytesIO(x.content))
    assert len(book.worksheets) >= 2  # a sheet per table
    rows = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
    tips = next(r for r in rows if r[0] and r[0].startswith("Tips"))
    assert tips[1] == 4
    pdf = c.get(reverse("stats:annual_report") + f"?year={year}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_trend_chart_follows_the_chosen_measure_and_has_its_table(client_for, alice, org_a):
    year = timezone.localdate().year
    _tips(org_a, 5, datetime.date(year, 1, 20))
    figures.refresh(org_a, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    page = client_for(alice, org_a).get(URL + f"?period=year&year={year}&trend=tips").content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert f"<td>{year}-01</td><td>5</td>" in page  # the chart's data table beside it


def test_the_organisations_figures_as_csv(client_for, alice, org_a):
    year = timezone.localdate().year
    _tips(org_a, 4, datetime.date(year, 2, 2))
    figures.refresh(org_a, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    body = client_for(alice, org_a).get(reverse("stats:overview_csv") + f"?period=year&year={year}").content.decode("utf-8-sig")
    assert "Uppsökande arbete online;Tips, polisanmälningar och orosanmälningar;4;0;4" in body


def test_long_term_support_is_a_yearly_figure_on_the_year_page(client_for, bob, alice, org_a):
    from uppsok.cases.models import Case, CaseOrigin, ExploitationType, Person, SupportActivity

    year = timezone.localdate().year
    person = Person.objects.create(organisation=org_a, alias="Vera")
    case = Case.objects.create(organisation=org_a, person=person, case_type=ExploitationType.objects.first(),
                               origin=CaseOrigin.OUTREACH_ONLINE, opened_on=datetime.date(year, 1, 2))
    for month in (1, 2, 3):
        SupportActivity.objects.create(organisation=org_a, case=case, kind="support_conversation",
                                       date=datetime.date(year, month, 5), duration_minutes=30)
    figures.refresh_yearly(org_a, year)
    page = client_for(alice, org_a).get(URL + f"?period=year&year={year}").content.decode()
    row = page[page.index("Ärenden med långsiktigt stöd"):]
    assert row[: row.index("</tr>")].replace(" ", "").replace("\n", "").endswith("<td>1</td><td>0</td><td>+1</td>")
