"""Writes on persons, cases and referrals. Each is atomic and leaves one audit row (ids only)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsok.accounts.models import Organisation, User
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.capabilities import Cap
from uppsok.core.changes import Loaded, check_version, save_changes, version_of_values
from uppsok.core.errors import ActionError
from uppsok.network.models import NetworkRole

from .models import (
    INDICATOR_CODES,
    Case,
    CaseNeed,
    CaseRoutineStep,
    CaseStatus,
    Consent,
    ConsentKind,
    IndicatorObservation,
    NeedArea,
    Person,
    Referral,
    ReferralStatus,
    RoutineChangeNotice,
    RoutineStep,
    RoutineTemplate,
    SafetyAssessment,
    ScreeningRecord,
    StepStatus,
    SupportActivity,
)


def _check_person_fields(data: dict[str, Any], capabilities: Iterable[str]) -> dict[str, Any]:
    if Cap.PERSONS_IDENTITY not in set(capabilities):
        data = {k: v for k, v in data.items() if k not in Person.IDENTITY_FIELDS}
    return data


@transaction.atomic
def do_create_case(
    actor: User,
    organisation: Organisation,
    *,
    case_data: dict[str, Any],
    person: Person | None = None,
    person_data: dict[str, Any] | None = None,
    capabilities: Iterable[str] = (),
    extra: dict[str, Any] | None = None,
) -> Case:
    if person is None:
        if not person_data:
            raise ActionError("Ange uppgifter om personen.")
        person = Person.objects.create(organisation=organisation, **_check_person_fields(person_data, capabilities))
        record(actor, AuditAction.CREATE, organisation=organisation, obj=person)
    elif person.organisation_id != organisation.pk:
        raise ActionError("Personen hör inte till organisationen.")
    case = Case.objects.create(organisation=organisation, person=person, **case_data, **(extra or {}))
    record(actor, AuditAction.CREATE, organisation=organisation, obj=case)
    return case


@transaction.atomic
def do_update_case(actor: User, case: Case, changes: dict[str, Any], *, loaded: Loaded | None = None) -> None:
    save_changes(actor, case, changes, organisation=case.organisation_id, loaded=loaded)


@transaction.atomic
def do_update_person(actor: User, person: Person, changes: dict[str, Any], capabilities: Iterable[str], *,
                     loaded: Loaded | None = None) -> None:
    changes = _check_person_fields(changes, capabilities)
    save_changes(actor, person, changes, organisation=person.organisation_id, loaded=loaded)


@transaction.atomic
def do_set_needs_at_start(actor: User, case: Case, areas: Iterable[str]) -> None:
    wanted = set(areas)
    if not wanted <= set(NeedArea.values):
        raise ActionError("Okänt behovsområde.")
    for area in NeedArea.values:
        need, _created = CaseNeed.objects.get_or_create(organisation_id=case.organisation_id, case=case, area=area)
        expressed = area in wanted
        if need.expressed_at_start != expressed:
            need.expressed_at_start = expressed
            need.save(update_fields=["expressed_at_start", "updated_at"])
    CaseNeed.objects.filter(case=case, expressed_at_start=False, met_at_close="").delete()
    record(actor, AuditAction.CHANGE, organisation=case.organisation_id, obj=case, detail="needs_start")


@transaction.atomic
def do_close_case(
    actor: User, case: Case, *, met: dict[str, str], closed_on: datetime.date, close_note: str = ""
) -> None:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ActionError("Ärendet är redan avslutat.")
    for need in CaseNeed.objects.filter(case=case, expressed_at_start=True):
        need.met_at_close = met.get(need.area, "")
        need.save(update_fields=["met_at_close", "updated_at"])
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.close_note = close_note
    case.recontact_on = None
    case.next_meeting_at = None
    case.save()
    record(actor, AuditAction.CHANGE, organisation=case.organisation_id, obj=case, detail="closed")


@transaction.atomic
def do_reopen_case(actor: User, case: Case) -> None:
    case.status = CaseStatus.OPEN
    case.closed_on = None
    case.save()
    record(actor, AuditAction.CHANGE, organisation=case.organisation_id, obj=case, detail="reopened")


@transaction.atomic
def do_add_activity(actor: User, case: Case, data: dict[str, Any]) -> SupportActivity:
    activity = SupportActivity.objects.create(
        organisation_id=case.organisation_id, case=case, performed_by=actor, **data
    )
    record(actor, AuditAction.CREATE, organisation=case.organisation_id, obj=activity)
    return activity


@transaction.atomic
def do_add_consent(actor: User, case: Case, data: dict[str, Any]) -> Consent:
    consent = Consent.objects.create(organisation_id=case.organisation_id, case=case, recorded_by=actor, **data)
    record(actor, AuditAction.CREATE, organisation=case.organisation_id, obj=consent)
    return consent


@transaction.atomic
def do_withdraw_consent(actor: User, consent: Consent, withdrawn_on: datetime.date | None = None) -> int:
    """Withdraw a consent and stop every referral that rests on it: the summary stops crossing."""
    # Locked and re-read so a referral being created on it at the same moment sees the withdrawal.
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ActionError("Samtycket är redan återkallat.")
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    consent.save(update_fields=["withdrawn_on", "updated_at"])
    stopped = 0
    for referral in Referral.objects.select_for_update().filter(consent=consent).exclude(
        status=ReferralStatus.WITHDRAWN
    ):
        referral.status = ReferralStatus.WITHDRAWN
        referral.summary = ""  # nothing the person no longer agrees to share stays on the row
        referral.save(update_fields=["status", "summary", "updated_at"])
        stopped += 1
    record(actor, AuditAction.CHANGE, organisation=consent.organisation_id, obj=consent,
           detail=f"withdrawn;referrals_stopped={stopped}")
    return stopped


@transaction.atomic
def do_set_indicators(actor: User, case: Case, codes: Iterable[str]) -> None:
    wanted = set(codes)
    if not wanted <= set(INDICATOR_CODES):
        raise ActionError("Okänd indikator.")
    existing = set(IndicatorObservation.objects.filter(case=case).values_list("code", flat=True))
    IndicatorObservation.objects.filter(case=case, code__in=existing - wanted).delete()
    IndicatorObservation.objects.bulk_create(
        IndicatorObservation(organisation_id=case.organisation_id, case=case, code=c, recorded_by=actor)
        for c in sorted(wanted - existing)
    )
    record(actor, AuditAction.CHANGE, organisation=case.organisation_id, obj=case, detail="indicators")


@transaction.atomic
def do_add_safety_assessment(actor: User, case: Case, data: dict[str, Any]) -> SafetyAssessment:
    assessment = SafetyAssessment.objects.create(
        organisation_id=case.organisation_id, case=case, assessed_by=actor, **data
    )
    record(actor, AuditAction.CREATE, organisation=case.organisation_id, obj=assessment)
    return assessment


@transaction.atomic
def do_create_referral(
    actor: User,
    case: Case,
    *,
    capabilities: Iterable[str],
    summary: str,
    to_organisation: Organisation | None = None,
    external_recipient: str = "",
    consent: Consent | None = None,
    override_reason: str = "",
) -> Referral:
    """Refer only on a live consent of this case to share with exactly this recipient — or with the
    override capability and a written reason. The consent row is locked so a withdrawal cannot slip past."""
    summary = summary.strip()
    override_reason = override_reason.strip()
    external_recipient = external_recipient.strip() if to_organisation is None else ""
    if not summary:
        raise ActionError("Skriv den sammanfattning som personen har godkänt att dela.")
    if (to_organisation is None) == (not external_recipient):
        raise ActionError("Välj antingen en organisation på plattformen eller en mottagare utanför.")
    if to_organisation is not None and to_organisation.pk == case.organisation_id:
        raise ActionError("Du kan inte remittera till din egen organisation.")
    if consent is not None:
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.case_id != case.pk:
            raise ActionError("Samtycket hör inte till det här ärendet.")
        if consent.withdrawn_on is not None:
            raise ActionError("Samtycket är återkallat och kan inte användas.")
        if consent.kind != ConsentKind.SHARE_REFERRAL:
            raise ActionError(_("Samtycket gäller inte att dela en sammanfattning vid remiss."))
        if not consent.binds(
            to_organisation_id=to_organisation.pk if to_organisation else None, external_recipient=external_recipient
        ):
            raise ActionError(_("Samtycket gäller inte %(to)s utan %(consented)s.") % {
                "to": to_organisation.name if to_organisation else external_recipient,
                "consented": consent.recipient_name,
            })
    if consent is None:
        if Cap.REFERRAL_OVERRIDE not in set(capabilities):
            raise ActionError("En remiss kräver ett registrerat samtycke från personen.")
        if len(override_reason) < 20:
            raise ActionError("Remiss utan samtycke kräver en skriftlig motivering (minst 20 tecken).")
    referral = Referral.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        to_organisation=to_organisation,
        external_recipient=external_recipient,
        consent=consent,
        override_reason=override_reason if consent is None else "",
        summary=summary,
        status=ReferralStatus.PENDING if to_organisation is not None else ReferralStatus.EXTERNAL,
        created_by=actor,
    )
    record(actor, AuditAction.CREATE, organisation=case.organisation_id, obj=referral,
           detail="override" if consent is None else "consent")
    return referral


@transaction.atomic
def do_respond_referral(actor: User, receiver: Organisation, referral: Referral, *, accept: bool, note: str = "") -> None:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.to_organisation_id != receiver.pk:
        raise ActionError("Remissen är inte ställd till din organisation.")
    if referral.status != ReferralStatus.PENDING or not referral.has_basis:
        raise ActionError("Remissen är redan besvarad eller stoppad.")
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.responded_at = timezone.now()
    referral.response_note = note.strip()[:300]
    referral.save(update_fields=["status", "responded_at", "response_note", "updated_at"])
    record(actor, AuditAction.CHANGE, organisation=receiver, obj=referral, detail=referral.status)


@transaction.atomic
def do_apply_routine(actor: User, case: Case, routine: RoutineTemplate) -> int:
    if case.routine_id == routine.pk and CaseRoutineStep.objects.filter(case=case).exists():
        raise ActionError("Ärendet följer redan den rutinen.")
    CaseRoutineStep.objects.filter(case=case, status=StepStatus.TODO).delete()
    rows = [
        CaseRoutineStep(
            organisation_id=case.organisation_id,
            case=case,
            step=step,
            order=step.order,
            title=step.title,
            actor=step.actor,
            how_to_reach=step.how_to_reach,
            when=step.when,
            due_on=case.opened_on + datetime.timedelta(days=step.due_days) if step.due_days is not None else None,
        )
        for step in routine.steps.all()
    ]
    CaseRoutineStep.objects.bulk_create(rows)
    case.routine = routine
    case.save(update_fields=["routine", "updated_at"])
    record(actor, AuditAction.CHANGE, organisation=case.organisation_id, obj=case, detail=f"routine={routine.pk}")
    return len(rows)


@transaction.atomic
def do_set_step_status(actor: User, step: CaseRoutineStep, status: str, done_on: datetime.date | None) -> None:
    if status not in StepStatus.values:
        raise ActionError("Okänd status.")
    step.status = status
    step.done_on = (done_on or timezone.localdate()) if status != StepStatus.TODO else None
    step.done_by = actor if status != StepStatus.TODO else None
    step.save(update_fields=["status", "done_on", "done_by", "updated_at"])
    record(actor, AuditAction.CHANGE, organisation=step.organisation_id, obj=step, detail=status)


@transaction.atomic
def do_record_screening(actor: User, organisation: Organisation, data: dict[str, Any]) -> ScreeningRecord:
    row = ScreeningRecord.objects.create(organisation=organisation, recorded_by=actor, **data)
    record(actor, AuditAction.CREATE, organisation=organisation, obj=row)
    return row


def _require_coordinator(actor: User, network: Any) -> None:
    if not NetworkRole.objects.active().filter(
        user=actor, network=network, role=NetworkRole.Role.COORDINATOR
    ).exists():
        raise ActionError(_("Bara en aktiv samordnare i nätverket kan ändra dess rutiner."))


def _step_rows(steps: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (s["title"], s["actor"], s.get("how_to_reach") or "", s.get("when") or "", s.get("due_days"))
        for s in steps
    ]


def _replace_steps(routine: RoutineTemplate, rows: list[tuple[Any, ...]]) -> None:
    routine.steps.all().delete()
    RoutineStep.objects.bulk_create(
        RoutineStep(routine=routine, order=i + 1, title=t, actor=a, how_to_reach=h, when=w, due_days=d)
        for i, (t, a, h, w, d) in enumerate(rows)
    )


def routine_version(routine: RoutineTemplate) -> str:
    """The version of a routine as its edit page shows it: its fields and its steps."""
    steps = [(s.title, s.actor, s.how_to_reach, s.when, s.due_days) for s in routine.steps.order_by("order")]
    return version_of_values([("name", routine.name), ("goal", routine.goal), ("is_active", routine.is_active),
                              ("steps", steps)])


@transaction.atomic
def do_save_routine(
    actor: User, network: Any, routine: RoutineTemplate | None, data: dict[str, Any], steps: list[dict[str, Any]],
    *, loaded: Loaded | None = None,
) -> RoutineTemplate:
    """Create or change a network's routine and tell the network. Cases keep their copied checklist text."""
    _require_coordinator(actor, network)
    rows = _step_rows(s for s in steps if s.get("title"))
    if not rows:
        raise ActionError("En rutin behöver minst ett steg.")
    name_taken = RoutineTemplate.objects.filter(network=network, name=data["name"])
    if routine is not None:
        name_taken = name_taken.exclude(pk=routine.pk)
    if name_taken.exists():
        raise ActionError("Nätverket har redan en rutin med det namnet.")
    if routine is None:
        routine = RoutineTemplate.objects.create(network=network, **data)
        _replace_steps(routine, rows)
        record(actor, AuditAction.CREATE, network=network, obj=routine, detail=f"network={network.pk};steps={len(rows)}")
        RoutineChangeNotice.objects.create(
            network=network, routine=routine, kind=RoutineChangeNotice.Kind.CREATED, changed_by=actor,
        )
        return routine
    routine = RoutineTemplate.objects.select_for_update().get(pk=routine.pk)
    if routine.network_id != network.pk:
        raise ActionError("Rutinen hör inte till nätverket.")
    check_version(routine_version(routine), loaded, routine)
    old_rows = _step_rows(
        {"title": s.title, "actor": s.actor, "how_to_reach": s.how_to_reach, "when": s.when, "due_days": s.due_days}
        for s in routine.steps.all()
    )
    changed_steps = ",".join(
        str(i + 1) for i in range(max(len(old_rows), len(rows))) if old_rows[i:i + 1] != rows[i:i + 1]
    )
    changed_fields = save_changes(actor, routine, data, network=network)
    if changed_steps:
        _replace_steps(routine, rows)
        # save_changes names only the routine's own fields; the checklist is rows of its own.
        record(actor, AuditAction.CHANGE, network=network, obj=routine,
               detail=f"network={network.pk};steps={changed_steps}"[:200])
    if changed_fields or changed_steps:
        RoutineChangeNotice.objects.create(
            network=network, routine=routine, kind=RoutineChangeNotice.Kind.CHANGED, changed_by=actor,
            fields=",".join(changed_fields)[:200], steps=changed_steps[:200],
        )
    return routine


@transaction.atomic
def do_seed_routines(actor: User, network: Any) -> list[RoutineTemplate]:
    """Give a network the example routines; each one that is new is audited and announced."""
    from .seeds import seed_routines

    _require_coordinator(actor, network)
    existing = set(RoutineTemplate.objects.filter(network=network).values_list("pk", flat=True))
    routines = seed_routines(network)
    for routine in routines:
        if routine.pk in existing:
            continue
        record(actor, AuditAction.CREATE, network=network, obj=routine, detail=f"network={network.pk};seeded")
        RoutineChangeNotice.objects.create(
            network=network, routine=routine, kind=RoutineChangeNotice.Kind.CREATED, changed_by=actor,
        )
    return routines
