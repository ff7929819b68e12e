"""Login, second factor, choosing the active organisation, language, and managing members."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.core.access import active_organisation, scoped
from uppsok.core.capabilities import Cap
from uppsok.core.decorators import authenticated, public, requires
from uppsok.core.forms import post_data
from uppsok.core.middleware import SESSION_ORG_KEY

from . import actions
from .forms import (
    CAPABILITY_LABELS,
    ChooseOrganisationForm,
    MemberForm,
    OrganisationSettingsForm,
    RolesForm,
    TokenForm,
)
from .models import CapabilityGrant, Membership, User
from .totp import secret_b32


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


login_view = public(
    auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
)
logout_view = authenticated(before_two_factor=True)(auth_views.LogoutView.as_view())


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


@authenticated(before_two_factor=True)
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the TOTP code, or enrol an authenticator app first if the user has none."""
    user = request.user
    next_url = _safe_next(request, reverse("core:home"))
    if user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)
    form = TokenForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            # django-otp doubles the wait after each wrong code, which stops guessing the 6 digits.
            form.add_error("token", _("För många felaktiga koder. Vänta en stund och försök igen."))
        elif device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                actions.do_confirm_totp_device(user, device)  # type: ignore[arg-type]
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
        form.add_error("token", _("Koden stämmer inte. Kontrollera klockan i telefonen och försök igen."))
    context: dict[str, Any] = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR-kod för autentiseringsappen"))
        context["secret_b32"] = _base32_secret(device)
    return render(request, "accounts/two_factor.html", context)


def _base32_secret(device: TOTPDevice) -> str:
    # Groups of four are easier to type than 32 letters in a row.
    raw = secret_b32(device)
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@authenticated()
def choose_organisation(request: HttpRequest) -> HttpResponse:
    memberships = request.memberships  # type: ignore[attr-defined]
    orgs = {m.organisation_id: m.organisation for m in memberships}
    if request.method == "POST":
        form = ChooseOrganisationForm(request.POST)
        if form.is_valid() and form.cleaned_data["organisation"] in orgs:
            org = orgs[form.cleaned_data["organisation"]]
            request.session[SESSION_ORG_KEY] = str(org.pk)
            User.objects.filter(pk=request.user.pk).update(last_active_organisation=org)
            messages.success(request, _("Du arbetar nu i %(org)s.") % {"org": org.name})
            return HttpResponseRedirect(_safe_next(request, reverse("core:home")))
        messages.error(request, _("Du är inte medlem i den organisationen."))
    return render(
        request,
        "accounts/choose_organisation.html",
        {"organisations": sorted(orgs.values(), key=lambda o: o.name), "next": _safe_next(request, "")},
    )


# --- Organisation administration -------------------------------------------------------------


def _access_member(request: HttpRequest, user_id: Any) -> User:
    """A person with at least one membership (active or not) in the active organisation, else 404."""
    rows = scoped(request, Membership).filter(user_id=user_id).select_related("user")
    try:
        first = rows.first()
    except Exception as exc:  # malformed id
        raise Http404 from exc
    if first is None:
        raise Http404
    return first.user


@requires(Cap.ORG_MANAGE_USERS)
def members(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    rows = scoped(request, Membership).select_related("user").order_by("user__username", "role")
    people: dict[Any, dict[str, Any]] = {}
    for m in rows:
        entry = people.setdefault(m.user_id, {"user": m.user, "roles": [], "active": False})
        if m.is_active:
            entry["roles"].append(m.get_role_display())
            entry["active"] = True
    devices = set(TOTPDevice.objects.filter(user_id__in=people.keys(), confirmed=True).values_list("user_id", flat=True))
    for uid, entry in people.items():
        entry["has_two_factor"] = uid in devices
    return render(request, "accounts/members.html", {"people": list(people.values()), "organisation": org})


@requires(Cap.ORG_MANAGE_USERS)
def member_add(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    form = MemberForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.do_create_member(request.user, org, **form.cleaned_data)  # type: ignore[arg-type]
        except actions.ActionError as exc:
            form.add_error("username", str(exc))
        else:
            messages.success(request, _("%(user)s har lagts till.") % {"user": user.username})
            return redirect("accounts:members")
    return render(request, "accounts/member_add.html", {"form": form})


@requires(Cap.ORG_MANAGE_USERS)
def member_edit(request: HttpRequest, user_id: Any) -> HttpResponse:
    org = active_organisation(request)
    member = _access_member(request, user_id)
    current_roles = list(
        scoped(request, Membership).filter(user=member, is_active=True).values_list("role", flat=True)
    )
    current_caps = list(scoped(request, CapabilityGrant).filter(user=member).values_list("capability", flat=True))
    form = RolesForm(
        post_data(request),
        initial={"roles": current_roles, "capabilities": current_caps},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_roles(
                request.user, org, member, form.cleaned_data["roles"], form.cleaned_data["capabilities"]  # type: ignore[arg-type]
            )
        except actions.ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Behörigheterna är sparade."))
            return redirect("accounts:members")
    return render(
        request,
        "accounts/member_edit.html",
        {"form": form, "member": member, "capability_labels": CAPABILITY_LABELS},
    )


@requires(Cap.ORG_MANAGE_USERS)
@require_POST
def member_reset_two_factor(request: HttpRequest, user_id: Any) -> HttpResponse:
    org = active_organisation(request)
    member = _access_member(request, user_id)
    actions.do_reset_two_factor(request.user, org, member)  # type: ignore[arg-type]
    messages.success(request, _("Tvåfaktorsinloggningen är återställd. Personen kopplar en ny app vid nästa inloggning."))
    return redirect("accounts:member_edit", user_id=member.pk)


@requires(Cap.ORG_SETTINGS)
def organisation_settings(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    form = OrganisationSettingsForm(post_data(request), instance=org)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        org.refresh_from_db()  # form.is_valid() already wrote the values onto the instance
        actions.do_update_organisation(request.user, org, changes)  # type: ignore[arg-type]
        messages.success(request, _("Inställningarna är sparade."))
        return redirect("accounts:organisation_settings")
    return render(request, "accounts/organisation_settings.html", {"form": form})


