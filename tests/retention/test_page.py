"""The retention page: every kind of personal data, for the organisation's admins and auditor."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uppsok.core import retention

from .conftest import KINDS, ago, moment

pytestmark = pytest.mark.django_db

URL = reverse("core:retention")


def _going_next_month(org, n: int = 1) -> dict[str, list]:
    """`n` rows of every kind that go within the next month, from today."""
    today = timezone.localdate()
    made: dict[str, list] = {}
    for key, kind in KINDS.items():
        rule = retention.rule(key)
        for i in range(n):
            made.setdefault(key, []).append(
                kind.make(org, moment(ago(rule, org, 1, today).date() + datetime.timedelta(days=5 + i % 20)))
            )
    return made


def _links(body: str) -> list[str]:
    return [href for href in re.findall(r'href="([^"]+)"', body)
            if re.search(r"/[0-9a-f]{8}-[0-9a-f]{4}-", href)]


def test_an_admin_sees_every_rule_with_its_period_and_what_goes(client_for, alice, org_a):
    made = _going_next_month(org_a)
    body = client_for(alice, org_a).get(URL).content.decode()
    for rule in retention.rules():
        assert str(rule.label) in body, rule.key
    assert "12 månader" in body and "30 dagar" in body and "180 dagar" in body
    assert made["closed_cases"][0].reference in body
    assert reverse("accounts:organisation_settings") in body
    # nothing of the rows' content, only neutral labels
    assert "Misstänkt människohandel" not in body and "Mira" not in body and "Hotfullt samtal" not in body
    # links to the rows the admin's own roles may open
    assert reverse("outreach:tip_detail", kwargs={"tip_id": made["tips"][0].pk}) in body


def test_the_auditor_sees_the_page_without_links_to_records(client_for, dana, org_a):
    made = _going_next_month(org_a)
    response = client_for(dana, org_a).get(URL)
    body = response.content.decode()
    assert response.status_code == 200 and made["closed_cases"][0].reference in body
    assert _links(body) == []


def test_a_caseworker_is_refused(client_for, bob, org_a):
    assert client_for(bob, org_a).get(URL).status_code == 403


def test_another_organisation_sees_none_of_it_and_reaches_no_link(client_for, alice, charlie, org_a, org_b):
    made = _going_next_month(org_a)
    links = _links(client_for(alice, org_a).get(URL).content.decode())
    assert len(links) >= 4  # ads, tips, incidents, shifts, import jobs, cases
    other = client_for(charlie, org_b)
    body = other.get(URL).content.decode()
    assert made["closed_cases"][0].reference not in body
    for href in links:
        assert other.get(href).status_code == 404, href


def test_the_old_address_leads_to_the_page(client_for, alice, org_a):
    response = client_for(alice, org_a).get(reverse("cases:retention"))
    assert response.status_code == 301 and response["Location"] == URL


def test_the_report_counts_what_the_runs_removed(client_for, alice, org_a):
    rule = retention.rule("tips")
    for _ in range(3):
        KINDS["tips"].make(org_a, ago(rule, org_a, 2, timezone.localdate()))
    retention.run(organisations=[org_a], keys=["tips"])
    report = {r.rule.key: r for r in retention.overview(org_a, [])}["tips"]
    assert report.purged_last_year == 3 and report.last_purged == timezone.localdate()


def test_queries_do_not_grow_with_the_rows(client_for, alice, org_a, django_assert_max_num_queries):
    client = client_for(alice, org_a)
    _going_next_month(org_a, 1)
    client.get(URL)  # the session and the organisation are loaded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _going_next_month(org_a, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(URL).content.decode()
    assert "(de 10 första visas)" in body
