"""Browser tests: Playwright drives Debian's Chromium against the live test server; axe-core checks
every page a test visits (no serious or critical WCAG 2.1 A/AA violations).

Use the fixtures `page` (a fresh browser tab), `login_as(page, user, org=None)` and
`check_axe(page)`. Mark browser tests with `pytestmark = pytest.mark.browser`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run from a
# thread with a running loop unless told it is safe, which it is here (one test thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("UPPSOK_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 AA is the legal bar for Swedish public-sector services (DOS-lagen).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing_tools() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} saknas (Debian-paketet chromium)"
    if not AXE_JS.exists():
        return f"{AXE_JS} saknas (npm ci)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    missing = _missing_tools()
    if missing:
        # In CI a missing browser is a failure, not a skip: the browser tests must run there.
        if os.environ.get("CI"):
            pytest.fail(f"Webbläsartester kan inte köras i CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    # bypass_csp lets the test inject axe-core; the app's own pages still send their strict CSP.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="sv-SE")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]


@pytest.fixture
def check_axe() -> Callable[[Any], None]:
    def check(page: Any) -> None:
        violations = axe_violations(page)
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}" for v in violations
        ]
        assert not violations, f"axe på {page.url}: " + "; ".join(summary)

    return check


def current_totp(user: Any) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return str(code).zfill(device.digits)


@pytest.fixture
def login_as(check_axe: Callable[[Any], None]) -> Callable[..., None]:
    """Log in through the real forms: password, then the TOTP code; checks both pages with axe."""

    def do_login(page: Any, user: Any, *, password: str = PASSWORD, axe: bool = False) -> None:
        page.goto("/konto/logga-in/")
        if axe:
            check_axe(page)
        page.get_by_label("Användarnamn").fill(user.username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url("**/konto/tvafaktor/**")
        if axe:
            check_axe(page)
        page.get_by_label("Engångskod från din autentiseringsapp").fill(current_totp(user))
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_load_state()

    return do_login
