"""Views of the online outreach work. Reads via core.access only; writes via actions.do_*."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Count, F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from uppsok.accounts.models import Membership, User
from uppsok.core.access import access_object, active_organisation, audit_lookup, scoped
from uppsok.core.capabilities import Cap
from uppsok.core.changes import EditConflict, Loaded, row_version
from uppsok.core.decorators import requires
from uppsok.core.exports import csv_response, safe_csv_cell
from uppsok.core.forms import VERSION_INPUT, post_data, post_files, tell_conflict

from . import actions, drafts, evidence, forms, imports, network_access, queries
from .analysis_adapter import normalise_phone, normalise_profile
from .models import (
    INDICATOR_LABELS,
    LINK_REASON_LABELS,
    Ad,
    AdIndicator,
    AdLink,
    AdPhone,
    Contact,
    DoNotContact,
    ImportJob,
    Incident,
    MessageTemplate,
    Platform,
    RiskAssessment,
    Shift,
    Sighting,
    Tip,
)

PAGE_SIZE = 50
OVERVIEW_COUNT_CAP = 10_000


def _org(request: HttpRequest) -> Any:
    return active_organisation(request)


# --- Overview -----------------------------------------------------------------------------------


@requires(Cap.OUTREACH_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    shifts = scoped(request, Shift).filter(ended_at__isnull=True).prefetch_related("workers")[:5]
    # Counted up to a cap: an exact COUNT(*) over a million ads costs more than the page is worth.
    ads = scoped(request, Ad)
    total = ads[: OVERVIEW_COUNT_CAP + 1].count()
    new = ads.filter(status=Ad.Status.NEW)[: OVERVIEW_COUNT_CAP + 1].count()
    more = _("fler än 10 000")
    stats = {"total": total if total <= OVERVIEW_COUNT_CAP else more, "new": new if new <= OVERVIEW_COUNT_CAP else more}
    return render(request, "outreach/overview.html", {"open_shifts": shifts, "stats": stats})


# --- Platforms ----------------------------------------------------------------------------------


@requires(Cap.OUTREACH_VIEW)
def platform_list(request: HttpRequest) -> HttpResponse:
    platforms = scoped(request, Platform).prefetch_related("accounts")
    form = forms.PlatformForm()
    return render(request, "outreach/platform_list.html", {"platforms": platforms, "form": form})


@requires(Cap.OUTREACH_CONFIGURE)
def platform_add(request: HttpRequest) -> HttpResponse:
    form = forms.PlatformForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            p = actions.do_save_platform(request.user, _org(request), form.cleaned_data)
        except actions.ActionError as exc:
            form.add_error("address", str(exc))
        else:
            messages.success(request, _("Plattformen är sparad."))
            return redirect("outreach:platform_detail", platform_id=p.pk)
    return render(request, "outreach/platform_form.html", {"form": form})


def _platform_page(request: HttpRequest, platform: Platform, form: Any = None, account_form: Any = None) -> HttpResponse:
    return render(
        request,
        "outreach/platform_detail.html",
        {"platform": platform, "form": form or forms.PlatformForm(instance=platform),
         "account_form": account_form or forms.PlatformAccountForm(),
         "can_configure": Cap.OUTREACH_CONFIGURE in request.capabilities,  # type: ignore[attr-defined]
         "accounts": platform.accounts.all()},
    )


def _shown_only(request: HttpRequest) -> HttpResponse | None:
    """A page that only shows answers a write with 405 (its writes have routes and markers of their
    own); called after the object is fetched, so another organisation's id is still a plain 404."""
    return None if request.method in ("GET", "HEAD") else HttpResponseNotAllowed(["GET", "HEAD"])


@requires(Cap.OUTREACH_VIEW)
def platform_detail(request: HttpRequest, platform_id: Any) -> HttpResponse:
    platform = access_object(request, Platform, platform_id)
    return _shown_only(request) or _platform_page(request, platform)


@requires(Cap.OUTREACH_CONFIGURE)
@require_POST
def platform_edit(request: HttpRequest, platform_id: Any) -> HttpResponse:
    platform = access_object(request, Platform, platform_id)
    form = forms.PlatformForm(post_data(request), instance=platform)
    if form.is_valid():
        platform.refresh_from_db()
        try:
            actions.do_save_platform(request.user, _org(request), form.cleaned_data, platform, loaded=form.loaded)
        except EditConflict as conflict:
            tell_conflict(request)
            response = _platform_page(request, conflict.current, form=forms.PlatformForm(instance=conflict.current))
            response.status_code = 409
            return response
        except actions.ActionError as exc:
            form.add_error("address", str(exc))
        else:
            messages.success(request, _("Plattformen är sparad."))
            return redirect("outreach:platform_detail", platform_id=platform.pk)
    return _platform_page(request, platform, form=form)


