"""Views for persons, cases, referrals, routines, screening and retention."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsok.accounts.models import Membership, Organisation, Role, User
from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.access import access_object, active_organisation, audit_lookup, scoped
from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict
from uppsok.core.decorators import requires
from uppsok.core.forms import post_data, tell_conflict
from uppsok.outreach.models import Ad, Contact

from . import actions, forms
from .access import access_incoming_referral, incoming_referrals, routines_of_active_organisation
from .models import (
    INDICATORS,
    AgeBand,
    Case,
    CaseNeed,
    CaseOrigin,
    CaseRoutineStep,
    CaseStatus,
    Consent,
    ConsentKind,
    IndicatorGroup,
    IndicatorObservation,
    NeedArea,
    Person,
    Referral,
    ReferralStatus,
    RoutineTemplate,
    ScreeningAnswer,
    ScreeningRecord,
    StepStatus,
)
from .pdf import referral_pdf as build_referral_pdf

PAGE_SIZE = 50


def _caps(request: HttpRequest) -> set[str]:
    return {str(c) for c in request.capabilities}  # type: ignore[attr-defined]


def _can_see_identity(request: HttpRequest) -> bool:
    return Cap.PERSONS_IDENTITY in request.capabilities  # type: ignore[attr-defined]


def _workers(request: HttpRequest) -> QuerySet[User]:
    ids = scoped(request, Membership).filter(role=Role.CASEWORKER, is_active=True).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "username")


def _partners(request: HttpRequest) -> QuerySet[Organisation]:
    """Organisations on the platform that share a network with the active organisation."""
    org = active_organisation(request)
    return (
        Organisation.objects.filter(networks__in=org.networks.all()).exclude(pk=org.pk).distinct().order_by("name")
    )


def _routines(request: HttpRequest) -> QuerySet[RoutineTemplate]:
    return routines_of_active_organisation(request)


def _case(request: HttpRequest, case_id: Any, *, audit_view: bool = True) -> Case:
    qs = scoped(request, Case).select_related("person", "case_type", "case_worker", "routine")
    return access_object(request, Case, case_id, queryset=qs, audit_view=audit_view)


def _open_case(request: HttpRequest, case_id: Any, *, audit_view: bool = False) -> Case:
    """A case that can still be worked on; pages that show its content pass audit_view=True."""
    case = _case(request, case_id, audit_view=audit_view)
    if case.anonymised_at is not None:
        raise Http404
    return case


# --- Cases -------------------------------------------------------------------------------------


@requires(Cap.CASES_VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET or None)
    rows = scoped(request, Case).filter(anonymised_at__isnull=True)
    term = ""
    if form.is_valid():
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["case_type"]:
            rows = rows.filter(case_type=form.cleaned_data["case_type"])
        if form.cleaned_data["mine"]:
            rows = rows.filter(case_worker=request.user)
        term = form.cleaned_data["q"].strip()
        if term:
            rows = rows.filter(person__alias__icontains=term)
    # Two steps so that deep pages stay fast: page through the ids on the (organisation, opened_on)
    # index alone, then load the 50 rows with their joins.
    ids = rows.order_by("-opened_on", "-created_at").values_list("id", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("sida"))
    if term:
        # A search by alias is a look-up of a person: logged, but only as a keyed digest of the term.
        audit_lookup(request, "alias", term, results=page.paginator.count)
    page_ids = list(page.object_list)
    loaded = scoped(request, Case).filter(pk__in=page_ids).select_related("person", "case_type", "case_worker").only(
        "id", "status", "origin", "opened_on", "closed_on", "next_meeting_at", "recontact_on",
        "person__id", "person__alias", "person__age_band", "case_type__name",
        "case_worker__id", "case_worker__username", "case_worker__first_name", "case_worker__last_name",
    )
    by_id = {c.pk: c for c in loaded}
    page.object_list = [by_id[i] for i in page_ids if i in by_id]
    query = request.GET.copy()
    query.pop("sida", None)
    return render(request, "cases/case_list.html", {"form": form, "page": page, "query": query.urlencode()})


def _age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    for limit, band in ((15, AgeBand.UNDER_15), (18, AgeBand.A15_17), (25, AgeBand.A18_24), (35, AgeBand.A25_34),
                        (45, AgeBand.A35_44), (55, AgeBand.A45_54)):
        if age < limit:
            return band
    return AgeBand.A55


def _source(request: HttpRequest) -> tuple[Ad | None, Contact | None]:
    """The ad or contact outreach hands over, fetched inside the organisation (another's is a 404)."""
    ad = contact = None
    if request.GET.get("contact"):
        contact = access_object(
            request, Contact, request.GET["contact"], queryset=scoped(request, Contact).select_related("ad")
        )
        ad = contact.ad
    elif request.GET.get("ad"):
        ad = access_object(request, Ad, request.GET["ad"])
    return ad, contact


@requires(Cap.CASES_EDIT)
def case_create(request: HttpRequest) -> HttpResponse:
    org = active_organisation(request)
    person = None
    if request.GET.get("person"):
        person = access_object(request, Person, request.GET["person"])
    ad, contact = _source(request)
    from_referral = None
    if request.GET.get("remiss"):
        from_referral = access_incoming_referral(request, request.GET["remiss"])
        if from_referral.status != ReferralStatus.ACCEPTED:
            raise Http404
    show_identity = _can_see_identity(request)
    person_initial = {"age_band": _age_band(ad.stated_age)} if ad is not None else {}
    person_form = None if person else forms.PersonForm(
        post_data(request), prefix="person", show_identity=show_identity, initial=person_initial
    )
    case_initial: dict[str, Any] = {"case_worker": request.user.pk, "opened_on": timezone.localdate()}
    if ad is not None or contact is not None:
        case_initial["origin"] = CaseOrigin.OUTREACH_ONLINE
    if from_referral is not None:
        case_initial["origin"] = CaseOrigin.REFERRAL_IN
    case_form = forms.CaseForm(post_data(request), prefix="case", workers=_workers(request), initial=case_initial)
    if request.method == "POST" and case_form.is_valid() and (person_form is None or person_form.is_valid()):
        case = actions.do_create_case(
            request.user, org,  # type: ignore[arg-type]
            case_data=case_form.cleaned_data,
            person=person,
            person_data=person_form.cleaned_data if person_form else None,
            capabilities=_caps(request),
            extra={"source_ad": ad, "source_contact": contact},
        )
        messages.success(request, _("Ärendet är skapat. Fyll i personens behov."))
        return redirect("cases:needs", case_id=case.pk)
    return render(
        request, "cases/case_form.html",
        {
            "person_form": person_form, "case_form": case_form, "person": person, "creating": True,
            "source_label": _source_label(ad, contact) or (
                _("Ärendet startar från en accepterad remiss från %(org)s.") % {"org": from_referral.organisation.name}
                if from_referral is not None else ""
            ),
        },
    )


def _source_label(ad: Ad | None, contact: Contact | None) -> str:
    if contact is not None:
        return _("Ärendet startar från en kontakt i det uppsökande arbetet (%(date)s).") % {
            "date": timezone.localtime(contact.contacted_at).strftime("%Y-%m-%d")
        }
    if ad is not None:
        return _("Ärendet startar från en annons i det uppsökande arbetet (%(site)s).") % {"site": ad.site or "–"}
    return ""


@requires(Cap.CASES_VIEW)
def case_detail(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _case(request, case_id)
    needs = list(scoped(request, CaseNeed).filter(case=case))
    expressed = [n for n in needs if n.expressed_at_start]
    needs_summary = {
        "expressed": len(expressed),
        "met": sum(1 for n in expressed if n.met_at_close == "yes"),
        "partly": sum(1 for n in expressed if n.met_at_close == "partly"),
    }
    observed = set(scoped(request, IndicatorObservation).filter(case=case).values_list("code", flat=True))
    indicator_groups = [
        (group.label, [label for code, g, label in INDICATORS if g == group and code in observed])
        for group in IndicatorGroup
    ]
    today = timezone.localdate()
    steps = list(scoped(request, CaseRoutineStep).filter(case=case))
    for step in steps:
        step.overdue = step.status == StepStatus.TODO and step.due_on is not None and step.due_on < today
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "show_identity": _can_see_identity(request),
            "needs": needs,
            "needs_summary": needs_summary,
            "activities": case.activities.select_related("performed_by")[:50],
            "consents": case.consents.select_related("to_organisation"),
            "indicator_groups": indicator_groups,
            "indicator_count": len(observed),
            "safety": case.safety_assessments.all()[:10],
            "referrals": case.referrals.select_related("to_organisation", "consent"),
            "steps": steps,
            "can_edit": Cap.CASES_EDIT in request.capabilities and case.anonymised_at is None,  # type: ignore[attr-defined]
            "can_see_outreach": Cap.OUTREACH_VIEW in request.capabilities,  # type: ignore[attr-defined]
        },
    )


