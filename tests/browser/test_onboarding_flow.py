"""End to end: a new organisation from the command line, its first admin accepts the invitation in a
browser (own password, own authenticator), reaches the empty organisation and invites a colleague
who does the same on a phone-sized screen; a system administrator creates an organisation. Axe on
every page."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from uppsok.accounts.models import Membership, Organisation, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "min-egen-fras-med-fyra-ord"


def _link(text: str) -> str:
    found = re.search(r"/konto/inbjudan/[\w-]+/", text)
    assert found, text
    return found.group(0)


def _code_from_page(page) -> str:
    """What a phone's authenticator shows for the key on the page (read as a person would type it)."""
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return str(totp(key)).zfill(6)


def _accept(page, path: str, check_axe) -> None:
    page.goto(path)
    check_axe(page)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_load_state()
    assert "Steg 2 av 2" in page.content()
    check_axe(page)
    page.get_by_label("Engångskod från din autentiseringsapp").fill(_code_from_page(page))
    page.get_by_role("button", name="Klar – logga in").click()
    page.wait_for_load_state()


def test_new_organisation_admin_and_colleague(page, browser, live_server, check_axe):
    out = io.StringIO()
    call_command("create_organisation", "Lunds kommun", "--kind", "social_services", "--admin", "anna",
                 stdout=out, stderr=io.StringIO())
    _accept(page, _link(out.getvalue()), check_axe)
    assert "Välkommen till Uppsök" in page.content()
    assert "Lunds kommun" in page.content()
    check_axe(page)

    # the admin invites a colleague on the members page
    page.get_by_role("link", name="Medlemmar").first.click()
    check_axe(page)
    page.get_by_role("link", name="Bjud in en medlem").click()
    check_axe(page)
    page.get_by_label("Användarnamn").fill("bertil")
    page.get_by_label("Stödperson/handläggare").check()
    page.get_by_role("button", name="Skapa inbjudan").click()
    page.wait_for_load_state()
    check_axe(page)
    colleague_link = page.get_by_label("Länk").input_value()

    # the colleague accepts on a phone
    phone = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="sv-SE",
                                viewport={"width": 390, "height": 844})
    try:
        small = phone.new_page()
        _accept(small, colleague_link[colleague_link.index("/konto/"):], check_axe)
        assert "Lunds kommun" in small.content()
        check_axe(small)
    finally:
        phone.close()
    org = Organisation.objects.get(slug="lunds-kommun")
    assert Membership.objects.filter(organisation=org, user__username="bertil", role=Role.CASEWORKER).exists()
    assert User.objects.get(username="bertil").check_password(PASSWORD)


def test_system_administrator_creates_an_organisation(page, check_axe):
    out = io.StringIO()
    call_command("invite", "drift", "--system-admin", stdout=out, stderr=io.StringIO())
    _accept(page, _link(out.getvalue()), check_axe)
    assert "Systemadministration" in page.content()
    check_axe(page)
    page.get_by_role("link", name="Ny organisation").click()
    check_axe(page)
    page.get_by_label("Organisationens namn").fill("Region Skåne")
    page.get_by_label("Typ").select_option("healthcare")
    page.get_by_label("Första administratörens användarnamn").fill("region-admin")
    page.get_by_role("button", name="Skapa").click()
    page.wait_for_load_state()
    check_axe(page)
    assert "/konto/inbjudan/" in page.get_by_label("Länk").input_value()
    assert Membership.objects.filter(organisation__slug="region-skane", user__username="region-admin").exists()