@requires(Cap.OUTREACH_CONFIGURE)
@require_POST
def platform_account_add(request: HttpRequest, platform_id: Any) -> HttpResponse:
    platform = access_object(request, Platform, platform_id)
    account_form = forms.PlatformAccountForm(post_data(request))
    if account_form.is_valid():
        actions.do_add_platform_account(request.user, _org(request), platform, account_form.cleaned_data)
        messages.success(request, _("Kontot är sparat."))
        return redirect("outreach:platform_detail", platform_id=platform.pk)
    return _platform_page(request, platform, account_form=account_form)


@requires(Cap.OUTREACH_VIEW)
def platform_coverage(request: HttpRequest) -> HttpResponse:
    """Platforms known in the organisation's networks that no member covers. Addresses only."""
    kinds = dict(Platform.Kind.choices)
    rows = []
    for network in network_access.networks_of_active_organisation(request):
        coverage = network_access.network_platform_coverage(request, network)
        for entry in coverage["uncovered"] + coverage["covered"]:
            entry["kind_label"] = kinds.get(entry["kind"], entry["kind"])
        rows.append({"network": network, **coverage})
    return render(request, "outreach/platform_coverage.html", {"rows": rows})


# --- Ads ----------------------------------------------------------------------------------------


def _filtered_ads(request: HttpRequest, form: forms.AdFilterForm) -> Any:
    qs = scoped(request, Ad)
    if not form.is_valid():
        return qs.order_by("-last_seen")
    d = form.cleaned_data
    lookup: tuple[str, str] | None = None
    if d.get("q"):
        phone = normalise_phone(d["q"]) if any(ch.isdigit() for ch in d["q"]) else None
        if phone:
            qs = qs.filter(pk__in=scoped(request, AdPhone).filter(e164=phone).values("ad_id"))
            lookup = ("ad_phone", phone)
        else:
            qs = qs.filter(profile_key=normalise_profile(d["q"]))
            lookup = ("ad_profile", normalise_profile(d["q"]))
    if d.get("site"):
        qs = qs.filter(site=d["site"])
    if d.get("city"):
        qs = qs.filter(city=d["city"])
    tz = timezone.get_current_timezone()
    if d.get("date_from"):
        qs = qs.filter(last_seen__gte=datetime.combine(d["date_from"], time.min, tzinfo=tz))
    if d.get("date_to"):
        qs = qs.filter(last_seen__lt=datetime.combine(d["date_to"] + timedelta(days=1), time.min, tzinfo=tz))
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    if d.get("group"):
        qs = qs.filter(group_key=d["group"])
    if d.get("indicator"):
        qs = qs.filter(
            pk__in=scoped(request, AdIndicator).filter(code=d["indicator"])
            .exclude(status=AdIndicator.Status.DISMISSED)
            .values("ad_id")
        )
    if lookup is not None:
        # a search by number or name is a look-up of a person: logged, the term only as a digest
        audit_lookup(request, *lookup, results=qs.count())
    sort = d.get("sort") or "-last_seen"
    # Within a town or site the newest first: the (organisation, city|site, -last_seen) indexes give
    # that order, so a page deep in a large town needs no sort of the whole town.
    if sort in ("city", "site"):
        return qs.order_by(sort, "-last_seen", "-id")
    return qs.order_by(sort, "-id")


def _page(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("sida", "1")), 10000))
    except ValueError:
        return 1


@requires(Cap.OUTREACH_VIEW)
def ad_list(request: HttpRequest) -> HttpResponse:
    form = forms.AdFilterForm(request.GET or None)
    page = _page(request)
    qs = _filtered_ads(request, form).only(
        "id", "last_seen", "site", "city", "profile_name", "title", "indicator_count", "group_key", "status"
    ).prefetch_related(Prefetch("phones", queryset=scoped(request, AdPhone).only("ad_id", "e164")))
    start = (page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "outreach/ad_list.html",
        {
            "form": form,
            "ads": rows[:PAGE_SIZE],
            "page": page,
            "has_next": has_next,
            "query": query.urlencode(),
            "statuses": dict(Ad.Status.choices),
        },
    )


