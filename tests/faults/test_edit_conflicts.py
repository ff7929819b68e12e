"""Two people editing the same record: Alice and Bob open the same edit page, Alice saves, then Bob
saves what he typed over the page he loaded. Bob is told that someone else changed it and sees
their values in the form; nothing of his is saved and Alice's values stay. Saving again from the
form he is shown then works."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.cases.conftest import make_case
from tests.factories import make_user
from tests.network.conftest import nora  # noqa: F401 - the network's coordinator, a fixture
from uppsok.accounts.models import Membership, Role
from uppsok.audit.models import AuditEvent
from uppsok.cases.models import Case, Person
from uppsok.core.changes import EditConflict, Loaded, row_version, save_changes
from uppsok.network.models import NetworkRole, StepEntry, SubGoal, YearlyTarget
from uppsok.outreach import actions as outreach_actions
from uppsok.outreach.models import Ad, MessageTemplate

TOLD = "Någon annan har ändrat det här under tiden. Deras ändringar visas nedan – gör om din ändring."


def version_on(page: str) -> str:
    found = re.findall(r'name="(?:[\w-]+-)?loaded_version" value="([0-9a-f]*)"', page)
    assert len(found) == 1 and found[0], "the edit page carries one version of what it shows"
    return found[0]


def loaded(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return version_on(response.content.decode())


@pytest.fixture
def bob_too(bob, org_a):
    """Bob, Alice's teammate, with the outreach role as well (he is a case worker)."""
    Membership.objects.create(user=bob, organisation=org_a, role=Role.OUTREACH)
    return bob


# --- outreach ----------------------------------------------------------------------------------


def test_ad_status(alice, bob_too, org_a, client_for):
    ad, _ = outreach_actions.do_capture_ad(alice, org_a, {"url": "https://rosasidan.ws/ad/1", "text": "Ny i stan"})
    a, b = client_for(alice, org_a), client_for(bob_too, org_a)
    page = reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk})
    url = reverse("outreach:ad_status", kwargs={"ad_id": ad.pk})
    va, vb = loaded(a, page), loaded(b, page)
    assert a.post(url, {"status": "contacted", "loaded_version": va}).status_code == 302
    answer = b.post(url, {"status": "closed", "loaded_version": vb}, follow=True)
    assert TOLD in answer.content.decode()
    ad.refresh_from_db()
    assert ad.status == "contacted"
    # the page he is sent back to shows the status as it is now, and a save from it works
    assert b.post(url, {"status": "closed", "loaded_version": version_on(answer.content.decode())}).status_code == 302
    ad.refresh_from_db()
    assert ad.status == "closed"


def test_message_template(alice, bob_too, org_a, client_for):
    template = MessageTemplate.objects.create(organisation=org_a, name="Första", body="Hej! Vi finns här.")
    a, b = client_for(alice, org_a), client_for(bob_too, org_a)
    url = reverse("outreach:template_edit", kwargs={"template_id": template.pk})
    va, vb = loaded(a, url), loaded(b, url)
    assert a.post(url, {"name": "Första", "body": "Alice text", "is_active": "on", "loaded_version": va}).status_code == 302
    answer = b.post(url, {"name": "Bobs namn", "body": "Bob text", "is_active": "on", "loaded_version": vb})
    page = answer.content.decode()
    assert answer.status_code == 409 and TOLD in page and "Alice text" in page and "Bob text" not in page
    template.refresh_from_db()
    assert (template.name, template.body) == ("Första", "Alice text")
    again = b.post(url, {"name": "Bobs namn", "body": "Bob text", "is_active": "on", "loaded_version": version_on(page)})
    assert again.status_code == 302
    template.refresh_from_db()
    assert template.body == "Bob text"


