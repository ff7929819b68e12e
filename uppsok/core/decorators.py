"""How a view declares who may reach it.

Every view must carry exactly one of these markers; DenyByDefaultMiddleware refuses any view that
has none, so forgetting a declaration fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required

from .capabilities import Cap

V = TypeVar("V", bound=Callable[..., Any])

ACCESS_ATTR = "uppsok_access"


@dataclass(frozen=True)
class Access:
    public: bool = False
    needs_organisation: bool = False
    capabilities: frozenset[Cap] = frozenset()
    # Reachable before the second factor is given (the pages that ask for it, logout, language).
    before_two_factor: bool = False
    # A scope other than the active organisation that the middleware resolves from the URL (e.g.
    # "network": the `network_id` in the path), with capabilities held in that scope.
    scope: str = ""
    # Further capabilities for particular methods, e.g. (("POST", {network.edit}),): one marker
    # says who may read and who may write, so no view checks a capability by hand.
    method_capabilities: tuple[tuple[str, frozenset[Cap]], ...] = ()
    # Platform staff only (creating organisations and networks); never any organisation's records.
    system: bool = False

    def capabilities_for(self, method: str) -> frozenset[Cap]:
        extra = [caps for m, caps in self.method_capabilities if m == method.upper()]
        return self.capabilities.union(*extra)


def public(view: V) -> V:
    """No login needed (login page, health check). Must never show organisation data."""
    setattr(view, ACCESS_ATTR, Access(public=True, before_two_factor=True))
    return login_not_required(view)


def authenticated(*, before_two_factor: bool = False) -> Callable[[V], V]:
    """Any logged-in user, with no organisation data involved (choose organisation, own profile)."""

    def wrap(view: V) -> V:
        setattr(view, ACCESS_ATTR, Access(before_two_factor=before_two_factor))
        return view

    return wrap


def _per_method(per_method: dict[str, Cap | tuple[Cap, ...]]) -> tuple[tuple[str, frozenset[Cap]], ...]:
    return tuple((m.upper(), frozenset(c if isinstance(c, tuple) else (c,))) for m, c in sorted(per_method.items()))


def requires(*caps: Cap, **per_method: Cap | tuple[Cap, ...]) -> Callable[[V], V]:
    """An active organisation and every listed capability in it; for a method named in
    `per_method` (POST=Cap.ORG_SETTINGS), those capabilities too."""
    if not caps:
        raise ValueError("requires() needs at least one capability")

    def wrap(view: V) -> V:
        setattr(view, ACCESS_ATTR, Access(needs_organisation=True, capabilities=frozenset(caps),
                                          method_capabilities=_per_method(per_method)))
        return view

    return wrap


def in_network(*caps: Cap, **per_method: Cap | tuple[Cap, ...]) -> Callable[[V], V]:
    """A network's page: the URL names the network (`network_id`), the person holds `caps` in it
    (through a network role or the active organisation's membership) and, for a method named in
    `per_method` (POST=Cap.NETWORK_EDIT), those capabilities too. Missing and not-yours are one 404."""
    if not caps:
        raise ValueError("in_network() needs at least one capability")
    def wrap(view: V) -> V:
        setattr(view, ACCESS_ATTR, Access(scope="network", capabilities=frozenset(caps),
                                          method_capabilities=_per_method(per_method)))
        return view

    return wrap


def system_admin(view: V) -> V:
    """A page of the platform's own administration: only system administrators, after the second
    factor. It must never show an organisation's or a network's records."""
    setattr(view, ACCESS_ATTR, Access(system=True))
    return view


def access_of(view: Any) -> Access | None:
    access = getattr(view, ACCESS_ATTR, None)
    if access is None and hasattr(view, "view_class"):
        access = getattr(view.view_class, ACCESS_ATTR, None)
    return access
