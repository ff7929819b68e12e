"""Errors shared by the apps' action functions, and the page for an error nobody caught."""

from __future__ import annotations

import errno
import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader


class ActionError(Exception):
    """A write that was refused; the message is shown to the user as it is (Swedish first)."""


class DiskFull(ActionError):  # noqa: N818 - a condition the person is told about, not a programming error
    """A file could not be written because the disk is full; nothing of it was left behind."""

    def __init__(self) -> None:
        from django.utils.translation import gettext

        super().__init__(gettext("Servern har inte plats att spara filen just nu (disken är full). Inget sparades. "
                                 "Säg till den som sköter servern och försök igen senare."))


def is_disk_full(exc: BaseException | None) -> bool:
    """ENOSPC or a quota, also when a database reports it ("database or disk is full", PostgreSQL's 53100)."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "disk is full" in str(exc) or getattr(exc, "sqlstate", None) == "53100":
            return True
        exc = exc.__cause__
    return False


def _database_down(exc: BaseException | None) -> bool:
    # also when another error was raised while handling it (a session that could not be saved)
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _unavailable() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400, except when the database failed underneath: a session that could not be saved
    because the database went away is Django's "session interrupted", but the person should be
    told to wait, as for any other request the database could not answer."""
    if _database_down(exception):
        return _unavailable()
    from django.views.defaults import bad_request as django_bad_request

    return django_bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an uncaught error, without details. A database that does not answer (restarted,
    unreachable) is a 503 the person can wait out, a full disk a 507; anything else the 500 page.
    The pages are rendered without a context, so they need neither the database nor the session."""
    exc = sys.exc_info()[1]
    if is_disk_full(exc):
        return HttpResponse(loader.get_template("507.html").render(), status=507)
    if _database_down(exc):
        return _unavailable()
    return HttpResponse(loader.get_template("500.html").render(), status=500)
