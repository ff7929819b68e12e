"""A database that stops answering mid-request gives a clear 503 page without details, not a bare
500; a full disk a 507; the connection settings let a kept connection recover by itself."""

from __future__ import annotations

import errno

import pytest
from django.conf import settings
from django.db.backends.utils import CursorWrapper
from django.db.utils import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from tests.factories import login

SECRET_SQL = "SELECT secret_detail FROM outreach_ad"


@pytest.fixture
def quiet_client(alice, org_a):
    # the server's own answer to an error, not the test client's re-raise
    return login(Client(raise_request_exception=False), alice, org_a)


def _fail_queries_on(monkeypatch, table: str, exc: Exception) -> None:
    real = CursorWrapper.execute

    def execute(self, sql, params=None):
        if table in sql:
            raise exc
        return real(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)


@pytest.mark.parametrize("exc", [
    OperationalError("server closed the connection unexpectedly " + SECRET_SQL),
    InterfaceError("connection already closed " + SECRET_SQL),
])
def test_a_database_error_in_a_view_is_a_503_page(quiet_client, monkeypatch, exc):
    _fail_queries_on(monkeypatch, '"outreach_ad"', exc)
    response = quiet_client.get(reverse("outreach:ad_list"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Databasen svarar inte just nu – försök igen om en stund." in page
    assert "The database is not answering right now" in page
    assert "secret_detail" not in page and "closed" not in page


def test_a_database_down_before_the_view_is_a_503_page_too(quiet_client, monkeypatch):
    # the session is read in middleware, before any view runs
    _fail_queries_on(monkeypatch, "django_session", OperationalError("connection refused"))
    response = quiet_client.get(reverse("outreach:ad_list"))
    assert response.status_code == 503
    assert "Databasen svarar inte just nu" in response.content.decode()


def test_a_session_the_database_could_not_save_is_a_503_not_a_400(quiet_client, monkeypatch):
    # Django turns a failed session save into "session interrupted" (400); here it is the database
    _fail_queries_on(monkeypatch, 'UPDATE "django_session"', OperationalError("the database system is shutting down"))
    response = quiet_client.get(reverse("outreach:ad_list"))
    assert response.status_code == 503 and "Databasen svarar inte just nu" in response.content.decode()


def test_a_full_disk_is_a_507_page_and_any_other_error_the_500_page(quiet_client, monkeypatch):
    _fail_queries_on(monkeypatch, '"outreach_ad"', OperationalError("database or disk is full"))
    response = quiet_client.get(reverse("outreach:ad_list"))
    assert response.status_code == 507 and "Disken på servern är full" in response.content.decode()
    _fail_queries_on(monkeypatch, '"outreach_ad"', OSError(errno.ENOSPC, "No space left on device"))
    assert quiet_client.get(reverse("outreach:ad_list")).status_code == 507
    _fail_queries_on(monkeypatch, '"outreach_ad"', ZeroDivisionError("secret_detail"))
    response = quiet_client.get(reverse("outreach:ad_list"))
    assert response.status_code == 500 and "secret_detail" not in response.content.decode()


def test_kept_connections_are_checked_before_use():
    # with a kept connection (production), a restarted database would otherwise fail the next request
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
