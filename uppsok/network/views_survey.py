"""The sector survey (step 2): the coordinator makes one signed link per actor, the actor answers
without an account, and the network sees averages per category and a picture of the town."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsok.core.capabilities import Cap
from uppsok.core.decorators import in_network, public
from uppsok.core.forms import post_data

from . import actions_survey as actions
from . import forms, steps, survey_links
from .access import access_network_object, active_network, can_edit, network_scoped
from .actions import ActionError
from .models import SectorSurvey, SurveyAnswer, SurveyLink

REFUSALS = {
    survey_links.INVALID: (404, _("Länken är ogiltig. Kontrollera att du har fått med hela länken, eller be "
                                  "nätverkets samordnare om en ny.")),
    survey_links.EXPIRED: (410, _("Länken har gått ut. Be nätverkets samordnare om en ny länk.")),
    survey_links.USED: (410, _("Enkäten är redan besvarad med den här länken. Tack för dina svar!")),
}


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def survey_list(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    form = forms.SurveyForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        survey = actions.do_create_survey(request.user, network, form.cleaned_data["title"])  # type: ignore[arg-type]
        return redirect("network:survey", network_id=network.pk, survey_id=survey.pk)
    return render(request, "network/surveys.html", {
        "network": network, "surveys": network_scoped(request, SectorSurvey), "form": form,
        "can_edit": can_edit(request),
    })


@in_network(Cap.NETWORK_VIEW, POST=Cap.NETWORK_EDIT)
def survey_detail(request: HttpRequest, network_id: Any, survey_id: Any) -> HttpResponse:
    network = active_network(request)
    survey = access_network_object(request, SectorSurvey, survey_id)
    form = forms.SurveyLinkForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            link = actions.do_create_survey_link(request.user, survey, d["respondent"], d["sector"], d["days"])  # type: ignore[arg-type]
        except ActionError as exc:
            form.add_error("days", str(exc))
        else:
            messages.success(request, _("Länken till %(r)s är skapad. Kopiera den från listan och skicka den.") % {
                "r": link.respondent})
            return redirect("network:survey", network_id=network.pk, survey_id=survey.pk)
    editor = can_edit(request)
    links = list(network_scoped(request, SurveyLink).filter(survey=survey))
    answers = list(network_scoped(request, SurveyAnswer).filter(survey=survey).values_list("sector", "answers"))
    by_sector: dict[str, int] = {}
    for sector, _a in answers:
        by_sector[sector or _("okänd bransch")] = by_sector.get(sector or _("okänd bransch"), 0) + 1
    return render(request, "network/survey.html", {
        "network": network, "survey": survey, "form": form, "can_edit": editor,
        # the links are the respondents' keys: only the coordinator sees them
        "links": [(link, request.build_absolute_uri(
            reverse("network:survey_answer", kwargs={"token": survey_links.token_for(link)})) if editor else "")
            for link in links],
        "averages": steps.survey_category_averages([a for _s, a in answers]),
        "answer_count": len(answers), "by_sector": sorted(by_sector.items()),
    })


@public
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    link, why = survey_links.link_for_token(token)
    if why:
        status, text = REFUSALS[why]
        return render(request, "network/survey_refused.html", {"message": text}, status=status)
    form = forms.survey_answer_form_class()(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_answer_survey(token, form.cleaned_data)
        except actions.SurveyRefused as exc:
            status, text = REFUSALS[exc.reason]
            return render(request, "network/survey_refused.html", {"message": text}, status=status)
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "network/survey_thanks.html", {"network_name": link.network.name})
    groups = [(label, [form[key] for key, _t in statements]) for _k, label, statements in steps.SURVEY_CATEGORIES]
    return render(request, "network/survey_answer.html", {
        "form": form, "groups": groups, "survey": link.survey, "network_name": link.network.name,
        "respondent": link.respondent,
    })
