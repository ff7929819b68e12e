"""Read-models of the network's pages: what each page shows, read in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from uppsok.accounts.models import Organisation
from uppsok.core.changes import row_version

from . import steps
from .models import (
    CoreGroupMember,
    Network,
    NetworkInvitation,
    NetworkMembership,
    NetworkRole,
    StepEntry,
    StepProgress,
)


@dataclass
class StepRow:
    step: steps.Step
    done_at: Any = None
    done_by: Any = None
    saved_parts: int = 0


@dataclass
class Overview:
    network: Network
    members: list[Organisation]
    coordinators: list[Any]
    core_group: list[CoreGroupMember]
    core_warnings: list[str]
    steps: list[StepRow]
    pending_invitations: list[NetworkInvitation]
    readiness_total: int | None = None
    readiness_verdict: str = ""
    next_step: StepRow | None = None
    network_only_members: list[Any] = field(default_factory=list)
    next_meeting: Any = None
    meeting_warning: str = ""
    open_follow_ups: list[Any] = field(default_factory=list)
    plan_progress: dict[str, int] = field(default_factory=dict)
    year: int = 0


def member_organisations(network: Network) -> list[Organisation]:
    ids = NetworkMembership.objects.filter(network=network).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def core_group_warnings(members: list[CoreGroupMember]) -> list[str]:
    """What the handbook asks of a core group that this one lacks: 4–8 people, from different
    organisations, social services and the local police among them."""
    warnings = []
    n = len(members)
    if n < steps.CORE_GROUP_MIN:
        warnings.append(_("Kärngruppen har %(n)s personer; handboken rekommenderar 4–8.") % {"n": n})
    elif n > steps.CORE_GROUP_MAX:
        warnings.append(_("Kärngruppen har %(n)s personer; handboken rekommenderar 4–8.") % {"n": n})
    sectors = {m.sector for m in members}
    if Organisation.Kind.SOCIAL_SERVICES not in sectors:
        warnings.append(_("Socialtjänsten saknas i kärngruppen."))
    if Organisation.Kind.POLICE not in sectors:
        warnings.append(_("Lokalpolisen saknas i kärngruppen."))
    orgs = [" ".join(m.organisation_name.split()).casefold() for m in members]
    if len(set(orgs)) < len(orgs):
        warnings.append(_("Flera personer kommer från samma organisation; kärngruppen ska spegla olika organisationer."))
    return warnings


def latest_entries(network: Network, number: int | None = None) -> dict[tuple[int, str], StepEntry]:
    """The current version of every saved part (of one step, or of all)."""
    qs = StepEntry.objects.filter(network=network).select_related("saved_by").order_by("step", "part", "-version")
    if number is not None:
        qs = qs.filter(step=number)
    found: dict[tuple[int, str], StepEntry] = {}
    for entry in qs:
        found.setdefault((entry.step, entry.part), entry)
    return found


def step_rows(network: Network) -> list[StepRow]:
    progress = {p.step: p for p in StepProgress.objects.filter(network=network).select_related("done_by")}
    saved: dict[int, set[str]] = {}
    for number, part in StepEntry.objects.filter(network=network).values_list("step", "part").distinct():
        saved.setdefault(number, set()).add(part)
    rows = []
    for s in steps.STEPS:
        p = progress.get(s.number)
        rows.append(StepRow(s, p.done_at if p else None, p.done_by if p else None, len(saved.get(s.number, ()))))
    return rows


def overview(network: Network) -> Overview:
    core = list(CoreGroupMember.objects.filter(network=network))
    roles = list(NetworkRole.objects.active().filter(network=network).select_related("user").order_by("user__username"))
    rows = step_rows(network)
    readiness = StepEntry.objects.filter(network=network, step=0, part=steps.READINESS.slug).order_by("-version").first()
    total = steps.readiness_total(readiness.data) if readiness else None
    result = Overview(
        network=network,
        members=member_organisations(network),
        coordinators=[r.user for r in roles if r.role == NetworkRole.Role.COORDINATOR],
        network_only_members=[r.user for r in roles if r.role == NetworkRole.Role.MEMBER],
        core_group=core,
        core_warnings=core_group_warnings(core),
        steps=rows,
        pending_invitations=list(
            NetworkInvitation.objects.filter(network=network, status=NetworkInvitation.Status.PENDING)
            .select_related("organisation")
        ),
        readiness_total=total,
        readiness_verdict=steps.readiness_verdict(total) if readiness else "",
        next_step=next((r for r in rows if r.done_at is None), None),
    )
    m = meetings(network)
    result.next_meeting = m.upcoming[0] if m.upcoming else None
    result.meeting_warning = m.warning
    result.open_follow_ups = m.open_follow_ups[:10]
    result.year = timezone.localdate().year
    result.plan_progress = plan_progress(network, result.year)
    return result


@dataclass
class PartView:
    part: steps.Part
    entry: StepEntry | None
    rows: list[dict[str, Any]]
    total: int | None = None
    verdict: str = ""
    low: list[Any] = field(default_factory=list)


def _yesno(value: Any) -> str:
    return {"ja": str(_("Ja")), "nej": str(_("Nej"))}.get(value, "")


def part_rows(part: steps.Part, data: dict[str, Any]) -> list[dict[str, Any]]:
    """A part's saved answers as label/value rows, the way the page and a comparison show them."""
    rows = []
    for f in part.fields:
        if f.kind == steps.YESNO:
            rows.append({"key": f.key, "label": f.label, "value": _yesno(data.get(f.key))})
            if part.with_interpretation:
                rows.append({"key": f"{f.key}_note", "label": _("Vår tolkning"), "value": data.get(f"{f.key}_note", "")})
        elif f.kind == steps.SCORE:
            score = data.get(f.key)
            comment = data.get(f"{f.key}_comment", "")
            rows.append({"key": f.key, "label": f.label, "value": "" if score is None else str(score), "comment": comment})
        else:
            rows.append({"key": f.key, "label": f.label, "value": data.get(f.key, "")})
    return rows


