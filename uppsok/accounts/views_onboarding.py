"""Bringing people in and taking them out: an admin's invitation, the invited person's first visit
(own password, then own authenticator, then the organisation), and deactivation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.core.access import active_organisation
from uppsok.core.capabilities import Cap
from uppsok.core.decorators import public, requires
from uppsok.core.errors import ActionError
from uppsok.core.forms import post_data
from uppsok.core.middleware import SESSION_ORG_KEY

from . import actions, actions_onboarding
from .forms import NewPasswordForm, ProvePasswordForm, TokenForm
from .forms_onboarding import InviteMemberForm, SendLinkForm
from .links import invitation_url
from .mail import mail_link
from .models import AccountResetLink, User, reset_link_for_token
from .views import _access_member, _code_accepted, _enrolment_context

INVITATION_SESSION_KEY = "uppsok_invitation"


def render_issued(request: HttpRequest, person: User, link: AccountResetLink, token: str, *,
                  back_url: str, send: bool) -> HttpResponse:
    url = invitation_url(token, request=request)
    mailed = False
    if send:
        try:
            mailed = mail_link(person, url, link)
        except OSError:
            messages.error(request, _("E-posten kunde inte skickas. Ge länken till personen på annat sätt."))
    return render(request, "accounts/invitation_issued.html", {
        "person": person, "link": link, "url": url, "mailed": mailed, "back_url": back_url,
    })


def send_form(request: HttpRequest) -> SendLinkForm | None:
    return SendLinkForm(post_data(request)) if settings.UPPSOK_EMAIL_ENABLED else None


@requires(Cap.ORG_MANAGE_USERS)
def member_invite(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    form = InviteMemberForm(post_data(request))
    mail = send_form(request)
    if request.method == "POST" and form.is_valid() and (mail is None or mail.is_valid()):
        try:
            person, link, token = actions_onboarding.do_invite_member(request.user, org, **form.cleaned_data)  # type: ignore[arg-type]
        except ActionError as exc:
            form.add_error("username", str(exc))
        else:
            return render_issued(request, person, link, token, back_url=reverse("accounts:members"),
                                 send=bool(mail and mail.cleaned_data["send_email"]))
    return render(request, "accounts/member_add.html", {"form": form, "mail_form": mail})


@requires(Cap.ORG_MANAGE_USERS)
@require_POST
@never_cache
def member_reinvite(request: HttpRequest, user_id: Any) -> HttpResponse:
    org = active_organisation(request)
    member = _access_member(request, user_id)
    try:
        link, token = actions_onboarding.do_reissue_invitation(request.user, org, member)  # type: ignore[arg-type]
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:member_edit", user_id=member.pk)
    return render_issued(request, member, link, token, back_url=reverse("accounts:members"), send=False)


@requires(Cap.ORG_MANAGE_USERS)
@require_POST
def member_deactivate(request: HttpRequest, user_id: Any) -> HttpResponse:
    org = active_organisation(request)
    member = _access_member(request, user_id)
    try:
        switched_off = actions_onboarding.do_deactivate_member(request.user, org, member)  # type: ignore[arg-type]
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:member_edit", user_id=member.pk)
    if switched_off:
        messages.success(request, _("%(u)s är avslutad och kontot avstängt. Alla inloggningar har avslutats.")
                         % {"u": member.username})
    else:
        messages.success(request, _("%(u)s är avslutad i organisationen. Kontot finns kvar för personens andra "
                                    "uppdrag.") % {"u": member.username})
    return redirect("accounts:members")


# --- The invited person's first visit ----------------------------------------------------------


@public
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    link = reset_link_for_token(token)
    if link is None or link.kind != AccountResetLink.Kind.INVITATION:
        return render(request, "accounts/reset_link_invalid.html", status=404)
    if request.user.is_authenticated and request.user.pk != link.user_id:
        # Someone else's session in this browser must not carry over into the new account.
        logout(request)
    return accept_invitation(request, link)


def accept_invitation(request: HttpRequest, link: AccountResetLink) -> HttpResponse:
    """Password first, then the authenticator; only after both does the person reach anything. A
    person who set the password and left comes back through the same link and proves the password."""
    person = link.user
    state = request.session.get(INVITATION_SESSION_KEY) or {}
    device = None
    if state.get("link") == str(link.pk):
        device = TOTPDevice.objects.filter(pk=state.get("device"), user=person, confirmed=False).first()
    if device is None:
        choosing = not person.has_usable_password()
        form: Any = NewPasswordForm(person, post_data(request)) if choosing else ProvePasswordForm(post_data(request))
        if request.method == "POST" and form.is_valid():
            if choosing:
                try:
                    actions_onboarding.do_set_invitation_password(link, form.cleaned_data["new_password1"])
                except ActionError:
                    return render(request, "accounts/reset_link_invalid.html", status=404)
                device = _start_enrolment(request, link, person)
            else:
                proved = authenticate(request, username=person.username, password=form.cleaned_data["password"])
                if proved is not None and proved.pk == person.pk:
                    device = _start_enrolment(request, link, person)
                else:
                    form.add_error("password", _("Lösenordet stämmer inte."))
            if device is not None:
                form = TokenForm()
        if device is None:
            return render(request, "accounts/invitation.html", {
                "form": form, "link": link, "person": person, "step": 1, "choosing": choosing,
            })
    else:
        form = TokenForm(post_data(request))
        if request.method == "POST" and form.is_valid() and _code_accepted(
            form, device, actor=None, account=person, where="invitation"
        ):
            return _finish(request, link, device)
    return render(request, "accounts/invitation.html", {
        "form": form, "link": link, "person": person, "step": 2, **_enrolment_context(device),
    })


def _start_enrolment(request: HttpRequest, link: AccountResetLink, person: User) -> TOTPDevice:
    device = actions.do_prepare_authenticator(person)
    # A fresh session key for the browser that now holds the password step's result.
    request.session.cycle_key()
    request.session[INVITATION_SESSION_KEY] = {"link": str(link.pk), "device": device.pk}
    return device


def _finish(request: HttpRequest, link: AccountResetLink, device: TOTPDevice) -> HttpResponse:
    try:
        person = actions_onboarding.do_complete_invitation(link, device)
    except ActionError:
        return render(request, "accounts/reset_link_invalid.html", status=404)
    request.session.pop(INVITATION_SESSION_KEY, None)
    login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    if link.organisation_id:
        request.session[SESSION_ORG_KEY] = str(link.organisation_id)
    messages.success(request, _("Välkommen till Uppsök! Ditt konto är klart."))
    return redirect("core:home")
