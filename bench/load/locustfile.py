"""Locust scenario: outreach workers and caseworkers logged in with password and TOTP, on the main pages.

    .venv/bin/python bench/load/run.py          # the whole bench: server, worker, import, this scenario
    LOAD_SCENARIO=bench/load/out/scenario.json .venv/bin/locust -f bench/load/locustfile.py \\
        --host http://127.0.0.1:8765 --headless --users 50 --spawn-rate 10 --run-time 3m

Each simulated person takes one account of the scenario file (bench/load/seed.py writes it: one
account per simulated person, each with a TOTP device of its own, so no code is ever used twice),
logs in through the forms (the password form, then the one-time code computed from the device's
key, the CSRF token taken from each form), then opens the pages of scenario.PAGES by their weights
with a think time between them (LOAD_WAIT="5,15": uniform, seconds). Requests are named by page, so
locust's statistics are per page whatever the filters or ids. Every answer other than 200 is a
failure (no redirect is followed: a redirect to the login would be a lost session).

LOAD_REQUEST_LOG=FILE also writes every request (time, page, ms, status, error) to FILE as CSV, from
which run.py takes exact percentiles and the part of the run each request fell in.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, events
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scenario  # noqa: E402

SCENARIO_FILE = os.environ.get("LOAD_SCENARIO", str(Path(__file__).resolve().parent / "out" / "scenario.json"))
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "5,15").split(","))
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

_data: dict | None = None
_next_account = 0


def data() -> dict:
    global _data
    if _data is None:
        _data = json.loads(Path(SCENARIO_FILE).read_text())
    return _data


_log_file = None
_log_writer = None


@events.request.add_listener
def _log_request(request_type, name, response_time, response_length, response=None, exception=None, **_kw):  # noqa: ANN001
    global _log_file, _log_writer
    path = os.environ.get("LOAD_REQUEST_LOG")
    if not path:
        return
    if _log_writer is None:
        _log_file = open(path, "a", newline="", encoding="utf-8")  # noqa: SIM115 - open for the whole run
        _log_writer = csv.writer(_log_file)
    status = getattr(response, "status_code", 0) if response is not None else 0
    _log_writer.writerow([f"{time.time():.3f}", name, f"{response_time:.1f}", status,
                          "" if exception is None else str(exception)[:200]])


@events.quitting.add_listener
def _close_log(**_kw) -> None:  # noqa: ANN003
    if _log_file is not None:
        _log_file.flush()
        _log_file.close()


def _visit(page: scenario.Page):  # noqa: ANN202 - a locust task
    def task(user: Worker) -> None:
        path = page.url(data(), user.org, user.rng)
        with user.client.get(path, name=page.name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} on {path}")

    task.__name__ = "visit_" + re.sub(r"\W+", "_", page.name).strip("_")
    return task


class Worker(FastHttpUser):
    """One person of the scenario: logs in once, then works through the pages."""

    wait_time = between(*WAIT)
    tasks = {_visit(page): page.weight for page in scenario.PAGES}

    def on_start(self) -> None:
        global _next_account
        accounts = data()["users"]
        if _next_account >= len(accounts):
            # a second person on one account would reuse its codes; seed more people instead
            raise StopUser(f"only {len(accounts)} accounts in {SCENARIO_FILE}")
        self.account = accounts[_next_account]
        _next_account += 1
        self.org = data()["organisations"][self.account["organisation"]]
        self.rng = random.Random(self.account["username"])
        self.login()

    def _post_form(self, path: str, fields: dict, name: str):  # noqa: ANN202 - locust's response
        with self.client.post(path, data=urlencode(fields), headers=FORM, name=name, allow_redirects=False,
                              catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"{r.status_code}, not a redirect")
            return r

    def login(self) -> None:
        a = self.account
        r = self.client.get(scenario.LOGIN, name="login: password form")
        fields = {"csrfmiddlewaretoken": scenario.csrf_token(r.text), "username": a["username"],
                  "password": a["password"], "next": ""}
        r = self._post_form(scenario.LOGIN, fields, "login: password")
        if r.status_code != 302:
            raise StopUser("password refused")
        for attempt in range(2):
            r = self.client.get(scenario.TWO_FACTOR, name="login: code form")
            fields = {"csrfmiddlewaretoken": scenario.csrf_token(r.text), "token": scenario.totp(a["totp_key_hex"]),
                      "next": "/"}
            r = self._post_form(scenario.TWO_FACTOR, fields, "login: code")
            if r.status_code == 302:
                return
            # a code of the same 30 s step as an earlier login of this account (a run started again at
            # once) is refused as used: wait for the next step (counted as a failure all the same)
            time.sleep(31 - time.time() % 30 + attempt)
        raise StopUser("one-time code refused")
