"""Scopes beside the active organisation (a network) that the access middleware resolves.

An app registers how its scope is found from a request and which capabilities the person holds
in it; core calls the resolver by name and so imports no feature app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from .capabilities import Cap

# resolver(request, view_kwargs) -> (scope object, capabilities) or None for "not found or not yours"
Resolver = Callable[[HttpRequest, dict[str, Any]], tuple[Any, frozenset[Cap]] | None]

_RESOLVERS: dict[str, Resolver] = {}


def register(scope: str, resolver: Resolver) -> None:
    _RESOLVERS[scope] = resolver


def resolve(scope: str, request: HttpRequest, kwargs: dict[str, Any]) -> tuple[Any, frozenset[Cap]] | None:
    try:
        resolver = _RESOLVERS[scope]
    except KeyError as exc:
        # A view marked for a scope no app provides is a programming error: refuse, never open.
        raise LookupError(f"no resolver registered for scope {scope!r}") from exc
    return resolver(request, kwargs)


# Where a person without an active organisation lands after login (a network-only member lands on
# their network); apps register a function that answers a URL or None.
_LANDINGS: list[Callable[[HttpRequest], str | None]] = []


def register_landing(landing: Callable[[HttpRequest], str | None]) -> None:
    if landing not in _LANDINGS:
        _LANDINGS.append(landing)


def landing(request: HttpRequest) -> str | None:
    for candidate in _LANDINGS:
        url = candidate(request)
        if url:
            return url
    return None


# Whether a person must give a second factor whatever their organisations say (a network role
# reaches every member organisation's shared material); apps register checks on a user.
_TWO_FACTOR_CHECKS: list[Callable[[Any], bool]] = []


def register_two_factor_check(check: Callable[[Any], bool]) -> None:
    if check not in _TWO_FACTOR_CHECKS:
        _TWO_FACTOR_CHECKS.append(check)


def requires_two_factor(user: Any) -> bool:
    return any(check(user) for check in _TWO_FACTOR_CHECKS)
