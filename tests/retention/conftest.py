"""Rows of every kind the retention rules purge, each made with its retention clock at a chosen time."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.cases.conftest import make_case
from uppsok.cases.models import Case
from uppsok.core.retention import add_months
from uppsok.outreach.models import (
    Ad,
    AdImage,
    AdIndicator,
    AdLink,
    AdPhone,
    AdTextFeature,
    Contact,
    ImportJob,
    Incident,
    RiskAssessment,
    Shift,
    Sighting,
    Tip,
)

TODAY = datetime.date(2026, 6, 15)


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def make_ad(org: Any, seen: datetime.datetime, *, text: str = "Ny i stan", phone: str = "+46701234567",
            profile: str = "Anna", photo: bytes | None = None) -> Ad:
    """An ad with everything stored under it: a sighting, a number, an indicator, a text feature,
    a link to a second ad and a photo (with its file when `photo` is given)."""
    n = Ad.objects.count()
    ad = Ad.objects.create(organisation=org, fingerprint=f"id:r{n}", first_seen=seen, last_seen=seen, text=text,
                           profile_name=profile, profile_key=profile.casefold(), site="rosasidan.ws", city="Malmö")
    Sighting.objects.create(ad=ad, seen_at=seen, city="Malmö", site="rosasidan.ws")
    AdPhone.objects.create(ad=ad, organisation=org, e164=phone)
    AdIndicator.objects.create(ad=ad, organisation=org, code="low_price", evidence=text[:20])
    AdTextFeature.objects.create(ad=ad, organisation=org, feature=1000 + n)
    image = AdImage(ad=ad, organisation=org, phash=f"{n:016x}", bghash="")
    if photo is not None:
        image.image.save("photo.jpg", ContentFile(photo), save=False)
    image.save()
    other = Ad.objects.create(organisation=org, fingerprint=f"id:r{n}-other", first_seen=timezone.now(),
                              last_seen=timezone.now())
    AdLink.objects.create(organisation=org, from_ad=ad, to_ad=other, reasons=["same_phone"])
    return ad


def make_contact(org: Any, at: datetime.datetime, *, notes: str = "Svarade kort", ad: Ad | None = None) -> Contact:
    return Contact.objects.create(organisation=org, ad=ad, channel="sms", contacted_at=at, notes=notes,
                                  profile_name="Anna")


def _backdate(model: Any, row: Any, field: str, at: datetime.datetime) -> Any:
    model.objects.filter(pk=row.pk).update(**{field: at})
    row.refresh_from_db()
    return row


def make_tip(org: Any, at: datetime.datetime, *, text: str = "Misstänkt människohandel") -> Tip:
    return _backdate(Tip, Tip.objects.create(organisation=org, kind="anonymous_tip", text=text), "created_at", at)


def make_risk(org: Any, at: datetime.datetime, *, notes: str = "Mötet på café") -> RiskAssessment:
    return _backdate(RiskAssessment, RiskAssessment.objects.create(organisation=org, notes=notes), "created_at", at)


def make_incident(org: Any, at: datetime.datetime, *, text: str = "Hotfullt samtal") -> Incident:
    return Incident.objects.create(organisation=org, occurred_at=at, description=text)


def make_shift(org: Any, at: datetime.datetime, *, notes: str = "Lugnt pass", worker: Any = None) -> Shift:
    shift = Shift.objects.create(organisation=org, started_at=at, ended_at=at + datetime.timedelta(hours=3),
                                 notes=notes)
    if worker is not None:
        shift.workers.add(worker)
    return shift


def make_import_job(org: Any, at: datetime.datetime, *, raw: str = "", payload: str = "",
                    status: str = ImportJob.Status.DONE) -> ImportJob:
    job = ImportJob.objects.create(organisation=org, file_format="jsonl", filename="annonser.jsonl", raw=raw,
                                   payload=payload, status=status, finished_at=at)
    return _backdate(ImportJob, job, "created_at", at - datetime.timedelta(minutes=5))


def make_closed_case(org: Any, at: datetime.datetime, *, alias: str = "Mira") -> Case:
    case = make_case(org, None, alias=alias, opened_on=at.date() - datetime.timedelta(days=40))
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=at.date())
    case.refresh_from_db()
    return case


@dataclass(frozen=True)
class Kind:
    """A rule whose clock is one date of its row, and how to make a row with the clock at a time."""

    key: str
    model: Any
    make: Callable[[Any, datetime.datetime], Any]


KINDS = {
    k.key: k
    for k in (
        Kind("ads", Ad, make_ad),
        Kind("contacts", Contact, make_contact),
        Kind("tips", Tip, make_tip),
        Kind("risk_assessments", RiskAssessment, make_risk),
        Kind("incidents", Incident, make_incident),
        Kind("shifts", Shift, make_shift),
        Kind("import_jobs", ImportJob, make_import_job),
        Kind("closed_cases", Case, make_closed_case),
    )
}


def ago(rule: Any, organisation: Any, periods: float, on: datetime.date = TODAY) -> datetime.datetime:
    """A time `periods` of the rule's periods (of the organisation) before `on`, at noon."""
    n = rule.period(organisation) * periods
    if rule.unit == "days":
        return moment(on - datetime.timedelta(days=round(n)))
    return moment(add_months(on, -round(n)))
