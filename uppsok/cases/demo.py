"""Demo persons and cases for `make run` (idempotent: does nothing when the demo cases exist)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from . import actions
from .models import (
    Case,
    CaseNeed,
    CaseOrigin,
    Consent,
    ConsentKind,
    ExploitationType,
    Person,
    ScreeningRecord,
    SupportActivity,
)
from .retention import add_months
from .seeds import seed_routines

PERSONS = [
    # alias, age band, gender identity, group, languages, type code, origin, days ago opened, needs
    ("Amira", "18-24", "woman", "foreign", "rumänska, engelska", "trafficking-adult", CaseOrigin.OUTREACH_ONLINE, 40,
     ["housing", "safety", "legal", "return"]),
    ("Bea", "25-34", "woman", "swedish", "svenska", "prostitution", CaseOrigin.SELF_REFERRAL, 20,
     ["economy", "mental_health", "occupation"]),
    ("Cleo", "18-24", "trans", "swedish", "svenska", "sugar-dating", CaseOrigin.OUTREACH_ONLINE, 12,
     ["health", "network"]),
    ("Dina", "15-17", "woman", "swedish", "svenska", "sex-self-harm", CaseOrigin.TIP, 5,
     ["mental_health", "children", "coordination"]),
    ("Eli", "35-44", "man", "foreign", "thailändska", "prostitution", CaseOrigin.POLICE_OPERATION, 3,
     ["housing", "economy"]),
]


def create_demo(ctx: Any) -> None:
    org_a = ctx.organisations["stodcentrum-syd"]
    org_b = ctx.organisations["soc-demokommun"]
    if ctx.network is not None:
        routines = seed_routines(ctx.network)
    else:
        routines = []
    if Case.objects.filter(organisation=org_a).exists():
        return
    bob = ctx.users["bob"]
    charlie = ctx.users["charlie"]
    today = timezone.localdate()
    types = {t.code: t for t in ExploitationType.objects.all()}
    ad = None
    try:
        from uppsok.outreach.models import Ad

        ad = Ad.objects.filter(organisation=org_a).order_by("-last_seen").first()
    except ImportError:  # pragma: no cover - outreach is always installed
        pass
    made: list[Case] = []
    for i, (alias, band, gender, group, langs, code, origin, days, needs) in enumerate(PERSONS):
        person = Person.objects.create(
            organisation=org_a, alias=alias, age_band=band, gender_identity=gender, population_group=group,
            languages=langs,
        )
        case = Case.objects.create(
            organisation=org_a, person=person, case_type=types[code], origin=origin, case_worker=bob,
            opened_on=today - datetime.timedelta(days=days),
            recontact_on=today + datetime.timedelta(days=i - 1) if i < 3 else None,
            next_meeting_at=timezone.now() + datetime.timedelta(days=i + 1, hours=2) if i % 2 == 0 else None,
            source_ad=ad if i == 0 else None,
        )
        CaseNeed.objects.bulk_create(
            CaseNeed(organisation=org_a, case=case, area=a, expressed_at_start=True) for a in needs
        )
        SupportActivity.objects.bulk_create([
            SupportActivity(organisation=org_a, case=case, kind="support_conversation", duration_minutes=60,
                            date=case.opened_on + datetime.timedelta(days=1), performed_by=bob),
            SupportActivity(organisation=org_a, case=case, kind="practical_help", duration_minutes=30,
                            date=case.opened_on + datetime.timedelta(days=2), performed_by=bob),
        ])
        made.append(case)
    if routines:
        actions.do_apply_routine(bob, made[0], routines[0])  # Helsingborg: first steps now overdue
        actions.do_apply_routine(bob, made[1], routines[1])  # Stockholm's chain
    consent = Consent.objects.create(
        organisation=org_a, case=made[0], kind=ConsentKind.SHARE_REFERRAL, to_organisation=org_b,
        to_whom=org_b.name, scope="Behov av skyddat boende och kontakt med regionkoordinator",
        given_on=today - datetime.timedelta(days=2), recorded_by=bob,
    )
    actions.do_create_referral(
        bob, made[0], capabilities=[], to_organisation=org_b, consent=consent,
        summary="Vuxen person som behöver skyddat boende och stöd att kontakta regionkoordinatorn om "
        "återvändande. Talar rumänska och engelska. Föredrar kvinnlig kontakt.",
    )
    # A closed case with needs met, and one that retention will remove next month.
    closed = made[2]
    actions.do_close_case(bob, closed, met={"health": "yes", "network": "partly"}, closed_on=today)
    old_person = Person.objects.create(organisation=org_a, alias="Fanny", age_band="25-34")
    Case.objects.create(
        organisation=org_a, person=old_person, case_type=types["prostitution"], origin=CaseOrigin.SELF_REFERRAL,
        status="closed", opened_on=add_months(today, -30), closed_on=add_months(today, -24) + datetime.timedelta(days=10),
    )
    # Social services: screening counts and one case of their own.
    ScreeningRecord.objects.bulk_create(
        ScreeningRecord(
            organisation=org_b, meeting_date=today - datetime.timedelta(days=d), asked=d % 4 != 0,
            answer=("yes" if d % 9 == 0 else "no") if d % 4 != 0 else "", recorded_by=charlie,
        )
        for d in range(0, 90, 2)
    )
    p = Person.objects.create(organisation=org_b, alias="Gina", age_band="18-24", population_group="swedish")
    Case.objects.create(organisation=org_b, person=p, case_type=types["prostitution"],
                        origin=CaseOrigin.CLIENT_SCREENING, case_worker=charlie)
    ctx.notes.append("cases: 7 demo cases, a pending referral to Socialtjänsten Demokommun, two routines")
