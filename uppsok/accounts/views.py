"""Login, second factor, choosing the active organisation, language, and managing members."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
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
    ChangePasswordForm,
    ChooseOrganisationForm,
    OrganisationSettingsForm,
    ProvePasswordForm,
    ResetPasswordForm,
    RolesForm,
    TokenForm,
)
from .mail import mail_link
from .models import AccountResetLink, CapabilityGrant, Membership, User, reset_link_for_token
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


def _code_accepted(form: Any, device: TOTPDevice, *, actor: Any, account: Any, where: str) -> bool:
    """Whether the form's code is right for `device`; otherwise the form says why and the failure is
    audited (`where`, or `where`_throttled while django-otp makes the person wait: it doubles the wait
    after each wrong code, which stops guessing the 6 digits)."""
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        actions.do_note_two_factor_failure(actor, account, where=f"{where}_throttled")
        form.add_error("token", _("För många felaktiga koder. Vänta en stund och försök igen."))
        return False
    if device.verify_token(form.cleaned_data["token"]):
        return True
    actions.do_note_two_factor_failure(actor, account, where=where)
    form.add_error("token", _("Koden stämmer inte. Kontrollera klockan i telefonen och försök igen."))
    return False


@authenticated(before_two_factor=True)
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the TOTP code, or enrol an authenticator app first if the account never had one."""
    user = request.user
    next_url = _safe_next(request, reverse("core:home"))
    if user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling and user.two_factor_enrolled_at is not None:  # type: ignore[union-attr]
        # Whoever knows the password must not enrol their own phone on an account that had one.
        return render(request, "accounts/two_factor.html", {"locked": True, "next": next_url})
    replaced = False
    if enrolling:
        device, replaced = _pending_enrolment(request)
    form = TokenForm(post_data(request))
    if replaced:
        form.add_error(None, _("Nyckeln har ersatts av en ny. Skanna den nya QR-koden och skriv in koden igen."))
    elif request.method == "POST" and form.is_valid():
        if _code_accepted(form, device, actor=user, account=user, where="login"):
            if enrolling:
                actions.do_confirm_totp_device(user, device)  # type: ignore[arg-type]
                request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            # A new session key for the fully signed-in session, so a key seen earlier is worth nothing.
            request.session.cycle_key()
            return HttpResponseRedirect(next_url)
    context: dict[str, Any] = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        context.update(_enrolment_context(device))
    return render(request, "accounts/two_factor.html", context)


ENROLMENT_SESSION_KEY = "uppsok_enrolment_device"


def _pending_enrolment(request: HttpRequest) -> tuple[TOTPDevice, bool]:
    """The key this browser is enrolling, and whether it had to be replaced.

    A key is shown to one browser only: every newly shown page makes a fresh key, which removes any
    key shown before, so someone who saw the page earlier with the same password (the admin who chose
    it) cannot keep a copy of the key the person later confirms."""
    user = request.user
    pending = request.session.get(ENROLMENT_SESSION_KEY)
    device = None
    if request.method == "POST" and pending is not None:
        device = TOTPDevice.objects.filter(pk=pending, user=user, confirmed=False).first()
    if device is not None:
        return device, False
    device = actions.do_prepare_authenticator(user)  # type: ignore[arg-type]
    request.session[ENROLMENT_SESSION_KEY] = device.pk
    return device, request.method == "POST"


def _enrolment_context(device: TOTPDevice) -> dict[str, Any]:
    return {
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR-kod för autentiseringsappen")),
        "secret_b32": _base32_secret(device),
    }


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
        {"form": form, "member": member, "capability_labels": CAPABILITY_LABELS,
         "email_enabled": settings.UPPSOK_EMAIL_ENABLED},
    )


@requires(Cap.ORG_MANAGE_USERS)
@require_POST
@never_cache
def member_reset_two_factor(request: HttpRequest, user_id: Any) -> HttpResponse:
    return _issue_reset_link(request, user_id, AccountResetLink.Kind.TWO_FACTOR)


@requires(Cap.ORG_MANAGE_USERS)
@require_POST
@never_cache
def member_reset_password(request: HttpRequest, user_id: Any) -> HttpResponse:
    return _issue_reset_link(request, user_id, AccountResetLink.Kind.PASSWORD)


