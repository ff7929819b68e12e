"""Retention of the outreach app's records: which rows are due and the `do_purge_*` actions that
delete them, registered with `uppsok.core.retention` when the app is ready.

Each purge deletes in batches, one transaction each, and writes one audit row per run and
organisation with counts only. An ad goes with everything stored under it (sightings, numbers,
photos and their files, indicators, links, text features); the rows that only point at it (a
contact, a tip, a risk assessment, a kontaktspärr) keep their own period and lose the link.

When an ad's period starts: the later of when it was last seen, last contacted and last assessed
(an indicator decided), since a worker who reaches or assesses the advertiser is still using the
ad. An ad or a contact that an open case started from is kept while the case is open (the cases
app registers that hold): the case rests on it, and deleting it would take evidence from
ongoing support. Once the case is closed the ad follows its own period again.
"""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core import retention
from uppsok.core.capabilities import Cap
from uppsok.core.retention import DAYS, MONTHS, Rule, add_months, end_of_day, local_date

from .actions import NETWORK_MARK_DAYS
from .models import (
    Ad,
    AdImage,
    AdIndicator,
    Contact,
    DoNotContact,
    ImportJob,
    Incident,
    NetworkContactMark,
    RiskAssessment,
    Shift,
    Tip,
)

# The shortest kontaktspärr is one month of 30 days (`actions._block`): an entry due on a day expired
# before it and was made at least that long before that.
SHORTEST_BLOCK_DAYS = 30
# A stored photo no row names (a capture whose transaction rolled back, a purge that stopped
# between its commit and the file's deletion) is removed once it is this old.
ORPHAN_FILE_AGE = timedelta(days=1)

AD_MODELS = {
    "outreach.Ad": "ads",
    "outreach.Sighting": "sightings",
    "outreach.AdPhone": "phones",
    "outreach.AdImage": "images",
    "outreach.AdIndicator": "indicators",
    "outreach.AdLink": "links",
    "outreach.AdTextFeature": "text_features",
}


def _audit(organisation: Any, key: str, counts: dict[str, int]) -> None:
    """The purge's one audit row for the organisation: the rule and the counts; none when nothing went."""
    if counts.get("rows"):
        record(None, AuditAction.DELETE, organisation=organisation, object_type=f"retention.{key}",
               object_id=key, detail=retention.audit_detail(counts))


def _months_before(organisation: Any, setting: str, on: datetime.date) -> datetime.datetime:
    """The first moment after the last day whose rows are due on `on` (a period of months)."""
    return end_of_day(add_months(on, -int(getattr(organisation, setting))))


# --- Ads ----------------------------------------------------------------------------------------


def ads_due(organisation: Any, on: datetime.date) -> QuerySet[Ad]:
    before = _months_before(organisation, "ad_retention_months", on)
    contacted = Contact.objects.filter(organisation=organisation, ad=OuterRef("pk"), contacted_at__gte=before)
    assessed = AdIndicator.objects.filter(organisation=organisation, ad=OuterRef("pk"), decided_at__gte=before)
    due = Ad.objects.filter(organisation=organisation, last_seen__lt=before).exclude(Exists(contacted)).exclude(
        Exists(assessed)
    )
    return retention.without_holds("ads", organisation, due)


def ads_upcoming(organisation: Any, today: datetime.date) -> QuerySet[Ad]:
    later = ads_due(organisation, add_months(today, 1))
    return later.exclude(pk__in=ads_due(organisation, today).values("pk")).annotate(
        _contacted=Subquery(
            Contact.objects.filter(organisation=organisation, ad=OuterRef("pk"))
            .order_by().values("ad").annotate(m=Max("contacted_at")).values("m")
        ),
        _assessed=Subquery(
            AdIndicator.objects.filter(organisation=organisation, ad=OuterRef("pk"))
            .order_by().values("ad").annotate(m=Max("decided_at")).values("m")
        ),
    )