@requires(Cap.OUTREACH_VIEW)
def ad_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV (at most 10,000 rows), every cell made inert for spreadsheets."""
    form = forms.AdFilterForm(request.GET or None)
    qs = _filtered_ads(request, form).prefetch_related("phones")[:10000]
    response, writer = csv_response("annonser.csv")
    writer.writerow(["senast_sedd", "webbplats", "ort", "profil", "rubrik", "telefon", "indikatorer", "grupp", "status"])
    n = 0
    for ad in qs:
        n += 1
        writer.writerow(
            [safe_csv_cell(v) for v in (
                ad.last_seen.date().isoformat(), ad.site, ad.city, ad.profile_name, ad.title,
                " ".join(p.e164 for p in ad.phones.all()), ad.indicator_count, ad.group_key, ad.status,
            )]
        )
    actions.do_log_ad_export(request.user, _org(request), rows=n)
    return response


@requires(Cap.OUTREACH_EDIT)
def ad_capture(request: HttpRequest) -> HttpResponse:
    form = forms.AdCaptureForm(post_data(request), post_files(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        try:
            ad, created = actions.do_capture_ad(request.user, _org(request), data, form.cleaned_data["photos"])
        except actions.ActionError as exc:
            form.add_error("photos", str(exc))
        else:
            if created:
                messages.success(request, _("Annonsen är sparad och analyserad."))
            else:
                messages.info(request, _("Annonsen fanns redan – en ny observation har lagts till i tidslinjen."))
            return redirect("outreach:ad_detail", ad_id=ad.pk)
    return render(request, "outreach/ad_capture.html", {"form": form})


@requires(Cap.OUTREACH_VIEW)
def ad_detail(request: HttpRequest, ad_id: Any) -> HttpResponse:
    org = _org(request)
    ad = access_object(request, Ad, ad_id)
    indicators = list(ad.indicators.select_related("decided_by"))
    # the words that matched, as the engine found them; rows analysed before that: the quotations
    marks = evidence.text_marks(ad, indicators)
    segments = (evidence.quoted_marks(ad.text, [i.evidence for i in indicators]) if marks is None
                else evidence.split_marked(ad.text, marks))
    blocked = actions.blocked_identities(org, ad)
    links = list(
        scoped(request, AdLink).filter(from_ad=ad).select_related("to_ad").order_by("-to_ad__last_seen")[:50]
    )
    contacts = list(scoped(request, Contact).filter(ad=ad).select_related("worker", "template")[:50])
    can_edit = Cap.OUTREACH_EDIT in request.capabilities  # type: ignore[attr-defined]
    return render(
        request,
        "outreach/ad_detail.html",
        {
            "ad": ad,
            "segments": segments,
            "indicators": [(i, evidence.describe(i)) for i in indicators],
            "phones": list(ad.phones.all()),
            "sightings": list(ad.sightings.all()[:200]),
            "links": [(link.to_ad, [LINK_REASON_LABELS.get(r, r) for r in link.reasons]) for link in links],
            "contacts": contacts,
            "blocked": blocked,
            "network_marks": actions.network_marks_for(org, ad),
            "manual_form": forms.ManualIndicatorForm(),
            "can_edit": can_edit,
            "statuses": Ad.Status.choices,
            "status_version": row_version(ad, actions.AD_STATUS_FIELDS),
            "group_size": scoped(request, Ad).filter(group_key=ad.group_key).count() if ad.group_key else 1,
            "child": queries.child_route(org, ad),
        },
    )


@requires(Cap.OUTREACH_EDIT)
@require_POST
def ad_status(request: HttpRequest, ad_id: Any) -> HttpResponse:
    ad = access_object(request, Ad, ad_id)
    status = request.POST.get("status", "")
    if status not in Ad.Status.values:
        messages.error(request, _("Okänd status."))
    else:
        active = request.POST.get("still_active")
        loaded = Loaded(actions.AD_STATUS_FIELDS, request.POST.get(VERSION_INPUT, ""))
        try:
            actions.do_set_ad_status(request.user, _org(request), ad, status, None if active is None else active == "1",
                                     loaded=loaded)
        except EditConflict:
            # the ad's page shows the status as it is now
            tell_conflict(request)
        else:
            messages.success(request, _("Statusen är ändrad."))
    return redirect("outreach:ad_detail", ad_id=ad.pk)


@requires(Cap.OUTREACH_EDIT)
@require_POST
def ad_indicators(request: HttpRequest, ad_id: Any) -> HttpResponse:
    """Confirm or dismiss (with a reason) a found indicator, or add a manual one (with what the
    worker saw)."""
    org = _org(request)
    ad = access_object(request, Ad, ad_id)
    if "indicator" in request.POST:
        try:
            ind = ad.indicators.get(pk=int(request.POST["indicator"]))
        except (ValueError, AdIndicator.DoesNotExist) as exc:
            raise Http404 from exc
        decision = forms.IndicatorDecisionForm(post_data(request))
        if not decision.is_valid():
            _form_errors(request, decision)
        else:
            try:
                actions.do_decide_indicator(request.user, org, ind, decision.cleaned_data["decision"],
                                            decision.cleaned_data["reason"])
            except actions.ActionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Bedömningen är sparad."))
    else:
        form = forms.ManualIndicatorForm(post_data(request))
        if form.is_valid():
            actions.do_add_manual_indicator(request.user, org, ad, form.cleaned_data["code"], form.cleaned_data["evidence"])
            messages.success(request, _("Indikatorn är tillagd."))
        else:
            _form_errors(request, form)
    return redirect(reverse("outreach:ad_detail", kwargs={"ad_id": ad.pk}) + "#indikatorer")


def _form_errors(request: HttpRequest, form: Any) -> None:
    """A refused form on a page that redirects back: its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


