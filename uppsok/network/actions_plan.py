"""Writes to a network's collaboration plan (step 6): sub-goals, yearly targets, activities and the
annual review; atomic, each with its audit row."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from uppsok.accounts.models import User
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.changes import Loaded, save_changes

from . import steps
from .actions import ActionError, do_save_step_part
from .models import AnnualReview, Network, PlanActivity, SubGoal, YearlyTarget
from .texts import EXAMPLE_OVERALL_GOAL, EXAMPLE_PLAN, EXAMPLE_VISION


@transaction.atomic
def do_add_sub_goal(actor: User, network: Network, data: dict[str, Any]) -> SubGoal:
    last = SubGoal.objects.filter(network=network).order_by("-order").values_list("order", flat=True).first() or 0
    goal = SubGoal.objects.create(network=network, order=last + 1, title=data["title"],
                                  description=data.get("description") or "")
    record(actor, AuditAction.CREATE, network=network, obj=goal)
    return goal


@transaction.atomic
def do_update_sub_goal(actor: User, goal: SubGoal, data: dict[str, Any]) -> list[str]:
    locked = SubGoal.objects.select_for_update().get(pk=goal.pk)
    return save_changes(actor, locked, {"title": data["title"], "description": data.get("description") or ""},
                        network=locked.network_id)


@transaction.atomic
def do_set_target(actor: User, goal: SubGoal, data: dict[str, Any]) -> YearlyTarget:
    """A yearly target of a sub-goal; the same year and measure again changes the target."""
    existing = YearlyTarget.objects.select_for_update().filter(
        sub_goal=goal, year=data["year"], measure=data["measure"]
    ).first()
    if existing is not None:
        save_changes(actor, existing, {"target": data["target"], "stats_measure": data.get("stats_measure") or ""},
                     network=goal.network_id)
        return existing
    try:
        with transaction.atomic():
            target = YearlyTarget.objects.create(network_id=goal.network_id, sub_goal=goal, year=data["year"],
                                                 measure=data["measure"], target=data["target"],
                                                 stats_measure=data.get("stats_measure") or "")
    except IntegrityError as exc:  # two coordinators saving the same target at once
        raise ActionError(_("Målet sparades samtidigt av någon annan. Ladda om sidan.")) from exc
    record(actor, AuditAction.CREATE, network=goal.network_id, obj=target)
    return target


@transaction.atomic
def do_record_outcome(actor: User, target: YearlyTarget, outcome: int | None, comment: str, *,
                      loaded: Loaded | None = None) -> list[str]:
    locked = YearlyTarget.objects.select_for_update().get(pk=target.pk)
    return save_changes(actor, locked, {"outcome": outcome, "comment": comment}, network=locked.network_id,
                        loaded=loaded)


@transaction.atomic
def do_add_activity(actor: User, goal: SubGoal, data: dict[str, Any]) -> PlanActivity:
    activity = PlanActivity.objects.create(
        network_id=goal.network_id, sub_goal=goal, year=data["year"], what=data["what"],
        responsible=data["responsible"], status=data.get("status") or PlanActivity.Status.PLANNED,
    )
    record(actor, AuditAction.CREATE, network=goal.network_id, obj=activity)
    return activity


@transaction.atomic
def do_set_activity_status(actor: User, activity: PlanActivity, status: str) -> None:
    if status not in PlanActivity.Status.values:
        raise ActionError(_("Okänd status."))
    locked = PlanActivity.objects.select_for_update().get(pk=activity.pk)
    save_changes(actor, locked, {"status": status}, network=locked.network_id)


@transaction.atomic
def do_save_review(actor: User, goal: SubGoal, year: int, summary: str, needs: str) -> AnnualReview:
    review, made = AnnualReview.objects.select_for_update().get_or_create(
        sub_goal=goal, year=year, defaults={"network_id": goal.network_id, "reviewed_by": actor}
    )
    save_changes(actor, review, {"summary": summary, "needs_next_year": needs, "reviewed_by": actor},
                 network=goal.network_id)
    return review



@transaction.atomic
def do_start_plan_from_example(actor: User, network: Network, first_year: int) -> int:
    """Helsingborg's plan as the network's starting point: vision, sub-goals, the example's yearly
    targets from `first_year` and its first-year activities. Only into an empty plan."""
    Network.objects.select_for_update().filter(pk=network.pk).first()
    if SubGoal.objects.filter(network=network).exists():
        raise ActionError(_("Planen har redan delmål. Exemplet läggs bara in i en tom plan."))
    do_save_step_part(actor, network, 6, steps.VISION.slug, {"vision": EXAMPLE_VISION, "overall_goal": EXAMPLE_OVERALL_GOAL})
    for title, targets, activities in EXAMPLE_PLAN:
        goal = do_add_sub_goal(actor, network, {"title": title})
        if targets is not None:
            measure, values = targets
            for offset, value in enumerate(values):
                do_set_target(actor, goal, {"year": first_year + offset, "measure": measure, "target": value})
        for what, who in activities:
            do_add_activity(actor, goal, {"year": first_year, "what": what, "responsible": who})
    return len(EXAMPLE_PLAN)
