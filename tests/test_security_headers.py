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


def test_health_is_public_and_reveals_nothing_but_its_three_checks():
    from datetime import timedelta

    from django.utils import timezone

    from uppsok.core import health
    from uppsok.core.models import Heartbeat

    response = Client().get("/halsa/")
    assert response.status_code == 503
    assert response.json() == {"status": "fel", "checks": {"database": True, "worker": False, "scheduler": False}}
    health.beat("worker")
    health.beat("scheduler")
    response = Client().get("/halsa/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.json() == {"status": "ok", "checks": {"database": True, "worker": True, "scheduler": True}}
    Heartbeat.objects.filter(name="worker").update(at=timezone.now() - health.MAX_AGE - timedelta(seconds=1))
    assert Client().get("/halsa/").json()["checks"]["worker"] is False


def test_the_worker_and_the_scheduler_beat():
    from django.core.management import call_command

    from uppsok.core.models import Heartbeat

    call_command("scheduler", "--once")  # the tests' immediate task backend runs the worker's beat at once
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {"worker", "scheduler"}


def test_pages_are_not_indexed():
    assert 'name="robots" content="noindex, nofollow"' in Client().get("/konto/logga-in/").content.decode()
