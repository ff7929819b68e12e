"""The case worker's start-page panel: my cases, overdue routine steps, re-contact, meetings, and
recent changes to the network's routines."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone

from uppsok.cases.access import incoming_referrals
from uppsok.cases.models import (
    Case,
    CaseRoutineStep,
    CaseStatus,
    Referral,
    ReferralStatus,
    RoutineChangeNotice,
    StepStatus,
)
from uppsok.core.access import scoped
from uppsok.core.capabilities import Cap

register = template.Library()

PANEL_LIMIT = 10
# How long a change to a network routine stays on the members' start page.
ROUTINE_NOTICE_DAYS = 30


@register.inclusion_tag("cases/_home_panel_body.html", takes_context=True)
def cases_home_panel(context: Any) -> dict[str, Any]:
    request = context.get("request")
    caps = getattr(request, "capabilities", frozenset())
    if request is None or getattr(request, "organisation", None) is None or Cap.CASES_VIEW not in caps:
        return {"show": False}
    today = timezone.localdate()
    now = timezone.now()
    mine = scoped(request, Case).filter(case_worker=request.user, status=CaseStatus.OPEN)
    my_cases = mine.select_related("person", "case_type").only(
        "id", "opened_on", "next_meeting_at", "person__alias", "case_type__name"
    ).order_by("-opened_on")
    overdue = (
        scoped(request, CaseRoutineStep)
        .filter(
            status=StepStatus.TODO, due_on__lt=today, case__case_worker=request.user, case__status=CaseStatus.OPEN
        )
        .select_related("case__person")
        .only("id", "title", "due_on", "case__id", "case__person__alias")
        .order_by("due_on")
    )
    recontact = mine.filter(recontact_on__lte=today + datetime.timedelta(days=7)).select_related("person").only(
        "id", "recontact_on", "person__alias"
    ).order_by("recontact_on")
    meetings = mine.filter(
        next_meeting_at__gte=now, next_meeting_at__lte=now + datetime.timedelta(days=14)
    ).select_related("person").only("id", "next_meeting_at", "person__alias").order_by("next_meeting_at")
    responses = (
        scoped(request, Referral)
        .filter(created_by=request.user, responded_at__gte=now - datetime.timedelta(days=14))
        .select_related("to_organisation")
        .only("id", "status", "responded_at", "to_organisation__name")
        .order_by("-responded_at")
    )
    return {
        "show": True,
        "responses": list(responses[:PANEL_LIMIT]),
        "today": today,
        "my_cases": list(my_cases[:PANEL_LIMIT]),
        "my_case_count": mine.count(),
        "overdue": list(overdue[:PANEL_LIMIT]),
        "recontact": list(recontact[:PANEL_LIMIT]),
        "meetings": list(meetings[:PANEL_LIMIT]),
        "incoming_pending": incoming_referrals(request).filter(status=ReferralStatus.PENDING).count(),
    }


@register.simple_tag(takes_context=True)
def is_network_coordinator(context: Any) -> bool:
    from uppsok.network.models import NetworkRole

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return NetworkRole.objects.active().filter(user=user, role=NetworkRole.Role.COORDINATOR).exists()


@register.inclusion_tag("cases/_routine_notices.html", takes_context=True)
def routine_change_notices(context: Any) -> dict[str, Any]:
    """Recent routine changes in the networks the active organisation belongs to (no personal data)."""
    request = context.get("request")
    org = getattr(request, "organisation", None) if request is not None else None
    if org is None:
        return {"notices": []}
    since = timezone.now() - datetime.timedelta(days=ROUTINE_NOTICE_DAYS)
    notices = (
        RoutineChangeNotice.objects.filter(network__in=org.networks.all(), changed_at__gte=since)
        .select_related("routine", "network", "changed_by")
        .order_by("-changed_at")
    )
    return {
        "notices": list(notices[:PANEL_LIMIT]),
        "can_view_routines": Cap.CASES_VIEW in getattr(request, "capabilities", frozenset()),
    }