def _ad_purge_on(ad: Ad, organisation: Any) -> datetime.date | None:
    times = [t for t in (ad.last_seen, getattr(ad, "_contacted", None), getattr(ad, "_assessed", None)) if t]
    return add_months(local_date(max(times)), organisation.ad_retention_months)


def _delete_files(names: list[str]) -> None:
    storage = AdImage._meta.get_field("image").storage
    for name in names:
        storage.delete(name)


def _sweep_orphan_photos(organisation: Any) -> int:
    """Stored photos of the organisation that no row names any longer; returns how many went."""
    storage = AdImage._meta.get_field("image").storage
    folder = f"outreach/ads/{organisation.pk}"
    try:
        _dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return 0
    if not files:
        return 0
    named = set(AdImage.objects.filter(organisation=organisation).exclude(image="").values_list("image", flat=True))
    old = timezone.now() - ORPHAN_FILE_AGE
    gone = 0
    for file in files:
        name = f"{folder}/{file}"
        if name in named:
            continue
        try:
            if storage.get_modified_time(name) > old:
                continue
        except (FileNotFoundError, NotImplementedError):
            continue
        storage.delete(name)
        gone += 1
    return gone


def do_purge_ads(organisation: Any, on: datetime.date) -> dict[str, int]:
    """Ads past the organisation's period, with everything stored under them and their photo files."""

    def batch(ids: list[Any]) -> dict[str, int]:
        with transaction.atomic():
            # checked again inside the transaction: a contact logged meanwhile keeps its ad
            ids = list(ads_due(organisation, on).filter(pk__in=ids).values_list("pk", flat=True))
            if not ids:
                return {}
            files = list(AdImage.objects.filter(organisation=organisation, ad_id__in=ids).exclude(image="")
                         .values_list("image", flat=True))
            counts = retention.counts_of_delete(
                Ad.objects.filter(organisation=organisation, pk__in=ids).delete(), AD_MODELS
            )
            # the files go once the rows are gone for good; a crash in between leaves orphans for the sweep
            transaction.on_commit(lambda: _delete_files(files))
            counts["files"] = len(files)
            return counts

    counts = {"rows": 0, **retention.in_batches(ads_due(organisation, on), batch)}
    counts["rows"] = counts.get("ads", 0)
    orphans = _sweep_orphan_photos(organisation)
    if orphans:
        counts["orphan_files"] = orphans
    _audit(organisation, "ads", counts)
    return counts


# --- Rows of one model, by a date field ---------------------------------------------------------


def _by_date(model: Any, field: str, setting: str, key: str = "") -> Any:
    def due(organisation: Any, on: datetime.date) -> QuerySet[Any]:
        qs = model.objects.filter(organisation=organisation, **{f"{field}__lt": _months_before(organisation, setting, on)})
        return retention.without_holds(key, organisation, qs) if key else qs

    return due


def _purge_plain(key: str, model: Any, due: Any) -> Any:
    """A purge of rows with nothing stored under them but what cascades with them."""

    def purge(organisation: Any, on: datetime.date) -> dict[str, int]:
        def batch(ids: list[Any]) -> dict[str, int]:
            with transaction.atomic():
                n = model.objects.filter(organisation=organisation, pk__in=due(organisation, on).filter(pk__in=ids)
                                         .values("pk")).delete()[1].get(model._meta.label, 0)
                return {"rows": n}

        counts = retention.in_batches(due(organisation, on), batch)
        counts.setdefault("rows", 0)
        _audit(organisation, key, counts)
        return counts

    purge.__name__ = f"do_purge_{key}"
    return purge


contacts_due = _by_date(Contact, "contacted_at", "contact_retention_months", "contacts")
tips_due = _by_date(Tip, "created_at", "tip_retention_months")
risk_assessments_due = _by_date(RiskAssessment, "created_at", "safety_retention_months")
incidents_due = _by_date(Incident, "occurred_at", "safety_retention_months")
shifts_due = _by_date(Shift, "started_at", "shift_retention_months")

