"""Fixtures for the cases tests: a case of Bob's in organisation A, and one of Charlie's in B."""

from __future__ import annotations

import pytest

from tests.factories import make_user
from uppsok.accounts.models import Organisation, Role, User
from uppsok.cases.models import Case, CaseOrigin, Consent, ConsentKind, ExploitationType, Person
from uppsok.core.capabilities import Cap


def make_case(org: Organisation, worker: User | None, *, alias: str = "Mira", **kwargs: object) -> Case:
    person = kwargs.pop("person", None) or Person.objects.create(
        organisation=org, alias=alias, age_band="18-24", real_name="Hemligt Riktigtnamn", personal_number="19990101-1234"
    )
    defaults: dict[str, object] = {
        "case_type": ExploitationType.objects.get(code="prostitution"),
        "origin": CaseOrigin.OUTREACH_ONLINE,
        "case_worker": worker,
    }
    defaults.update(kwargs)
    return Case.objects.create(organisation=org, person=person, **defaults)


def make_consent(case: Case, to_org: Organisation | None = None, *, to_whom: str | None = None) -> Consent:
    return Consent.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=ConsentKind.SHARE_REFERRAL,
        scope="Sammanfattning om boende och hälsa",
        to_whom=to_whom or (to_org.name if to_org else "Mottagare"),
        to_organisation=to_org,
    )


@pytest.fixture
def case_a(org_a: Organisation, bob: User) -> Case:
    return make_case(org_a, bob)


@pytest.fixture
def case_b(org_b: Organisation, charlie: User) -> Case:
    return make_case(org_b, charlie, alias="Bea")


@pytest.fixture
def ida(org_a: Organisation) -> User:
    """A case worker in A with the individual identity permission."""
    return make_user("ida", org_a, [Role.CASEWORKER], grants=[Cap.PERSONS_IDENTITY.value])


@pytest.fixture
def otto(org_a: Organisation) -> User:
    """A case worker in A with the referral override permission."""
    return make_user("otto", org_a, [Role.CASEWORKER], grants=[Cap.REFERRAL_OVERRIDE.value])
