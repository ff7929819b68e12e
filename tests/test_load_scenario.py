"""The load scenario (bench/load/) cannot rot silently: every address it requests resolves to the page
it is named after, its filters are ones the page's form accepts, its one-time codes are the ones
django-otp checks, and the locustfile's tasks are the scenario's pages with their weights.

The bench itself (a seeded million-ad database, gunicorn, minutes of load) is not run here; see
docs/PERFORMANCE.md, "Load / Last".
"""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.http import QueryDict
from django.urls import resolve
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parents[1]
LOAD = ROOT / "bench" / "load"


def _scenario():  # noqa: ANN202 - the module
    spec = importlib.util.spec_from_file_location("load_scenario", LOAD / "scenario.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it is being run
    spec.loader.exec_module(module)
    return module


scenario = _scenario()


def _data(case_types: list[str]) -> tuple[dict, dict]:
    ids = [str(uuid.uuid4()) for _ in range(5)]
    org = {"ads": ids, "group_ads": ids[:2], "cases": [str(uuid.uuid4()) for _ in range(5)],
           "phones": ["070-123 45 67", "073-555 01 02"], "profiles": ["Bella", "Nina"], "aliases": ["Mira"],
           "case_types": case_types}
    data = {"sites": ["rosasidan.ws", "sexjobb.se"],
            "cities": ["Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås", "Örebro", "Linköping",
                       "Helsingborg", "Jönköping", "Norrköping"],
            "organisations": {"x": org}}
    return data, org


def _addresses(case_types: list[str]) -> list[tuple[scenario.Page, str]]:
    data, org = _data(case_types)
    rng = random.Random(3)
    return [(page, page.url(data, org, rng)) for page in scenario.PAGES for _ in range(60)]


@pytest.mark.django_db
def test_every_address_resolves_to_its_page_and_its_filters_are_valid():
    from uppsok.cases.forms import CaseFilterForm
    from uppsok.cases.models import ExploitationType
    from uppsok.outreach.forms import AdFilterForm
    from uppsok.stats.forms import PeriodForm

    forms = {"outreach:ad_list": AdFilterForm, "cases:case_list": CaseFilterForm, "stats:overview": PeriodForm}
    types = [str(pk) for pk in ExploitationType.objects.values_list("pk", flat=True)[:3]]
    assert types, "the migrations seed the case types"
    seen_queries: dict[str, set[str]] = {}
    for page, address in _addresses(types):
        path, _, query = address.partition("?")
        assert resolve(path).view_name == page.view, (page.name, address)
        assert scenario.page_of(address) == page.name, address  # how run.py reads the server's log
        seen_queries.setdefault(page.name, set()).add(query)
        if query and page.view in forms:
            form = forms[page.view](QueryDict(query))
            # an invalid filter would quietly show the unfiltered page
            assert form.is_valid(), (address, form.errors)
    # the lists are measured with filters, not only bare
    assert len(seen_queries["ad list"]) > 5 and len(seen_queries["case list"]) > 3
    for path, view in scenario.FIXED.items():
        assert resolve(path).view_name == view
    job = scenario.IMPORT_START.format(job_id=uuid.uuid4())
    assert resolve(job).view_name == "outreach:import_start"


def test_baseline_page_is_the_bare_login_required_one():
    from uppsok.core.decorators import access_of

    baseline = next(p for p in scenario.PAGES if p.name == scenario.BASELINE)
    access = access_of(resolve(baseline.url({}, {}, random.Random())).func)
    assert access is not None and not access.public and not access.needs_organisation and not access.capabilities
    assert [p.name for p in scenario.PAGES if not p.key] == [scenario.BASELINE]


def test_one_time_codes_are_the_ones_django_otp_checks():
    key = "3132333435363738393031323334353637383930"  # RFC 6238's SHA-1 test key
    for at in (59, 1111111109, 1234567890, 2000000000, 20000000000):
        device = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
        device.time = at
        assert scenario.totp(key, at) == str(device.token()).zfill(6)
    assert scenario.totp(key, 59, digits=8) == "94287082"  # the RFC's own value


def test_locustfile_tasks_are_the_scenario_pages():
    if importlib.util.find_spec("locust") is None:
        pytest.skip("locust is not installed (pip install -e '.[test]')")
    # in a process of its own: importing locust monkey-patches the standard library with gevent
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import locustfile, scenario; "
        "names = [t.__name__ for t in locustfile.Worker.tasks]; "
        "print(json.dumps({n: names.count(n) for n in names}))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(LOAD)], capture_output=True, text=True, timeout=120,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    expected = {"visit_" + "_".join("".join(c if c.isalnum() else " " for c in p.name).split()): p.weight
                for p in scenario.PAGES}
    assert counts == expected