GROUP_PAGE_SIZE = 100


@requires(Cap.OUTREACH_VIEW)
def ad_group(request: HttpRequest, ad_id: Any) -> HttpResponse:
    """The ads that belong together: why, their indicators, towns and dates over the whole group;
    the ads themselves GROUP_PAGE_SIZE at a time (a ring can have thousands)."""
    ad = access_object(request, Ad, ad_id)
    page = _page(request)
    start = (page - 1) * GROUP_PAGE_SIZE
    if ad.group_key:
        group = scoped(request, Ad).filter(group_key=ad.group_key)
        group_ids: Any = group.values("pk")
        members = list(
            group.order_by("-last_seen", "-id").only(
                "id", "last_seen", "first_seen", "site", "city", "profile_name", "title", "indicator_count", "status", "url"
            ).prefetch_related(Prefetch("phones", queryset=scoped(request, AdPhone).only("ad_id", "e164")))[
                start : start + GROUP_PAGE_SIZE + 1
            ]
        )
        total = group.count() if (page > 1 or len(members) > GROUP_PAGE_SIZE) else len(members)
    else:
        group_ids = [ad.pk]
        members = [ad] if page == 1 else []
        total = 1
    has_next = len(members) > GROUP_PAGE_SIZE
    members = members[:GROUP_PAGE_SIZE]
    ids = [m.pk for m in members]
    links = scoped(request, AdLink)
    # Why they belong together, over the whole group (each pair is stored both ways: count it once).
    reasons: dict[str, int] = {}
    # Grouped in the database by the list of reasons (a handful of combinations), summed here.
    by_combination = (
        links.filter(from_ad_id__in=group_ids, from_ad_id__lt=F("to_ad_id"))
        .values("reasons").annotate(n=Count("id")).order_by()
    )
    for row in by_combination:
        for r in row["reasons"]:
            reasons[r] = reasons.get(r, 0) + row["n"]
    # The pairs of the ads on this page.
    pairs = []
    names = {m.pk: m for m in members}
    seen_pairs: set[tuple[str, str]] = set()
    for a, b, rs, b_profile, b_title in links.filter(from_ad_id__in=ids).values_list(
        "from_ad_id", "to_ad_id", "reasons", "to_ad__profile_name", "to_ad__title"
    ).order_by("from_ad_id", "to_ad_id")[:200]:
        key = (str(min(a, b)), str(max(a, b)))
        if key in seen_pairs or len(pairs) >= 100:
            continue
        seen_pairs.add(key)
        other = names.get(b) or {"profile_name": b_profile, "title": b_title}
        pairs.append((names[a], other, [LINK_REASON_LABELS.get(r, r) for r in rs]))
    timeline = list(
        Sighting.objects.filter(ad_id__in=group_ids).order_by("seen_at").values_list("seen_at", "city")[:5000]
    )
    # consecutive sightings in the same town collapse into one step
    steps: list[dict[str, Any]] = []
    for seen, city in timeline:
        if steps and steps[-1]["city"] == city:
            steps[-1]["to"] = seen
            steps[-1]["count"] += 1
        else:
            steps.append({"city": city, "from": seen, "to": seen, "count": 1})
    indicator_counts = (
        scoped(request, AdIndicator).filter(ad_id__in=group_ids).exclude(status=AdIndicator.Status.DISMISSED)
        .values("code").annotate(n=Count("id")).order_by("-n")
    )
    return render(
        request,
        "outreach/ad_group.html",
        {
            "ad": ad,
            "members": members,
            "total": total,
            "page": page,
            "has_next": has_next,
            "first_shown": start + 1,
            "last_shown": start + len(members),
            "pairs": pairs,
            "reasons": [(LINK_REASON_LABELS.get(k, k), v) for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])],
            "steps": steps[:100],
            "more_steps": max(0, len(steps) - 100),
            "indicator_counts": [(INDICATOR_LABELS.get(r["code"], r["code"]), r["n"]) for r in indicator_counts],
        },
    )


# --- Import -------------------------------------------------------------------------------------


