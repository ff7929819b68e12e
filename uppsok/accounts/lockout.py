"""The name django-axes counts failed logins under (setting AXES_USERNAME_CALLABLE)."""

from __future__ import annotations

from typing import Any

from uppsok.audit.log import keyed_digest


def lockout_username(request: Any, credentials: dict[str, Any] | None) -> str:
    """A keyed digest of the typed name: people type their password into the name field, and the
    lockout table keeps what it is given; the same name still gives the same counter."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get("username")
    return keyed_digest(str(typed or ""), purpose="lockout_username")
