"""The URL walk over the cases routes alone, so a failure names a cases view.

tests/test_url_access.py walks every app; this runs the same checks (anonymous → login, wrong role
→ 403, other organisation → 404, owner reaches it) on uppsok.cases.urls only.
"""

from __future__ import annotations

import pytest

from tests.url_walk import iter_routes, walk_and_check


@pytest.mark.django_db
def test_every_cases_route_is_scoped_and_guarded(org_a, org_b):
    failures = walk_and_check(org_a, org_b, urlconf="tests.cases.urls_cases_only")
    assert failures == []


def test_the_walk_sees_the_cases_routes():
    names = {r.name for r in iter_routes("tests.cases.urls_cases_only")}
    assert {"cases:case_list", "cases:case_detail", "cases:incoming_detail", "cases:retention"} <= names
