"""Request-wide guards: active organisation, second factor, and deny-by-default access."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import CapabilityGrant, Membership
from uppsok.accounts.notices import show_reset_notices
from uppsok.audit.log import record, record_for_account
from uppsok.audit.models import AuditAction

from . import scopes
from .capabilities import Cap, capabilities_for_roles
from .decorators import access_of

SESSION_ORG_KEY = "uppsok_active_org"


class ActiveOrganisationMiddleware:
    """Sets request.organisation, request.roles and request.capabilities from active memberships.

    The organisation id in the session is only a preference: membership is re-checked on every
    request so that a removed member loses access at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None  # type: ignore[attr-defined]
        request.roles = frozenset()  # type: ignore[attr-defined]
        request.capabilities = frozenset()  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        # Platform staff hold no organisation role by design: a membership row on such an account
        # (added by mistake or by an insider) is ignored rather than trusted.
        if user is not None and user.is_authenticated and not user.is_system_admin:
            memberships = list(Membership.objects.active().filter(user=user).select_related("organisation"))
            request.memberships = memberships  # type: ignore[attr-defined]
            orgs = {m.organisation_id: m.organisation for m in memberships}
            wanted = request.session.get(SESSION_ORG_KEY)
            org = None
            if wanted and any(str(org_id) == wanted for org_id in orgs):
                org = next(o for oid, o in orgs.items() if str(oid) == wanted)
            elif len(orgs) == 1:
                org = next(iter(orgs.values()))
            if org is not None:
                roles = {m.role for m in memberships if m.organisation_id == org.pk}
                grants = set(
                    CapabilityGrant.objects.filter(user=user, organisation=org).values_list("capability", flat=True)
                )
                request.organisation = org  # type: ignore[attr-defined]
                request.roles = frozenset(roles)  # type: ignore[attr-defined]
                request.capabilities = capabilities_for_roles(roles) | frozenset(  # type: ignore[attr-defined]
                    Cap(g) for g in grants if g in Cap._value2member_map_
                )
        return self.get_response(request)


def two_factor_required(request: HttpRequest) -> bool:
    """Whether this user must give a second factor.

    Every organisation role here can see personal data, so an organisation's setting decides for its
    members; a network role reaches every member organisation's routines, so no single organisation
    can waive it; and an account that has an authenticator always uses it, with or without a role.
    """
    user = request.user
    if user.is_system_admin:
        return True
    if any(m.organisation.require_two_factor for m in getattr(request, "memberships", [])):
        return True
    if scopes.requires_two_factor(user):
        return True
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _with_next(url_name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(url_name) + "?next=" + quote(request.get_full_path(), safe="/"))


class TwoFactorMiddleware:
    """The second factor, then an admin-set password replaced, before any other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not user.is_active:
            # The backends refuse inactive accounts already; this holds even for one that would not.
            logout(request)
            return HttpResponseRedirect(reverse(settings.LOGIN_URL))
        access = access_of(view_func)
        if access is not None and access.before_two_factor:
            return None
        if not user.is_verified() and two_factor_required(request):
            return _with_next("accounts:two_factor", request)
        if user.must_change_password:
            if request.path != reverse("accounts:password_change"):
                return _with_next("accounts:password_change", request)
            return None
        show_reset_notices(request)
        return None


class DenyByDefaultMiddleware:
    """Refuses every view that has not declared its access, and enforces the declared capability."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        access = access_of(view_func)
        if access is None:
            # Fail closed: a view nobody declared is treated as forbidden, not as open.
            self._deny(request, "undeclared_view")
        if access.public:
            return None
        if not request.user.is_authenticated:  # LoginRequiredMiddleware handles this; belt and braces
            self._deny(request, "anonymous")
        if access.system:
            if not request.user.is_system_admin:
                self._deny(request, "not_system_admin")
            return None
        if request.user.is_system_admin and (access.scope or access.needs_organisation):
            # Belt and braces beside the ignored memberships: staff never reach organisation or network pages.
            self._deny(request, "system_admin")
        if access.scope:
            return self._check_scope(request, access, kwargs)
        if not access.needs_organisation:
            return None
        if request.organisation is None:  # type: ignore[attr-defined]
            if request.memberships:  # type: ignore[attr-defined]
                return _with_next("accounts:choose_organisation", request)
            self._deny(request, "no_organisation")
        missing = access.capabilities_for(request.method or "GET") - request.capabilities  # type: ignore[attr-defined]
        if missing:
            self._deny(request, ",".join(sorted(missing)))
        return None

    def _check_scope(self, request: HttpRequest, access: Any, kwargs: dict[str, Any]) -> None:
        """A network (or another registered scope) named in the URL: the resolver finds it among the
        person's own; a missing one and one that is not theirs are the same 404, both audited."""
        found = scopes.resolve(access.scope, request, kwargs)
        if found is None:
            # the id asked for, when it is one, so the network's trail shows who probed it
            named = next((v for v in kwargs.values() if isinstance(v, uuid.UUID)), None)
            self._audit_refusal(request, f"{access.scope}_not_found", scope_id=named)
            raise Http404
        scope_obj, caps = found
        missing = access.capabilities_for(request.method or "GET") - caps
        if missing:
            self._deny(request, ",".join(sorted(missing)), scope_id=scope_obj.pk)
        return None

    @staticmethod
    def _audit_refusal(request: HttpRequest, why: str, *, scope_id: Any = None) -> None:
        user = request.user if getattr(request, "user", None) is not None else None
        org = getattr(request, "organisation", None)
        if org is None and user is not None and user.is_authenticated:
            # No organisation chosen: every organisation of the person answers for the attempt.
            record_for_account(
                user, AuditAction.PERMISSION_DENIED, user, object_type="url", object_id=request.path[:64], detail=why,
                network=scope_id,
            )
        else:
            record(
                user,
                AuditAction.PERMISSION_DENIED,
                organisation=org,
                network=scope_id,
                object_type="url",
                object_id=request.path[:64],
                detail=why,
            )

    @classmethod
    def _deny(cls, request: HttpRequest, why: str, *, scope_id: Any = None) -> None:
        cls._audit_refusal(request, why, scope_id=scope_id)
        raise PermissionDenied(_("Du saknar behörighet för den här sidan."))


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the person chose English with the language selector.

    Django's LocaleMiddleware would follow the browser's Accept-Language; many municipal computers
    run English browsers, and staff expect the Swedish service. The explicit choice (cookie) wins.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
