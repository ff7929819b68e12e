"""A network's routines for individual cases (step 7 of the process): the coordinator writes them,
members read them, and member organisations' case workers follow them in their cases. They hold
no personal data and are read through the network access layer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict
from uppsok.core.decorators import authenticated, in_network
from uppsok.core.forms import post_data, tell_conflict
from uppsok.network.access import (
    access_network_object,
    active_network,
    can_edit,
    coordinated_networks,
    network_scoped,
)
from uppsok.network.models import Network

from . import actions, forms
from .models import RoutineTemplate


@authenticated()
def routine_manage(request: HttpRequest) -> HttpResponse:
    """The networks the person coordinates, each with the way to its routines."""
    return render(request, "cases/routine_manage.html", {"networks": coordinated_networks(request.user)})


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def network_routines(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    if request.method == "POST":
        actions.do_seed_routines(request.user, network)  # type: ignore[arg-type]
        messages.success(request, _("Exempelrutinerna finns nu i %(n)s.") % {"n": network.name})
        return redirect("cases:network_routines", network_id=network.pk)
    return render(request, "cases/network_routines.html", {
        "network": network,
        "routines": network_scoped(request, RoutineTemplate).prefetch_related("steps").order_by("name"),
        "can_edit": can_edit(request),
    })


def _routine_forms(data: Any, routine: RoutineTemplate | None) -> tuple[Any, Any]:
    initial = {"name": routine.name, "goal": routine.goal, "is_active": routine.is_active} if routine else None
    steps_initial = [
        {"title": s.title, "actor": s.actor, "how_to_reach": s.how_to_reach, "when": s.when, "due_days": s.due_days}
        for s in (routine.steps.all() if routine else [])
    ]
    version = actions.routine_version(routine) if routine else ""
    return (forms.RoutineForm(data, initial=initial, version=version),
            forms.RoutineStepFormSet(data, initial=steps_initial, prefix="steg"))


def _routine_form(request: HttpRequest, network: Network, routine: RoutineTemplate | None) -> HttpResponse:
    form, formset = _routine_forms(post_data(request), routine)
    status = 200
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = actions.do_save_routine(
                request.user, network, routine, form.cleaned_data,  # type: ignore[arg-type]
                [f.cleaned_data for f in formset.forms if f.cleaned_data], loaded=form.loaded,
            )
        except EditConflict as conflict:
            tell_conflict(request)
            form, formset = _routine_forms(None, conflict.current)
            status = 409
        except actions.ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rutinen %(n)s är sparad.") % {"n": saved.name})
            return redirect("cases:network_routines", network_id=network.pk)
    return render(request, "cases/routine_edit.html", {
        "form": form, "formset": formset, "network": network, "routine": routine,
    }, status=status)


@in_network(Cap.NETWORK_EDIT)
def routine_create(request: HttpRequest, network_id: Any) -> HttpResponse:
    return _routine_form(request, active_network(request), None)


@in_network(Cap.NETWORK_EDIT)
def routine_edit(request: HttpRequest, network_id: Any, routine_id: Any) -> HttpResponse:
    routine = access_network_object(request, RoutineTemplate, routine_id)
    return _routine_form(request, active_network(request), routine)