do_purge_contacts = _purge_plain("contacts", Contact, contacts_due)
do_purge_tips = _purge_plain("tips", Tip, tips_due)
do_purge_risk_assessments = _purge_plain("risk_assessments", RiskAssessment, risk_assessments_due)
do_purge_incidents = _purge_plain("incidents", Incident, incidents_due)
do_purge_shifts = _purge_plain("shifts", Shift, shifts_due)


# --- Import jobs --------------------------------------------------------------------------------


def import_jobs_due(organisation: Any, on: datetime.date) -> QuerySet[ImportJob]:
    """N days after the job stopped, or after the upload when it never ran; never a running job
    whose worker is alive."""
    before = end_of_day(on - timedelta(days=organisation.import_job_retention_days))
    alive = Q(status=ImportJob.Status.RUNNING, lease_until__gte=timezone.now())
    return ImportJob.objects.filter(organisation=organisation).filter(
        Q(finished_at__lt=before) | Q(finished_at__isnull=True, created_at__lt=before)
    ).exclude(alive)


def _import_job_purge_on(job: ImportJob, organisation: Any) -> datetime.date | None:
    start = local_date(job.finished_at or job.created_at)
    return start + timedelta(days=organisation.import_job_retention_days)


@transaction.atomic
def do_clear_finished_imports(organisation: Any) -> int:
    """Blank the upload and the rows of every import that has finished or failed (the import
    clears them itself; this catches jobs that stopped before it did). Returns how many."""
    return (
        ImportJob.objects.filter(organisation=organisation,
                                 status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED])
        .filter(~Q(raw="") | ~Q(payload=""))
        .update(raw="", payload="")
    )


def do_purge_import_jobs(organisation: Any, on: datetime.date) -> dict[str, int]:
    cleared = do_clear_finished_imports(organisation)

    def batch(ids: list[Any]) -> dict[str, int]:
        with transaction.atomic():
            qs = import_jobs_due(organisation, on).filter(pk__in=ids)
            return {"rows": ImportJob.objects.filter(organisation=organisation, pk__in=qs.values("pk")).delete()[0]}

    counts = retention.in_batches(import_jobs_due(organisation, on), batch)
    counts.setdefault("rows", 0)
    if cleared:
        counts["cleared"] = cleared
    _audit(organisation, "import_jobs", counts)
    return counts


# --- Kontaktspärr and network marks -------------------------------------------------------------


def do_not_contact_due(organisation: Any, on: datetime.date) -> QuerySet[DoNotContact]:
    """Entries whose own expiry (set when the entry was made) passed before `on`."""
    return DoNotContact.objects.filter(organisation=organisation, expires_at__lt=end_of_day(on - timedelta(days=1)))


def do_purge_do_not_contact(organisation: Any, on: datetime.date) -> dict[str, int]:
    def batch(ids: list[Any]) -> dict[str, int]:
        with transaction.atomic():
            qs = do_not_contact_due(organisation, on).filter(pk__in=ids)
            return {"rows": DoNotContact.objects.filter(organisation=organisation, pk__in=qs.values("pk")).delete()[0]}

    counts = retention.in_batches(do_not_contact_due(organisation, on), batch)
    counts.setdefault("rows", 0)
    _audit(organisation, "do_not_contact", counts)
    return counts


def network_marks_due(organisation: Any, on: datetime.date) -> QuerySet[NetworkContactMark]:
    """The organisation's marks past the period they are shown for, and its marks in networks it
    has left (there is no "leave" step, so leaving is seen here, at most a day later)."""
    from uppsok.network.models import NetworkMembership

    still_member = NetworkMembership.objects.filter(network=OuterRef("network"), organisation=organisation)
    return NetworkContactMark.objects.filter(organisation=organisation).filter(
        Q(contacted_on__lt=on - timedelta(days=NETWORK_MARK_DAYS)) | ~Exists(still_member)
    )


