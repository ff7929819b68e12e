"""End to end in Chromium: open a case from an ad, fill needs, log an activity, record consent, refer with
consent, close with needs met — axe-core on every page (fixtures from conftest.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import make_org, make_user
from uppsok.accounts.models import Role
from uppsok.cases.models import Case, CaseNeed, Referral
from uppsok.network.models import Network, NetworkMembership
from uppsok.outreach.models import Ad

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_from_ad_to_closed_with_needs_met(page, login_as, check_axe):
    org_a = make_org("org-a", name="Organisation A")
    org_b = make_org("org-b", name="Socialtjänsten B")
    net = Network.objects.create(name="Nätverket", slug="natverket")
    NetworkMembership.objects.create(network=net, organisation=org_a)
    NetworkMembership.objects.create(network=net, organisation=org_b)
    bob = make_user("bob", org_a, [Role.CASEWORKER])
    now = timezone.now()
    ad = Ad.objects.create(organisation=org_a, fingerprint="https://exempel.se/1", site="exempel.se",
                           stated_age=22, first_seen=now, last_seen=now)

    login_as(page, bob)
    check_axe(page)  # start page with the cases panel

    page.goto(f"/arenden/ny/?ad={ad.pk}")
    check_axe(page)
    page.get_by_label("Alias").fill("Vera")
    page.get_by_label("Ärendetyp").select_option(label="Misstänkt människohandel – vuxen")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/behov/")
    check_axe(page)
    page.get_by_label("Boende").check()
    page.get_by_label("Skydd och säkerhet").check()
    page.get_by_role("button", name="Spara behov").click()
    case = Case.objects.get()
    assert case.source_ad_id == ad.pk
    page.wait_for_url(f"**/arenden/{case.pk}/")
    check_axe(page)

    page.get_by_role("link", name="Registrera stödinsats").click()
    check_axe(page)
    page.get_by_label("Typ av stöd").select_option(label="Ledsagning")
    page.get_by_label("Tid (minuter)").fill("90")
    page.get_by_role("button", name="Spara stödinsats").click()
    page.wait_for_url(f"**/arenden/{case.pk}/")

    page.get_by_role("link", name="Registrera samtycke").click()
    check_axe(page)
    page.get_by_label("Vad som får delas eller göras").fill("Behov av boende och skydd")
    page.get_by_label("Till vem").fill("Socialtjänsten B")
    page.get_by_label("Organisation på plattformen").select_option(label="Socialtjänsten B")
    page.get_by_role("button", name="Spara samtycke").click()
    page.wait_for_url(f"**/arenden/{case.pk}/")

    page.get_by_role("link", name="Ny remiss").click()
    check_axe(page)
    page.get_by_label("Organisation på plattformen").select_option(label="Socialtjänsten B")
    page.get_by_label("Samtycke som remissen bygger på").select_option(index=1)
    page.get_by_label("Sammanfattning som personen har godkänt att dela").fill("Behöver skyddat boende.")
    page.get_by_role("button", name="Skapa remiss").click()
    page.wait_for_url("**/remisser/**")
    check_axe(page)
    assert "Väntar på svar" in page.content()
    assert Referral.objects.get().consent_id is not None

    page.goto(f"/arenden/{case.pk}/avsluta/")
    check_axe(page)
    page.get_by_role("group", name="Boende").get_by_label("Tillgodosett", exact=True).check()
    page.get_by_role("group", name="Skydd och säkerhet").get_by_label("Delvis tillgodosett").check()
    page.get_by_role("button", name="Avsluta ärendet").click()
    page.wait_for_url(f"**/arenden/{case.pk}/")
    check_axe(page)
    case.refresh_from_db()
    assert case.status == "closed"
    assert dict(CaseNeed.objects.filter(case=case).values_list("area", "met_at_close")) == {
        "housing": "yes", "safety": "partly"
    }

    page.goto("/arenden/")
    check_axe(page)
