"""The auditor's read-only view of the organisation's audit trail."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uppsok.core.access import active_organisation
from uppsok.core.capabilities import Cap
from uppsok.core.decorators import requires
from uppsok.core.exports import csv_response, safe_csv_cell

from .log import record
from .models import AuditAction, AuditEvent

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Händelse"), choices=[("", _("Alla"))] + list(AuditAction.choices), required=False
    )
    actor = forms.CharField(label=_("Användare"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Objekttyp"), required=False, max_length=64)
    date_from = forms.DateField(label=_("Från och med"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Till och med"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _filtered(request: HttpRequest, form: AuditFilterForm):  # type: ignore[no-untyped-def]
    # Audit rows carry plain ids, so scoping is by organisation_id rather than through scoped().
    events = AuditEvent.objects.filter(organisation_id=active_organisation(request).pk)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["actor"]:
            events = events.filter(actor_username__iexact=data["actor"])
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            events = events.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
        if data["date_to"]:
            events = events.filter(at__lte=datetime.combine(data["date_to"], time.max, tzinfo=tz))
    return events


@requires(Cap.AUDIT_VIEW)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    page = Paginator(_filtered(request, form), PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()})


@requires(Cap.AUDIT_VIEW)
def audit_export(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    org = active_organisation(request)
    response, writer = csv_response("granskningslogg.csv")
    writer.writerow(["tid", "användare", "händelse", "objekttyp", "objekt-id", "detalj"])
    for e in _filtered(request, form).iterator(chunk_size=2000):
        writer.writerow(
            [safe_csv_cell(v) for v in (e.at.isoformat(), e.actor_username, e.action, e.object_type, e.object_id, e.detail)]
        )
    record(request.user, AuditAction.EXPORT, organisation=org, object_type="audit.auditevent", detail="csv")
    return response
