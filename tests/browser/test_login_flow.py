"""End to end: log in with TOTP, switch organisation, change language, log out – axe on every page."""

from __future__ import annotations

import pytest

from tests.factories import make_org, make_user
from uppsok.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_switch_organisation_language_logout(page, login_as, check_axe):
    org_a = make_org("org-a", name="Organisation A")
    org_b = make_org("org-b", name="Organisation B")
    erik = make_user("erik", org_a, [Role.CASEWORKER])
    make_user("other", org_b, [Role.CASEWORKER])  # someone else's organisation must not be offered
    from uppsok.accounts.models import Membership

    Membership.objects.create(user=erik, organisation=org_b, role=Role.OUTREACH)

    login_as(page, erik, axe=True)
    # Two organisations and none chosen yet: the app asks which one.
    page.wait_for_url("**/konto/organisation/valj/**")
    check_axe(page)
    page.get_by_role("button", name="Organisation A").click()
    page.wait_for_url("**/")
    assert "Du arbetar i Organisation A" in page.content()
    check_axe(page)

    # Switch with the header selector.
    page.get_by_label("Organisation", exact=True).select_option(label="Organisation B")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_load_state()
    assert "Du arbetar i Organisation B" in page.content()
    check_axe(page)

    # English, then back to Swedish.
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Välj språk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Log out").is_visible()
    check_axe(page)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/konto/logga-in/**")
    check_axe(page)
    # Logged out: the start page sends us back to login.
    page.goto("/")
    assert "/konto/logga-in/" in page.url
