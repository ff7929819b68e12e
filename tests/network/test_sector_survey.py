"""The sector survey: a signed one-time link per actor, answered without an account; a tampered,
expired or used link is refused with a clear message and saves nothing; averages per category."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsok.network import steps
from uppsok.network.models import SectorSurvey, SurveyAnswer, SurveyLink
from uppsok.network.survey_links import token_for

pytestmark = pytest.mark.django_db

ALL_THREES = {k: "3" for k in steps.SURVEY_KEYS}


@pytest.fixture
def survey(network, nora):
    return SectorSurvey.objects.create(network=network, title="Hotell och salonger", created_by=nora)


def _link(survey, days=5, **kw):
    return SurveyLink.objects.create(network=survey.network, survey=survey, respondent="Hotell Kungen", sector="hotell",
                                     expires_at=timezone.now() + datetime.timedelta(days=days), **kw)


def _url(token):
    return reverse("network:survey_answer", kwargs={"token": token})


def test_the_coordinator_makes_a_link_and_an_anonymous_actor_answers(client_for, client, nora, hugo, network, survey):
    c = client_for(nora)
    detail = reverse("network:survey", kwargs={"network_id": network.pk, "survey_id": survey.pk})
    assert c.post(detail, {"respondent": "Nagelsalongen", "sector": "kroppsvård", "days": 14}).status_code == 302
    link = SurveyLink.objects.get(survey=survey)
    page = c.get(detail).content.decode()
    assert token_for(link) in page  # the coordinator copies it from the page
    # a member without edit rights sees the results, not the respondents' keys
    assert token_for(link) not in client_for(hugo).get(detail).content.decode()

    form = client.get(_url(token_for(link)))
    assert form.status_code == 200 and "Nagelsalongen" in form.content.decode()
    answers = {**ALL_THREES, "sexual_1": "5", "sexual_2": "4"}
    done = client.post(_url(token_for(link)), answers)
    assert done.status_code == 200 and "Tack för dina svar" in done.content.decode()
    saved = SurveyAnswer.objects.get()
    assert saved.answers["sexual_1"] == 5 and saved.sector == "kroppsvård"
    link.refresh_from_db()
    assert link.used_at is not None
    results = c.get(detail).content.decode()
    assert "4.5" in results or "4,5" in results


def test_a_used_link_is_refused_and_saves_nothing(client, survey):
    link = _link(survey)
    client.post(_url(token_for(link)), ALL_THREES)
    again = client.post(_url(token_for(link)), {k: "1" for k in steps.SURVEY_KEYS})
    assert again.status_code == 410 and "redan besvarad" in again.content.decode()
    assert SurveyAnswer.objects.count() == 1 and SurveyAnswer.objects.get().answers["general_1"] == 3
    assert client.get(_url(token_for(link))).status_code == 410


def test_an_expired_link_is_refused(client, survey):
    link = _link(survey, days=-1)
    r = client.post(_url(token_for(link)), ALL_THREES)
    assert r.status_code == 410 and "gått ut" in r.content.decode()
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize("change", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),   # the signature
    lambda t: ("f" if t[0] != "f" else "e") + t[1:],     # the id
    lambda t: t.split(":")[0],                            # no signature
    lambda t: "x",
])
def test_a_tampered_link_is_refused(client, survey, change):
    link = _link(survey)
    r = client.post(_url(change(token_for(link))), ALL_THREES)
    assert r.status_code == 404 and "ogiltig" in r.content.decode()
    assert not SurveyAnswer.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


def test_an_incomplete_or_out_of_range_answer_is_refused_whole(client, survey):
    link = _link(survey)
    partial = dict(ALL_THREES)
    del partial["domestic_2"]
    r = client.post(_url(token_for(link)), partial)
    assert r.status_code == 200 and "Välj en siffra" in r.content.decode()
    r = client.post(_url(token_for(link)), {**ALL_THREES, "general_1": "9"})
    assert r.status_code == 200
    assert not SurveyAnswer.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


def test_a_link_from_another_network_is_not_a_way_into_this_one(client_for, nora, network, other_network):
    theirs = SectorSurvey.objects.create(network=other_network, title="Deras")
    url = reverse("network:survey", kwargs={"network_id": network.pk, "survey_id": theirs.pk})
    assert client_for(nora).get(url).status_code == 404


@settings(max_examples=30, deadline=None)
@given(st.lists(st.fixed_dictionaries({k: st.integers(1, 5) for k in steps.SURVEY_KEYS}), min_size=1, max_size=8))
def test_category_averages_are_the_mean_of_both_statements(answers):
    for (_label, avg, n), (_key, _l, statements) in zip(steps.survey_category_averages(answers), steps.SURVEY_CATEGORIES,
                                                      strict=True):
        values = [a[k] for a in answers for k, _t in statements]
        assert n == len(answers)
        assert avg == round(sum(values) / len(values), 1)