@requires(Cap.CASES_EDIT)
def case_edit(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id, audit_view=True)
    form = forms.CaseForm(post_data(request), instance=case, prefix="case", workers=_workers(request))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        case.refresh_from_db()
        try:
            actions.do_update_case(request.user, case, changes, loaded=form.loaded)  # type: ignore[arg-type]
        except EditConflict as conflict:
            tell_conflict(request)
            form = forms.CaseForm(instance=conflict.current, prefix="case", workers=_workers(request))
            return render(request, "cases/case_form.html", {"case_form": form, "case": case, "creating": False},
                          status=409)
        messages.success(request, _("Ärendet är sparat."))
        return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/case_form.html", {"case_form": form, "case": case, "creating": False})


@requires(Cap.CASES_EDIT)
def needs(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id, audit_view=True)
    current = list(scoped(request, CaseNeed).filter(case=case, expressed_at_start=True).values_list("area", flat=True))
    form = forms.NeedsStartForm(post_data(request), initial={"areas": current})
    if request.method == "POST" and form.is_valid():
        actions.do_set_needs_at_start(request.user, case, form.cleaned_data["areas"])  # type: ignore[arg-type]
        messages.success(request, _("Behoven är sparade."))
        return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/needs_form.html", {"case": case, "form": form})


@requires(Cap.CASES_EDIT)
def case_close(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id, audit_view=True)
    if case.status == CaseStatus.CLOSED:
        messages.info(request, _("Ärendet är redan avslutat."))
        return redirect("cases:case_detail", case_id=case.pk)
    labels = dict(NeedArea.choices)
    areas = [
        (a, labels[a])
        for a in scoped(request, CaseNeed).filter(case=case, expressed_at_start=True).values_list("area", flat=True)
    ]
    form = forms.CloseCaseForm(post_data(request), areas=areas, opened_on=case.opened_on)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_close_case(
                request.user, case, met=form.met(),  # type: ignore[arg-type]
                closed_on=form.cleaned_data["closed_on"], close_note=form.cleaned_data["close_note"],
            )
        except actions.ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Ärendet är avslutat."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/close_form.html", {"case": case, "form": form})