@requires(Cap.OUTREACH_EDIT)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = forms.ImportUploadForm(post_data(request), post_files(request))
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("Filen måste vara kodad i UTF-8."))
        else:
            job = actions.do_create_import_job(
                request.user, _org(request), form.cleaned_data["file_format"], form.cleaned_data["file"].name, [], raw=text
            )
            return redirect("outreach:import_job", job_id=job.pk)
    jobs = list(scoped(request, ImportJob).defer("raw", "payload")[:10])
    if any(job.lost_worker() for job in jobs):
        actions.mark_interrupted_imports(organisation=_org(request))
        jobs = list(scoped(request, ImportJob).defer("raw", "payload")[:10])
    return render(request, "outreach/import_upload.html", {"form": form, "jobs": jobs})


def _parse_job(job: ImportJob, data: Any) -> tuple[imports.Parsed | None, Any, dict[str, str]]:
    raw = job.raw.encode()
    if job.file_format == "jsonl":
        return imports.parse_jsonl(raw), None, {}
    headers = imports.csv_headers(raw)
    mapping_form = forms.csv_mapping_form(headers, data)
    if data is None or not mapping_form.is_valid():
        return None, mapping_form, {}
    mapping = {k[4:]: v for k, v in mapping_form.cleaned_data.items() if v}
    return imports.parse_csv(raw, mapping), mapping_form, mapping


