"""The Stad för stad steps as guided pages: each part of a step saved as a new version, its
history, two versions side by side, and the step marked done."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict
from uppsok.core.decorators import in_network
from uppsok.core.forms import tell_conflict

from . import actions, forms, queries, steps
from .access import active_network, can_edit, network_scoped
from .models import StepEntry, StepProgress


def _step_or_404(number: int) -> steps.Step:
    found = steps.step(number)
    if found is None:
        raise Http404
    return found


def _part_or_404(step: steps.Step, slug: str) -> steps.Part:
    part = step.part(slug)
    if part is None:
        raise Http404
    return part


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def step_detail(request: HttpRequest, network_id: Any, number: int) -> HttpResponse:
    network = active_network(request)
    step = _step_or_404(number)
    if request.method == "POST":
        done = request.POST.get("done") == "1"
        actions.do_mark_step(request.user, network, number, done=done)  # type: ignore[arg-type]
        messages.success(request, _("Steget är markerat som klart.") if done else _("Steget är öppnat igen."))
        return redirect("network:step", network_id=network.pk, number=number)
    entries = queries.latest_entries(network, number)
    progress = network_scoped(request, StepProgress).filter(step=number).select_related("done_by").first()
    return render(request, "network/step.html", {
        "network": network, "step": step, "steps": steps.STEPS, "progress": progress,
        "parts": [queries.part_view(p, entries.get((number, p.slug))) for p in step.parts],
        "over_time": queries.assessments_over_time(network, number),
        "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_EDIT)
def step_part_edit(request: HttpRequest, network_id: Any, number: int, part: str) -> HttpResponse:
    network = active_network(request)
    step = _step_or_404(number)
    the_part = _part_or_404(step, part)
    current = network_scoped(request, StepEntry).filter(step=number, part=part).order_by("-version").first()
    form_class = forms.step_part_form_class(the_part)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, version=actions.step_part_version(current))
        if form.is_valid():
            try:
                saved = actions.do_save_step_part(request.user, network, number, part,  # type: ignore[arg-type]
                                                  forms.part_data(form), loaded=form.loaded)
            except EditConflict as conflict:
                tell_conflict(request)
                current, status = conflict.current, 409
                form = _step_part_form(form_class, current)
            else:
                if saved is None:
                    messages.info(request, _("Inget hade ändrats, så ingen ny version sparades."))
                else:
                    messages.success(request, _("Version %(v)s är sparad.") % {"v": saved.version})
                return redirect("network:step", network_id=network.pk, number=number)
    else:
        form = _step_part_form(form_class, current)
    return render(request, "network/step_part_edit.html", {
        "network": network, "step": step, "part": the_part, "form": form, "current": current,
    }, status=status)


def _step_part_form(form_class: Any, current: StepEntry | None) -> Any:
    initial = {k: (str(v) if isinstance(v, int) else v) for k, v in (current.data if current else {}).items()}
    return form_class(initial=initial, version=actions.step_part_version(current))


@in_network(Cap.NETWORK_VIEW)
def step_part_history(request: HttpRequest, network_id: Any, number: int, part: str) -> HttpResponse:
    network = active_network(request)
    step = _step_or_404(number)
    the_part = _part_or_404(step, part)
    versions = list(network_scoped(request, StepEntry).filter(step=number, part=part).select_related("saved_by").order_by("-version"))
    by_version = {e.version: e for e in versions}
    comparison = None
    older = newer = None
    if len(versions) >= 2:
        try:
            a = int(request.GET.get("a", versions[1].version))
            b = int(request.GET.get("b", versions[0].version))
        except ValueError:
            a, b = versions[1].version, versions[0].version
        older, newer = by_version.get(min(a, b)), by_version.get(max(a, b))
        if older is not None and newer is not None and older is not newer:
            comparison = queries.compare(the_part, older, newer)
    return render(request, "network/step_history.html", {
        "network": network, "step": step, "part": the_part, "versions": versions,
        "comparison": comparison, "older": older, "newer": newer,
    })
