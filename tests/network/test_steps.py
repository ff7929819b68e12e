"""The process's steps: every save is a new version with who and when, the same content saves no
version, two versions side by side, readiness scored with the handbook's verdict, a step marked done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uppsok.network import steps
from uppsok.network.models import StepEntry, StepProgress

pytestmark = pytest.mark.django_db

SCORES = {"need": "3", "political": "2", "organisational": "3", "participants": "3", "period": "3",
          "resources": "3", "sustainability": "3", "political_comment": "Ingen förankring ännu."}


def _part_url(network, number=0, part="beredskap"):
    return reverse("network:step_part", kwargs={"network_id": network.pk, "number": number, "part": part})


def test_readiness_is_versioned_with_the_handbooks_verdict(client_for, nora, network):
    c = client_for(nora)
    assert c.post(_part_url(network), SCORES).status_code == 302
    page = c.get(reverse("network:step", kwargs={"network_id": network.pk, "number": 0})).content.decode()
    assert "Totalt 20 poäng" in page and "ännu inte redo" in page and "Politisk vilja" in page
    # the same content again makes no version
    c.post(_part_url(network), SCORES)
    assert StepEntry.objects.filter(network=network, step=0, part="beredskap").count() == 1
    c.post(_part_url(network), {**SCORES, "political": "4", "political_comment": "Nämnden har beslutat."})
    versions = list(StepEntry.objects.filter(network=network, part="beredskap").order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].data["political"] == 2 and versions[1].data["political"] == 4
    assert all(v.saved_by == nora for v in versions)
    page = c.get(reverse("network:step", kwargs={"network_id": network.pk, "number": 0})).content.decode()
    assert "Totalt 22 poäng" in page and "kan fortsätta" in page and "Beredskapen över tid" in page


def test_history_shows_two_versions_side_by_side(client_for, nora, hugo, network):
    c = client_for(nora)
    c.post(_part_url(network), SCORES)
    c.post(_part_url(network), {**SCORES, "political": "5"})
    url = reverse("network:step_history", kwargs={"network_id": network.pk, "number": 0, "part": "beredskap"})
    page = client_for(hugo).get(url).content.decode()  # a member without edit rights reads the history
    assert "Version 1 och 2 sida vid sida" in page
    assert page.count('class="changed"') == 2  # one changed row, both columns
    # versions that do not exist, or nonsense, show the list without a comparison
    assert "sida vid sida" not in c.get(url + "?a=7&b=9").content.decode()
    assert c.get(url + "?a=x&b=1").status_code == 200


def test_an_incomplete_score_has_no_total_and_a_bad_score_is_refused(client_for, nora, network):
    c = client_for(nora)
    c.post(_part_url(network), {"need": "4"})
    page = c.get(reverse("network:step", kwargs={"network_id": network.pk, "number": 0})).content.decode()
    assert "Alla sju delfrågor behöver en poäng" in page
    bad = c.post(_part_url(network), {**SCORES, "need": "9"})
    assert bad.status_code == 200
    assert StepEntry.objects.filter(network=network, part="beredskap").count() == 1


def test_totals_follow_the_handbook():
    assert steps.readiness_total({f.key: 3 for f in steps.READINESS.fields}) == 21
    assert "kan fortsätta" in steps.readiness_verdict(21)
    assert "ännu inte redo" in steps.readiness_verdict(20)
    assert steps.readiness_total({"need": 3}) is None


def test_direction_keeps_our_interpretation(client_for, nora, network):
    c = client_for(nora)
    c.post(_part_url(network, 0, "riktning"), {"g1": "ja", "g1_note": "  Utbildning för hotellen.  ", "g2": "nej"})
    entry = StepEntry.objects.get(network=network, part="riktning")
    assert entry.data == {"g1": "ja", "g1_note": "Utbildning för hotellen.", "g2": "nej"}


def test_a_step_is_marked_done_and_opened_again(client_for, nora, network):
    c = client_for(nora)
    url = reverse("network:step", kwargs={"network_id": network.pk, "number": 1})
    c.post(url, {"done": "1"})
    progress = StepProgress.objects.get(network=network, step=1)
    assert progress.done_at is not None and progress.done_by == nora
    overview = c.get(reverse("network:overview", kwargs={"network_id": network.pk})).content.decode()
    assert "Nästa steg att avsluta: steg 0" in overview
    c.post(url, {"done": "0"})
    progress.refresh_from_db()
    assert progress.done_at is None


def test_unknown_steps_and_parts_are_404(client_for, nora, network):
    c = client_for(nora)
    assert c.get(reverse("network:step", kwargs={"network_id": network.pk, "number": 8})).status_code == 404
    assert c.get(_part_url(network, 0, "finns-inte")).status_code == 404
    assert c.get(_part_url(network, 2, "beredskap")).status_code == 404