@requires(Cap.OUTREACH_EDIT)
def import_job(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = access_object(request, ImportJob, job_id, queryset=scoped(request, ImportJob).defer("payload"),
                        audit_view=False)
    if job.lost_worker():
        # read first, write only then: a live worker's lease is never expired, so polling takes no lock
        actions.mark_interrupted_imports(organisation=_org(request))
        job.refresh_from_db(fields=["status", "lease_until", "finished_at", "error"])
    context: dict[str, Any] = {"job": job}
    if job.status == ImportJob.Status.PENDING and job.raw:
        # the preview shows rows of the file (profiles, towns); the polled progress shows only counts
        access_object(request, ImportJob, job.pk, queryset=scoped(request, ImportJob).only("id", "organisation"))
        data = request.GET if any(k.startswith("map_") for k in request.GET) else None
        parsed, mapping_form, mapping = _parse_job(job, data)
        context.update({"parsed": parsed, "mapping_form": mapping_form, "mapping": mapping})
        if parsed is not None:
            context["preview"] = parsed.rows[:20]
            context["errors"] = parsed.errors[:200]
    else:
        context["done"], context["total"] = (job.processed, job.total)
        context["percent"] = int(100 * context["done"] / context["total"]) if context["total"] else 0
        context["analysing"] = job.status == ImportJob.Status.RUNNING and job.total and job.processed >= job.total
        context["can_retry"] = (job.status == ImportJob.Status.INTERRUPTED
                                and scoped(request, ImportJob).filter(pk=job.pk).exclude(payload="").exists())
    if request.headers.get("HX-Request") and job.status != ImportJob.Status.PENDING:
        return render(request, "outreach/_import_progress.html", context)
    return render(request, "outreach/import_job.html", context)


@requires(Cap.OUTREACH_EDIT)
@require_POST
def import_start(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = access_object(request, ImportJob, job_id)
    if job.status != ImportJob.Status.PENDING or not job.raw:
        return redirect("outreach:import_job", job_id=job.pk)
    parsed, _mapping_form, _mapping = _parse_job(job, request.POST if job.file_format == "csv" else None)
    if parsed is None or not parsed.ok:
        messages.error(request, _("Filen har fel och importerades inte. Rätta felen och ladda upp den igen."))
        return redirect("outreach:import_job", job_id=job.pk)
    actions.do_queue_import_job(request.user, _org(request), job, parsed.rows)
    messages.info(request, _("Importen har startat."))
    return redirect("outreach:import_job", job_id=job.pk)


@requires(Cap.OUTREACH_EDIT)
@require_POST
def import_retry(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = access_object(request, ImportJob, job_id, queryset=scoped(request, ImportJob).defer("raw", "payload"))
    try:
        actions.do_retry_import(request.user, _org(request), job)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("Importen fortsätter där den avbröts."))
    return redirect("outreach:import_job", job_id=job.pk)


# --- Contacts and templates ---------------------------------------------------------------------


def _worker_name(user: User) -> str:
    return user.first_name or user.get_username()


@requires(Cap.OUTREACH_EDIT)
def contact_add(request: HttpRequest, ad_id: Any) -> HttpResponse:
    org = _org(request)
    ad = access_object(request, Ad, ad_id)
    blocked = actions.blocked_identities(org, ad)
    child = queries.child_route(org, ad)
    templates = scoped(request, MessageTemplate).filter(is_active=True)
    if child["child"]:
        # A first message written for adults is never offered, nor accepted, for a possible child.
        templates = templates.none()
    initial = {"contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": Contact.Channel.SMS,
               "block_months": org.do_not_contact_months}
    form = forms.ContactForm(post_data(request), templates=templates, initial=initial)
    if request.method == "POST" and not blocked and form.is_valid():
        data = dict(form.cleaned_data)
        data["profile_name"] = ad.profile_name
        open_shift = scoped(request, Shift).filter(ended_at__isnull=True, workers=request.user).first()
        data["shift"] = open_shift
        try:
            contact = actions.do_log_contact(request.user, org, ad, data)
        except actions.ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kontakten är sparad."))
            if contact.response == Contact.Response.NO_FURTHER:
                messages.info(request, _("Kontaktspärren är inlagd för annonsens nummer och profil."))
            return redirect("outreach:ad_detail", ad_id=ad.pk)
    filled = [
        (t, drafts.fill_template(t.body, profile=ad.profile_name, worker=_worker_name(request.user), organisation=org.name))
        for t in templates
    ]
    return render(
        request,
        "outreach/contact_form.html",
        {"ad": ad, "form": form, "blocked": blocked, "filled": filled, "child": child,
         "network_marks": actions.network_marks_for(org, ad)},
    )


@requires(Cap.OUTREACH_VIEW)
def contact_list(request: HttpRequest) -> HttpResponse:
    page = _page(request)
    qs = scoped(request, Contact).select_related("worker", "ad", "template").order_by("-contacted_at")
    start = (page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE + 1])
    return render(
        request,
        "outreach/contact_list.html",
        {"contacts": rows[:PAGE_SIZE], "page": page, "has_next": len(rows) > PAGE_SIZE, "query": ""},
    )


@requires(Cap.OUTREACH_VIEW)
def template_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    templates = [
        (t, drafts.fill_template(t.body, profile=_("(profilnamn)"), worker=_worker_name(request.user), organisation=org.name))
        for t in scoped(request, MessageTemplate)
    ]
    return render(request, "outreach/template_list.html", {"templates": templates})


@requires(Cap.OUTREACH_EDIT)
def template_add(request: HttpRequest) -> HttpResponse:
    form = forms.TemplateForm(post_data(request), initial={"body": drafts.FIRST_CONTACT_TEXT})
    if request.method == "POST" and form.is_valid():
        actions.do_save_template(request.user, _org(request), form.cleaned_data)
        messages.success(request, _("Mallen är sparad."))
        return redirect("outreach:template_list")
    return render(request, "outreach/template_form.html", {"form": form})


@requires(Cap.OUTREACH_EDIT)
def template_edit(request: HttpRequest, template_id: Any) -> HttpResponse:
    template = access_object(request, MessageTemplate, template_id)
    form = forms.TemplateForm(post_data(request), instance=template)
    status = 200
    if request.method == "POST" and form.is_valid():
        template.refresh_from_db()
        try:
            actions.do_save_template(request.user, _org(request), form.cleaned_data, template, loaded=form.loaded)
        except EditConflict as conflict:
            tell_conflict(request)
            form, status = forms.TemplateForm(instance=conflict.current), 409
        else:
            messages.success(request, _("Mallen är sparad."))
            return redirect("outreach:template_list")
    return render(request, "outreach/template_form.html", {"form": form, "template": template}, status=status)


# --- Do not contact -----------------------------------------------------------------------------


@requires(Cap.OUTREACH_VIEW)
@require_safe
def dnc_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    entries = scoped(request, DoNotContact).select_related("created_by")
    return render(
        request,
        "outreach/dnc_list.html",
        {"entries": entries, "form": forms.DoNotContactForm(), "today": timezone.now().date(),
         "months": org.do_not_contact_months},
    )


@requires(Cap.OUTREACH_EDIT)
def dnc_add(request: HttpRequest) -> HttpResponse:
    """A kontaktspärr set by hand, prefilled with the number (or profile) of the ad it came from."""
    org = _org(request)
    initial: dict[str, Any] = {}
    ad = None
    if "annons" in request.GET:
        # prefilled with the ad's number: a GET is a look at personal data, and not-ours is a 404
        ad = access_object(request, Ad, request.GET["annons"])
        phone = ad.phones.first()
        initial = {"kind": "phone", "value": phone.e164} if phone else {"kind": "profile", "value": ad.profile_name}
    form = forms.DoNotContactForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_do_not_contact(request.user, org, ad=ad, **form.cleaned_data)
        except actions.ActionError as exc:
            form.add_error("value", str(exc))
        else:
            messages.success(request, _("Kontaktspärren är sparad. Den raderas automatiskt efter %(m)s månader.") % {"m": org.do_not_contact_months})
            return redirect("outreach:dnc_list")
    return render(request, "outreach/dnc_form.html", {"form": form, "ad": ad, "months": org.do_not_contact_months})


@requires(Cap.OUTREACH_EDIT)
def dnc_delete(request: HttpRequest, dnc_id: Any) -> HttpResponse:
    """Lifting a kontaktspärr goes against the person's own "no": a confirmation with a reason."""
    entry = access_object(request, DoNotContact, dnc_id)
    form = forms.DoNotContactRemoveForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_delete_do_not_contact(request.user, entry, reason=form.cleaned_data["reason"])
        except actions.ActionError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, _("Kontaktspärren är borttagen."))
            return redirect("outreach:dnc_list")
    return render(request, "outreach/dnc_delete.html", {"entry": entry, "form": form})


