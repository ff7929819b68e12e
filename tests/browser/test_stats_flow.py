"""End to end in Chromium: an outreach worker opens the year's figures from the start page; a
coordinator opens the network's table and downloads the XLSX and the annual report. axe on every page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import make_org, make_user
from uppsok.accounts.models import Role
from uppsok.network.models import Network, NetworkMembership, NetworkRole
from uppsok.outreach.models import Tip
from uppsok.stats import figures, network_stats
from uppsok.stats.models import NetworkReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_outreach_worker_and_coordinator_read_the_figures(page, login_as, check_axe):
    org = make_org("org-a", name="Stödcentrum")
    other = make_org("org-b", name="Socialtjänsten")
    network = Network.objects.create(name="Nätverket", slug="natverket")
    for o in (org, other):
        NetworkMembership.objects.create(network=network, organisation=o)
    ulla = make_user("ulla", org, [Role.OUTREACH])
    nora = make_user("nora")
    NetworkRole.objects.create(network=network, user=nora, role=NetworkRole.Role.COORDINATOR)
    year = timezone.localdate().year
    for _ in range(6):
        Tip.objects.create(organisation=org, kind="anonymous_tip", text="t")
    figures.refresh(org, datetime.date(year, 1, 1), figures.add_months(timezone.localdate().replace(day=1), 1))
    for o, values in ((org, [6, 12, 30, 2]), (other, [9, 3, 14, 7])):
        for m, v in zip(network_stats.measures(network), values, strict=True):
            NetworkReport.objects.create(network=network, organisation=o, measure=m, year=year, value=v, source="manual")

    login_as(page, ulla)
    check_axe(page)  # the start page with the statistics panel
    assert "Statistik" in page.content()
    page.get_by_role("link", name="All statistik").click()
    page.wait_for_url("**/statistik/")
    check_axe(page)
    assert "Tips, polisanmälningar" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    check_axe(page)
    page.get_by_role("button", name="Logga ut").click()

    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, nora)
    page.goto(f"/statistik/natverk/{network.pk}/{year}/tabell/")
    check_axe(page)
    assert "Nätverket totalt" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as report:
        page.get_by_role("link", name="Årsrapport (PDF)").click()
    assert report.value.suggested_filename.endswith(".pdf")