def part_view(part: steps.Part, entry: StepEntry | None) -> PartView:
    data = entry.data if entry else {}
    view = PartView(part, entry, part_rows(part, data))
    if part.slug == steps.READINESS.slug and entry is not None:
        view.total = steps.readiness_total(data)
        view.verdict = steps.readiness_verdict(view.total)
        view.low = steps.low_criteria(data)
    return view


def compare(part: steps.Part, older: StepEntry, newer: StepEntry) -> list[dict[str, Any]]:
    """Two versions side by side, each row marked when it changed."""
    a, b = part_rows(part, older.data), part_rows(part, newer.data)
    out = []
    for ra, rb in zip(a, b, strict=True):
        changed = ra.get("value") != rb.get("value") or ra.get("comment", "") != rb.get("comment", "")
        out.append({"label": ra["label"], "a": ra, "b": rb, "changed": changed})
    return out


# Parts whose every saved version is a dated assessment that the step page shows over time.
TRACKED_PARTS = {0: steps.READINESS.slug, 7: steps.DEVELOPMENT.slug}


def assessments_over_time(network: Network, number: int) -> list[tuple[StepEntry, str]]:
    """Every saved readiness score (step 0) or development level (step 7), oldest first, with what it
    said: the network sees how it moved."""
    part = TRACKED_PARTS.get(number)
    if part is None:
        return []
    entries = StepEntry.objects.filter(network=network, step=number, part=part).order_by("version")
    out = []
    for e in entries:
        if number == 0:
            total = steps.readiness_total(e.data)
            out.append((e, _("%(t)s poäng") % {"t": total} if total is not None else "–"))
        else:
            levels = dict(steps.DEVELOPMENT_LEVELS)
            now, wanted = e.data.get("current"), e.data.get("wanted")
            out.append((e, _("nu %(a)s, mål %(b)s") % {
                "a": f"{now} {levels.get(now, '')}" if now else "–", "b": f"{wanted} {levels.get(wanted, '')}" if wanted else "–"}))
    return out


@dataclass
class Meetings:
    upcoming: list[Any]
    past: list[Any]
    warning: str
    open_follow_ups: list[Any]