def test_a_form_that_does_not_say_what_it_showed_is_saved_as_before(alice, org_a, client_for):
    template = MessageTemplate.objects.create(organisation=org_a, name="Första", body="Hej!")
    url = reverse("outreach:template_edit", kwargs={"template_id": template.pk})
    assert client_for(alice, org_a).post(url, {"name": "Första", "body": "Utan version"}).status_code == 302
    template.refresh_from_db()
    assert template.body == "Utan version"


# --- cases -------------------------------------------------------------------------------------


@pytest.fixture
def alice_too(alice, org_a):
    """Alice with the case worker role as well."""
    Membership.objects.create(user=alice, organisation=org_a, role=Role.CASEWORKER)
    return alice


def _case_data(case: Case, recontact_on: str, version: str) -> dict[str, str]:
    return {"case-case_type": str(case.case_type_id), "case-origin": "tip", "case-case_worker": str(case.case_worker_id),
            "case-opened_on": case.opened_on.isoformat(), "case-recontact_on": recontact_on,
            "case-next_meeting_at": "", "case-loaded_version": version}


def test_case(alice_too, bob, org_a, client_for):
    case = make_case(org_a, bob)
    a, b = client_for(alice_too, org_a), client_for(bob, org_a)
    url = reverse("cases:case_edit", kwargs={"case_id": case.pk})
    va, vb = loaded(a, url), loaded(b, url)
    assert a.post(url, _case_data(case, "2026-02-01", va)).status_code == 302
    changes_before = AuditEvent.objects.filter(action="change", object_id=str(case.pk)).count()
    answer = b.post(url, _case_data(case, "2026-03-15", vb))
    page = answer.content.decode()
    assert answer.status_code == 409 and TOLD in page and 'value="2026-02-01"' in page
    case.refresh_from_db()
    assert case.recontact_on.isoformat() == "2026-02-01"
    assert AuditEvent.objects.filter(action="change", object_id=str(case.pk)).count() == changes_before
    assert b.post(url, _case_data(case, "2026-03-15", version_on(page))).status_code == 302
    case.refresh_from_db()
    assert case.recontact_on.isoformat() == "2026-03-15"


def test_person(alice_too, bob, org_a, client_for):
    person = make_case(org_a, bob).person
    a, b = client_for(alice_too, org_a), client_for(bob, org_a)
    url = reverse("cases:person_edit", kwargs={"person_id": person.pk})
    va, vb = loaded(a, url), loaded(b, url)
    fields = {"gender_identity": person.gender_identity, "population_group": person.population_group}
    assert a.post(url, {**fields, "alias": "Mira A", "age_band": "18-24", "loaded_version": va}).status_code == 302
    answer = b.post(url, {**fields, "alias": "Mira B", "age_band": "25-34", "loaded_version": vb})
    assert answer.status_code == 409 and TOLD in answer.content.decode() and "Mira A" in answer.content.decode()
    person = Person.objects.get(pk=person.pk)
    assert (person.alias, person.age_band) == ("Mira A", "18-24")


# --- network -----------------------------------------------------------------------------------


@pytest.fixture
def bob_coordinates(bob, network):
    NetworkRole.objects.create(network=network, user=bob, role=NetworkRole.Role.COORDINATOR)
    return bob


def test_a_step_part(client_for, nora, bob_coordinates, network):  # noqa: F811 - the fixture imported above
    a, b = client_for(nora), client_for(bob_coordinates)
    url = reverse("network:step_part", kwargs={"network_id": network.pk, "number": 0, "part": "beredskap"})
    scores = {"need": "3", "political": "2", "organisational": "3", "participants": "3", "period": "3",
              "resources": "3", "sustainability": "3"}
    va, vb = loaded(a, url), loaded(b, url)
    assert a.post(url, {**scores, "political_comment": "Noras bedömning", "loaded_version": va}).status_code == 302
    answer = b.post(url, {**scores, "political": "5", "political_comment": "Bobs bedömning", "loaded_version": vb})
    page = answer.content.decode()
    assert answer.status_code == 409 and TOLD in page and "Noras bedömning" in page
    assert list(StepEntry.objects.values_list("version", flat=True)) == [1]
    assert StepEntry.objects.get().data["political_comment"] == "Noras bedömning"
    again = {**scores, "political": "5", "political_comment": "Bobs bedömning", "loaded_version": version_on(page)}
    assert b.post(url, again).status_code == 302
    assert StepEntry.objects.order_by("-version").first().version == 2