@requires(Cap.CASES_EDIT)
@require_POST
def case_reopen(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id)
    if case.status == CaseStatus.CLOSED:
        actions.do_reopen_case(request.user, case)  # type: ignore[arg-type]
        messages.success(request, _("Ärendet är öppnat igen."))
    return redirect("cases:case_detail", case_id=case.pk)


@requires(Cap.CASES_EDIT)
def activity_add(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id)
    form = forms.ActivityForm(post_data(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions.do_add_activity(request.user, case, form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Stödinsatsen är registrerad."))
        return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/simple_form.html", {
        "case": case, "form": form, "title": _("Registrera stödinsats"), "submit": _("Spara stödinsats"),
    })


@requires(Cap.CASES_EDIT)
def consent_add(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id)
    form = forms.ConsentForm(
        post_data(request), partners=_partners(request),
        initial={"given_on": timezone.localdate(), "kind": ConsentKind.SHARE_REFERRAL},
    )
    if request.method == "POST" and form.is_valid():
        actions.do_add_consent(request.user, case, form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Samtycket är registrerat."))
        return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/simple_form.html", {
        "case": case, "form": form, "title": _("Registrera samtycke"), "submit": _("Spara samtycke"),
        "intro": _("Skriv exakt vad personen samtycker till, till vem och när. Samtycket kan återkallas när som helst."),
    })


@requires(Cap.CASES_EDIT)
@require_POST
def consent_withdraw(request: HttpRequest, case_id: Any, consent_id: Any) -> HttpResponse:
    case = _open_case(request, case_id)
    consent = access_object(request, Consent, consent_id, queryset=scoped(request, Consent).filter(case=case))
    try:
        stopped = actions.do_withdraw_consent(request.user, consent)  # type: ignore[arg-type]
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Samtycket är återkallat. %(n)s remiss(er) som byggde på det har stoppats.") % {"n": stopped}
        )
    return redirect("cases:case_detail", case_id=case.pk)


@requires(Cap.CASES_EDIT)
def indicators(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id, audit_view=True)
    observed = set(scoped(request, IndicatorObservation).filter(case=case).values_list("code", flat=True))
    initial = {g.value: [c for c, grp, _label in INDICATORS if grp == g and c in observed] for g in IndicatorGroup}
    form = forms.IndicatorForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.do_set_indicators(request.user, case, form.codes())  # type: ignore[arg-type]
        messages.success(request, _("Indikatorerna är sparade."))
        return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/simple_form.html", {
        "case": case, "form": form, "title": _("Indikationer på utsatthet"), "submit": _("Spara indikatorer"),
        "intro": _("Tecken som kan synas i mötet med personen (Skellefteå kommuns strategi). "
                   "Ett tecken är inget bevis – använd dem som stöd för att våga fråga."),
    })