def meeting_rhythm_warning(network: Network, upcoming: list[Any], last: Any) -> str:
    """The handbook's rhythm (two to six meetings a year): say so when the next is not booked."""
    if upcoming:
        return ""
    text = _("Nästa möte är inte bokat. Nätverket har bestämt %(n)s möten per år.") % {"n": network.meetings_per_year}
    if last is not None:
        from django.utils import timezone

        due = last.starts_at + datetime.timedelta(days=365 // max(1, network.meetings_per_year))
        if due < timezone.now():
            text += " " + _("Enligt den rytmen borde nästa möte ha hållits senast %(d)s.") % {"d": due.date().isoformat()}
    return text


def meetings(network: Network) -> Meetings:
    from django.utils import timezone

    from .models import FollowUp, Meeting

    now = timezone.now()
    qs = Meeting.objects.filter(network=network)
    upcoming = list(qs.filter(starts_at__gte=now).order_by("starts_at"))
    past = list(qs.filter(starts_at__lt=now).order_by("-starts_at")[:50])
    return Meetings(
        upcoming=upcoming, past=past,
        warning=meeting_rhythm_warning(network, upcoming, past[0] if past else None),
        open_follow_ups=list(
            FollowUp.objects.filter(network=network, done_at__isnull=True)
            .select_related("responsible_organisation", "meeting").order_by("due_on", "created_at")
        ),
    )


# Where a bound target's outcome comes from: the statistics app registers a provider (network
# imports no later app). provider(network, targets) -> {target id: published value or None}.
OUTCOME_PROVIDERS: list[Any] = []
MEASURE_CHOICES: list[Any] = []  # provider(network) -> [(key, label)]


def stats_outcomes(network: Network, targets: list[Any]) -> dict[Any, int | None]:
    bound = [t for t in targets if t.stats_measure]
    out: dict[Any, int | None] = {}
    for provider in OUTCOME_PROVIDERS:
        out.update(provider(network, bound))
    return out


def stats_measure_choices(network: Network) -> list[tuple[str, str]]:
    return [c for provider in MEASURE_CHOICES for c in provider(network)]


@dataclass
class GoalView:
    goal: Any
    targets: list[Any]
    activities: list[Any]
    reviews: list[Any]


def plan(network: Network) -> list[GoalView]:
    """The collaboration plan's sub-goals with their targets, activities and annual reviews (four queries)."""
    from django.db.models import Prefetch

    from .models import AnnualReview, PlanActivity, SubGoal, YearlyTarget

    goals = SubGoal.objects.filter(network=network).prefetch_related(
        Prefetch("targets", queryset=YearlyTarget.objects.order_by("year", "measure")),
        Prefetch("activities", queryset=PlanActivity.objects.order_by("year", "created_at")),
        Prefetch("reviews", queryset=AnnualReview.objects.order_by("year")),
    )
    views = [GoalView(g, list(g.targets.all()), list(g.activities.all()), list(g.reviews.all())) for g in goals]
    outcomes = stats_outcomes(network, [t for v in views for t in v.targets])
    for v in views:
        for t in v.targets:
            t.stats_outcome = outcomes.get(t.pk)
            # the outcome form on the page says which outcome it showed (`core.forms.EditVersion`)
            t.loaded_version = row_version(t, ("outcome", "comment"))
    return views


def plan_progress(network: Network, year: int) -> dict[str, int]:
    """This year's targets with an outcome, and those met; activities done of all."""
    from .models import PlanActivity, YearlyTarget

    targets = list(YearlyTarget.objects.filter(network=network, year=year).values_list("target", "outcome"))
    activities = list(PlanActivity.objects.filter(network=network, year=year).values_list("status", flat=True))
    return {
        "targets": len(targets),
        "reported": sum(1 for _t, o in targets if o is not None),
        "met": sum(1 for t, o in targets if o is not None and o >= t),
        "activities": len(activities),
        "activities_done": sum(1 for s in activities if s == PlanActivity.Status.DONE),
    }


def open_follow_ups_for_organisation(organisation: Any, limit: int = 10) -> list[Any]:
    """Follow-ups a network gave the organisation, not yet done: its people's start page shows them."""
    from .models import FollowUp

    return list(
        # only from networks the organisation is still in: a link to a network it left would be a 404
        FollowUp.objects.filter(responsible_organisation=organisation, done_at__isnull=True,
                                network__networkmembership__organisation=organisation)
        .select_related("network", "meeting").order_by("due_on", "created_at")[:limit]
    )
