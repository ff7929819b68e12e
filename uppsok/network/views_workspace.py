"""The network's workspace: overview, member organisations, core group and settings; and, on the
organisation's side, its admin's answers to invitations and leaving a network."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsok.accounts.models import Organisation
from uppsok.core.access import access_object, active_organisation, scoped
from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict
from uppsok.core.decorators import authenticated, in_network, requires
from uppsok.core.forms import post_data, tell_conflict

from . import actions, forms, queries
from .access import access_network_object, active_network, can_edit, network_scoped, networks_of
from .models import CoreGroupMember, Network, NetworkInvitation, NetworkMembership


@authenticated()
def network_list(request: HttpRequest) -> HttpResponse:
    networks = list(networks_of(request.user, request.organisation))  # type: ignore[attr-defined]
    if len(networks) == 1 and not request.GET.get("alla"):
        return redirect("network:overview", network_id=networks[0].pk)
    return render(request, "network/list.html", {"networks": networks})


@in_network(Cap.NETWORK_VIEW)
def overview(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    return render(request, "network/overview.html", {
        "o": queries.overview(network), "network": network, "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def members(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    current = queries.member_organisations(network)
    form = forms.InviteForm(post_data(request))
    form.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=[o.pk for o in current]).order_by("name")
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_invite_organisation(
                request.user, network, form.cleaned_data["organisation"], form.cleaned_data["message"]  # type: ignore[arg-type]
            )
        except actions.ActionError as exc:
            form.add_error("organisation", str(exc))
        else:
            messages.success(request, _("Inbjudan är skickad. Organisationens administratör svarar i Uppsök."))
            return redirect("network:members", network_id=network.pk)
    invitations = network_scoped(request, NetworkInvitation).select_related("organisation", "invited_by")[:50]
    return render(request, "network/members.html", {
        "network": network, "members": current, "form": form, "invitations": invitations, "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_EDIT)
@require_POST
def invitation_withdraw(request: HttpRequest, network_id: Any, invitation_id: Any) -> HttpResponse:
    invitation = access_network_object(request, NetworkInvitation, invitation_id)
    try:
        actions.do_withdraw_invitation(request.user, invitation)  # type: ignore[arg-type]
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Inbjudan är återkallad."))
    return redirect("network:members", network_id=invitation.network_id)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def member_remove(request: HttpRequest, network_id: Any, organisation_id: Any) -> HttpResponse:
    membership = network_scoped(request, NetworkMembership).filter(organisation_id=organisation_id).first()
    if membership is None:
        raise Http404
    actions.do_leave_network(request.user, membership)  # type: ignore[arg-type]
    messages.success(request, _("Organisationen är inte längre medlem i nätverket."))
    return redirect("network:members", network_id=membership.network_id)


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def core_group(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = forms.CoreMemberForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        actions.do_add_core_member(request.user, network, form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("%(name)s finns nu i kärngruppen.") % {"name": form.cleaned_data["name"]})
        return redirect("network:core_group", network_id=network.pk)
    people = list(network_scoped(request, CoreGroupMember))
    return render(request, "network/core_group.html", {
        "network": network, "people": people, "warnings": queries.core_group_warnings(people), "form": form,
        "criteria": forms.steps.CORE_CRITERIA, "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_EDIT)
def core_member_edit(request: HttpRequest, network_id: Any, core_member_id: Any) -> HttpResponse:
    member = access_network_object(request, CoreGroupMember, core_member_id)
    form = forms.CoreMemberForm(post_data(request), instance=member)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_core_member(request.user, member, form.cleaned_data,  # type: ignore[arg-type]
                                          loaded=form.loaded)
        except EditConflict as conflict:
            tell_conflict(request)
            form, status = forms.CoreMemberForm(instance=conflict.current), 409
        else:
            messages.success(request, _("Uppgifterna är sparade."))
            return redirect("network:core_group", network_id=member.network_id)
    return render(request, "network/core_member_edit.html", {"network": active_network(request), "member": member,
                                                              "form": form}, status=status)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def core_member_delete(request: HttpRequest, network_id: Any, core_member_id: Any) -> HttpResponse:
    member = access_network_object(request, CoreGroupMember, core_member_id)
    actions.do_remove(request.user, member)  # type: ignore[arg-type]
    messages.success(request, _("Personen är borttagen ur kärngruppen."))
    return redirect("network:core_group", network_id=member.network_id)


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def settings_page(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = forms.NetworkSettingsForm(post_data(request), instance=Network.objects.get(pk=network.pk))
    status = 200
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions.do_update_network(request.user, network, changes, loaded=form.loaded)  # type: ignore[arg-type]
        except EditConflict as conflict:
            tell_conflict(request)
            form, status = forms.NetworkSettingsForm(instance=conflict.current), 409
        else:
            messages.success(request, _("Nätverkets uppgifter är sparade."))
            return redirect("network:settings", network_id=network.pk)
    return render(request, "network/settings.html", {"network": network, "form": form, "can_edit": can_edit(request)},
                  status=status)


# --- The organisation's side: its admin answers invitations and may leave a network ------------


@requires(Cap.ORG_SETTINGS)
def org_networks(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    invitations = scoped(request, NetworkInvitation).filter(
        status=NetworkInvitation.Status.PENDING
    ).select_related("network", "invited_by")
    joined = Network.objects.filter(networkmembership__organisation=org).order_by("name")
    return render(request, "network/org_networks.html", {"invitations": invitations, "joined": joined})


@requires(Cap.ORG_SETTINGS)
@require_POST
def org_invitation_answer(request: HttpRequest, invitation_id: Any) -> HttpResponse:
    invitation = access_object(request, NetworkInvitation, invitation_id)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Välj att tacka ja eller nej. / Choose accept or decline."))
        return redirect("network:org_networks")
    try:
        actions.do_answer_invitation(request.user, invitation, accept=answer == "accept")  # type: ignore[arg-type]
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Svaret är sparat."))
    return redirect("network:org_networks")


@requires(Cap.ORG_SETTINGS)
@require_POST
def org_leave(request: HttpRequest, network_id: Any) -> HttpResponse:
    membership = scoped(request, NetworkMembership).filter(network_id=network_id).first()
    if membership is None:
        raise Http404
    actions.do_leave_network(request.user, membership)  # type: ignore[arg-type]
    messages.success(request, _("Organisationen har lämnat nätverket."))
    return redirect("network:org_networks")

