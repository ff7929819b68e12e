"""The stakeholder analysis (step 3) with its influence × support chart, and the knowledge bank
(step 4): links and files the network shares, searchable."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict
from uppsok.core.decorators import in_network
from uppsok.core.errors import DiskFull
from uppsok.core.forms import post_data, post_files, tell_conflict

from . import actions as network_actions
from . import actions_material as actions
from . import forms
from .access import access_network_object, active_network, can_edit, network_scoped
from .models import Resource, Stakeholder


def _chart(rows: list[Stakeholder]) -> list[dict[str, Any]]:
    """Where each actor sits on the influence × support grid (SVG coordinates, 5 × 5 cells of 60)."""
    taken: dict[tuple[int, int], int] = {}
    points = []
    for r in rows:
        k = taken.get((r.support, r.influence), 0)
        taken[(r.support, r.influence)] = k + 1
        points.append({"row": r, "x": 40 + (r.support - 1) * 60 + 12 + (k % 3) * 16,
                       "y": 20 + (5 - r.influence) * 60 + 14 + (k // 3) * 16, "n": len(points) + 1})
    return points


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def stakeholders(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = forms.StakeholderForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        actions.do_add_stakeholder(request.user, network, form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Aktören är tillagd i analysen."))
        return redirect("network:stakeholders", network_id=network.pk)
    rows = list(network_scoped(request, Stakeholder))
    return render(request, "network/stakeholders.html", {
        "network": network, "rows": rows, "points": _chart(rows), "form": form, "grid": range(5),
        "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_EDIT)
def stakeholder_edit(request: HttpRequest, network_id: Any, stakeholder_id: Any) -> HttpResponse:
    row = access_network_object(request, Stakeholder, stakeholder_id)
    form = forms.StakeholderForm(post_data(request), instance=row)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_stakeholder(request.user, row, form.cleaned_data, loaded=form.loaded)  # type: ignore[arg-type]
        except EditConflict as conflict:
            tell_conflict(request)
            form, status = forms.StakeholderForm(instance=conflict.current), 409
        else:
            messages.success(request, _("Uppgifterna är sparade."))
            return redirect("network:stakeholders", network_id=row.network_id)
    return render(request, "network/stakeholder_edit.html", {"network": active_network(request), "row": row,
                                                              "form": form}, status=status)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def stakeholder_delete(request: HttpRequest, network_id: Any, stakeholder_id: Any) -> HttpResponse:
    row = access_network_object(request, Stakeholder, stakeholder_id)
    network_actions.do_remove(request.user, row)  # type: ignore[arg-type]
    messages.success(request, _("Aktören är borttagen ur analysen."))
    return redirect("network:stakeholders", network_id=row.network_id)


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def knowledge_bank(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = forms.ResourceForm(post_data(request), post_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_resource(request.user, network, form.cleaned_data)  # type: ignore[arg-type]
        except DiskFull as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("Resursen finns nu i kunskapsbanken."))
            return redirect("network:knowledge_bank", network_id=network.pk)
    filters = forms.ResourceFilterForm(request.GET)
    f = filters.cleaned_data if filters.is_valid() else {}
    q, category = (f.get("q") or "").strip(), f.get("category") or ""
    rows = network_scoped(request, Resource).select_related("added_by")
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(focus__icontains=q))
    if category:
        rows = rows.filter(category=category)
    return render(request, "network/knowledge_bank.html", {
        "network": network, "rows": rows[:200], "form": form, "filters": filters,
        "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_VIEW)
def resource_file(request: HttpRequest, network_id: Any, resource_id: Any) -> HttpResponse:
    row = access_network_object(request, Resource, resource_id)
    if not row.file:
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (a restore without media)
        raise Http404 from exc
    # always a download: a shared file is never rendered inside the app's origin
    return FileResponse(handle, as_attachment=True, filename=row.file_name or "fil")


@in_network(Cap.NETWORK_EDIT)
@require_POST
def resource_delete(request: HttpRequest, network_id: Any, resource_id: Any) -> HttpResponse:
    row = access_network_object(request, Resource, resource_id)
    actions.do_remove_resource(request.user, row)  # type: ignore[arg-type]
    messages.success(request, _("Resursen är borttagen."))
    return redirect("network:knowledge_bank", network_id=row.network_id)