def do_purge_network_marks(organisation: Any, on: datetime.date) -> dict[str, int]:
    def batch(ids: list[Any]) -> dict[str, int]:
        with transaction.atomic():
            qs = network_marks_due(organisation, on).filter(pk__in=ids)
            return {"rows": NetworkContactMark.objects.filter(organisation=organisation,
                                                              pk__in=qs.values("pk")).delete()[0]}

    counts = retention.in_batches(network_marks_due(organisation, on), batch)
    counts.setdefault("rows", 0)
    _audit(organisation, "network_marks", counts)
    return counts


# --- Registration -------------------------------------------------------------------------------


def _date_plus_months(field: str, setting: str) -> Any:
    def purge_on(row: Any, organisation: Any) -> datetime.date | None:
        value = local_date(getattr(row, field))
        return add_months(value, int(getattr(organisation, setting))) if value else None

    return purge_on


def _on(value: Any) -> str:
    day = local_date(value)
    return day.isoformat() if day else "–"


def _describe_ad(ad: Ad) -> str:
    where = ", ".join(x for x in (ad.site, ad.city) if x) or gettext("okänd webbplats")
    return gettext("Annons på %(where)s, senast sedd %(day)s") % {"where": where, "day": _on(ad.last_seen)}


def _describe_contact(contact: Contact) -> str:
    return gettext("Kontakt (%(channel)s) %(day)s") % {"channel": contact.get_channel_display(),
                                                       "day": _on(contact.contacted_at)}


def _describe_tip(tip: Tip) -> str:
    return f"{tip.get_kind_display()} {_on(tip.created_at)}"


def _describe_dnc(entry: DoNotContact) -> str:
    return gettext("Kontaktspärr (%(kind)s), gällde till %(day)s") % {"kind": entry.get_kind_display().lower(),
                                                                      "day": _on(entry.expires_at)}


def _describe_import(job: ImportJob) -> str:
    return gettext("Import (%(format)s, %(status)s) %(day)s") % {
        "format": job.file_format.upper(), "status": job.get_status_display().lower(), "day": _on(job.created_at)}


def _dated_rule(key: str, label: Any, setting: str, field: str, due: Any, purge: Any, **more: Any) -> Rule:
    """A rule whose clock is one date field of the row and whose period is months."""
    return Rule(key=key, label=label, setting=setting, unit=MONTHS, due=due, purge=purge,
                purge_on=_date_plus_months(field, setting), cutoff=retention.months_cutoff(setting),
                listing_order=(field,), **more)


def _url(name: str, kwarg: str) -> Any:
    return lambda row: reverse(name, kwargs={kwarg: row.pk})


