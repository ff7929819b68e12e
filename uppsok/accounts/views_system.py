"""The platform's own administration: system administrators create organisations and networks and
appoint their first admin and coordinator. These pages show names and who administers what, never
an organisation's records; the middleware keeps system administrators out of every other page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from uppsok.core.decorators import system_admin
from uppsok.core.errors import ActionError
from uppsok.core.forms import post_data

from . import actions_onboarding, queries
from .actions import do_issue_reset_link
from .forms_onboarding import AccountResetForm, CreateNetworkForm, CreateOrganisationForm, PersonForm
from .models import User
from .views_onboarding import render_issued, send_form


@system_admin
def home(request: HttpRequest) -> HttpResponse:
    overview = queries.platform_overview()
    return render(request, "accounts/system_home.html", {
        "organisations": overview.organisations, "networks": overview.networks,
        "system_admins": overview.system_admins,
    })


@system_admin
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = CreateOrganisationForm(post_data(request))
    mail = send_form(request)
    if request.method == "POST" and form.is_valid() and (mail is None or mail.is_valid()):
        try:
            org, admin, link, token = actions_onboarding.do_create_organisation(request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Organisationen %(org)s är skapad.") % {"org": org.name})
            return render_issued(request, admin, link, token, back_url=reverse("accounts:system_home"),
                                 send=bool(mail and mail.cleaned_data["send_email"]))
    return render(request, "accounts/system_form.html", {
        "form": form, "mail_form": mail, "title": _("Ny organisation"),
        "intro": _("Organisationens första administratör får en inbjudningslänk och bjuder sedan själv in sina kollegor."),
    })


@system_admin
def network_create(request: HttpRequest) -> HttpResponse:
    form = CreateNetworkForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            network, person, link, token = actions_onboarding.do_create_network(request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Nätverket %(n)s är skapat.") % {"n": network.name})
            if link is not None:
                return render_issued(request, person, link, token, back_url=reverse("accounts:system_home"),
                                     send=False)
            return redirect("accounts:system_home")
    return render(request, "accounts/system_form.html", {
        "form": form, "title": _("Nytt nätverk"),
        "intro": _("Samordnaren bjuder sedan in organisationerna och nätverksmedlemmar utan organisation."),
    })


@system_admin
def admin_invite(request: HttpRequest) -> HttpResponse:
    form = PersonForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            person, link, token = actions_onboarding.do_invite_system_admin(request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ActionError as exc:
            form.add_error("username", str(exc))
        else:
            return render_issued(request, person, link, token, back_url=reverse("accounts:system_home"), send=False)
    return render(request, "accounts/system_form.html", {
        "form": form, "title": _("Ny systemadministratör"),
        "intro": _("Systemadministratörer skapar organisationer och nätverk men ser aldrig någon organisations uppgifter."),
    })


@system_admin
@never_cache
def account_reset(request: HttpRequest) -> HttpResponse:
    form = AccountResetForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(username__iexact=form.cleaned_data["username"], is_system_admin=False).first()
        if person is None:
            form.add_error("username", _("Ingen sådan användare."))
        else:
            try:
                link, token = do_issue_reset_link(request.user, None, person, form.cleaned_data["kind"])  # type: ignore[arg-type]
            except ActionError as exc:
                form.add_error(None, str(exc))
            else:
                url = request.build_absolute_uri(reverse("accounts:reset_link", kwargs={"token": token}))
                return render(request, "accounts/reset_link_issued.html", {
                    "member": person, "link": link, "url": url, "back_url": reverse("accounts:system_home"),
                })
    return render(request, "accounts/system_form.html", {
        "form": form, "title": _("Återställ ett konto"), "submit": _("Skapa länk"),
        "intro": _("För den som ingen enskild organisation kan återställa: personer i flera organisationer, "
                   "med en roll i ett nätverk, eller en organisations enda administratör. Länken ger aldrig dig "
                   "tillgång till kontot: personen bekräftar med sitt lösenord eller sin app. Personen får veta "
                   "om återställningen vid nästa inloggning."),
    })