def test_a_plan_outcome(client_for, nora, bob_coordinates, network):  # noqa: F811 - the fixture imported above
    goal = SubGoal.objects.create(network=network, title="Hotellen", order=1)
    target = YearlyTarget.objects.create(network=network, sub_goal=goal, year=2026, measure="hotell", target=10)
    a, b = client_for(nora), client_for(bob_coordinates)
    plan = reverse("network:plan", kwargs={"network_id": network.pk})
    url = reverse("network:outcome_record", kwargs={"network_id": network.pk, "target_id": target.pk})
    va, vb = loaded(a, plan), loaded(b, plan)
    a.post(url, {"outcome": 8, "comment": "Noras siffra", "loaded_version": va})
    answer = b.post(url, {"outcome": 3, "comment": "Bobs siffra", "loaded_version": vb}, follow=True)
    assert TOLD in answer.content.decode() and "Noras siffra" in answer.content.decode()
    target.refresh_from_db()
    assert (target.outcome, target.comment) == (8, "Noras siffra")


# --- stats --------------------------------------------------------------------------------------


def test_a_network_report_of_the_organisations_figures(alice, org_a, network, client_for):
    from uppsok.stats import network_stats
    from uppsok.stats.models import NetworkReport

    dag = make_user("dag", org_a, [Role.ADMIN])
    a, d = client_for(alice, org_a), client_for(dag, org_a)
    url = reverse("stats:network_report", kwargs={"network_id": network.pk, "year": 2026})
    measures = network_stats.measures(network)
    va, vd = loaded(a, url), loaded(d, url)

    def figures(values, version):
        return {**{f"m_{m.pk.hex}": v for m, v in zip(measures, values, strict=True)}, "loaded_version": version}

    assert a.post(url, figures([3, 0, 12, 9], va)).status_code == 302
    answer = d.post(url, figures([5, 5, 5, 5], vd))
    assert answer.status_code == 409 and TOLD in answer.content.decode()
    assert sorted(NetworkReport.objects.values_list("value", flat=True)) == [0, 3, 9, 12]
    assert d.post(url, figures([5, 5, 5, 5], version_on(answer.content.decode()))).status_code == 302
    assert sorted(NetworkReport.objects.values_list("value", flat=True)) == [5, 5, 5, 5]


# --- the rule itself ---------------------------------------------------------------------------


def test_save_changes_refuses_a_stale_version_and_keeps_others_fields(alice, org_a):
    template = MessageTemplate.objects.create(organisation=org_a, name="Första", body="Hej!")
    shown = Loaded(("body",), row_version(template, ("body",)))
    MessageTemplate.objects.filter(pk=template.pk).update(body="Ändrad av någon annan")
    with pytest.raises(EditConflict) as conflict:
        save_changes(alice, template, {"body": "Min text"}, organisation=org_a, loaded=shown)
    assert conflict.value.current.body == "Ändrad av någon annan"
    assert MessageTemplate.objects.get(pk=template.pk).body == "Ändrad av någon annan"
    # a change to a field the form did not show is no conflict, and is kept
    template.refresh_from_db()
    shown = Loaded(("body",), row_version(template, ("body",)))
    MessageTemplate.objects.filter(pk=template.pk).update(name="Nytt namn")
    save_changes(alice, template, {"body": "Min text"}, organisation=org_a, loaded=shown)
    assert MessageTemplate.objects.filter(pk=template.pk, name="Nytt namn", body="Min text").exists()
    assert not Ad.objects.exists()
