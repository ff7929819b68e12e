"""Network meetings: booking, agenda, participants, minutes, decisions and follow-ups; the minutes
as PDF and each meeting as a calendar file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict
from uppsok.core.decorators import in_network
from uppsok.core.forms import post_data, tell_conflict

from . import actions_meetings as actions
from . import documents, forms, queries
from .access import access_network_object, active_network, can_edit
from .actions import ActionError
from .models import FollowUp, Meeting


def _meeting_form(request: HttpRequest | None, network: Any, initial: dict[str, Any] | None = None,
                  meeting: Meeting | None = None) -> forms.MeetingForm:
    form = forms.MeetingForm(post_data(request) if request else None, initial=initial, loaded_from=meeting)
    form.fields["participant_organisations"].queryset = network.organisations.order_by("name")
    return form


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def meeting_list(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = _meeting_form(request, network)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.do_book_meeting(request.user, network, form.cleaned_data)  # type: ignore[arg-type]
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Mötet är bokat."))
            return redirect("network:meeting", network_id=network.pk, meeting_id=meeting.pk)
    return render(request, "network/meetings.html", {
        "network": network, "m": queries.meetings(network), "form": form, "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_VIEW)
def meeting_detail(request: HttpRequest, network_id: Any, meeting_id: Any) -> HttpResponse:
    network = active_network(request)
    meeting = access_network_object(request, Meeting, meeting_id)
    follow_up_form = forms.FollowUpForm()
    follow_up_form.fields["responsible_organisation"].queryset = network.organisations.order_by("name")
    return render(request, "network/meeting.html", {
        "network": network, "meeting": meeting,
        "participants": list(meeting.participant_organisations.order_by("name")),
        "decisions": list(meeting.decisions.all()),
        "follow_ups": list(meeting.follow_ups.select_related("responsible_organisation", "done_by")),
        "decision_form": forms.DecisionForm(), "follow_up_form": follow_up_form, "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_EDIT)
def meeting_edit(request: HttpRequest, network_id: Any, meeting_id: Any) -> HttpResponse:
    network = active_network(request)
    meeting = access_network_object(request, Meeting, meeting_id)
    form = _meeting_form(request, network, _meeting_initial(meeting), meeting)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_meeting(request.user, meeting, form.cleaned_data, loaded=form.loaded)  # type: ignore[arg-type]
        except EditConflict as conflict:
            tell_conflict(request)
            form, status = _meeting_form(None, network, _meeting_initial(conflict.current), conflict.current), 409
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Mötet är sparat."))
            return redirect("network:meeting", network_id=network.pk, meeting_id=meeting.pk)
    return render(request, "network/meeting_edit.html", {"network": network, "meeting": meeting, "form": form},
                  status=status)


def _meeting_initial(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "place": meeting.place,
        "agenda": meeting.agenda, "minutes": meeting.minutes, "other_participants": meeting.other_participants,
        "participant_organisations": list(meeting.participant_organisations.all()),
    }


@in_network(Cap.NETWORK_EDIT)
@require_POST
def meeting_decision_add(request: HttpRequest, network_id: Any, meeting_id: Any) -> HttpResponse:
    meeting = access_network_object(request, Meeting, meeting_id)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        actions.do_add_decision(request.user, meeting, form.cleaned_data["text"])  # type: ignore[arg-type]
        messages.success(request, _("Beslutet är sparat."))
    else:
        messages.error(request, _("Skriv beslutet innan du sparar."))
    return redirect("network:meeting", network_id=meeting.network_id, meeting_id=meeting.pk)


@in_network(Cap.NETWORK_EDIT)
def meeting_follow_up_add(request: HttpRequest, network_id: Any, meeting_id: Any) -> HttpResponse:
    network = active_network(request)
    meeting = access_network_object(request, Meeting, meeting_id)
    form = forms.FollowUpForm(post_data(request))
    form.fields["responsible_organisation"].queryset = network.organisations.order_by("name")
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_follow_up(request.user, network, meeting, form.cleaned_data)  # type: ignore[arg-type]
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Uppföljningen är sparad och syns för den ansvariga."))
            return redirect("network:meeting", network_id=network.pk, meeting_id=meeting.pk)
    return render(request, "network/follow_up_form.html", {"network": network, "meeting": meeting, "form": form})


@in_network(Cap.NETWORK_EDIT)
@require_POST
def follow_up_mark(request: HttpRequest, network_id: Any, follow_up_id: Any) -> HttpResponse:
    follow_up = access_network_object(request, FollowUp, follow_up_id)
    done = request.POST.get("done") == "1"
    actions.do_mark_follow_up(request.user, follow_up, done=done)  # type: ignore[arg-type]
    messages.success(request, _("Uppföljningen är markerad som klar.") if done else _("Uppföljningen är öppnad igen."))
    if follow_up.meeting_id:
        return redirect("network:meeting", network_id=follow_up.network_id, meeting_id=follow_up.meeting_id)
    return redirect("network:meetings", network_id=follow_up.network_id)


@in_network(Cap.NETWORK_VIEW)
def meeting_pdf(request: HttpRequest, network_id: Any, meeting_id: Any) -> HttpResponse:
    meeting = access_network_object(request, Meeting, meeting_id)
    response = HttpResponse(documents.minutes_pdf(active_network(request), meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minnesanteckningar-{meeting.starts_at:%Y-%m-%d}.pdf"'
    return response


@in_network(Cap.NETWORK_VIEW)
def meeting_ics(request: HttpRequest, network_id: Any, meeting_id: Any) -> HttpResponse:
    meeting = access_network_object(request, Meeting, meeting_id)
    response = HttpResponse(documents.meeting_ics(active_network(request), meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.starts_at:%Y-%m-%d}.ics"'
    return response
