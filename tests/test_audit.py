"""The audit log: append-only, readable only by the auditor of the same organisation."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from uppsok.accounts.models import Membership
from uppsok.audit.log import record
from uppsok.audit.models import AppendOnlyError, AuditAction, AuditEvent
from uppsok.core.access import access_object

pytestmark = pytest.mark.django_db


def test_rows_cannot_be_changed_or_deleted_through_the_orm(alice, org_a):
    event = record(alice, AuditAction.CHANGE, organisation=org_a, object_type="x", object_id="1")
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_database_triggers_refuse_raw_update_and_delete(alice, org_a):
    from importlib import import_module

    migration = import_module("uppsok.audit.migrations.0002_append_only_triggers")
    event = record(alice, AuditAction.CHANGE, organisation=org_a, object_type="x", object_id="1")
    migration.install_triggers(connection)
    try:
        for sql in (
            "UPDATE audit_auditevent SET detail = 'x' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    finally:
        migration.remove_triggers(connection)
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_auditor_reads_and_filters_the_log(client_for, dana, alice, org_a):
    record(alice, AuditAction.EXPORT, organisation=org_a, object_type="outreach.ad", object_id="abc")
    record(alice, AuditAction.CHANGE, organisation=org_a, object_type="accounts.user", object_id="def")
    client = client_for(dana, org_a)
    page = client.get(reverse("audit:log")).content.decode()
    assert "outreach.ad" in page and "accounts.user" in page
    page = client.get(reverse("audit:log"), {"action": "export"}).content.decode()
    assert "outreach.ad" in page and "accounts.user" not in page
    page = client.get(reverse("audit:log"), {"actor": "nobody"}).content.decode()
    assert "outreach.ad" not in page


def test_it_checks_ownership(client_for, charlie, alice, org_a, org_b):
    record(alice, AuditAction.CHANGE, organisation=org_a, object_type="secret.type", object_id="a-row")
    client = client_for(charlie, org_b)
    assert "secret.type" not in client.get(reverse("audit:log")).content.decode()
    assert "secret.type" not in client.get(reverse("audit:export")).content.decode()


def test_other_roles_cannot_read_the_log(client_for, alice, bob, org_a):
    for user in (alice, bob):
        assert client_for(user, org_a).get(reverse("audit:log")).status_code == 403
    # Each refusal is itself in the log.
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, object_id="/granskning/").count() == 2


def test_export_is_logged_and_inert(client_for, dana, alice, org_a):
    record(alice, AuditAction.CHANGE, organisation=org_a, object_type="x", detail="=HYPERLINK(\"evil\")")
    response = client_for(dana, org_a).get(reverse("audit:export"))
    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor_id=dana.pk).exists()


def test_viewing_personal_data_is_logged(rf, alice, org_a, monkeypatch):
    membership = Membership.objects.get(user=alice, organisation=org_a, role="admin")
    monkeypatch.setattr(Membership, "contains_personal_data", True, raising=False)
    request = rf.get("/")
    request.user = alice
    request.organisation = org_a
    assert access_object(request, Membership, membership.pk) == membership
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert event.object_type == "accounts.membership"
    assert event.object_id == str(membership.pk)
    assert event.actor_id == alice.pk


def test_access_object_gives_404_for_missing_and_foreign_rows(rf, alice, charlie, org_a, org_b):
    from django.http import Http404

    foreign = Membership.objects.filter(user=charlie).first()
    request = rf.get("/")
    request.user = alice
    request.organisation = org_a
    for pk in (foreign.pk, "00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        with pytest.raises(Http404):
            access_object(request, Membership, pk)


def test_auditor_sees_logins_failures_and_wrong_codes(client_for, dana, alice, org_a):
    from django.test import Client

    from .conftest import PASSWORD

    client = Client()
    client.post("/konto/logga-in/", {"username": "alice", "password": "wrong-password-here"})
    client.post("/konto/logga-in/", {"username": "alice", "password": PASSWORD})
    client.post("/konto/tvafaktor/", {"token": "000000"})
    page = client_for(dana, org_a).get(reverse("audit:log")).content.decode()
    for label in ("Misslyckad inloggning", "Inloggning", "Felaktig engångskod"):
        assert f"<td>{label}</td>" in page, label


def test_refusal_without_an_active_organisation_reaches_the_persons_organisations(client_for, org_a, org_b, settings):
    from uppsok.accounts.models import Role

    from .conftest import make_user

    settings.ROOT_URLCONF = "tests.broken_urls"
    user = make_user("two-orgs", org_a, [Role.OUTREACH])
    Membership.objects.create(user=user, organisation=org_b, role=Role.CASEWORKER)
    client = client_for(user)  # no organisation chosen yet
    assert client.get("/odeklarerad/").status_code == 403
    rows = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, actor_id=user.pk)
    assert set(rows.values_list("organisation_id", flat=True)) == {org_a.pk, org_b.pk}