@requires(Cap.CASES_EDIT)
def safety_add(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id)
    form = forms.SafetyForm(post_data(request), initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        assessment = actions.do_add_safety_assessment(request.user, case, form.cleaned_data)  # type: ignore[arg-type]
        if assessment.risk_level == "high":
            messages.warning(request, _("Hög risk: vid akut fara ring 112. Kontakta socialjouren om barn berörs."))
        else:
            messages.success(request, _("Säkerhetsbedömningen är sparad."))
        return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/simple_form.html", {
        "case": case, "form": form, "title": _("Säkerhetsbedömning"), "submit": _("Spara bedömning"),
        "intro": _("Fråga efter mötet om personens säkerhet. Kartlägg risker tillsammans med personen."),
    })


# --- Persons -----------------------------------------------------------------------------------


@requires(Cap.CASES_VIEW)
def person_detail(request: HttpRequest, person_id: Any) -> HttpResponse:
    person = access_object(request, Person, person_id)
    cases = scoped(request, Case).filter(person=person).select_related("case_type", "case_worker")
    return render(request, "cases/person_detail.html", {
        "person": person, "cases": cases, "show_identity": _can_see_identity(request),
    })


@requires(Cap.CASES_EDIT)
def person_edit(request: HttpRequest, person_id: Any) -> HttpResponse:
    person = access_object(request, Person, person_id)
    show_identity = _can_see_identity(request)
    form = forms.PersonForm(post_data(request), instance=person, show_identity=show_identity)
    status = 200
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        person.refresh_from_db()
        try:
            actions.do_update_person(request.user, person, changes, _caps(request),  # type: ignore[arg-type]
                                     loaded=form.loaded)
        except EditConflict as conflict:
            tell_conflict(request)
            form = forms.PersonForm(instance=conflict.current, show_identity=show_identity)
            status = 409
        else:
            messages.success(request, _("Uppgifterna om personen är sparade."))
            return redirect("cases:person_detail", person_id=person.pk)
    return render(request, "cases/simple_form.html", {
        "person": person, "form": form, "title": _("Ändra uppgifter om personen"), "submit": _("Spara"),
    }, status=status)


# --- Referrals (sending side) ------------------------------------------------------------------


