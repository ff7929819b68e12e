"""The organisation's admin sets every retention period on the settings page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uppsok.core import retention

pytestmark = pytest.mark.django_db

URL = reverse("accounts:organisation_settings")
PERIODS = {
    "ad_retention_months": "6", "contact_retention_months": "9", "tip_retention_months": "36",
    "safety_retention_months": "18", "shift_retention_months": "3", "import_job_retention_days": "7",
}


def _form(org, **changes):
    data = {"name": org.name, "kind": org.kind, "do_not_contact_months": "6", "closed_case_retention_months": "24",
            "require_two_factor": "on", **PERIODS}
    data.update(changes)
    return data


def test_the_admin_sets_every_period(client_for, alice, org_a):
    client = client_for(alice, org_a)
    page = client.get(URL).content.decode()
    for rule in retention.rules():
        if rule.setting:
            assert f'name="{rule.setting}"' in page, rule.setting
    assert "Räknas från när annonsen senast sågs" in page
    assert client.post(URL, _form(org_a)).status_code == 302
    org_a.refresh_from_db()
    assert {k: str(getattr(org_a, k)) for k in PERIODS} == PERIODS


@pytest.mark.parametrize(("field", "value"), [("ad_retention_months", "0"), ("import_job_retention_days", "400"),
                                              ("shift_retention_months", "121")])
def test_a_period_outside_its_range_is_refused(client_for, alice, org_a, field, value):
    response = client_for(alice, org_a).post(URL, _form(org_a, **{field: value}))
    assert response.status_code == 200
    org_a.refresh_from_db()
    assert str(getattr(org_a, field)) != value
