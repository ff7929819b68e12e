"""The collaboration plan (step 6): sub-goals with yearly numeric targets and activities per year,
and the annual follow-up of targets against outcomes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict
from uppsok.core.decorators import in_network
from uppsok.core.forms import post_data, tell_conflict

from . import actions_plan as actions
from . import forms, queries
from .access import access_network_object, active_network, can_edit
from .actions import ActionError
from .models import PlanActivity, SubGoal, YearlyTarget


def _back(goal_or_network: Any) -> HttpResponse:
    network_id = getattr(goal_or_network, "network_id", None) or goal_or_network.pk
    return redirect("network:plan", network_id=network_id)


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def plan(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = forms.SubGoalForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        actions.do_add_sub_goal(request.user, network, form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Delmålet är tillagt."))
        return _back(network)
    year = timezone.localdate().year
    return render(request, "network/plan.html", {
        "network": network, "goals": queries.plan(network), "form": form, "year": year,
        "progress": queries.plan_progress(network, year),
        "target_form": forms.TargetForm(initial={"year": year}, measure_choices=queries.stats_measure_choices(network)), "activity_form": forms.ActivityForm(initial={"year": year}),
        "review_form": forms.ReviewForm(initial={"year": year}),
        "statuses": PlanActivity.Status.choices, "can_edit": can_edit(request),
    })


def _refused(request: HttpRequest, form: Any) -> None:
    errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    messages.error(request, _("Inget sparades: %(e)s") % {"e": errors})


@in_network(Cap.NETWORK_EDIT)
@require_POST
def target_set(request: HttpRequest, network_id: Any, sub_goal_id: Any) -> HttpResponse:
    goal = access_network_object(request, SubGoal, sub_goal_id)
    form = forms.TargetForm(request.POST, measure_choices=queries.stats_measure_choices(goal.network))
    if form.is_valid():
        try:
            actions.do_set_target(request.user, goal, form.cleaned_data)  # type: ignore[arg-type]
        except ActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Målet är sparat."))
    else:
        _refused(request, form)
    return _back(goal)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def activity_add(request: HttpRequest, network_id: Any, sub_goal_id: Any) -> HttpResponse:
    goal = access_network_object(request, SubGoal, sub_goal_id)
    form = forms.ActivityForm(request.POST)
    if form.is_valid():
        actions.do_add_activity(request.user, goal, form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Aktiviteten är tillagd."))
    else:
        _refused(request, form)
    return _back(goal)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def activity_status(request: HttpRequest, network_id: Any, activity_id: Any) -> HttpResponse:
    activity = access_network_object(request, PlanActivity, activity_id)
    try:
        actions.do_set_activity_status(request.user, activity, request.POST.get("status", ""))  # type: ignore[arg-type]
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Aktivitetens status är sparad."))
    return _back(activity)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def outcome_record(request: HttpRequest, network_id: Any, target_id: Any) -> HttpResponse:
    target = access_network_object(request, YearlyTarget, target_id)
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_outcome(request.user, target, form.cleaned_data["outcome"],  # type: ignore[arg-type]
                                      form.cleaned_data["comment"], loaded=form.loaded)
        except EditConflict:
            # the plan page shows the outcome as it is now
            tell_conflict(request)
        else:
            messages.success(request, _("Utfallet är sparat."))
    else:
        _refused(request, form)
    return _back(target)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def review_save(request: HttpRequest, network_id: Any, sub_goal_id: Any) -> HttpResponse:
    goal = access_network_object(request, SubGoal, sub_goal_id)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        actions.do_save_review(request.user, goal, d["year"], d["summary"], d["needs_next_year"])  # type: ignore[arg-type]
        messages.success(request, _("Årsuppföljningen är sparad."))
    else:
        _refused(request, form)
    return _back(goal)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def plan_from_example(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    try:
        n = actions.do_start_plan_from_example(request.user, network, timezone.localdate().year)  # type: ignore[arg-type]
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Helsingborgs plan finns nu som er utgångspunkt: %(n)s delmål. Ändra den till er egen.") % {"n": n})
    return _back(network)
