"""Objects in organisation A for the URL kwargs of the cases app (used by test_url_access)."""

from __future__ import annotations

import uuid

from uppsok.accounts.models import Organisation, User
from uppsok.cases.models import (
    Case,
    CaseOrigin,
    CaseRoutineStep,
    Consent,
    ConsentKind,
    ExploitationType,
    Person,
    Referral,
)


def _case(org: Organisation, owner: User) -> Case:
    person = Person.objects.create(organisation=org, alias="Testperson")
    return Case.objects.create(
        organisation=org,
        person=person,
        case_type=ExploitationType.objects.get(code="prostitution"),
        origin=CaseOrigin.OUTREACH_ONLINE,
        case_worker=owner,
    )


def case_id(org: Organisation, owner: User) -> str:
    return str(_case(org, owner).pk)


def person_id(org: Organisation, owner: User) -> str:
    return str(Person.objects.create(organisation=org, alias="Person för URL-test").pk)


def consent_id(org: Organisation, owner: User) -> str:
    case = _case(org, owner)
    consent = Consent.objects.create(
        organisation=org, case=case, kind=ConsentKind.SHARE_REFERRAL, scope="Sammanfattning", to_whom="Mottagare"
    )
    return str(consent.pk)


def step_id(org: Organisation, owner: User) -> str:
    case = _case(org, owner)
    step = CaseRoutineStep.objects.create(organisation=org, case=case, order=1, title="Steg", actor="Polisen")
    return str(step.pk)


def referral_id(org: Organisation, owner: User) -> str:
    case = _case(org, owner)
    referral = Referral.objects.create(
        organisation=org, case=case, external_recipient="Extern mottagare", summary="Sammanfattning",
        override_reason="Test", status="external",
    )
    return str(referral.pk)


def incoming_id(org: Organisation, owner: User) -> str:
    """A referral *to* organisation A from a third organisation (A is the receiver)."""
    sender = Organisation.objects.create(
        name="Avsändare", slug=f"avsandare-{uuid.uuid4().hex[:8]}", kind=Organisation.Kind.CIVIL_SOCIETY
    )
    case = _case(sender, owner)
    consent = Consent.objects.create(
        organisation=sender, case=case, kind=ConsentKind.SHARE_REFERRAL, scope="Sammanfattning", to_whom="A",
        to_organisation=org,
    )
    referral = Referral.objects.create(
        organisation=sender, case=case, to_organisation=org, consent=consent, summary="Sammanfattning"
    )
    return str(referral.pk)


def routine_id(org: Organisation, owner: User) -> str:
    from uppsok.cases.seeds import seed_routines

    from .network import walk_network

    return str(seed_routines(walk_network(org, owner))[0].pk)


FACTORIES = {
    "case_id": case_id,
    "person_id": person_id,
    "consent_id": consent_id,
    "step_id": step_id,
    "referral_id": referral_id,
    "incoming_id": incoming_id,
    "routine_id": routine_id,
}
