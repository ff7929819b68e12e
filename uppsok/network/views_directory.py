"""The directory: the shipped national entries (support organisations, clinics, regional
coordinators, police regions, national lines) and each network's local ones; searchable,
filterable, printable and as PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict
from uppsok.core.decorators import authenticated, in_network
from uppsok.core.forms import post_data, tell_conflict

from . import actions as network_actions
from . import actions_material as actions
from . import documents, forms
from .access import access_network_object, active_network, can_edit, directory_of, national_directory
from .models import DirectoryEntry


def _filtered(request: HttpRequest, entries: QuerySet[DirectoryEntry]) -> tuple[QuerySet[DirectoryEntry], forms.DirectoryFilterForm]:
    form = forms.DirectoryFilterForm(request.GET)
    f = form.cleaned_data if form.is_valid() else {}
    q, kind, area = (f.get("q") or "").strip(), f.get("kind") or "", (f.get("area") or "").strip()
    if q:
        entries = entries.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(area__icontains=q) | Q(phone__icontains=q))
    if kind:
        entries = entries.filter(kind=kind)
    if area:
        entries = entries.filter(area__icontains=area)
    return entries.order_by("kind", "name"), form


@authenticated()
def national(request: HttpRequest) -> HttpResponse:
    entries, filters = _filtered(request, national_directory())
    return render(request, "network/directory.html", {"entries": entries, "filters": filters, "network": None})


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def directory(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = forms.DirectoryEntryForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        actions.do_add_directory_entry(request.user, network, form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Uppgiften finns nu i nätverkets katalog."))
        return redirect("network:directory", network_id=network.pk)
    entries, filters = _filtered(request, directory_of(request))
    return render(request, "network/directory.html", {
        "entries": entries, "filters": filters, "network": network, "form": form,
        "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_VIEW)
def directory_pdf(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    entries, _filters = _filtered(request, directory_of(request))
    response = HttpResponse(documents.directory_pdf(network, list(entries)), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="katalog.pdf"'
    return response


@in_network(Cap.NETWORK_EDIT)
def directory_entry_edit(request: HttpRequest, network_id: Any, entry_id: Any) -> HttpResponse:
    # only the network's own entries: a shipped entry (no network) is 404 here
    entry = access_network_object(request, DirectoryEntry, entry_id)
    form = forms.DirectoryEntryForm(post_data(request), instance=entry)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_directory_entry(request.user, entry, form.cleaned_data,  # type: ignore[arg-type]
                                              loaded=form.loaded)
        except EditConflict as conflict:
            tell_conflict(request)
            form, status = forms.DirectoryEntryForm(instance=conflict.current), 409
        else:
            messages.success(request, _("Uppgiften är sparad."))
            return redirect("network:directory", network_id=entry.network_id)
    return render(request, "network/directory_entry_edit.html", {"network": active_network(request), "entry": entry,
                                                                  "form": form}, status=status)


@in_network(Cap.NETWORK_EDIT)
@require_POST
def directory_entry_delete(request: HttpRequest, network_id: Any, entry_id: Any) -> HttpResponse:
    entry = access_network_object(request, DirectoryEntry, entry_id)
    network_actions.do_remove(request.user, entry)  # type: ignore[arg-type]
    messages.success(request, _("Uppgiften är borttagen."))
    return redirect("network:directory", network_id=entry.network_id)
