"""Writes to a network's meetings and its collaboration plan: atomic, each with its audit row."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsok.accounts.models import User
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.changes import save_changes

from .actions import ActionError
from .models import (
    AnnualReview,
    FollowUp,
    Meeting,
    MeetingDecision,
    Network,
    NetworkMembership,
    PlanActivity,
    SubGoal,
    YearlyTarget,
)

MEETING_TEXTS = ("title", "place", "agenda", "minutes", "other_participants")


def _meeting_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"starts_at": data["starts_at"], "ends_at": data.get("ends_at"),
            **{k: (data.get(k) or "").strip() for k in MEETING_TEXTS}}


def _check_participants(network: Network, organisations: Any) -> list[Any]:
    """Participants are member organisations; anything else is refused, not silently dropped."""
    orgs = list(organisations or [])
    members = set(NetworkMembership.objects.filter(network=network).values_list("organisation_id", flat=True))
    if any(o.pk not in members for o in orgs):
        raise ActionError(_("Deltagare i Uppsök måste vara medlemsorganisationer i nätverket."))
    return orgs


@transaction.atomic
def do_book_meeting(actor: User, network: Network, data: dict[str, Any]) -> Meeting:
    orgs = _check_participants(network, data.get("participant_organisations"))
    meeting = Meeting.objects.create(network=network, created_by=actor, **_meeting_fields(data))
    meeting.participant_organisations.set(orgs)
    record(actor, AuditAction.CREATE, network=network, obj=meeting)
    return meeting


@transaction.atomic
def do_update_meeting(actor: User, meeting: Meeting, data: dict[str, Any]) -> list[str]:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    orgs = _check_participants(locked.network, data.get("participant_organisations"))
    changes = _meeting_fields(data)
    changed = save_changes(actor, locked, changes, network=locked.network_id)
    if {o.pk for o in orgs} != set(locked.participant_organisations.values_list("pk", flat=True)):
        locked.participant_organisations.set(orgs)
        record(actor, AuditAction.CHANGE, network=locked.network_id, obj=locked, detail="participant_organisations")
        changed.append("participant_organisations")
    return changed


@transaction.atomic
def do_add_decision(actor: User, meeting: Meeting, text: str) -> MeetingDecision:
    decision = MeetingDecision.objects.create(network_id=meeting.network_id, meeting=meeting, text=text)
    record(actor, AuditAction.CREATE, network=meeting.network_id, obj=decision)
    return decision


@transaction.atomic
def do_add_follow_up(actor: User, network: Network, meeting: Meeting | None, data: dict[str, Any]) -> FollowUp:
    org = data.get("responsible_organisation")
    if org is not None and not NetworkMembership.objects.filter(network=network, organisation=org).exists():
        raise ActionError(_("Den ansvariga organisationen måste vara medlem i nätverket."))
    if org is None and not (data.get("responsible_name") or "").strip():
        raise ActionError(_("Ange vem som är ansvarig: en medlemsorganisation eller ett namn."))
    follow_up = FollowUp.objects.create(
        network=network, meeting=meeting, what=data["what"], responsible_organisation=org,
        responsible_name=(data.get("responsible_name") or "").strip(), due_on=data.get("due_on"),
    )
    record(actor, AuditAction.CREATE, network=network, obj=follow_up)
    return follow_up


@transaction.atomic
def do_mark_follow_up(actor: User, follow_up: FollowUp, *, done: bool) -> None:
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    changes = {"done_at": timezone.now(), "done_by": actor} if done else {"done_at": None, "done_by": None}
    save_changes(actor, locked, changes, network=locked.network_id)


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
def do_record_outcome(actor: User, target: YearlyTarget, outcome: int | None, comment: str) -> list[str]:
    locked = YearlyTarget.objects.select_for_update().get(pk=target.pk)
    return save_changes(actor, locked, {"outcome": outcome, "comment": comment}, network=locked.network_id)


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


# A survey link is valid this long unless the coordinator chooses otherwise (at most SURVEY_LINK_MAX_DAYS).
SURVEY_LINK_DAYS = 30
SURVEY_LINK_MAX_DAYS = 90


@transaction.atomic
def do_create_survey(actor: User, network: Network, title: str) -> Any:
    from .models import SectorSurvey

    survey = SectorSurvey.objects.create(network=network, title=title, created_by=actor)
    record(actor, AuditAction.CREATE, network=network, obj=survey)
    return survey


@transaction.atomic
def do_create_survey_link(actor: User, survey: Any, respondent: str, sector: str, days: int = SURVEY_LINK_DAYS) -> Any:
    import datetime

    from .models import SurveyLink

    if not 1 <= days <= SURVEY_LINK_MAX_DAYS:
        raise ActionError(_("En länk kan gälla mellan 1 och %(n)s dagar.") % {"n": SURVEY_LINK_MAX_DAYS})
    link = SurveyLink.objects.create(
        network_id=survey.network_id, survey=survey, respondent=respondent.strip(), sector=sector.strip(),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    record(actor, AuditAction.CREATE, network=survey.network_id, obj=link)
    return link


class SurveyRefused(ActionError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def do_answer_survey(token: str, answers: dict[str, int]) -> Any:
    """An anonymous respondent's answers through their link: saved once, with the link used up in
    the same transaction; a tampered, expired or used link saves nothing."""
    from . import steps, survey_links
    from .models import SurveyAnswer, SurveyLink

    link, why = survey_links.link_for_token(token)
    if link is None or why:
        raise SurveyRefused(why or survey_links.INVALID)
    locked = SurveyLink.objects.select_for_update().get(pk=link.pk)
    if locked.used_at is not None:  # answered in another tab meanwhile
        raise SurveyRefused(survey_links.USED)
    clean = {k: int(answers[k]) for k in steps.SURVEY_KEYS if k in answers}
    if set(clean) != set(steps.SURVEY_KEYS) or any(not steps.SURVEY_MIN <= v <= steps.SURVEY_MAX for v in clean.values()):
        raise ActionError(_("Svara på alla påståenden med en siffra från 1 till 5."))
    answer = SurveyAnswer.objects.create(network_id=locked.network_id, survey_id=locked.survey_id, link=locked,
                                         sector=locked.sector, answers=clean)
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at", "updated_at"])
    record(None, AuditAction.CREATE, network=locked.network_id, obj=answer, detail="survey_link")
    return answer


@transaction.atomic
def do_start_plan_from_example(actor: User, network: Network, first_year: int) -> int:
    """Helsingborg's plan as the network's starting point: vision, sub-goals, the example's yearly
    targets from `first_year` and its first-year activities. Only into an empty plan."""
    from . import steps
    from .actions import do_save_step_part
    from .texts import EXAMPLE_OVERALL_GOAL, EXAMPLE_PLAN, EXAMPLE_VISION

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


STAKEHOLDER_TEXTS = ("actor", "reason", "action", "result", "contact_person", "level", "comment")


def _stakeholder_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"influence": data["influence"], "support": data["support"],
            **{k: (data.get(k) or "").strip() for k in STAKEHOLDER_TEXTS}}


@transaction.atomic
def do_add_stakeholder(actor: User, network: Network, data: dict[str, Any]) -> Any:
    from .models import Stakeholder

    row = Stakeholder.objects.create(network=network, **_stakeholder_fields(data))
    record(actor, AuditAction.CREATE, network=network, obj=row)
    return row


@transaction.atomic
def do_update_stakeholder(actor: User, row: Any, data: dict[str, Any]) -> list[str]:
    from .models import Stakeholder

    locked = Stakeholder.objects.select_for_update().get(pk=row.pk)
    return save_changes(actor, locked, _stakeholder_fields(data), network=locked.network_id)


@transaction.atomic
def do_remove_stakeholder(actor: User, row: Any) -> None:
    record(actor, AuditAction.DELETE, network=row.network_id, obj=row)
    row.delete()


@transaction.atomic
def do_add_resource(actor: User, network: Network, data: dict[str, Any]) -> Any:
    from .models import Resource

    upload = data.get("file")
    row = Resource(network=network, added_by=actor, title=data["title"], url=data.get("url") or "",
                   category=data["category"], focus=data.get("focus") or "", description=data.get("description") or "",
                   checked_on=data.get("checked_on"))
    if upload:
        row.file_name = upload.name[:200]
        row.file = upload
    row.save()
    record(actor, AuditAction.CREATE, network=network, obj=row)
    return row


@transaction.atomic
def do_remove_resource(actor: User, row: Any) -> None:
    record(actor, AuditAction.DELETE, network=row.network_id, obj=row)
    stored = row.file.name if row.file else ""
    row.delete()
    if stored:
        # the file goes only once the row is gone for good
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: default_storage.delete(stored))


DIRECTORY_TEXTS = ("kind", "name", "description", "phone", "website", "email", "area")


def _directory_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"takes_orosanmalan": bool(data.get("takes_orosanmalan")),
            **{k: (data.get(k) or "").strip() for k in DIRECTORY_TEXTS}}


@transaction.atomic
def do_add_directory_entry(actor: User, network: Network, data: dict[str, Any]) -> Any:
    from .models import DirectoryEntry

    entry = DirectoryEntry.objects.create(network=network, source=str(_("Nätverkets egen uppgift")),
                                          checked_on=timezone.localdate(), **_directory_fields(data))
    record(actor, AuditAction.CREATE, network=network, obj=entry)
    return entry


@transaction.atomic
def do_update_directory_entry(actor: User, entry: Any, data: dict[str, Any]) -> list[str]:
    from .models import DirectoryEntry

    locked = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    changes = {**_directory_fields(data), "checked_on": timezone.localdate()}
    return save_changes(actor, locked, changes, network=locked.network_id)


@transaction.atomic
def do_remove_directory_entry(actor: User, entry: Any) -> None:
    record(actor, AuditAction.DELETE, network=entry.network_id, obj=entry)
    entry.delete()