@requires(Cap.CASES_EDIT)
def referral_create(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id, audit_view=True)
    can_override = Cap.REFERRAL_OVERRIDE in request.capabilities  # type: ignore[attr-defined]
    consents = scoped(request, Consent).for_sharing().filter(case=case).select_related("to_organisation")
    form = forms.ReferralForm(
        post_data(request), partners=_partners(request), consents=consents, can_override=can_override
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.do_create_referral(
                request.user, case,  # type: ignore[arg-type]
                capabilities=_caps(request),
                summary=form.cleaned_data["summary"],
                to_organisation=form.cleaned_data["to_organisation"],
                external_recipient=form.cleaned_data["external_recipient"],
                consent=form.cleaned_data["consent"],
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except actions.ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Remissen är skapad."))
            return redirect("cases:referral_detail", referral_id=referral.pk)
    return render(request, "cases/referral_form.html", {
        "case": case, "form": form, "can_override": can_override, "has_consent": consents.exists(),
    })


@requires(Cap.CASES_VIEW)
def referral_detail(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = access_object(
        request, Referral, referral_id,
        queryset=scoped(request, Referral).select_related("case", "to_organisation", "consent", "created_by"),
    )
    return render(request, "cases/referral_detail.html", {"referral": referral})


@requires(Cap.CASES_VIEW)
def referral_pdf(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = access_object(
        request, Referral, referral_id, queryset=scoped(request, Referral).select_related("to_organisation", "consent"),
        audit_view=False,
    )
    if referral.status == ReferralStatus.WITHDRAWN or not referral.has_basis:
        raise Http404
    org = active_organisation(request)
    data = build_referral_pdf(referral, org)
    record(request.user, AuditAction.EXPORT, organisation=org, obj=referral, detail="pdf")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="remiss-{str(referral.pk)[:8]}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- Referrals (receiving side) ----------------------------------------------------------------


@requires(Cap.CASES_VIEW)
def incoming_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(incoming_referrals(request).order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "cases/incoming_list.html", {"page": page})


@requires(Cap.CASES_VIEW)
def incoming_detail(request: HttpRequest, incoming_id: Any) -> HttpResponse:
    referral = access_incoming_referral(request, incoming_id)
    form = forms.RespondReferralForm(post_data(request))
    if request.method == "POST":
        if Cap.CASES_EDIT not in request.capabilities:  # type: ignore[attr-defined]
            raise Http404
        if form.is_valid():
            try:
                actions.do_respond_referral(
                    request.user, active_organisation(request), referral,  # type: ignore[arg-type]
                    accept=form.cleaned_data["decision"] == "accept", note=form.cleaned_data["note"],
                )
            except actions.ActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Ditt svar är skickat till avsändaren."))
                return redirect("cases:incoming_list")
    return render(request, "cases/incoming_detail.html", {"referral": referral, "form": form})


# --- Routine checklist -------------------------------------------------------------------------


@requires(Cap.CASES_EDIT)
def case_routine(request: HttpRequest, case_id: Any) -> HttpResponse:
    case = _open_case(request, case_id)
    routines = _routines(request)
    form = forms.RoutineChoiceForm(post_data(request), routines=routines, initial={"routine": case.routine_id})
    if request.method == "POST" and form.is_valid():
        try:
            n = actions.do_apply_routine(request.user, case, form.cleaned_data["routine"])  # type: ignore[arg-type]
        except actions.ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rutinen med %(n)s steg är kopplad till ärendet.") % {"n": n})
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/routine_choose.html", {
        "case": case, "form": form, "routines": routines.prefetch_related("steps"),
    })


@requires(Cap.CASES_EDIT)
@require_POST
def routine_step_update(request: HttpRequest, case_id: Any, step_id: Any) -> HttpResponse:
    case = _open_case(request, case_id)
    step = access_object(request, CaseRoutineStep, step_id, queryset=scoped(request, CaseRoutineStep).filter(case=case))
    form = forms.StepStatusForm(request.POST)
    if form.is_valid():
        done_on = form.cleaned_data["done_on"]
        if done_on and done_on > timezone.localdate():
            messages.error(request, _("Datumet kan inte ligga i framtiden."))
        else:
            actions.do_set_step_status(request.user, step, form.cleaned_data["status"], done_on)  # type: ignore[arg-type]
            messages.success(request, _("Steget är uppdaterat."))
    else:
        messages.error(request, _("Välj en giltig status för steget."))
    return redirect("cases:case_detail", case_id=case.pk)


@requires(Cap.CASES_VIEW)
def routine_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/routine_list.html", {"routines": _routines(request).prefetch_related("steps")})


# --- Screening (seed 003) ----------------------------------------------------------------------


def _period(form: forms.PeriodForm) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    end = today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return start, end


@requires(Cap.CASES_VIEW)
def screening(request: HttpRequest) -> HttpResponse:
    period_form = forms.PeriodForm(request.GET or None)
    start, end = _period(period_form)
    rows = scoped(request, ScreeningRecord).filter(meeting_date__gte=start, meeting_date__lte=end)
    per_month = (
        rows.annotate(month=TruncMonth("meeting_date")).values("month").order_by("month").annotate(
            meetings=Count("id"),
            asked=Count("id", filter=Q(asked=True)),
            yes=Count("id", filter=Q(answer=ScreeningAnswer.YES)),
            declined=Count("id", filter=Q(answer=ScreeningAnswer.DECLINED)),
        )
    )
    totals = rows.aggregate(
        meetings=Count("id"), asked=Count("id", filter=Q(asked=True)),
        yes=Count("id", filter=Q(answer=ScreeningAnswer.YES)),
        declined=Count("id", filter=Q(answer=ScreeningAnswer.DECLINED)),
    )
    return render(request, "cases/screening.html", {
        "period_form": period_form, "start": start, "end": end, "per_month": per_month, "totals": totals,
        "form": forms.ScreeningForm(initial={"meeting_date": timezone.localdate()}),
    })


@requires(Cap.CASES_EDIT)
def screening_add(request: HttpRequest) -> HttpResponse:
    form = forms.ScreeningForm(post_data(request), initial={"meeting_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions.do_record_screening(request.user, active_organisation(request), form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Klientmötet är registrerat."))
        return redirect("cases:screening")
    return render(request, "cases/simple_form.html", {
        "form": form, "title": _("Registrera klientmöte"), "submit": _("Spara"),
        "intro": _("Ingen uppgift om klienten sparas – bara om frågan om sex mot ersättning ställdes och svaret."),
    })


# --- Retention ---------------------------------------------------------------------------------


@requires(Cap.RETENTION_VIEW)
def retention(request: HttpRequest) -> HttpResponse:
    """The retention page covers every kind of personal data now; its old address still leads there."""
    return redirect("core:retention", permanent=True)
