"""Objects in organisation A for the URL kwargs of the outreach app (used by test_url_access)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from uppsok.accounts.models import Organisation, User
from uppsok.outreach.models import (
    Ad,
    DoNotContact,
    ImportJob,
    Incident,
    MessageTemplate,
    Platform,
    Shift,
    Tip,
)


def _ad(org: Organisation, owner: User) -> str:
    now = timezone.now()
    ad = Ad.objects.create(organisation=org, fingerprint=f"id:walk-{Ad.objects.count()}", first_seen=now,
                           last_seen=now, title="Walk", text="Ny i stan", profile_name="Walk")
    return str(ad.pk)


def _platform(org: Organisation, owner: User) -> str:
    return str(Platform.objects.create(organisation=org, name="P", address=f"p{Platform.objects.count()}.se").pk)


def _job(org: Organisation, owner: User) -> str:
    return str(ImportJob.objects.create(organisation=org, file_format="jsonl", filename="x.jsonl", status="done").pk)


def _template(org: Organisation, owner: User) -> str:
    return str(MessageTemplate.objects.create(organisation=org, name="T", body="Hej {profil}").pk)


def _dnc(org: Organisation, owner: User) -> str:
    return str(DoNotContact.objects.create(organisation=org, kind="profile", value=f"walk{DoNotContact.objects.count()}",
                                           expires_at=timezone.now() + timedelta(days=30)).pk)


def _tip(org: Organisation, owner: User) -> str:
    return str(Tip.objects.create(organisation=org, kind="anonymous_tip", text="Hej åäö").pk)


def _shift(org: Organisation, owner: User) -> str:
    return str(Shift.objects.create(organisation=org, started_at=timezone.now()).pk)


def _incident(org: Organisation, owner: User) -> str:
    return str(Incident.objects.create(organisation=org, occurred_at=timezone.now(), description="x").pk)


FACTORIES = {
    "ad_id": _ad,
    "platform_id": _platform,
    "job_id": _job,
    "template_id": _template,
    "dnc_id": _dnc,
    "tip_id": _tip,
    "shift_id": _shift,
    "incident_id": _incident,
}
