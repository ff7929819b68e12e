"""End to end in Chromium: a network coordinator scores readiness, builds a plan with a sub-goal and
yearly targets, books a meeting and writes minutes with a follow-up; a hotel's network-only member
then sees the network and no organisation's data. axe-core on every page, also at 390 px width."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import make_org, make_user
from uppsok.accounts.models import Role
from uppsok.network.models import (
    FollowUp,
    Meeting,
    Network,
    NetworkMembership,
    NetworkRole,
    StepEntry,
    SubGoal,
    YearlyTarget,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READINESS = {"Identifiera och definiera behov": "4", "Politisk vilja": "3", "Organisatorisk vilja": "4",
             "Deltagarnas vilja": "4", "Perioden": "3", "Tid, resurser och personal": "3", "Hållbarhet": "3"}


def test_coordinator_runs_the_network_and_a_hotel_member_only_reads_it(page, login_as, check_axe):
    org_a = make_org("org-a", name="Stödcentrum")
    make_org("org-b", name="Annan organisation")
    network = Network.objects.create(name="Nätverket i Staden", slug="staden")
    NetworkMembership.objects.create(network=network, organisation=org_a)
    nora = make_user("nora")
    NetworkRole.objects.create(network=network, user=nora, role=NetworkRole.Role.COORDINATOR)
    hugo = make_user("hugo")
    NetworkRole.objects.create(network=network, user=hugo, role=NetworkRole.Role.MEMBER)
    make_user("ulla", org_a, [Role.OUTREACH])
    base = f"/natverk/{network.pk}"

    login_as(page, nora, axe=True)
    page.wait_for_url(f"**{base}/")
    check_axe(page)

    # readiness, step 0
    page.goto(f"{base}/steg/0/")
    check_axe(page)
    page.get_by_role("link", name="Fyll i Är ni redo? – bedömning 1–5").click()
    check_axe(page)
    for label, score in READINESS.items():
        page.get_by_label(label).select_option(score)
    page.get_by_role("button", name="Spara ny version").click()
    page.wait_for_url(f"**{base}/steg/0/")
    assert "Totalt 24 poäng" in page.content()
    check_axe(page)
    assert StepEntry.objects.get(network=network, part="beredskap").data["political"] == 3

    # the plan: a sub-goal with targets for two years
    page.goto(f"{base}/plan/")
    check_axe(page)
    page.get_by_label("Delmål:", exact=True).fill("Ökad kunskap hos hotellen")
    page.get_by_role("button", name="Lägg till delmålet").click()
    page.wait_for_url(f"**{base}/plan/")
    page.get_by_text("Lägg till mål, aktivitet eller årsuppföljning").click()
    year = timezone.localdate().year
    for y, target in ((year, "40"), (year + 1, "60")):
        target_form = page.locator("fieldset", has_text="Årligt mål")
        target_form.get_by_label("År").fill(str(y))
        target_form.get_by_label("Mått").fill("utbildade hotellanställda")
        target_form.get_by_label("Mål (antal)").fill(target)
        target_form.get_by_role("button", name="Spara målet").click()
        page.wait_for_url(f"**{base}/plan/")
        if y == year:
            page.get_by_text("Lägg till mål, aktivitet eller årsuppföljning").click()
    check_axe(page)
    goal = SubGoal.objects.get(network=network)
    assert sorted(YearlyTarget.objects.filter(sub_goal=goal).values_list("year", "target")) == [(year, 40), (year + 1, 60)]

    # a meeting, its minutes and a follow-up
    page.goto(f"{base}/moten/")
    check_axe(page)
    assert "Nästa möte är inte bokat" in page.content()
    starts = (timezone.localtime() + datetime.timedelta(days=14)).strftime("%Y-%m-%dT10:00")
    page.get_by_label("Rubrik").fill("Vårmöte")
    page.get_by_label("Börjar").fill(starts)
    page.get_by_label("Plats").fill("Stadshuset")
    page.get_by_label("Stödcentrum").check()
    page.get_by_role("button", name="Boka mötet").click()
    page.wait_for_url(f"**{base}/moten/*/")
    check_axe(page)
    meeting = Meeting.objects.get(network=network)
    page.get_by_role("link", name="Ändra mötet och skriv minnesanteckningar").click()
    check_axe(page)
    page.get_by_label("Minnesanteckningar").fill("Polisen beskrev läget. Hotellen bjuds in.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**/moten/{meeting.pk}/")
    page.get_by_label("Vad ska göras").fill("Skicka inbjudan till hotellen")
    page.get_by_label("Ansvarig medlemsorganisation").select_option(label="Stödcentrum")
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_url(f"**/moten/{meeting.pk}/")
    check_axe(page)
    assert FollowUp.objects.get(meeting=meeting).responsible_organisation == org_a
    meeting.refresh_from_db()
    assert "Hotellen bjuds in" in meeting.minutes

    # the overview at a phone's width
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/")
    check_axe(page)
    assert "Vårmöte" in page.content() and "Skicka inbjudan till hotellen" in page.content()
    # the rest of the workspace, each page axe-checked at a phone's width
    for path in ("medlemmar/", "karngrupp/", "installningar/", "katalog/", "intressenter/", "kunskapsbank/",
                 "enkater/", "steg/2/", "steg/6/", "steg/7/", "steg/0/beredskap/historik/"):
        response = page.goto(f"{base}/{path}")
        assert response.status == 200, path
        check_axe(page)
    response = page.goto(f"/uppsok/natverk/{network.pk}/escortlogg/")
    assert response.status == 200
    check_axe(page)
    page.get_by_role("button", name="Logga ut").click()

    # the hotel's member: the network, read only, and no organisation's pages
    page.set_viewport_size({"width": 1280, "height": 800})
    login_as(page, hugo)
    page.wait_for_url(f"**{base}/")
    check_axe(page)
    assert "Vårmöte" in page.content()
    page.goto(f"{base}/plan/")
    check_axe(page)
    assert "Lägg till delmålet" not in page.content()
    for url in ("/uppsok/annonser/", "/arenden/", "/konto/organisation/medlemmar/", "/granskning/"):
        response = page.goto(url)
        assert response.status == 403, url
        check_axe(page)
    page.get_by_role("button", name="Logga ut").click()

    # an actor answers the sector survey without an account
    from uppsok.network.models import SectorSurvey, SurveyAnswer, SurveyLink
    from uppsok.network.survey_links import token_for

    survey = SectorSurvey.objects.create(network=network, title="Hotellen i Staden")
    link = SurveyLink.objects.create(network=network, survey=survey, respondent="Hotell Kungen",
                                     expires_at=timezone.now() + datetime.timedelta(days=3))
    page.goto(f"/natverk/enkat/{token_for(link)}/")
    check_axe(page)
    for group in page.get_by_role("group").all():
        for radio_group in group.locator("div.field").all():
            radio_group.get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Skicka svaren").click()
    assert "Tack för dina svar" in page.content()
    check_axe(page)
    assert SurveyAnswer.objects.get().answers["general_1"] == 3
    page.goto(f"/natverk/enkat/{token_for(link)}/")
    assert "redan besvarad" in page.content()
    check_axe(page)
