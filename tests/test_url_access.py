from __future__ import annotations

import pytest

from .url_walk import iter_routes, walk_and_check


@pytest.mark.django_db
def test_every_route_is_scoped_and_guarded(org_a, org_b):
    failures = walk_and_check(org_a, org_b)
    assert failures == []


@pytest.mark.django_db
def test_walk_covers_the_known_routes():
    names = {r.name for r in iter_routes()}
    assert {"accounts:login", "accounts:member_edit", "audit:log", "core:home", "core:retention"} <= names


@pytest.mark.django_db
def test_walk_catches_a_deliberately_broken_view(org_a, org_b, settings):
    settings.ROOT_URLCONF = "tests.broken_urls"
    failures = walk_and_check(org_a, org_b, urlconf="tests.broken_urls")
    assert any(f.startswith("broken-unscoped:") and "another organisation got 200" in f for f in failures), failures
    assert any(f.startswith("broken-undeclared:") and "declares no access" in f for f in failures), failures
    # The real routes inside the broken configuration still pass.
    assert all(f.startswith("broken-") for f in failures), failures
