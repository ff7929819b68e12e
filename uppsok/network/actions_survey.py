"""Writes of the sector survey (step 2): surveys, one-time links and the anonymous answers."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsok.accounts.models import User
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction

from . import steps, survey_links
from .actions import ActionError
from .models import Network, SectorSurvey, SurveyAnswer, SurveyLink

# A survey link is valid this long unless the coordinator chooses otherwise (at most SURVEY_LINK_MAX_DAYS).
SURVEY_LINK_DAYS = 30
SURVEY_LINK_MAX_DAYS = 90


@transaction.atomic
def do_create_survey(actor: User, network: Network, title: str) -> Any:
    survey = SectorSurvey.objects.create(network=network, title=title, created_by=actor)
    record(actor, AuditAction.CREATE, network=network, obj=survey)
    return survey


@transaction.atomic
def do_create_survey_link(actor: User, survey: Any, respondent: str, sector: str, days: int = SURVEY_LINK_DAYS) -> Any:
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