def register_rules() -> None:
    retention.register(Rule(
        key="ads", label=_("Annonser med observationer, nummer, bilder och indikatorer"),
        setting="ad_retention_months", unit=MONTHS, due=ads_due, upcoming=ads_upcoming, purge=do_purge_ads,
        purge_on=_ad_purge_on, cutoff=retention.months_cutoff("ad_retention_months"), listing_order=("last_seen",),
        describe=_describe_ad, link=_url("outreach:ad_detail", "ad_id"), link_capability=Cap.OUTREACH_VIEW,
        models=tuple(AD_MODELS), order=10,
        explanation=_("Räknas från när annonsen senast sågs, kontaktades eller bedömdes. En annons som ett "
                      "öppet ärende startade från sparas tills ärendet avslutas."),
    ))
    retention.register(_dated_rule(
        "contacts", _("Kontakter"), "contact_retention_months", "contacted_at", contacts_due, do_purge_contacts,
        describe=_describe_contact, models=("outreach.Contact",), order=20,
        explanation=_("Räknas från kontakten. Meddelanden fylls i från mallar när de visas och sparas inte. "
                      "En kontakt som ett öppet ärende startade från sparas tills ärendet avslutas."),
    ))
    retention.register(_dated_rule(
        "tips", _("Tips, polisanmälningar och orosanmälningar"), "tip_retention_months", "created_at", tips_due,
        do_purge_tips, describe=_describe_tip, link=_url("outreach:tip_detail", "tip_id"),
        link_capability=Cap.OUTREACH_VIEW, models=("outreach.Tip",), order=30,
        explanation=_("Räknas från när texten sparades. Utkastet är den sparade texten; PDF:en skapas när den "
                      "laddas ner och sparas inte."),
    ))
    retention.register(_dated_rule(
        "risk_assessments", _("Riskbedömningar"), "safety_retention_months", "created_at", risk_assessments_due,
        do_purge_risk_assessments, describe=lambda ra: gettext("Riskbedömning %(day)s") % {"day": _on(ra.created_at)},
        models=("outreach.RiskAssessment",), order=40, explanation=_("Räknas från när bedömningen gjordes."),
    ))
    retention.register(_dated_rule(
        "incidents", _("Incidenter"), "safety_retention_months", "occurred_at", incidents_due, do_purge_incidents,
        describe=lambda inc: gettext("Incident %(day)s") % {"day": _on(inc.occurred_at)},
        link=_url("outreach:incident_edit", "incident_id"), link_capability=Cap.OUTREACH_EDIT,
        models=("outreach.Incident",), order=50, explanation=_("Räknas från när incidenten inträffade."),
    ))
    retention.register(_dated_rule(
        "shifts", _("Arbetspass"), "shift_retention_months", "started_at", shifts_due, do_purge_shifts,
        describe=lambda shift: gettext("Pass %(day)s") % {"day": _on(shift.started_at)},
        link=_url("outreach:shift_detail", "shift_id"), link_capability=Cap.OUTREACH_VIEW,
        models=("outreach.Shift",), order=60,
        explanation=_("Räknas från passets start. Kontakter och incidenter under passet har egna tider."),
    ))
    retention.register(Rule(
        key="import_jobs", label=_("Importjobb"), setting="import_job_retention_days", unit=DAYS,
        due=import_jobs_due, purge=do_purge_import_jobs, purge_on=_import_job_purge_on,
        cutoff=retention.days_cutoff("import_job_retention_days"), listing_order=("created_at",),
        describe=_describe_import, link=_url("outreach:import_job", "job_id"), link_capability=Cap.OUTREACH_EDIT,
        models=("outreach.ImportJob",), order=70,
        explanation=_("Den uppladdade filen och raderna töms så fort importen är klar eller har misslyckats; "
                      "jobbet (antal och status) raderas så här många dagar efteråt. En avbruten import "
                      "behåller sina rader tills den körs igen eller raderas."),
    ))
    retention.register(Rule(
        key="do_not_contact", label=_("Kontaktspärrar"), setting="do_not_contact_months", unit=MONTHS,
        due=do_not_contact_due, purge=do_purge_do_not_contact,
        purge_on=lambda entry, org: local_date(entry.expires_at) + timedelta(days=1),
        cutoff=lambda org, on: on - timedelta(days=SHORTEST_BLOCK_DAYS + 1), listing_order=("expires_at",),
        describe=_describe_dnc, models=("outreach.DoNotContact",), order=80,
        explanation=_("Varje spärr gäller den tid som valdes när den lades in; inställningen är standardtiden. "
                      "Spärren raderas dagen efter att den har gått ut."),
    ))
    retention.register(Rule(
        key="network_marks", label=_("Markeringar i nätverket (kontaktad/avböjt, bara nyckelkod)"),
        setting="", unit=DAYS, fixed_period=NETWORK_MARK_DAYS, due=network_marks_due, purge=do_purge_network_marks,
        purge_on=lambda mark, org: mark.contacted_on + timedelta(days=NETWORK_MARK_DAYS + 1),
        cutoff=lambda org, on: on - timedelta(days=NETWORK_MARK_DAYS + 1), listing_order=("contacted_on",),
        describe=lambda mark: gettext("Markering %(day)s") % {"day": mark.contacted_on.isoformat()},
        models=("outreach.NetworkContactMark",), order=90,
        explanation=_("Fast tid: så länge markeringen visas för andra i nätverket. Markeringar i ett nätverk "
                      "som organisationen har lämnat raderas direkt."),
    ))