# --- Tips and orosanmälan -----------------------------------------------------------------------


@requires(Cap.OUTREACH_EDIT)
def tip_new(request: HttpRequest, ad_id: Any) -> HttpResponse:
    org = _org(request)
    ad = access_object(request, Ad, ad_id)
    child = queries.child_route(org, ad)
    # For a possible child the orosanmälan comes first; the worker may still choose another text.
    default_kind = Tip.Kind.OROSANMALAN if child["child"] else Tip.Kind.ANONYMOUS_TIP
    kind = request.GET.get("typ") or default_kind
    if kind not in Tip.Kind.values:
        kind = default_kind
    if kind == Tip.Kind.OROSANMALAN:
        text = drafts.orosanmalan_text(ad, org)
    else:
        linked = list(scoped(request, Ad).filter(group_key=ad.group_key).exclude(pk=ad.pk).prefetch_related("phones")[:20]) if ad.group_key else []
        contacts = list(scoped(request, Contact).filter(ad=ad).order_by("contacted_at")[:5])
        text = drafts.tip_text(ad, org, linked, contacts)
    network_contacts = network_access.network_tip_contacts(org)
    recipient = network_contacts[0]["recipient"] if kind == Tip.Kind.NETWORK_CONTACT and network_contacts else ""
    form = forms.TipForm(post_data(request), initial={"kind": kind, "text": text, "recipient": recipient})
    if request.method == "POST" and form.is_valid():
        tip = actions.do_create_tip(request.user, org, ad=ad, **form.cleaned_data)
        messages.success(request, _("Texten är sparad. Ladda ner den som PDF eller kopiera den."))
        return redirect("outreach:tip_detail", tip_id=tip.pk)
    return render(request, "outreach/tip_form.html",
                  {"ad": ad, "form": form, "kind": kind, "possible_minor": child["child"], "child": child,
                   "network_contacts": network_contacts})


@requires(Cap.OUTREACH_VIEW)
def tip_list(request: HttpRequest) -> HttpResponse:
    tips = scoped(request, Tip).select_related("created_by", "ad").defer("text")[:200]
    return render(request, "outreach/tip_list.html", {"tips": tips})


@requires(Cap.OUTREACH_VIEW)
def tip_detail(request: HttpRequest, tip_id: Any) -> HttpResponse:
    tip = access_object(request, Tip, tip_id)
    return render(request, "outreach/tip_detail.html", {"tip": tip})


@requires(Cap.OUTREACH_EDIT)
def tip_pdf(request: HttpRequest, tip_id: Any) -> HttpResponse:
    tip = access_object(request, Tip, tip_id, audit_view=False)
    actions.do_log_tip_export(request.user, _org(request), tip)
    pdf = drafts.to_pdf(str(tip.get_kind_display()), tip.text)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{tip.kind}-{tip.created_at:%Y%m%d}.pdf"'
    return response


# --- Shifts -------------------------------------------------------------------------------------


def _org_users(request: HttpRequest) -> Any:
    ids = scoped(request, Membership).filter(is_active=True, role="outreach").values("user_id")
    return User.objects.filter(pk__in=ids).order_by("username")


def _shift_start_form(request: HttpRequest) -> forms.ShiftStartForm:
    return forms.ShiftStartForm(
        post_data(request), users=_org_users(request).exclude(pk=request.user.pk), platforms=scoped(request, Platform)
    )


def _shift_list_page(request: HttpRequest, form: forms.ShiftStartForm) -> HttpResponse:
    shifts = scoped(request, Shift).prefetch_related("workers").annotate(n_contacts=Count("contacts"))[:100]
    return render(request, "outreach/shift_list.html", {"shifts": shifts, "form": form})


@requires(Cap.OUTREACH_VIEW)
@require_safe
def shift_list(request: HttpRequest) -> HttpResponse:
    return _shift_list_page(request, _shift_start_form(request))


