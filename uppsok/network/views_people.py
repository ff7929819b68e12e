"""The people who hold a role in the network: coordinators and network-only members (someone whose
organisation does not use Uppsök, e.g. a hotel or a police contact), invited by the coordinator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from uppsok.accounts import actions_onboarding
from uppsok.accounts.forms_onboarding import InviteNetworkPersonForm
from uppsok.accounts.views_onboarding import render_issued, send_form
from uppsok.core.capabilities import Cap
from uppsok.core.decorators import in_network
from uppsok.core.errors import ActionError
from uppsok.core.forms import post_data

from .access import active_network, can_edit, network_scoped
from .models import NetworkRole


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def people(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = InviteNetworkPersonForm(post_data(request))
    mail = send_form(request)
    if request.method == "POST" and form.is_valid() and (mail is None or mail.is_valid()):
        try:
            person, link, token = actions_onboarding.do_invite_network_person(
                request.user, network, role=NetworkRole.Role.MEMBER, **form.cleaned_data  # type: ignore[arg-type]
            )
        except ActionError as exc:
            form.add_error("username", str(exc))
        else:
            return render_issued(request, person, link, token,
                                 back_url=reverse("network:people", kwargs={"network_id": network.pk}),
                                 send=bool(mail and mail.cleaned_data["send_email"]))
    roles = network_scoped(request, NetworkRole).filter(is_active=True, user__is_active=True).select_related("user")
    rows = [(r, actions_onboarding.has_accepted(r.user)) for r in roles.order_by("role", "user__username")]
    return render(request, "network/people.html", {
        "network": network, "rows": rows, "form": form, "mail_form": mail, "can_edit": can_edit(request),
    })


def _role(request: HttpRequest, role_id: Any) -> NetworkRole:
    role = network_scoped(request, NetworkRole).filter(pk=role_id, is_active=True).select_related("user").first()
    if role is None:
        raise Http404
    return role


@in_network(Cap.NETWORK_EDIT)
@require_POST
@never_cache
def person_reinvite(request: HttpRequest, network_id: Any, role_id: int) -> HttpResponse:
    network = active_network(request)
    role = _role(request, role_id)
    try:
        link, token = actions_onboarding.do_reissue_network_invitation(request.user, network, role.user)  # type: ignore[arg-type]
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("network:people", network_id=network.pk)
    return render_issued(request, role.user, link, token,
                         back_url=reverse("network:people", kwargs={"network_id": network.pk}), send=False)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def person_end(request: HttpRequest, network_id: Any, role_id: int) -> HttpResponse:
    role = _role(request, role_id)
    try:
        switched_off = actions_onboarding.do_end_network_person(request.user, role)  # type: ignore[arg-type]
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(u)s har inte längre någon roll i nätverket.") % {"u": role.user})
        if switched_off:
            messages.info(request, _("Personen hade inga andra uppdrag i Uppsök; kontot är avstängt."))
    return redirect("network:people", network_id=role.network_id)
