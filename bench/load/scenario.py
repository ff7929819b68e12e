"""The pages of the load scenario and how a simulated worker picks the next address on each.

Kept apart from locustfile.py so that it imports neither locust nor Django:
tests/test_load_scenario.py builds every address here and resolves it against the URLconf, so a
renamed or removed page cannot leave the scenario silently measuring 404s.

`data` is the scenario file bench/load/seed.py writes; `org` is the entry of the simulated person's
organisation in it (sampled ad, grouped-ad and case ids, phones, profile and alias names).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import re
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

LOGIN = "/konto/logga-in/"
TWO_FACTOR = "/konto/tvafaktor/"
IMPORT_UPLOAD = "/uppsok/annonser/import/"
IMPORT_START = "/uppsok/annonser/import/{job_id}/starta/"
INDICATORS = ["offers_everything", "third_person", "low_price", "shared_phone", "moves_between_cities",
              "not_from_sweden", "possible_minor"]
STATUSES = ["new", "reviewed", "contacted", "follow_up"]


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(body: str) -> str:
    """The CSRF token of the form on a page."""
    m = CSRF.search(body)
    if not m:
        raise ValueError("no CSRF token in the form")
    return m.group(1)


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 as django_otp.oath.totp computes it for a TOTPDevice (SHA-1, 30 s steps, 6 digits)."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return str(code).zfill(digits)


def _q(params: dict[str, Any]) -> str:
    return "?" + urlencode(params) if params else ""


def ad_list(data: dict, org: dict, rng: random.Random) -> str:
    """The outreach ad list with one of the filter combinations a worker uses (AdFilterForm)."""
    city = rng.choices(data["cities"][:10], [30, 18, 16, 6, 4, 4, 4, 4, 3, 3])[0]
    today = dt.date.today()
    month_ago = today - dt.timedelta(days=30)
    choices: list[dict[str, Any]] = [
        {},                                                     # newest first, no filter
        {"city": city},
        {"site": rng.choice(data["sites"])},
        {"city": city, "sort": "-indicator_count"},
        {"indicator": rng.choice(INDICATORS)},
        {"status": rng.choice(STATUSES), "city": city},
        {"date_from": month_ago.isoformat(), "date_to": today.isoformat()},
        {"site": rng.choice(data["sites"]), "indicator": rng.choice(INDICATORS), "status": "new"},
        {"q": rng.choice(org["phones"])},                       # a phone number as people type it
        {"q": rng.choice(org["profiles"])},                     # a profile name
        {"city": city, "sida": rng.randint(2, 5)},              # paging on
    ]
    return "/uppsok/annonser/" + _q(rng.choice(choices))


def ad_page(data: dict, org: dict, rng: random.Random) -> str:
    return f"/uppsok/annonser/{rng.choice(org['ads'])}/"


def group_page(data: dict, org: dict, rng: random.Random) -> str:
    return f"/uppsok/annonser/{rng.choice(org['group_ads'])}/grupp/"


def case_list(data: dict, org: dict, rng: random.Random) -> str:
    choices: list[dict[str, Any]] = [
        {},
        {"status": "open"},
        {"mine": "on"},
        {"mine": "on", "status": "open"},
        {"case_type": rng.choice(org["case_types"])},
        {"q": rng.choice(org["aliases"])},
        {"sida": rng.randint(2, 20)},
    ]
    return "/arenden/" + _q(rng.choice(choices))


def case_page(data: dict, org: dict, rng: random.Random) -> str:
    return f"/arenden/{rng.choice(org['cases'])}/"


def statistics(data: dict, org: dict, rng: random.Random) -> str:
    today = dt.date.today()
    choices: list[dict[str, Any]] = [
        {},                                                     # this year beside the last
        {"period": "quarter", "year": today.year, "number": (today.month - 1) // 3 + 1},
        {"period": "month", "year": today.year, "number": today.month},
        {"period": "year", "year": today.year - 1},
    ]
    return "/statistik/" + _q(rng.choice(choices))


def start_page(data: dict, org: dict, rng: random.Random) -> str:
    return "/"


def baseline(data: dict, org: dict, rng: random.Random) -> str:
    # The cheapest page behind the login and the second factor: the password form
    # (@authenticated(), no organisation data, no query of its own beyond the middleware's).
    return "/konto/losenord/"


@dataclass(frozen=True)
class Page:
    name: str  # the label in locust's statistics
    weight: int  # how often a worker opens it, relative to the others
    view: str  # the URL name every address must resolve to
    url: Callable[[dict, dict, random.Random], str]
    path: str  # a regular expression for its paths (query string cut off): the server's log by page
    key: bool = True  # a key page, compared with the baseline


UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
BASELINE = "baseline (password page)"
PAGES: tuple[Page, ...] = (
    Page("start page", 5, "core:home", start_page, "/"),
    Page("ad list", 25, "outreach:ad_list", ad_list, "/uppsok/annonser/"),
    Page("ad page", 20, "outreach:ad_detail", ad_page, f"/uppsok/annonser/{UUID}/"),
    Page("group page", 10, "outreach:ad_group", group_page, f"/uppsok/annonser/{UUID}/grupp/"),
    Page("case list", 10, "cases:case_list", case_list, "/arenden/"),
    Page("case page", 15, "cases:case_detail", case_page, f"/arenden/{UUID}/"),
    Page("statistics", 5, "stats:overview", statistics, "/statistik/"),
    Page(BASELINE, 10, "accounts:password_change", baseline, "/konto/losenord/", key=False),
)


def page_of(path: str) -> str | None:
    """The page a requested path (with or without its query string) belongs to, or None."""
    bare = path.split("?", 1)[0]
    return next((p.name for p in PAGES if re.fullmatch(p.path, bare)), None)
# Addresses outside the loop: the login, and the import run.py starts through the web app.
FIXED = {
    LOGIN: "accounts:login",
    TWO_FACTOR: "accounts:two_factor",
    IMPORT_UPLOAD: "outreach:import_upload",
}
