"""Walks every URL pattern and checks who can reach it.

For each route: anonymous users are sent to the login page; a view must declare its access; a
user whose roles lack the declared capability gets 403; a user of another organisation gets 404
on every URL that names an object; and the rightful user does reach it (so the 404 above means
"scoped", not "broken"). Returns a list of failures rather than asserting, so the test can also
prove that a deliberately broken view is caught.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from uppsok.accounts.models import Organisation, Role, User
from uppsok.core.capabilities import GRANTABLE_CAPABILITIES, ROLE_CAPABILITIES, Cap
from uppsok.core.decorators import access_of

from . import url_factories
from .factories import login, make_user


@dataclass
class Route:
    name: str
    pattern: str
    callback: Any
    kwarg_names: list[str]


def iter_routes(urlconf: str | None = None) -> Iterator[Route]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                yield Route(
                    name=f"{namespace}{p.name}" if p.name else "",
                    pattern=prefix + str(p.pattern),
                    callback=p.callback,
                    kwarg_names=list(p.pattern.converters.keys()),
                )

    yield from walk(get_resolver(urlconf).url_patterns, "/", "")


def load_factories() -> dict[str, Callable[[Organisation, User], str]]:
    factories: dict[str, Callable[[Organisation, User], str]] = {}
    for info in pkgutil.iter_modules(url_factories.__path__):
        module = importlib.import_module(f"{url_factories.__name__}.{info.name}")
        factories.update(getattr(module, "FACTORIES", {}))
    return factories


def _role_without(caps: frozenset[Any]) -> str | None:
    for role, role_caps in ROLE_CAPABILITIES.items():
        if not caps <= role_caps:
            return str(role)
    return None


_counter = 0


def _unique(prefix: str) -> str:
    global _counter
    _counter += 1
    return f"{prefix}-{_counter}"


def walk_and_check(org_a: Organisation, org_b: Organisation, urlconf: str | None = None) -> list[str]:
    failures: list[str] = []
    factories = load_factories()
    # the walk checks who reaches what, on a service whose worker and scheduler are alive
    from uppsok.core import health

    for process in health.PROCESSES:
        health.beat(process)
    all_roles = [r.value for r in Role]
    all_grants = [c.value for c in GRANTABLE_CAPABILITIES]
    owner = make_user(_unique("owner"), org_a, all_roles, grants=all_grants)
    outsider = make_user(_unique("outsider"), org_b, all_roles, grants=all_grants)
    # Platform staff, given a membership in organisation A by mistake: still refused everywhere.
    staff = make_user(_unique("sysadmin"), org_a, all_roles, grants=all_grants)
    User.objects.filter(pk=staff.pk).update(is_system_admin=True)
    staff.refresh_from_db()
    routes = list(iter_routes(urlconf))
    if not routes:
        return ["no routes found"]
    for route in routes:
        label = f"{route.name or route.pattern}"
        access = access_of(route.callback)
        if access is None:
            failures.append(f"{label}: view declares no access (use @public, @authenticated or @requires)")
            continue
        missing = [k for k in route.kwarg_names if k not in factories]
        if missing:
            failures.append(f"{label}: no URL factory for {missing} (add one under tests/url_factories/)")
            continue
        kwargs = {k: factories[k](org_a, owner) for k in route.kwarg_names}
        if not route.name:
            failures.append(f"{route.pattern}: route has no name")
            continue
        url = reverse(route.name, kwargs=kwargs, urlconf=urlconf)

        anon = Client()
        response = anon.get(url)
        if access.public:
            if response.status_code >= 500:
                failures.append(f"{label}: public view fails for anonymous ({response.status_code})")
            continue
        if response.status_code != 302 or "/konto/logga-in/" not in response.get("Location", ""):
            failures.append(f"{label}: anonymous GET gave {response.status_code}, expected redirect to login")

        if access.system:
            for who, client in (("an organisation's admin", login(Client(), owner, org_a)),):
                for method in ("get", "post"):
                    status = getattr(client, method)(url).status_code
                    if status != 403:
                        failures.append(f"{label}: {who} got {status} on {method.upper()}, expected 403")
            status = login(Client(), staff).get(url).status_code
            if status != 200:
                failures.append(f"{label}: the system administrator's GET gave {status}")
            continue
        if access.scope or access.needs_organisation:
            staff_client = login(Client(), staff, org_a)
            for method in ("get", "post"):
                status = getattr(staff_client, method)(url).status_code
                if status != 403:
                    failures.append(f"{label}: the system administrator got {status} on {method.upper()}, expected 403")
        if access.scope == "network":
            failures += _check_network_route(label, url, access, kwargs, org_a, owner, outsider)
            continue
        if not access.needs_organisation:
            continue

        for methods, caps in ((("get", "post"), access.capabilities),
                              (("post",), access.capabilities_for("POST") - access.capabilities)):
            if not caps:
                continue
            role = _role_without(access.capabilities_for("POST") if methods == ("post",) else caps)
            if role is None:
                continue
            weak = make_user(_unique("weak"), org_a, [role])
            weak_client = login(Client(), weak, org_a)
            for method in methods:
                r = getattr(weak_client, method)(url)
                if r.status_code != 403:
                    failures.append(f"{label}: role {role} without {sorted(access.capabilities_for(method))} got {r.status_code} on {method.upper()}, expected 403")

        own = login(Client(), owner, org_a)
        r = own.get(url)
        owner_get_status = r.status_code
        if r.status_code in (403, 404) or r.status_code >= 500:
            failures.append(f"{label}: the owner's GET gave {r.status_code}; the URL factory or view is broken")

        if route.kwarg_names:
            other = login(Client(), outsider, org_b)
            for method in ("get", "post"):
                r = getattr(other, method)(url)
                # A POST-only view answers 405 to every GET before looking anything up; that leaks nothing.
                if method == "get" and r.status_code == 405 and owner_get_status == 405:
                    continue
                if r.status_code != 404:
                    failures.append(f"{label}: user of another organisation got {r.status_code} on {method.upper()}, expected 404")
    return failures


def _check_network_route(
    label: str, url: str, access: Any, kwargs: dict[str, str], org_a: Organisation, owner: User, outsider: User
) -> list[str]:
    """A network's route: its coordinator reaches it; a person of another organisation and the
    coordinator of another network get 404 on every method; a network-only member (no
    organisation) gets 403 where editing is needed and reaches the rest."""
    from uppsok.network.models import Network, NetworkRole

    failures: list[str] = []
    network = Network.objects.get(pk=kwargs["network_id"])
    own = login(Client(), owner, org_a)
    owner_get = own.get(url).status_code
    if owner_get in (403, 404) or owner_get >= 500:
        failures.append(f"{label}: the coordinator's GET gave {owner_get}; the URL factory or view is broken")

    other_network = Network.objects.create(name="Annat nätverk", slug=_unique("other-net"))
    stranger = make_user(_unique("other-coordinator"))
    NetworkRole.objects.create(network=other_network, user=stranger, role=NetworkRole.Role.COORDINATOR)
    for who, client in (("user of another organisation", login(Client(), outsider)),
                        ("coordinator of another network", login(Client(), stranger))):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if method == "get" and status == 405 and owner_get == 405:
                continue
            if status != 404:
                failures.append(f"{label}: {who} got {status} on {method.upper()}, expected 404")

    member = make_user(_unique("network-member"))
    NetworkRole.objects.create(network=network, user=member, role=NetworkRole.Role.MEMBER)
    client = login(Client(), member)
    for method in ("get", "post"):
        status = getattr(client, method)(url).status_code
        needs_edit = Cap.NETWORK_EDIT in access.capabilities_for(method)
        if needs_edit and status != 403:
            failures.append(f"{label}: a member without edit rights got {status} on {method.upper()}, expected 403")
        if not needs_edit and (status in (403, 404) or status >= 500) and not (status == 405):
            failures.append(f"{label}: a network member got {status} on {method.upper()}")
    return failures
