from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_send_strict_headers():
    response = Client().get("/konto/logga-in/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_health_is_public_and_reveals_nothing():
    response = Client().get("/halsa/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_pages_are_not_indexed():
    assert 'name="robots" content="noindex, nofollow"' in Client().get("/konto/logga-in/").content.decode()
