"""Read-models of the network's pages: what each page shows, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from uppsok.accounts.models import Organisation

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
    return Overview(
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


def readiness_over_time(network: Network) -> list[tuple[StepEntry, int | None]]:
    """Every saved readiness score with its total, oldest first: the network sees how it moved."""
    entries = StepEntry.objects.filter(network=network, step=0, part=steps.READINESS.slug).select_related("saved_by")
    return [(e, steps.readiness_total(e.data)) for e in entries.order_by("version")]
