"""The network access layer, beside `core.access`: the only way views read a network's material.

A person reaches a network through a network role (coordinator, member) or through the active
organisation's membership of the network. The middleware resolves the network named in the URL
(`resolve`) before the view runs; views then read rows of that network only (`network_scoped`,
`access_network_object`), and a missing row and another network's row are the same 404.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db import models
from django.http import Http404, HttpRequest

from uppsok.core.capabilities import Cap, capabilities_for_network_roles

from .models import Network, NetworkMembership, NetworkRole

M = TypeVar("M", bound=models.Model)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def network_roles_of(user: Any, network: Network | Any, organisation: Any = None) -> set[str]:
    """The ways `user` reaches `network`: its network roles, and "member_organisation" when the
    active organisation is a member."""
    roles = set(NetworkRole.objects.active().filter(user=user, network=network).values_list("role", flat=True))
    if organisation is not None and NetworkMembership.objects.filter(network=network, organisation=organisation).exists():
        roles.add("member_organisation")
    return roles


def resolve(request: HttpRequest, kwargs: dict[str, Any]) -> tuple[Network, frozenset[Cap]] | None:
    """The network named by the URL's `network_id` and the person's capabilities in it, or None
    when it does not exist or is not the person's (the middleware answers 404 to both)."""
    key = _uuid(kwargs.get("network_id"))
    user = getattr(request, "user", None)
    if key is None or user is None or not user.is_authenticated:
        return None
    network = Network.objects.filter(pk=key).first()
    if network is None:
        return None
    roles = network_roles_of(user, network, getattr(request, "organisation", None))
    if not roles:
        return None
    caps = capabilities_for_network_roles(roles)
    request.network = network  # type: ignore[attr-defined]
    request.network_roles = frozenset(roles)  # type: ignore[attr-defined]
    request.network_capabilities = caps  # type: ignore[attr-defined]
    return network, caps


def active_network(request: HttpRequest) -> Network:
    network = getattr(request, "network", None)
    if network is None:
        # Network views are marked @in_network, so the middleware has resolved it; reaching here
        # is a programming error.
        raise Http404
    return network


def can_edit(request: HttpRequest) -> bool:
    """Whether the person may change the request's network (pages show or hide their forms by it;
    the marker has already refused a write without it)."""
    return Cap.NETWORK_EDIT in getattr(request, "network_capabilities", frozenset())


def network_scoped(request: HttpRequest, model: type[M]) -> models.QuerySet[M]:
    """All rows of `model` that belong to the request's network."""
    return model._default_manager.filter(network=active_network(request))


def access_network_object(request: HttpRequest, model: type[M], pk: Any, *, queryset: models.QuerySet[M] | None = None) -> M:
    """One row of the request's network, or 404 for both missing and another network's."""
    key = _uuid(pk)
    if key is None:
        raise Http404
    qs = queryset if queryset is not None else model._default_manager.all()
    try:
        return qs.filter(network=active_network(request)).get(pk=key)
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc


def networks_of(user: Any, organisation: Any = None) -> models.QuerySet[Network]:
    """The networks a person reaches: by a network role or through the active organisation."""
    q = models.Q(pk__in=NetworkRole.objects.active().filter(user=user).values("network_id"))
    if organisation is not None:
        q |= models.Q(pk__in=NetworkMembership.objects.filter(organisation=organisation).values("network_id"))
    return Network.objects.filter(q).order_by("name")


def national_directory() -> models.QuerySet[Any]:
    """The directory's shipped entries, which belong to no network and hold no personal data."""
    from .models import DirectoryEntry

    return DirectoryEntry.objects.filter(network__isnull=True)


def directory_of(request: HttpRequest) -> models.QuerySet[Any]:
    """The shipped entries and the request's network's own."""
    from .models import DirectoryEntry

    return DirectoryEntry.objects.filter(models.Q(network__isnull=True) | models.Q(network=active_network(request)))


def directory_suggestions(organisation: Any = None, network: Any = None) -> models.QuerySet[Any]:
    """Entries to pick from when a form asks for an outside actor: the shipped ones and those of
    the given network or of the networks the organisation belongs to."""
    from .models import DirectoryEntry

    q = models.Q(network__isnull=True)
    if network is not None:
        q |= models.Q(network=network)
    if organisation is not None:
        q |= models.Q(network__in=NetworkMembership.objects.filter(organisation=organisation).values("network_id"))
    return DirectoryEntry.objects.filter(q).order_by("name").only("name", "phone", "website")


def coordinated_networks(user: Any) -> models.QuerySet[Network]:
    """The networks in which `user` holds an active coordinator role."""
    ids = NetworkRole.objects.active().filter(user=user, role=NetworkRole.Role.COORDINATOR).values("network_id")
    return Network.objects.filter(pk__in=ids).order_by("name")


def is_network_scoped_model(model: type[models.Model]) -> bool:
    """True for models whose rows belong to one network (a `network` FK to network.Network)."""
    try:
        f = model._meta.get_field("network")
    except Exception:
        return False
    return bool(getattr(f, "related_model", None)) and f.related_model._meta.label == "network.Network"


def landing(request: HttpRequest) -> str | None:
    """A person with network roles and no organisation lands on their network (or their list)."""
    from django.urls import reverse

    ids = list(NetworkRole.objects.active().filter(user=request.user).values_list("network_id", flat=True).distinct()[:2])
    if not ids:
        return None
    if len(ids) == 1:
        return reverse("network:overview", kwargs={"network_id": ids[0]})
    return reverse("network:list")


def holds_network_role(user: Any) -> bool:
    """A network role always needs the second factor (registered with core.scopes)."""
    return NetworkRole.objects.active().filter(user=user).exists()
