"""The outreach pages and the audit log: every page that shows one person's data is a logged view,
every refused write is a logged refusal, and the views write no audit row of their own."""

from __future__ import annotations

import ast
import inspect

import pytest
from django.urls import reverse
from django.utils import timezone

from uppsok.audit.models import AuditEvent
from uppsok.outreach import actions, views
from uppsok.outreach.models import Incident, Platform, Shift, Tip


def _views_row(object_id) -> int:
    return AuditEvent.objects.filter(action="view", object_id=str(object_id)).count()


def test_every_page_of_one_persons_data_is_a_logged_view(alice, org_a, make_ad, client_for):
    ad = make_ad(phone="070-123 45 99", profile_name="Tove")
    block = actions.do_add_do_not_contact(alice, org_a, kind="profile", value="Tove")
    tip = Tip.objects.create(organisation=org_a, kind="anonymous_tip", text="+46701234599", ad=ad)
    incident = Incident.objects.create(organisation=org_a, occurred_at=timezone.now(), description="Hot")
    c = client_for(alice, org_a)
    pages = [
        (reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk}), ad.pk),
        (reverse("outreach:ad_group", kwargs={"ad_id": ad.pk}), ad.pk),
        (reverse("outreach:contact_add", kwargs={"ad_id": ad.pk}), ad.pk),
        (reverse("outreach:tip_new", kwargs={"ad_id": ad.pk}), ad.pk),
        (reverse("outreach:dnc_add") + f"?annons={ad.pk}", ad.pk),
        (reverse("outreach:dnc_delete", kwargs={"dnc_id": block.pk}), block.pk),
        (reverse("outreach:tip_detail", kwargs={"tip_id": tip.pk}), tip.pk),
        (reverse("outreach:incident_edit", kwargs={"incident_id": incident.pk}), incident.pk),
    ]
    for url, object_id in pages:
        before = _views_row(object_id)
        assert c.get(url).status_code == 200, url
        assert _views_row(object_id) == before + 1, url
    assert all(r.organisation_id == org_a.pk and r.detail == "" for r in AuditEvent.objects.filter(action="view"))


@pytest.mark.parametrize("route", ["shift_start", "shift_update", "platform_edit", "platform_account_add"])
def test_a_refused_write_is_logged(route, bob, org_a, client_for):
    shift = Shift.objects.create(organisation=org_a, started_at=timezone.now())
    platform = Platform.objects.create(organisation=org_a, name="P", address="p.se")
    kwargs = {"shift_update": {"shift_id": shift.pk}, "platform_edit": {"platform_id": platform.pk},
              "platform_account_add": {"platform_id": platform.pk}}.get(route, {})
    url = reverse(f"outreach:{route}", kwargs=kwargs)
    r = client_for(bob, org_a).post(url, {"notes": "x", "account_name": "x", "name": "Q", "kind": "escort",
                                          "address": "q.se", "end": "1"})
    assert r.status_code == 403
    assert AuditEvent.objects.filter(action="permission_denied", object_id=url[:64], organisation_id=org_a.pk).count() == 1
    shift.refresh_from_db()
    platform.refresh_from_db()
    assert Shift.objects.count() == 1 and shift.ended_at is None and shift.notes == ""
    assert platform.name == "P" and not platform.accounts.exists()


def test_pages_that_only_show_do_not_take_writes(alice, org_a, client_for):
    shift = Shift.objects.create(organisation=org_a, started_at=timezone.now())
    platform = Platform.objects.create(organisation=org_a, name="P", address="p.se")
    c = client_for(alice, org_a)
    for url in (reverse("outreach:shift_list"), reverse("outreach:shift_detail", kwargs={"shift_id": shift.pk}),
                reverse("outreach:platform_detail", kwargs={"platform_id": platform.pk})):
        assert c.post(url, {"notes": "x", "account_name": "x"}).status_code == 405, url
    assert Shift.objects.count() == 1 and not platform.accounts.exists()


def test_the_views_write_no_audit_row_themselves():
    # Audit rows are written by actions (with ids only); a view logs only through core.access.
    tree = ast.parse(inspect.getsource(views))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in imported if m and m.startswith("uppsok.audit")}


def test_the_export_is_logged_by_its_action(alice, org_a, make_ad, client_for):
    make_ad()
    make_ad(url="https://x.se/2", profile_name="Two")
    r = client_for(alice, org_a).get(reverse("outreach:ad_export"))
    assert r.status_code == 200 and len(r.content.decode().strip().splitlines()) == 3
    row = AuditEvent.objects.get(action="export", object_type="outreach.ad")
    assert row.organisation_id == org_a.pk and row.detail == "rows=2"