@requires(Cap.OUTREACH_EDIT)
@require_POST
def shift_start(request: HttpRequest) -> HttpResponse:
    form = _shift_start_form(request)
    if form.is_valid():
        try:
            shift = actions.do_start_shift(request.user, _org(request), list(form.cleaned_data["workers"]),
                                           list(form.cleaned_data["platforms"]), form.cleaned_data["notes"])
        except actions.ActionError as exc:
            form.add_error(None, str(exc))
        else:
            if shift.workers.count() < 2:
                messages.warning(request, _("Du arbetar ensam. Uppsökande arbete ska inte göras ensam – be en kollega ansluta."))
            messages.success(request, _("Passet har startat."))
            return redirect("outreach:shift_detail", shift_id=shift.pk)
    return _shift_list_page(request, form)


def _shift_form(request: HttpRequest | None, shift: Shift) -> forms.ShiftEndForm:
    return forms.ShiftEndForm(post_data(request) if request else None, loaded_from=shift,
                              initial={"ads_reviewed": shift.ads_reviewed, "debrief_done": shift.debrief_done,
                                       "notes": shift.notes})


def _shift_page(request: HttpRequest, shift: Shift, form: forms.ShiftEndForm) -> HttpResponse:
    contacts = scoped(request, Contact).filter(shift=shift)
    by_response = contacts.values("response").annotate(n=Count("id")).order_by("response")
    workers = list(shift.workers.all())
    return render(
        request,
        "outreach/shift_detail.html",
        {
            "shift": shift,
            "form": form,
            "workers": workers,
            "alone": len(workers) < 2,
            "platforms": list(shift.platforms.all()),
            "n_contacts": contacts.count(),
            "by_response": [(dict(Contact.Response.choices).get(r["response"], r["response"]), r["n"]) for r in by_response],
        },
    )


@requires(Cap.OUTREACH_VIEW)
def shift_detail(request: HttpRequest, shift_id: Any) -> HttpResponse:
    shift = access_object(request, Shift, shift_id)
    return _shown_only(request) or _shift_page(request, shift, _shift_form(request, shift))


@requires(Cap.OUTREACH_EDIT)
@require_POST
def shift_update(request: HttpRequest, shift_id: Any) -> HttpResponse:
    shift = access_object(request, Shift, shift_id)
    form = _shift_form(request, shift)
    if form.is_valid():
        try:
            actions.do_update_shift(request.user, _org(request), shift, form.cleaned_data, end="end" in request.POST,
                                    loaded=form.loaded)
        except EditConflict as conflict:
            tell_conflict(request)
            response = _shift_page(request, conflict.current, _shift_form(None, conflict.current))
            response.status_code = 409
            return response
        messages.success(request, _("Passet är sparat."))
        return redirect("outreach:shift_detail", shift_id=shift.pk)
    return _shift_page(request, shift, form)


# --- Safety -------------------------------------------------------------------------------------


@requires(Cap.OUTREACH_VIEW)
def safety(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outreach/safety.html",
        {
            "assessments": scoped(request, RiskAssessment).select_related("created_by")[:50],
            "incidents": scoped(request, Incident).select_related("created_by")[:50],
        },
    )


@requires(Cap.OUTREACH_EDIT)
def risk_new(request: HttpRequest) -> HttpResponse:
    form = forms.RiskAssessmentForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        ra = actions.do_save_risk_assessment(request.user, _org(request), form.cleaned_data)
        if ra.missing:
            messages.warning(request, _("Riskbedömningen är sparad, men punkter saknas: %(m)s.") % {"m": ", ".join(ra.missing)})
        else:
            messages.success(request, _("Riskbedömningen är sparad."))
        return redirect("outreach:safety")
    return render(request, "outreach/risk_form.html", {"form": form})


@requires(Cap.OUTREACH_EDIT)
def incident_new(request: HttpRequest) -> HttpResponse:
    form = forms.IncidentForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        actions.do_save_incident(request.user, _org(request), form.cleaned_data)
        messages.success(request, _("Incidenten är dokumenterad."))
        return redirect("outreach:safety")
    return render(request, "outreach/incident_form.html", {"form": form})


@requires(Cap.OUTREACH_EDIT)
def incident_edit(request: HttpRequest, incident_id: Any) -> HttpResponse:
    incident = access_object(request, Incident, incident_id)
    form = forms.IncidentForm(post_data(request), instance=incident)
    status = 200
    if request.method == "POST" and form.is_valid():
        incident.refresh_from_db()
        try:
            actions.do_save_incident(request.user, _org(request), form.cleaned_data, incident, loaded=form.loaded)
        except EditConflict as conflict:
            tell_conflict(request)
            form, status = forms.IncidentForm(instance=conflict.current), 409
        else:
            messages.success(request, _("Uppföljningen är sparad."))
            return redirect("outreach:safety")
    return render(request, "outreach/incident_form.html", {"form": form, "incident": incident}, status=status)
