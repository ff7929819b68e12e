"""The organisation-scoped access layer: the only way views read organisation data.

Modelled on healthchecks' `_get_check_for_user` and Zulip's `access_*_by_id`: an object is fetched
*inside* the active organisation, and "does not exist" and "belongs to someone else" give the same
404 so that ids reveal nothing.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db import models
from django.http import Http404, HttpRequest

from uppsok.audit.log import keyed_digest, record
from uppsok.audit.models import AuditAction

M = TypeVar("M", bound=models.Model)


def active_organisation(request: HttpRequest) -> Any:
    org = getattr(request, "organisation", None)
    if org is None:
        # Views that need an organisation are declared with @requires, so the middleware has
        # already refused the request; reaching here is a programming error.
        raise Http404
    return org


def scoped(request: HttpRequest, model: type[M]) -> models.QuerySet[M]:
    """All rows of `model` that belong to the request's active organisation."""
    return model._default_manager.filter(organisation=active_organisation(request))


def access_object(
    request: HttpRequest,
    model: type[M],
    pk: Any,
    *,
    queryset: models.QuerySet[M] | None = None,
    audit_view: bool = True,
) -> M:
    """One row of the active organisation, or 404 for both missing and not-yours.

    Viewing a row that holds personal data is written to the audit log.
    """
    try:
        key = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404 from exc
    qs = queryset if queryset is not None else model._default_manager.all()
    try:
        obj = qs.filter(organisation=active_organisation(request)).get(pk=key)
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc
    if audit_view and request.method == "GET" and getattr(model, "contains_personal_data", False):
        record(request.user, AuditAction.VIEW, organisation=obj.organisation_id, obj=obj)  # type: ignore[attr-defined]
    return obj


def audit_lookup(request: HttpRequest, kind: str, term: str, *, results: int | None = None) -> None:
    """Log a search for a person (by phone number, alias, profile name) as the look-up it is.

    The term itself is personal data, so only a keyed digest of it is kept: an auditor who is asked
    "who looked up this number?" can compute the digest of that number and find the rows. Empty
    searches are not logged.
    """
    if not term.strip():
        return
    detail = f"kind={kind};term={keyed_digest(term, purpose='search')}"
    if results is not None:
        detail += f";results={results}"
    record(
        request.user,
        AuditAction.SEARCH,
        organisation=active_organisation(request),
        object_type="search",
        object_id=kind[:64],
        detail=detail,
    )


def is_scoped_model(model: type[models.Model]) -> bool:
    """True for models whose rows belong to one organisation (they have an `organisation` FK)."""
    try:
        field = model._meta.get_field("organisation")
    except Exception:
        return False
    return bool(getattr(field, "related_model", None)) and field.related_model._meta.label == "accounts.Organisation"
