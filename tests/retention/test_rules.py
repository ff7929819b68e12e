"""Each retention rule: the rows past the organisation's period go, the rest stays, the
organisation's own period is the one that counts and another organisation is never touched."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from uppsok.audit.models import AuditEvent
from uppsok.cases.models import Case, CaseStatus, Person
from uppsok.core import retention, scheduler
from uppsok.core.retention import add_months
from uppsok.outreach.models import (
    Ad,
    AdImage,
    AdIndicator,
    AdLink,
    AdPhone,
    AdTextFeature,
    Contact,
    DoNotContact,
    ImportJob,
    NetworkContactMark,
    Sighting,
)

from .conftest import KINDS, TODAY, ago, make_ad, make_contact, make_import_job, moment

pytestmark = pytest.mark.django_db


def _exists(kind, row) -> bool:
    return kind.model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("key", sorted(KINDS))
def test_due_rows_go_and_the_rest_stays(key, org_a, org_b):
    kind, rule = KINDS[key], retention.rule(key)
    setattr(org_b, rule.setting, rule.period(org_a) * 2)
    org_b.save()
    old = kind.make(org_a, ago(rule, org_a, 1.5))
    young = kind.make(org_a, ago(rule, org_a, 0.5))
    # as old as A's row, but B keeps this kind twice as long
    b_same_age = kind.make(org_b, ago(rule, org_a, 1.5))
    assert set(rule.due(org_a, TODAY).values_list("pk", flat=True)) == {old.pk}
    retention.run(TODAY, keys=[key])
    assert not _exists(kind, old)
    assert _exists(kind, young) and _exists(kind, b_same_age)
    # one audit row for the run, with counts only
    event = AuditEvent.objects.get(object_type=f"retention.{key}")
    assert event.organisation_id == org_a.pk and event.actor_id is None
    assert retention.parse_detail(event.detail)["rows"] == 1
    assert str(old.pk) not in event.detail


@pytest.mark.parametrize("key", sorted(KINDS))
def test_a_shorter_period_of_the_organisation_is_respected(key, org_a, org_b):
    kind, rule = KINDS[key], retention.rule(key)
    setattr(org_b, rule.setting, max(1, rule.period(org_a) // 4))
    org_b.save()
    a_row = kind.make(org_a, ago(rule, org_a, 0.5))
    b_row = kind.make(org_b, ago(rule, org_a, 0.5))
    retention.run(TODAY, keys=[key])
    assert _exists(kind, a_row) and not _exists(kind, b_row)


@pytest.mark.parametrize("key", sorted(KINDS))
def test_a_run_for_one_organisation_leaves_the_other_alone(key, org_a, org_b):
    kind, rule = KINDS[key], retention.rule(key)
    a_row = kind.make(org_a, ago(rule, org_a, 3))
    b_row = kind.make(org_b, ago(rule, org_b, 3))
    outcomes = retention.run(TODAY, organisations=[org_a], keys=[key])
    assert [o.organisation for o in outcomes] == [org_a]
    assert not _exists(kind, a_row) and _exists(kind, b_row)
    assert not AuditEvent.objects.filter(organisation_id=org_b.pk, object_type__startswith="retention.").exists()


@pytest.mark.parametrize("key", sorted(KINDS))
def test_next_month_lists_what_goes_after_today_and_within_a_month(key, org_a):
    kind, rule = KINDS[key], retention.rule(key)
    due_now = kind.make(org_a, ago(rule, org_a, 2))
    step = datetime.timedelta(days=10)
    soon = kind.make(org_a, moment(ago(rule, org_a, 1).date() + step))
    later = kind.make(org_a, moment(ago(rule, org_a, 1).date() + 5 * step))
    upcoming = list(rule.upcoming_rows(org_a, TODAY))
    assert [r.pk for r in upcoming] == [soon.pk]
    assert TODAY < rule.purge_on(upcoming[0], org_a) <= add_months(TODAY, 1)
    assert rule.due(org_a, TODAY).filter(pk=due_now.pk).exists()
    assert not rule.due(org_a, add_months(TODAY, 1)).filter(pk=later.pk).exists()


def test_an_ad_goes_with_everything_stored_under_it(org_a, alice, django_capture_on_commit_callbacks):
    rule = retention.rule("ads")
    ad = make_ad(org_a, ago(rule, org_a, 2), photo=b"\xff\xd8 fotot \xff\xd9")
    name = AdImage.objects.get(ad=ad).image.name
    storage = AdImage._meta.get_field("image").storage
    assert storage.exists(name)
    unlinked_contact = make_contact(org_a, ago(rule, org_a, 0.1), ad=None)
    # the file goes once the rows' deletion is committed
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention.rule("ads").purge(org_a, TODAY)
    for model in (Sighting, AdPhone, AdImage, AdIndicator, AdTextFeature):
        assert not model.objects.filter(ad_id=ad.pk).exists(), model
    assert not AdLink.objects.filter(from_ad_id=ad.pk).exists()
    assert not storage.exists(name)
    assert counts["rows"] == 1 and counts["files"] == 1 and counts["sightings"] == 1
    assert Contact.objects.filter(pk=unlinked_contact.pk).exists()


def test_a_recent_contact_or_assessment_keeps_the_ad(org_a, alice):
    rule = retention.rule("ads")
    contacted = make_ad(org_a, ago(rule, org_a, 2))
    make_contact(org_a, ago(rule, org_a, 0.5), ad=contacted)
    assessed = make_ad(org_a, ago(rule, org_a, 2))
    AdIndicator.objects.filter(ad=assessed).update(status="confirmed", decided_at=ago(rule, org_a, 0.5))
    forgotten = make_ad(org_a, ago(rule, org_a, 2))
    make_contact(org_a, ago(rule, org_a, 1.5), ad=forgotten)
    retention.run(TODAY, keys=["ads"])
    assert set(Ad.objects.filter(pk__in=[contacted.pk, assessed.pk, forgotten.pk]).values_list("pk", flat=True)) == {
        contacted.pk, assessed.pk}
    # the contact keeps its own period and only loses the link
    assert Contact.objects.get(organisation=org_a, contacted_at=ago(rule, org_a, 1.5)).ad_id is None


def test_an_open_case_holds_its_ad_and_contact_until_it_is_closed(org_a, bob):
    from tests.cases.conftest import make_case

    ad_rule, contact_rule = retention.rule("ads"), retention.rule("contacts")
    ad = make_ad(org_a, ago(ad_rule, org_a, 2))
    contact = make_contact(org_a, ago(contact_rule, org_a, 2), ad=None)
    case = make_case(org_a, bob, source_ad=ad, source_contact=contact)
    retention.run(TODAY, keys=["ads", "contacts"])
    assert Ad.objects.filter(pk=ad.pk).exists() and Contact.objects.filter(pk=contact.pk).exists()
    reports = {r.rule.key: r for r in retention.overview(org_a, [], today=TODAY)}
    assert reports["ads"].held == 1 and reports["contacts"].held == 1
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=TODAY)
    retention.run(TODAY, keys=["ads", "contacts"])
    assert not Ad.objects.filter(pk=ad.pk).exists() and not Contact.objects.filter(pk=contact.pk).exists()
    case.refresh_from_db()
    assert case.source_ad_id is None and case.source_contact_id is None


def test_closed_cases_take_their_person(org_a):
    rule = retention.rule("closed_cases")
    case = KINDS["closed_cases"].make(org_a, ago(rule, org_a, 2))
    counts = rule.purge(org_a, TODAY)
    assert counts == {"rows": 1, "persons": 1}
    assert not Person.objects.filter(pk=case.person_id).exists()


def test_do_not_contact_entries_go_the_day_after_their_own_expiry(org_a, org_b):
    expired = DoNotContact.objects.create(organisation=org_a, kind="profile", value="anna",
                                          expires_at=moment(TODAY - datetime.timedelta(days=1)))
    today = DoNotContact.objects.create(organisation=org_a, kind="profile", value="bella", expires_at=moment(TODAY))
    other = DoNotContact.objects.create(organisation=org_b, kind="profile", value="anna",
                                        expires_at=moment(TODAY - datetime.timedelta(days=3)))
    retention.run(TODAY, organisations=[org_a], keys=["do_not_contact"])
    assert not DoNotContact.objects.filter(pk=expired.pk).exists()
    assert DoNotContact.objects.filter(pk__in=[today.pk, other.pk]).count() == 2
    rule = retention.rule("do_not_contact")
    assert rule.purge_on(today, org_a) == TODAY + datetime.timedelta(days=1)


def test_network_marks_are_purged_per_organisation(org_a, org_b, network):
    old = TODAY - datetime.timedelta(days=200)
    a_mark = NetworkContactMark.objects.create(network=network, organisation=org_a, digest="a" * 64, contacted_on=old)
    b_mark = NetworkContactMark.objects.create(network=network, organisation=org_b, digest="b" * 64, contacted_on=old)
    retention.run(TODAY, organisations=[org_a], keys=["network_marks"])
    assert not NetworkContactMark.objects.filter(pk=a_mark.pk).exists()
    assert NetworkContactMark.objects.filter(pk=b_mark.pk).exists()


# --- Import jobs: the upload and the rows go at once, the job later -----------------------------


def test_a_finished_or_failed_import_keeps_no_upload_and_no_rows(org_a, org_b):
    rule = retention.rule("import_jobs")
    # jobs that stopped before the import cleared them itself (a crash, an older version)
    done = make_import_job(org_a, ago(rule, org_a, 0.2), raw="Annonsfil", payload='{"text": "rad"}')
    failed = make_import_job(org_a, ago(rule, org_a, 0.2), payload='{"text": "rad"}', status=ImportJob.Status.FAILED)
    waiting = make_import_job(org_a, ago(rule, org_a, 0.2), raw="Förhandsvisas", status=ImportJob.Status.PENDING)
    waiting.finished_at = None
    waiting.save()
    b_done = make_import_job(org_b, ago(rule, org_b, 0.2), raw="B:s fil")
    retention.run(TODAY, organisations=[org_a], keys=["import_jobs"])
    for job in (done, failed):
        job.refresh_from_db()
        assert (job.raw, job.payload) == ("", ""), job.status
    waiting.refresh_from_db()
    assert waiting.raw == "Förhandsvisas"  # the preview is still in use; the row goes after the period
    b_done.refresh_from_db()
    assert b_done.raw == "B:s fil"


@pytest.mark.parametrize("fails", [False, True])
def test_an_import_blanks_its_upload_and_rows_when_it_is_done_or_has_failed(alice, org_a, monkeypatch, fails):
    from uppsok.outreach import actions
    from uppsok.outreach.imports import parse_jsonl

    upload = b'{"id": "a1", "seen_at": "2026-01-02T20:00:00+01:00", "text": "Radtextqzx", "phones": ["0701234567"]}'
    job = actions.do_create_import_job(alice, org_a, "jsonl", "ads.jsonl", [], raw=upload.decode())
    if fails:
        def boom(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(actions.engine, "analyse", boom)
    actions.do_queue_import_job(alice, org_a, job, parse_jsonl(upload).rows)  # runs at once in the tests
    job.refresh_from_db()
    assert job.status == (ImportJob.Status.FAILED if fails else ImportJob.Status.DONE)
    assert (job.raw, job.payload) == ("", "")


def test_an_import_that_never_ran_goes_after_the_period_but_a_running_one_is_left(org_a):
    rule = retention.rule("import_jobs")
    never_ran = make_import_job(org_a, ago(rule, org_a, 2), raw="Övergiven", status=ImportJob.Status.PENDING)
    ImportJob.objects.filter(pk=never_ran.pk).update(finished_at=None)
    running = make_import_job(org_a, ago(rule, org_a, 2), payload="rader", status=ImportJob.Status.RUNNING)
    ImportJob.objects.filter(pk=running.pk).update(finished_at=None,
                                                   lease_until=timezone.now() + datetime.timedelta(hours=1))
    retention.run(TODAY, keys=["import_jobs"])
    assert not ImportJob.objects.filter(pk=never_ran.pk).exists()
    assert ImportJob.objects.filter(pk=running.pk).exists()


# --- One daily job, one command ------------------------------------------------------------------


def test_one_daily_job_runs_every_rule(org_a, org_b):
    jobs = {job.name: job for job in scheduler.JOBS}
    assert jobs["purge_personal_data"].interval == datetime.timedelta(days=1)
    assert not {"purge_do_not_contact", "purge_network_marks", "purge_closed_cases"} & set(jobs)
    rows = {key: kind.make(org, ago(retention.rule(key), org, 2, timezone.localdate()))
            for key, kind in KINDS.items() for org in (org_a,)}
    scheduler.run_due_jobs()  # the immediate task backend runs the enqueued jobs
    for key, row in rows.items():
        assert not _exists(KINDS[key], row), key


def test_purge_command_dry_run_counts_per_rule_and_deletes_nothing(org_a, org_b):
    for org in (org_a, org_b):
        make_contact(org, ago(retention.rule("contacts"), org, 2))
    make_contact(org_a, ago(retention.rule("contacts"), org_a, 0.5))
    out = StringIO()
    call_command("purge", "--dry-run", "--date", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "contacts: 2 " in text and "ads: 0 " in text
    assert {r.key for r in retention.rules()} <= {line.split(":")[0] for line in text.splitlines() if
                                                   not line.startswith(" ")}
    assert Contact.objects.count() == 3
    call_command("purge", "--date", TODAY.isoformat(), "--organisation", org_a.slug, "--rule", "contacts",
                 stdout=StringIO())
    assert Contact.objects.filter(organisation=org_a).count() == 1
    assert Contact.objects.filter(organisation=org_b).count() == 1