def _issue_reset_link(request: HttpRequest, user_id: Any, kind: str) -> HttpResponse:
    """The admin gets a link to hand over, never a password or key: the person does the reset."""
    org = active_organisation(request)
    member = _access_member(request, user_id)
    try:
        link, token = actions.do_issue_reset_link(request.user, org, member, kind)  # type: ignore[arg-type]
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:member_edit", user_id=member.pk)
    url = request.build_absolute_uri(reverse("accounts:reset_link", kwargs={"token": token}))
    mailed = False
    if request.POST.get("send_email"):
        try:
            mailed = mail_link(member, url, link)
        except OSError:
            messages.error(request, _("E-posten kunde inte skickas. Ge länken till personen på annat sätt."))
    return render(request, "accounts/reset_link_issued.html", {
        "member": member, "link": link, "url": url, "mailed": mailed,
    })


# --- The person's own account ------------------------------------------------------------------


@authenticated()
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ChangePasswordForm(user, post_data(request))
    if request.method == "POST" and form.is_valid():
        actions.do_change_password(user, form.cleaned_data["new_password1"])  # type: ignore[arg-type]
        # Keeps this session (with a new key) while the new hash ends every other one.
        update_session_auth_hash(request, user)
        messages.success(request, _("Ditt lösenord är bytt. Andra inloggningar med det gamla lösenordet har avslutats."))
        return HttpResponseRedirect(_safe_next(request, reverse("core:home")))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password, "next": _safe_next(request, "")},  # type: ignore[union-attr]
    )


RESET_SESSION_KEY = "uppsok_reset_proved"


@public
@never_cache
def reset_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind a reset link: the person, not the admin who made the link, finishes the reset."""
    link = reset_link_for_token(token)
    if link is None:
        return render(request, "accounts/reset_link_invalid.html", status=404)
    if link.kind == AccountResetLink.Kind.INVITATION:
        return redirect("accounts:invitation", token=token)
    if link.kind == AccountResetLink.Kind.PASSWORD:
        return _reset_password(request, link)
    return _reset_two_factor(request, link)


def _reset_password(request: HttpRequest, link: AccountResetLink) -> HttpResponse:
    person = link.user
    device = TOTPDevice.objects.filter(user=person, confirmed=True).first()
    form = ResetPasswordForm(person, post_data(request), needs_token=device is not None)
    if request.method == "POST" and form.is_valid():
        if device is not None:
            _code_accepted(form, device, actor=None, account=person, where="reset_link")
        if not form.errors:
            try:
                actions.do_complete_password_reset(link, form.cleaned_data["new_password1"])
            except actions.ActionError:
                return render(request, "accounts/reset_link_invalid.html", status=404)
            messages.success(request, _("Ditt lösenord är bytt. Logga in med det nya lösenordet."))
            return redirect("accounts:login")
    return render(request, "accounts/reset_password.html", {"form": form, "link": link})


def _reset_two_factor(request: HttpRequest, link: AccountResetLink) -> HttpResponse:
    person = link.user
    state = request.session.get(RESET_SESSION_KEY) or {}
    device = None
    if state.get("link") == str(link.pk):
        device = TOTPDevice.objects.filter(pk=state.get("device"), user=person, confirmed=False).first()
    if device is None:
        # First the person's own password: the admin who made the link does not know it.
        form: Any = ProvePasswordForm(post_data(request))
        if request.method == "POST" and form.is_valid():
            # Through authenticate() so lockout applies and a wrong password is logged like any other.
            proved = authenticate(request, username=person.username, password=form.cleaned_data["password"])
            if proved is not None and proved.pk == person.pk:
                device = actions.do_prepare_authenticator(person)
                request.session.cycle_key()
                request.session[RESET_SESSION_KEY] = {"link": str(link.pk), "device": device.pk}
                form = TokenForm()
            else:
                form.add_error("password", _("Lösenordet stämmer inte."))
        if device is None:
            return render(request, "accounts/reset_two_factor.html", {"form": form, "link": link, "enrolling": False})
    else:
        form = TokenForm(post_data(request))
        if request.method == "POST" and form.is_valid():
            if _code_accepted(form, device, actor=None, account=person, where="reset_link"):
                try:
                    actions.do_complete_two_factor_reset(link, device)
                except actions.ActionError:
                    return render(request, "accounts/reset_link_invalid.html", status=404)
                request.session.pop(RESET_SESSION_KEY, None)
                messages.success(
                    request, _("Den nya appen är kopplad. Logga in med ditt lösenord och koden från den nya appen.")
                )
                return redirect("accounts:login")
    context = {"form": form, "link": link, "enrolling": True, **_enrolment_context(device)}
    return render(request, "accounts/reset_two_factor.html", context)


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


