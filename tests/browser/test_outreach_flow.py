"""End to end, the outreach worker's main flow (issue 4) with an axe check of every page:
log in, start a shift, capture two ads with the same phone, see the indicators and the group,
log a contact, set do-not-contact (kontaktspärr), draft a police tip and download it as PDF.
"""

from __future__ import annotations

import re

import pytest

from tests.factories import make_org, make_user
from uppsok.accounts.models import Role
from uppsok.outreach.models import Ad, Contact, DoNotContact, MessageTemplate, Shift, Tip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AD_URL = re.compile(r".*/uppsok/annonser/[0-9a-f-]{36}/$")
PHONE = "070-123 45 67"


def capture_ad(page, check_axe, *, url: str, title: str, text: str, city: str, profile: str) -> None:
    page.goto("/uppsok/annonser/ny/")
    check_axe(page)
    page.get_by_label("Annonsens adress").fill(url)
    page.get_by_label("Webbplats").fill("rosasidan.ws")
    page.get_by_label("Rubrik").fill(title)
    page.get_by_label("Annonstext").fill(text)
    page.get_by_label("Telefonnummer").fill(PHONE)
    page.get_by_label("Profilnamn").fill(profile)
    page.get_by_label("Ort").fill(city)
    page.get_by_role("button", name="Spara och analysera").click()
    page.wait_for_url(AD_URL)
    assert "Annonsen är sparad och analyserad." in page.content()
    check_axe(page)


def test_outreach_main_flow(page, login_as, check_axe):
    org = make_org("stodcentrum", name="Stödcentrum Syd", does_online_outreach=True)
    worker = make_user("ulla", org, [Role.OUTREACH])
    make_user("kalle", org, [Role.OUTREACH])  # a colleague who can join the shift
    MessageTemplate.objects.create(organisation=org, name="Första kontakt",
                                   body="Hej {profil}! Jag heter {namn} och arbetar på {organisation}.")

    login_as(page, worker, axe=True)
    check_axe(page)

    # Start a shift together with a colleague.
    page.goto("/uppsok/pass/")
    check_axe(page)
    page.get_by_label("kalle").check()
    page.get_by_role("button", name="Starta pass").click()
    page.wait_for_url(re.compile(r".*/uppsok/pass/[0-9a-f-]{36}/$"))
    assert "Passet har startat." in page.content()
    check_axe(page)
    shift = Shift.objects.get(organisation=org)
    assert shift.ended_at is None and shift.workers.count() == 2

    # Two ads with the same phone: the second one joins the first in a group.
    capture_ad(page, check_axe, url="https://rosasidan.ws/annons/1001", title="Ny i Malmö",
               text="Hej! Ny i stan, sexig och söt. Allt ingår, utan kondom. Ring 070-123 45 67.",
               city="Malmö", profile="Bella")
    capture_ad(page, check_axe, url="https://rosasidan.ws/annons/2002", title="Ny i Lund",
               text="Hon är ny i stan och gör allt ingår, utan kondom. 500 kr. Ring 0701234567.",
               city="Lund", profile="Sara")
    ad = Ad.objects.get(organisation=org, url="https://rosasidan.ws/annons/2002")
    assert ad.group_key
    assert Ad.objects.filter(organisation=org, group_key=ad.group_key).count() == 2

    # Its indicators, with the evidence marked in the text.
    indicators = page.locator("#indikatorer table")
    assert "Erbjuder ”allt”, även sex utan kondom" in indicators.inner_text()
    assert page.locator(".ad-text mark").count() >= 1

    # The group page.
    page.get_by_role("link", name=re.compile(r"Visa gruppen \(2 annonser\)")).click()
    page.wait_for_url(re.compile(r".*/grupp/$"))
    assert "Annonser som hänger ihop (2)" in page.content()
    assert "samma telefonnummer" in page.content()
    check_axe(page)

    # The ad list found by the phone number.
    page.goto("/uppsok/annonser/")
    check_axe(page)
    page.get_by_label("Telefon eller profilnamn").fill(PHONE)
    page.get_by_role("button", name=re.compile("Filtrera|Sök|Visa")).first.click()
    page.wait_for_load_state()
    assert "Ny i Lund" in page.content() and "Ny i Malmö" in page.content()
    check_axe(page)

    # Log a contact.
    page.goto(f"/uppsok/annonser/{ad.pk}/")
    page.get_by_role("link", name="Logga kontakt").click()
    page.wait_for_url(re.compile(r".*/kontakt/$"))
    assert "Hej Sara!" in page.content()  # the template, filled in, ready to copy
    check_axe(page)
    page.get_by_label("Kanal").select_option("sms")
    page.get_by_label("Svar").select_option("declined")
    page.get_by_label("pris för sex utan kondom").check()
    page.get_by_role("button", name="Spara kontakt").click()
    page.wait_for_url(AD_URL)
    assert "Kontakten är sparad." in page.content()
    check_axe(page)
    contact = Contact.objects.get(organisation=org)
    assert contact.ad_id == ad.pk and contact.shift_id == shift.pk and contact.worker_id == worker.pk

    # Do not contact (kontaktspärr) on the ad's phone.
    page.get_by_role("link", name="Sätt kontaktspärr").click()
    page.wait_for_url(re.compile(r".*/kontaktsparr/ny/\?annons="))
    check_axe(page)
    assert page.get_by_label("Nummer eller profilnamn").input_value() == "+46701234567"
    page.get_by_label("Personen samtycker till att vi sparar uppgiften").check()
    page.get_by_role("button", name="Spara kontaktspärr").click()
    page.wait_for_url(re.compile(r".*/kontaktsparr/$"))
    assert "Kontaktspärren är sparad." in page.content()
    check_axe(page)
    assert DoNotContact.objects.filter(organisation=org, kind="phone", value="+46701234567").exists()

    # The ad now warns and offers no contact action.
    page.goto(f"/uppsok/annonser/{ad.pk}/")
    assert page.get_by_role("alert").filter(has_text="Kontaktspärr").count() == 1
    assert page.get_by_role("link", name="Logga kontakt").count() == 0
    check_axe(page)

    # A police tip drafted from the ad and its group, saved, then downloaded as PDF.
    page.get_by_role("link", name="Vid misstanke: tips eller anmälan").click()
    page.wait_for_url(re.compile(r".*/tips/$"))
    check_axe(page)
    draft = page.locator("textarea[name=text]").input_value()
    assert "rosasidan.ws" in draft
    page.get_by_label("Anonymt tips till polisen").check()
    page.get_by_role("button", name="Spara och skapa PDF").click()
    page.wait_for_url(re.compile(r".*/uppsok/tips/[0-9a-f-]{36}/$"))
    check_axe(page)
    tip = Tip.objects.get(organisation=org)
    assert tip.kind == "anonymous_tip" and tip.ad_id == ad.pk

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    response = page.request.get(f"/uppsok/tips/{tip.pk}/pdf/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"

    # The tip list shows it.
    page.goto("/uppsok/tips/")
    check_axe(page)
    assert "Anonymt tips till polisen" in page.content()
