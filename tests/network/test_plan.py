"""The collaboration plan: sub-goals with yearly numeric targets, activities per year, and the
annual follow-up of targets against outcomes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uppsok.audit.models import AuditEvent
from uppsok.network.models import AnnualReview, PlanActivity, SubGoal, YearlyTarget

pytestmark = pytest.mark.django_db


def test_a_plan_with_targets_activities_and_a_follow_up(client_for, nora, hugo, network):
    c = client_for(nora)
    plan = reverse("network:plan", kwargs={"network_id": network.pk})
    c.post(plan, {"title": "Ökad kunskap hos hotellen"})
    goal = SubGoal.objects.get(network=network)
    target_url = reverse("network:target_set", kwargs={"network_id": network.pk, "sub_goal_id": goal.pk})
    c.post(target_url, {"year": 2026, "measure": "utbildade hotellanställda", "target": 40})
    c.post(target_url, {"year": 2027, "measure": "utbildade hotellanställda", "target": 60})
    # the same year and measure again changes the target instead of adding a second one
    c.post(target_url, {"year": 2026, "measure": "utbildade hotellanställda", "target": 45})
    assert sorted(YearlyTarget.objects.values_list("year", "target")) == [(2026, 45), (2027, 60)]
    # a year out of range is refused with nothing saved
    c.post(target_url, {"year": 1900, "measure": "x", "target": 1})
    assert YearlyTarget.objects.count() == 2
    c.post(reverse("network:activity_add", kwargs={"network_id": network.pk, "sub_goal_id": goal.pk}),
           {"year": 2026, "what": "Utbildning En säker hand", "responsible": "Frälsningsarmén"})
    activity = PlanActivity.objects.get()
    c.post(reverse("network:activity_status", kwargs={"network_id": network.pk, "activity_id": activity.pk}),
           {"status": "done"})
    activity.refresh_from_db()
    assert activity.status == "done"
    target = YearlyTarget.objects.get(year=2026)
    c.post(reverse("network:outcome_record", kwargs={"network_id": network.pk, "target_id": target.pk}),
           {"outcome": 38, "comment": "Två hotell bytte ägare."})
    target.refresh_from_db()
    assert target.outcome == 38
    c.post(reverse("network:review_save", kwargs={"network_id": network.pk, "sub_goal_id": goal.pk}),
           {"year": 2026, "summary": "Nästan nått.", "needs_next_year": "Nå de nya ägarna."})
    assert AnnualReview.objects.get(sub_goal=goal, year=2026).needs_next_year == "Nå de nya ägarna."
    page = client_for(hugo).get(plan).content.decode()  # members read the plan
    assert "inte nått" in page and "Nå de nya ägarna." in page and "Utbildning En säker hand" in page
    assert AuditEvent.objects.filter(network_id=network.pk, object_type="network.yearlytarget").exists()


def test_plan_rows_of_another_network_are_404(client_for, nora, network, other_network):
    theirs = SubGoal.objects.create(network=other_network, title="Deras")
    r = client_for(nora).post(reverse("network:target_set", kwargs={"network_id": network.pk, "sub_goal_id": theirs.pk}),
                              {"year": 2026, "measure": "x", "target": 1})
    assert r.status_code == 404 and not YearlyTarget.objects.exists()


def test_the_plan_page_reads_in_a_fixed_number_of_queries(client_for, nora, network):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(nora)
    url = reverse("network:plan", kwargs={"network_id": network.pk})

    def add_goals(n):
        for i in range(n):
            goal = SubGoal.objects.create(network=network, title=f"Delmål {i}", order=i)
            for year in (2026, 2027):
                YearlyTarget.objects.create(network=network, sub_goal=goal, year=year, measure="m", target=10)
                PlanActivity.objects.create(network=network, sub_goal=goal, year=year, what="a", responsible="r")
            AnnualReview.objects.create(network=network, sub_goal=goal, year=2026, summary="s")

    add_goals(1)
    c.get(url)
    with CaptureQueriesContext(connection) as one:
        assert c.get(url).status_code == 200
    add_goals(6)
    with CaptureQueriesContext(connection) as seven:
        assert c.get(url).status_code == 200
    assert len(seven) == len(one) <= 25
