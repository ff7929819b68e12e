"""core.bulk: plain-SQL inserts and updates that convert values the way the model fields would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from datetime import timezone as timezone_of
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsok.core import bulk
from uppsok.core.bulk import insert_ignoring_conflicts, update_by_key
from uppsok.outreach import actions
from uppsok.outreach.models import Ad, AdIndicator, AdLink

# Large inserts take another path on PostgreSQL (COPY into a temporary table): each insert test
# runs both ways there (on SQLite both ids run its one path).
both_paths = pytest.mark.parametrize("copy_from", [bulk.COPY_FROM_ROWS, 1], ids=["values", "copy"])


def _ad(org, url):
    ad, _ = actions.do_capture_ad(None, org, {"url": url, "site": "x.se", "text": "Hej", "phone": "070-123 45 67"})
    return ad


@both_paths
def test_insert_skips_rows_that_break_a_unique_constraint(org_a, copy_from, monkeypatch):
    monkeypatch.setattr(bulk, "COPY_FROM_ROWS", copy_from)
    a, b = _ad(org_a, "https://x.se/1"), _ad(org_a, "https://x.se/2")
    AdLink.objects.all().delete()
    sent = insert_ignoring_conflicts(
        AdLink, ["organisation_id", "from_ad_id", "to_ad_id", "reasons"],
        [(org_a.pk, a.pk, b.pk, ["shared_phone"]), (org_a.pk, a.pk, b.pk, ["other"]),
         (org_a.pk, str(b.pk), str(a.pk), ["shared_phone"])],
    )
    assert sent == 3
    assert sorted(AdLink.objects.values_list("reasons", flat=True)) == [["shared_phone"], ["shared_phone"]]


@both_paths
def test_insert_converts_json_dates_and_null_foreign_keys(org_a, copy_from, monkeypatch):
    monkeypatch.setattr(bulk, "COPY_FROM_ROWS", copy_from)
    a = _ad(org_a, "https://x.se/1")
    at = timezone.now()
    evidence = {"quote": "Ny i stan – “hon” 😊", "trigger": [[0, 3]], "facts": {"steps": [{"city": "Malmö"}], "more": 0,
                                                                                "none": None, "share": 0.5}}
    insert_ignoring_conflicts(
        AdIndicator,
        ["ad_id", "organisation_id", "code", "evidence", "evidence_data", "source", "status", "decided_by_id",
         "decided_at", "decision_reason"],
        [(str(a.pk), org_a.pk, "low_price", "500 kr", {"facts": {"price": 500}}, "manual", "found", None, at, ""),
         (str(a.pk), org_a.pk, "third_person", "hon", evidence, "auto", "found", None, at, "")],
    )
    row = AdIndicator.objects.get(ad=a, source="manual")
    assert row.evidence_data == {"facts": {"price": 500}}
    # JSON goes in by orjson: read back as Django's own conversion would have stored it, and
    # queryable as JSON on both databases
    assert AdIndicator.objects.get(ad=a, code="third_person").evidence_data == evidence
    assert AdIndicator.objects.filter(ad=a, evidence_data__facts__steps__0__city="Malmö").count() == 1
    assert row.decided_at == at and row.decided_by_id is None


@both_paths
def test_update_by_key_never_reaches_another_organisation(org_a, org_b, copy_from, monkeypatch):
    monkeypatch.setattr(bulk, "COPY_FROM_ROWS", copy_from)
    mine, theirs = _ad(org_a, "https://x.se/1"), _ad(org_b, "https://x.se/1")
    Ad.objects.filter(pk__in=[mine.pk, theirs.pk]).update(group_key="g-same")
    update_by_key(Ad, "group_key", ["group_key"], [("g-same", "g-new")], where={"organisation": org_a.pk})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.group_key, theirs.group_key) == ("g-new", "g-same")
    # by id too: the other organisation's id in the rows changes nothing of theirs
    update_by_key(Ad, "id", ["indicator_count", "prices_sek"], [(theirs.pk, 9, [1]), (str(mine.pk), 3, [700, 800])],
                  where={"organisation": org_a.pk})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.indicator_count, mine.prices_sek) == (3, [700, 800])
    assert theirs.indicator_count != 9


def test_new_rows_are_written_whole_on_both_databases(org_a):
    from uppsok.core.bulk import insert_new_rows
    from uppsok.outreach.models import AdTextFeature

    a = _ad(org_a, "https://x.se/1")
    AdTextFeature.objects.filter(ad=a).delete()
    sent = insert_new_rows(AdTextFeature, ["ad_id", "organisation_id", "feature"],
                           [(str(a.pk), org_a.pk, f) for f in (-(2**31), 0, 7, 2**31 - 1)])
    assert sent == 4
    assert sorted(AdTextFeature.objects.filter(ad=a, organisation=org_a).values_list("feature", flat=True)) == \
        [-(2**31), 0, 7, 2**31 - 1]


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(moment=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1),
                           timezones=st.sampled_from([UTC, timezone_of(timedelta(hours=1)),
                                                      timezone_of(timedelta(hours=-9, minutes=-30)),
                                                      ZoneInfo("Europe/Stockholm")])))
def test_datetimes_go_in_as_django_would_write_them(db, moment):
    field = Ad._meta.get_field("last_seen")
    assert bulk._converter(field)([moment]) == [field.get_db_prep_save(moment, connection)]


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(picks=st.lists(st.integers(min_value=0, max_value=9), max_size=40))
def test_a_column_of_repeated_keys_converts_as_each_value_would(db, picks):
    # keys repeat (the same ad and organisation in thousands of rows) and are converted once each:
    # the column must still be what Django gives for every value, in order, None kept
    pool = [uuid.UUID(int=k * 7919) for k in range(4)] + [uuid.UUID(int=k).hex for k in range(4)] + [None, None]
    field = AdLink._meta.get_field("from_ad")
    convert = bulk._converter(field)
    for column in ([pool[k] for k in picks], [pool[k] for k in reversed(picks)]):  # the memory carries over
        assert convert(column) == [None if v is None else field.get_db_prep_save(v, connection) for v in column]


def test_a_written_datetime_reads_back_as_the_same_moment(org_a):
    a = _ad(org_a, "https://x.se/tz")
    moment = datetime(2026, 7, 29, 2, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Stockholm"))
    bulk.update_by_key(Ad, "id", ["last_seen"], [(a.pk, moment)], where={"organisation": org_a.pk})
    a.refresh_from_db()
    assert a.last_seen == moment


@both_paths
def test_update_refuses_a_value_too_long_for_its_column(org_a, copy_from, monkeypatch):
    from django.db import DataError, transaction

    monkeypatch.setattr(bulk, "COPY_FROM_ROWS", copy_from)
    a = _ad(org_a, "https://x.se/long")
    if connection.vendor == "sqlite":
        pytest.skip("SQLite does not enforce a column's length")
    import psycopg

    # refused by the database (through COPY the driver's own error, which Django does not wrap)
    with pytest.raises((DataError, psycopg.DataError)), transaction.atomic():
        update_by_key(Ad, "id", ["group_key"], [(a.pk, "g" * 500)], where={"organisation": org_a.pk})
    a.refresh_from_db()
    assert a.group_key != "g" * 500
