"""The network's common statistics: members report their yearly figures (filled from their records
or entered), the network sees one table per year with small cells and their complements hidden,
the coordinator reminds those who have not reported."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_org, make_user
from uppsok.accounts.models import Role
from uppsok.network.models import FollowUp, NetworkMembership, NetworkRole
from uppsok.stats import figures, network_stats
from uppsok.stats.models import NetworkReport

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def nora(network):
    user = make_user("nora")
    NetworkRole.objects.create(network=network, user=user, role=NetworkRole.Role.COORDINATOR)
    return user


def _report(client, network, measures, values):
    data = {f"m_{m.pk.hex}": v for m, v in zip(measures, values, strict=True)}
    return client.post(reverse("stats:network_report", kwargs={"network_id": network.pk, "year": YEAR}), data)


def test_the_report_is_filled_from_the_records(client_for, alice, org_a, network):
    from uppsok.outreach.models import Tip

    for _ in range(3):
        Tip.objects.create(organisation=org_a, kind="anonymous_tip", text="t")
    Tip.objects.update(created_at=timezone.make_aware(datetime.datetime(YEAR, 3, 1, 12)))
    figures.refresh(org_a, datetime.date(YEAR, 1, 1), datetime.date(YEAR + 1, 1, 1))
    page = client_for(alice, org_a).get(reverse("stats:network_report", kwargs={"network_id": network.pk, "year": YEAR}))
    measures = network_stats.measures(network)
    assert f'name="m_{measures[0].pk.hex}" value="3"' in page.content.decode().replace("  ", " ")
    _report(client_for(alice, org_a), network, measures, [3, 0, 12, 9])
    rows = {r.measure.key: r for r in NetworkReport.objects.filter(organisation=org_a)}
    assert rows["incidents"].source == "uppsok" and rows["support_conversations"].source == "manual"


def test_the_network_table_hides_small_cells_from_every_reader(client_for, alice, org_a, charlie, org_b, network, nora):
    org_c = make_org("org-c", name="Polisen i Staden", kind="police")
    NetworkMembership.objects.create(network=network, organisation=org_c)
    police = make_user("polis", org_c, [Role.ADMIN])
    measures = network_stats.measures(network)
    _report(client_for(alice, org_a), network, measures, [2, 40, 31, 12])   # 2 is small
    _report(client_for(charlie, org_b), network, measures, [17, 25, 3, 8])  # 3 is small
    _report(client_for(police, org_c), network, measures, [23, 0, 0, 0])    # the police keep their records elsewhere
    url = reverse("stats:network_table", kwargs={"network_id": network.pk, "year": YEAR})
    for who, org in ((nora, None), (alice, org_a), (charlie, org_b)):
        page = client_for(who, org).get(url).content.decode()
        table = page[page.index("<tbody>"):page.index("</tbody>")]
        assert "<td>2</td>" not in table and "<td>3</td>" not in table
        # a hidden cell cannot be worked out: each column with a hidden cell hides at least two
        for col in range(4):
            cells = [row.split("<td>")[1 + col].split("</td>")[0] for row in table.split("<tr>")[1:-1]]
            hidden = cells.count("–")
            assert hidden == 0 or hidden >= 2
    assert ">42<" in page  # the incidents total is shown
    csv = client_for(charlie, org_b).get(reverse("stats:network_table_csv", kwargs={"network_id": network.pk, "year": YEAR}))
    assert b";2;" not in csv.content and b"Organisation A" in csv.content


def test_a_member_without_admin_rights_reads_but_does_not_report(client_for, bob, org_a, network):
    url = reverse("stats:network_report", kwargs={"network_id": network.pk, "year": YEAR})
    assert client_for(bob, org_a).get(url).status_code == 200
    assert client_for(bob, org_a).post(url, {}).status_code == 403


def test_an_organisation_outside_the_network_gets_404(client_for, network):
    outsider_org = make_org("utanfor")
    outsider = make_user("utan", outsider_org, [Role.ADMIN])
    url = reverse("stats:network_report", kwargs={"network_id": network.pk, "year": YEAR})
    assert client_for(outsider, outsider_org).get(url).status_code == 404
    assert client_for(outsider, outsider_org).get(
        reverse("stats:network_table", kwargs={"network_id": network.pk, "year": YEAR})).status_code == 404


def test_the_coordinator_reminds_those_who_have_not_reported(client_for, nora, alice, org_a, org_b, network):
    measures = network_stats.measures(network)
    _report(client_for(alice, org_a), network, measures, [9, 9, 9, 9])
    client_for(nora).post(reverse("stats:network_table", kwargs={"network_id": network.pk, "year": YEAR}))
    reminded = FollowUp.objects.get(network=network)
    assert reminded.responsible_organisation == org_b and str(YEAR) in reminded.what


def test_a_coordinator_adds_a_measure_members_enter_by_hand(client_for, nora, alice, org_a, network):
    client_for(nora).post(reverse("stats:measure_add", kwargs={"network_id": network.pk}), {"label": "Utbildade hotellanställda"})
    measures = network_stats.measures(network)
    assert measures[-1].label == "Utbildade hotellanställda" and measures[-1].source == ""
    page = client_for(alice, org_a).get(reverse("stats:network_report", kwargs={"network_id": network.pk, "year": YEAR}))
    assert "fylls i för hand" in page.content.decode()


def test_the_table_as_xlsx_and_the_annual_report(client_for, nora, alice, org_a, network):
    import io

    from openpyxl import load_workbook

    measures = network_stats.measures(network)
    _report(client_for(alice, org_a), network, measures, [2, 40, 31, 12])
    x = client_for(nora).get(reverse("stats:network_table_xlsx", kwargs={"network_id": network.pk, "year": YEAR}))
    book = load_workbook(io.BytesIO(x.content))
    sheet = book.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "Organisation A" and values[1][2] == 40 and isinstance(values[1][2], int)
    assert 2 not in values[1]  # hidden, not exported
    pdf = client_for(nora).get(reverse("stats:network_annual_report", kwargs={"network_id": network.pk, "year": YEAR}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_formula_looking_text_is_inert_in_xlsx():
    import io

    from openpyxl import load_workbook

    from uppsok.stats.exports import xlsx

    data = xlsx([("T", ["=1+1"], [["=HYPERLINK(\"x\")", 3]])])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A1"].value == "'=1+1" and sheet["A2"].value.startswith("'=") and sheet["B2"].value == 3


def test_a_target_bound_to_a_measure_takes_its_outcome_from_the_published_total(client_for, nora, alice, org_a, charlie, org_b, network):
    from uppsok.network.models import SubGoal, YearlyTarget

    measures = network_stats.measures(network)
    _report(client_for(alice, org_a), network, measures, [20, 40, 31, 12])
    _report(client_for(charlie, org_b), network, measures, [17, 25, 9, 8])
    goal = SubGoal.objects.create(network=network, title="Fler tips")
    client_for(nora).post(reverse("network:target_set", kwargs={"network_id": network.pk, "sub_goal_id": goal.pk}),
                          {"year": YEAR, "measure": "tips", "target": 30, "stats_measure": "incidents"})
    assert YearlyTarget.objects.get(sub_goal=goal).stats_measure == "incidents"
    page = client_for(nora).get(reverse("network:plan", kwargs={"network_id": network.pk})).content.decode()
    assert "ur statistiken: 37" in page and "nått" in page
