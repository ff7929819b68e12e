"""Writes of the outreach app. Each `do_*` runs in one transaction and writes one audit row
(object type and id only, never the ad text, a phone number or a profile name)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.bulk import chunks, insert_ignoring_conflicts, insert_new_rows, update_by_key
from uppsok.core.changes import Loaded, lock_unchanged, save_changes
from uppsok.core.errors import ActionError
from uppsok.core.files import removed_on_error, track

from . import analysis_adapter as engine
from .models import (
    Ad,
    AdImage,
    AdIndicator,
    AdPhone,
    Contact,
    DoNotContact,
    DoNotContactRemoval,
    ImportJob,
    Incident,
    MessageTemplate,
    NetworkContactMark,
    Platform,
    PlatformAccount,
    RiskAssessment,
    Shift,
    Sighting,
    Tip,
)

# Above this many ads the analysis after an import runs as a background task.
SYNC_ANALYSIS_LIMIT = 200
IMPORT_CHUNK = 1000

logger = logging.getLogger(__name__)




def _audit(actor: Any, action: str, organisation: Any, obj: Any, detail: str = "") -> None:
    record(actor, action, organisation=organisation, obj=obj, detail=detail)


# --- Platforms ----------------------------------------------------------------------------------


@transaction.atomic
def do_save_platform(actor: Any, organisation: Any, data: dict[str, Any], platform: Platform | None = None, *,
                     loaded: Loaded | None = None) -> Platform:
    address = data.get("address", platform.address if platform else "")
    others = Platform.objects.filter(organisation=organisation, address=address)
    if platform is not None:
        others = others.exclude(pk=platform.pk)
    if others.exists():
        raise ActionError("Det finns redan en plattform med den adressen.")
    if platform is not None:
        save_changes(actor, platform, data, organisation=organisation, loaded=loaded)
        return platform
    platform = Platform.objects.create(organisation=organisation, **data)
    _audit(actor, AuditAction.CREATE, organisation, platform)
    return platform


@transaction.atomic
def do_add_platform_account(actor: Any, organisation: Any, platform: Platform, data: dict[str, Any]) -> PlatformAccount:
    acc = PlatformAccount.objects.create(organisation=organisation, platform=platform, **data)
    _audit(actor, AuditAction.CREATE, organisation, acc)
    return acc


# --- Ads ----------------------------------------------------------------------------------------


def fingerprint(url: str, external_id: str, fallback: str = "") -> str:
    if url:
        return "url:" + url.strip().casefold()[:290]
    if external_id:
        return "id:" + external_id[:290]
    return "new:" + fallback


# The columns an ad row brings, copied from the latest row of the ad (an older row adds its
# sighting only).
_ROW_FIELDS = ("site", "url", "city", "profile_name", "title", "text", "price", "nationality")
# Written for every new ad, in this order: plain tuples through core.bulk, since model instances
# cost more than the rest of an import (100,000 ads: about 40 s of Django's per-field work).
_NEW_AD_COLUMNS = (
    "id", "organisation_id", "created_at", "updated_at", "fingerprint", "external_id", *_ROW_FIELDS,
    "profile_key", "stated_age", "platform_id", "first_seen", "last_seen", "still_active", "status", "language",
    "prices_sek", "group_key", "indicator_count", "created_by_id",
)
_CHANGED_AD_COLUMNS = ("first_seen", "last_seen", "still_active", *_ROW_FIELDS, "profile_key", "stated_age",
                       "platform_id", "updated_at")


def _upsert_rows(
    organisation: Any, rows: list[dict[str, Any]], actor: Any, source: str, numbers: list[list[str]] | None = None
) -> tuple[list[Any], int]:
    """Create or update ads from validated rows; add a sighting for each. Returns the ids of the
    ads (the new ones first) and how many are new. `numbers`: `engine.phones_of_rows(rows)` when
    the caller has read them (an import reads all of its rows at once, on every CPU)."""
    if numbers is None:
        numbers = engine.phones_of_rows(rows)
    # A file may hold the same ad twice (seen on two days): one ad, a sighting for each row.
    keyed = [(fingerprint(row["url"], row["id"], row.get("_fallback", "")), row) for row in rows]
    wanted = list({fp: None for fp, _ in keyed})
    existing: dict[str, dict[str, Any]] = {
        values["fingerprint"]: values
        for chunk in chunks(wanted, engine.IDS_PER_QUERY)
        for values in Ad.objects.filter(organisation=organisation, fingerprint__in=chunk).order_by().values(
            "id", "fingerprint", "first_seen", "last_seen", "stated_age", *_ROW_FIELDS
        )
    }
    now = timezone.now()
    creator = actor.pk if getattr(actor, "is_authenticated", False) else None
    new_ads: dict[str, dict[str, Any]] = {}
    changed: dict[str, dict[str, Any]] = {}
    sightings: list[tuple[Any, ...]] = []
    phones: dict[tuple[Any, str], None] = {}
    photos: dict[Any, list[Any]] = {}
    platforms = {p.address.casefold(): p.pk for p in Platform.objects.filter(organisation=organisation)}
    for (fp, row), row_numbers in zip(keyed, numbers, strict=True):
        seen = row["seen_at"]
        if isinstance(seen, str):
            seen = parse_datetime(seen)
        ad = existing.get(fp)
        # the ad's fields are what it said when last seen: an older row adds its sighting only
        latest = ad is None or seen >= ad["last_seen"]
        if ad is None:
            ad = existing[fp] = new_ads[fp] = {
                "id": uuid.uuid4(), "fingerprint": fp, "external_id": row["id"], "first_seen": seen,
                "last_seen": seen, "stated_age": None, **dict.fromkeys(_ROW_FIELDS, ""),
            }
        else:
            if fp not in new_ads:
                changed[fp] = ad
            ad["first_seen"] = min(ad["first_seen"], seen)
            ad["last_seen"] = max(ad["last_seen"], seen)
        if latest:
            for key in _ROW_FIELDS:
                if row.get(key):
                    ad[key] = row[key]
            if row.get("age"):
                ad["stated_age"] = row["age"]
        pk = ad["id"]
        sightings.append((pk, seen, row.get("city", ""), row.get("site", ""), source))
        # every row's numbers, an older one's too: the ad was reachable on them when it was seen
        for e164 in row_numbers:
            phones[(pk, e164)] = None
        photos.setdefault(pk, []).extend(_row_photos(row))

    for ad in (*new_ads.values(), *changed.values()):
        ad["profile_key"] = engine.normalise_profile(ad["profile_name"])
        ad["platform_id"] = platforms.get(ad["site"].casefold()) if ad["site"] else None
    insert_new_rows(Ad, _NEW_AD_COLUMNS, (
        (ad["id"], organisation.pk, now, now, ad["fingerprint"], ad["external_id"], *(ad[k] for k in _ROW_FIELDS),
         ad["profile_key"], ad["stated_age"], ad["platform_id"], ad["first_seen"], ad["last_seen"], True,
         Ad.Status.NEW, "", [], "", 0, creator)
        for ad in new_ads.values()
    ))
    update_by_key(Ad, "id", _CHANGED_AD_COLUMNS, (
        (ad["id"], ad["first_seen"], ad["last_seen"], True, *(ad[k] for k in _ROW_FIELDS), ad["profile_key"],
         ad["stated_age"], ad["platform_id"], now)
        for ad in changed.values()
    ), where={"organisation": organisation.pk})
    insert_new_rows(Sighting, ["ad_id", "seen_at", "city", "site", "source"], sightings)
    insert_ignoring_conflicts(AdPhone, ["ad_id", "organisation_id", "e164"],
                              ((pk, organisation.pk, e164) for pk, e164 in phones))
    ids = [ad["id"] for ad in (*new_ads.values(), *changed.values())]
    _store_photos(organisation, [(pk, photos.get(pk, [])) for pk in ids])
    return ids, len(new_ads)


def _row_photos(row: dict[str, Any]) -> list[tuple[dict[str, Any], bytes | None]]:
    """A row's photos: read from files (`_photos`), or features only (``image_features``, as an
    import from a ZIP file brings them, checked by `imports.clean_row`)."""
    if row.get("_photos"):
        return row["_photos"]
    features = row.get("image_features") or ()
    return [(engine.image_fields(f["phash"], f["bghash"], f["face"]), None) for f in features]


def _store_photos(organisation: Any, photos: list[tuple[Any, Any]]) -> None:
    """AdImage rows for the photos a row brought (`_photos`: features and, when the organisation
    keeps photos, the cleaned JPEG from `analysis_adapter.read_photo`); a photo the ad already has
    (same hashes), as when an ad is seen again, is not stored twice."""
    photos = [(pk, items) for pk, items in photos if items]
    if not photos:
        return
    have = set(
        AdImage.objects.filter(organisation=organisation, ad_id__in=[pk for pk, _ in photos]).values_list(
            "ad_id", "phash", "bghash"
        )
    )
    features_only = []
    for pk, items in photos:
        for fields, content in items:
            key = (pk, fields["phash"], fields["bghash"])
            if key in have:
                continue
            have.add(key)
            img = AdImage(ad_id=pk, organisation=organisation, **fields)
            if content is None:
                features_only.append(img)
            else:
                img.image.save("photo.jpg", ContentFile(content), save=False)
                track(img.image)
                img.save()
    AdImage.objects.bulk_create(features_only, batch_size=1000)


@removed_on_error()
@transaction.atomic
def do_capture_ad(actor: Any, organisation: Any, data: dict[str, Any], images: list[Any] = ()) -> tuple[Ad, bool]:
    """One ad pasted by a worker. Seen before (same address) → a new sighting on the same ad."""
    row = {
        "id": "",
        "seen_at": data.get("seen_at") or timezone.now(),
        "site": data.get("site", ""),
        "url": data.get("url", ""),
        "city": data.get("city", ""),
        "profile_name": data.get("profile_name", ""),
        "title": data.get("title", ""),
        "text": data.get("text", ""),
        "price": data.get("price", ""),
        "nationality": "",
        "age": data.get("stated_age"),
        "phones": [p for p in [data.get("phone", "")] if p],
        "_fallback": timezone.now().isoformat(),
    }
    # every photo is checked before anything is written: a refused file leaves no ad behind
    try:
        row["_photos"] = [
            engine.read_photo(f, str(getattr(f, "name", "") or "bild")[:100], organisation.keep_ad_images)
            for f in images
        ]
    except engine.PhotoRefused as exc:
        raise ActionError(str(exc)) from exc
    ids, created = _upsert_rows(organisation, [row], actor, "capture")
    engine.analyse(organisation, engine.ads_by_id(organisation, ids))
    ad = Ad.objects.get(organisation=organisation, pk=ids[0])
    _audit(actor, AuditAction.CREATE if created else AuditAction.CHANGE, organisation, ad, "capture")
    return ad, bool(created)


def _import_batch(
    actor: Any, organisation: Any, rows: list[dict[str, Any]], numbers: list[list[str]], source: str,
    seen_ids: dict[Any, None],
) -> tuple[int, int]:
    """Write one batch of rows; returns (created, updated) and adds the batch's ads to `seen_ids`."""
    ads, created = _upsert_rows(organisation, rows, actor, source, numbers)
    # an ad this import created, seen again in a later chunk, is still one new ad
    updated = sum(1 for pk in ads[created:] if pk not in seen_ids)
    seen_ids.update(dict.fromkeys(ads))
    return created, updated


def _audit_import(actor: Any, organisation: Any, source: str, created: int, updated: int) -> None:
    record(actor, AuditAction.CREATE, organisation=organisation, object_type="outreach.ad", object_id="import",
           detail=f"{source};created={created};updated={updated}")


def do_import_ads(
    actor: Any,
    organisation: Any,
    rows: list[dict[str, Any]],
    *,
    source: str = "import",
    progress: Callable[[int, int], None] | None = None,
    analyse_now: bool | None = None,
) -> tuple[int, int, list[Any]]:
    """Write validated rows in one transaction (all or nothing). Returns (created, updated, ad ids)."""
    total = len(rows)
    created = updated = 0
    seen_ids: dict[Any, None] = {}
    # the numbers of all rows at once, on every CPU (a single process spent 13 s of a 100,000-ad
    # import's 31 s on them)
    numbers = engine.phones_of_rows(rows)
    with removed_on_error(), transaction.atomic():
        for start in range(0, total, IMPORT_CHUNK):
            end = start + IMPORT_CHUNK
            c, u = _import_batch(actor, organisation, rows[start:end], numbers[start:end], source, seen_ids)
            created += c
            updated += u
            if progress:
                progress(min(end, total), total)
        ids = list(seen_ids)
        _audit_import(actor, organisation, source, created, updated)
        if analyse_now is None:
            analyse_now = len(ids) <= SYNC_ANALYSIS_LIMIT
        if analyse_now:
            analyse_ads_by_id(organisation, ids)
    if not analyse_now and ids:
        from .tasks import analyse_ads_task

        transaction.on_commit(
            lambda: analyse_ads_task.enqueue(str(organisation.pk), [str(i) for i in ids])
        )
    return created, updated, ids


# Ads analysed together, at most. One analysis of a whole import is the command line's batch: the
# ads find each other inside it, where in parts each part looks the earlier parts up as history
# and takes them in again as context (100,000 ads on SQLite: 181 s in parts of 20,000, 113 s at
# once). Its memory is the price: about 2.2 GB at 100,000 ads.
ANALYSIS_BATCH = 100_000


def analyse_ads_by_id(organisation: Any, ids: list[Any], chunk: int = ANALYSIS_BATCH) -> None:
    for start in range(0, len(ids), chunk):
        engine.analyse(organisation, engine.ads_by_id(organisation, ids[start : start + chunk]))


@transaction.atomic
def do_create_import_job(
    actor: Any, organisation: Any, file_format: str, filename: str, rows: list[dict[str, Any]], *, raw: str = ""
) -> ImportJob:
    """An import waiting to run: validated `rows`, or the `raw` upload still to be checked and mapped."""
    import json

    job = ImportJob.objects.create(
        organisation=organisation,
        file_format=file_format,
        filename=filename[:200],
        raw=raw,
        payload="\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in rows),
        total=len(rows),
        created_by=actor,
    )
    _audit(actor, AuditAction.CREATE, organisation, job, file_format)
    return job


def do_queue_import_job(actor: Any, organisation: Any, job: ImportJob, rows: list[dict[str, Any]]) -> None:
    """Store the checked rows on the job, drop the raw upload and start the background task."""
    import json

    from .tasks import run_import_task

    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk, organisation=organisation).update(
            payload="\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in rows), raw="", total=len(rows)
        )
        _audit(actor, AuditAction.CHANGE, organisation, job, "queued")
    run_import_task.enqueue(str(job.pk))


# A generous bound on the analysis's time per ad (measured: about 1.1 ms on SQLite at 100,000 ads).
ANALYSIS_SECONDS_PER_AD = 0.006


def _lease(ads_to_analyse: int = 0) -> Any:
    """Until when a running import counts as alive: one batch's time with a wide margin, and before
    its analysis (one transaction that commits nothing on the way) that analysis's time too."""
    seconds = settings.UPPSOK_IMPORT_LEASE_SECONDS + ads_to_analyse * ANALYSIS_SECONDS_PER_AD
    return timezone.now() + timedelta(seconds=seconds)


class _Superseded(Exception):
    """This run no longer holds the job: it was marked interrupted, or a retry took it over."""


def _hold(job_pk: Any, attempt: int, lease_until: Any = None) -> None:
    """Inside a transaction: lock the job for this run (renewing its lease when given); raise
    `_Superseded` when the job is no longer this run's."""
    held = ImportJob.objects.filter(pk=job_pk, attempt=attempt, status=ImportJob.Status.RUNNING).update(
        lease_until=lease_until or F("lease_until")
    )
    if not held:
        raise _Superseded


def _ids_of_rows(organisation: Any, rows: list[dict[str, Any]]) -> dict[Any, None]:
    """The ads that earlier runs of a job wrote for `rows`, in row order."""
    fps = list({fingerprint(row["url"], row["id"], row.get("_fallback", "")): None for row in rows})
    by_fp = {
        fp: pk
        for chunk in chunks(fps, engine.IDS_PER_QUERY)
        for pk, fp in Ad.objects.filter(organisation=organisation, fingerprint__in=chunk).values_list("id", "fingerprint")
    }
    return {by_fp[fp]: None for fp in fps if fp in by_fp}


def run_import_job(job_id: Any) -> ImportJob:
    """Run a stored import (the background task calls this), or go on with one that was interrupted.

    Each batch of rows is one transaction together with the job's count of rows done, so a worker
    that dies leaves whole batches and a count that says which: a retry starts after them and
    writes no ad, sighting or number twice. The analysis and the job's "done" are one transaction
    after the batches; an import of one batch is that transaction too, all or nothing as before. A
    failure before any batch was saved saves nothing; a later one leaves the job interrupted, to be
    retried."""
    import json

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, attempt=F("attempt") + 1, lease_until=_lease(), error="", finished_at=None
    )
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        rows = [json.loads(line) for line in job.payload.splitlines() if line.strip()]
        _run_batches(job, job.attempt, rows)
    except _Superseded:
        logger.warning("import %s: run %s stopped, the job is no longer its own", job.pk, job.attempt)
    except Exception as exc:  # noqa: BLE001 - what was committed stays; the job says so
        logger.exception("import %s failed", job.pk)
        ours = ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, status=ImportJob.Status.RUNNING)
        stopped = {"lease_until": None, "finished_at": timezone.now()}
        if not ours.filter(processed=0).update(
            status=ImportJob.Status.FAILED, payload="",
            error=f"Importen misslyckades och inget sparades ({type(exc).__name__}).", **stopped,
        ):
            ours.update(status=ImportJob.Status.INTERRUPTED, error=type(exc).__name__, **stopped)
    job.refresh_from_db()
    return job


def _run_batches(job: ImportJob, attempt: int, rows: list[dict[str, Any]]) -> None:
    organisation, actor = job.organisation, job.created_by
    total, start = len(rows), job.processed
    created, updated = job.created_count, job.updated_count
    seen_ids = _ids_of_rows(organisation, rows[:start]) if start else {}
    numbers = engine.phones_of_rows(rows[start:])
    # an import of one batch stays all or nothing together with its analysis
    single = start == 0 and total <= IMPORT_CHUNK
    for begin in range(start, 0 if single else total, IMPORT_CHUNK):
        end = min(begin + IMPORT_CHUNK, total)
        with transaction.atomic():
            _hold(job.pk, attempt, _lease())
            c, u = _import_batch(actor, organisation, rows[begin:end], numbers[begin - start:end - start], "import",
                                 seen_ids)
            created += c
            updated += u
            ImportJob.objects.filter(pk=job.pk).update(processed=end, created_count=created, updated_count=updated)
    # the analysis commits nothing until it is done: its lease is committed before it starts
    with transaction.atomic():
        _hold(job.pk, attempt, _lease(total if single else len(seen_ids)))
    with transaction.atomic():
        _hold(job.pk, attempt)
        if single:
            created, updated = _import_batch(actor, organisation, rows, numbers, "import", seen_ids)
        _audit_import(actor, organisation, "import", created, updated)
        analyse_ads_by_id(organisation, list(seen_ids))
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE, processed=total, created_count=created, updated_count=updated,
            payload="", lease_until=None, finished_at=timezone.now(),
        )


def mark_interrupted_imports(*, organisation: Any = None, now: Any = None) -> int:
    """Mark running imports whose worker let the lease run out as interrupted; returns how many.
    A job whose row a live transaction holds is skipped: its worker is still at it."""
    now = now or timezone.now()
    jobs = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, lease_until__lt=now)
    if organisation is not None:
        jobs = jobs.filter(organisation=organisation)
    with transaction.atomic():
        lost = list(jobs.select_for_update(skip_locked=True).values_list("pk", "organisation_id"))
        for pk, org_id in lost:
            ImportJob.objects.filter(pk=pk).update(
                status=ImportJob.Status.INTERRUPTED, lease_until=None, finished_at=now, error=""
            )
            record(None, AuditAction.CHANGE, organisation=org_id, object_type="outreach.importjob", object_id=str(pk),
                   detail="interrupted")
    return len(lost)


@transaction.atomic
def do_retry_import(actor: Any, organisation: Any, job: ImportJob) -> None:
    """Start an interrupted import again; it goes on after the batches already saved."""
    from .tasks import run_import_task

    locked = ImportJob.objects.select_for_update().defer("raw", "payload").get(pk=job.pk, organisation=organisation)
    if locked.status != ImportJob.Status.INTERRUPTED and not locked.lost_worker():
        raise ActionError(gettext("Importen är inte avbruten och kan inte startas igen."))
    if not ImportJob.objects.filter(pk=locked.pk).exclude(payload="").exists():
        raise ActionError(gettext("Importens rader finns inte kvar. Ladda upp filen igen."))
    ImportJob.objects.filter(pk=locked.pk).update(
        status=ImportJob.Status.PENDING, lease_until=None, finished_at=None, error=""
    )
    _audit(actor, AuditAction.CHANGE, organisation, locked, f"retry;from={locked.processed}")
    # in the same transaction: the task row and the job's "pending" are committed together
    run_import_task.enqueue(str(locked.pk))


# What the ad page's status form shows, for its version (`core.changes`).
AD_STATUS_FIELDS = ("status",)


@transaction.atomic
def do_set_ad_status(actor: Any, organisation: Any, ad: Ad, status: str, still_active: bool | None = None, *,
                     loaded: Loaded | None = None) -> None:
    if loaded is not None:
        lock_unchanged(ad, loaded)
    ad.status = status
    fields = ["status", "updated_at"]
    if still_active is not None:
        ad.still_active = still_active
        fields.append("still_active")
    ad.save(update_fields=fields)
    _audit(actor, AuditAction.CHANGE, organisation, ad, "status=" + status)


@transaction.atomic
def do_decide_indicator(actor: Any, organisation: Any, indicator: AdIndicator, decision: str, reason: str = "") -> None:
    """Record who decided what and when; a dismissal needs its reason, the only trace of why a sign
    is left out of a tip. Re-analysis keeps all of it (`analysis_adapter.analyse`)."""
    if decision not in (AdIndicator.Status.CONFIRMED, AdIndicator.Status.DISMISSED, AdIndicator.Status.FOUND):
        raise ActionError("Okänt beslut.")
    reason = (reason or "").strip()
    if decision == AdIndicator.Status.DISMISSED and not reason:
        raise ActionError("Skriv varför indikatorn avfärdas.")
    indicator.status = decision
    indicator.decided_by = actor
    indicator.decided_at = timezone.now()
    indicator.decision_reason = reason if decision == AdIndicator.Status.DISMISSED else ""
    indicator.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _audit(actor, AuditAction.CHANGE, organisation, indicator.ad, f"indicator={indicator.code};{decision}")


@transaction.atomic
def do_add_manual_indicator(actor: Any, organisation: Any, ad: Ad, code: str, evidence: str) -> AdIndicator:
    evidence = (evidence or "").strip()
    if not evidence:
        raise ActionError("Skriv vad du såg – en indikator som läggs till för hand behöver underlag.")
    ind, _ = AdIndicator.objects.update_or_create(
        ad=ad,
        code=code,
        source=AdIndicator.Source.MANUAL,
        defaults={
            "organisation": organisation,
            "evidence": evidence,
            "status": AdIndicator.Status.CONFIRMED,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    ad.indicator_count = ad.indicators.count()
    ad.save(update_fields=["indicator_count"])
    _audit(actor, AuditAction.CHANGE, organisation, ad, f"indicator={code};manual")
    return ind


# --- Contacts, network marks, do-not-contact ----------------------------------------------------


def network_digest(secret: str, kind: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def identities_of_ad(ad: Ad) -> list[tuple[str, str]]:
    """(kind, normalised value) for the ad's phones and profile."""
    out = [("phone", p) for p in ad.phones.values_list("e164", flat=True)]
    if ad.profile_key:
        out.append(("profile", ad.profile_key))
    return out


def _networks_of(organisation: Any) -> list[Any]:
    from uppsok.network.models import Network

    return list(Network.objects.filter(organisation_memberships_of(organisation)))


def organisation_memberships_of(organisation: Any) -> Any:
    from django.db.models import Q

    return Q(networkmembership__organisation=organisation)


def _mark_in_networks(organisation: Any, identities: list[tuple[str, str]], day: Any, *, declined: bool) -> None:
    """Tell each network of the organisation, by keyed hash only, that it contacted these identities on
    `day`; a "no" turns the day's mark into "declined" and is never turned back."""
    for network in _networks_of(organisation):
        for kind, value in identities:
            mark, _created = NetworkContactMark.objects.get_or_create(
                network=network,
                organisation=organisation,
                digest=network_digest(network.hash_secret, kind, value),
                contacted_on=day,
                defaults={"declined": declined},
            )
            if declined and not mark.declined:
                mark.declined = True
                mark.save(update_fields=["declined"])


@transaction.atomic
def do_log_contact(actor: Any, organisation: Any, ad: Ad | None, data: dict[str, Any]) -> Contact:
    if ad is not None and ad.organisation_id != organisation.pk:
        raise ActionError("Annonsen hör till en annan organisation.")
    if ad is not None and blocked_identities(organisation, ad):
        raise ActionError("Kontaktspärr: den här personen vill inte bli kontaktad. Kontakten sparades inte.")
    data = dict(data)
    block_months = data.pop("block_months", None)
    declined = data.get("response") == Contact.Response.NO_FURTHER
    if declined and ad is not None and not identities_of_ad(ad):
        raise ActionError("Annonsen saknar nummer och profilnamn, så ingen kontaktspärr kan läggas in. "
                          "Lägg in spärren för hand.")
    contact = Contact.objects.create(organisation=organisation, ad=ad, worker=actor, **data)
    if declined and ad is not None:
        # The person's "no" is itself the kontaktspärr: created in the same transaction.
        months = block_months or organisation.do_not_contact_months
        for kind, value in identities_of_ad(ad):
            _block(actor, organisation, kind, value, ad=ad, months=months)
    if ad is not None:
        if ad.status in (Ad.Status.NEW, Ad.Status.REVIEWED):
            ad.status = Ad.Status.CONTACTED
            ad.save(update_fields=["status"])
        day = timezone.localtime(contact.contacted_at).date()
        _mark_in_networks(organisation, identities_of_ad(ad), day, declined=declined)
        for code, flag in (
            ("contact_address_at_once", "sign_address_at_once"),
            ("contact_price_list", "sign_price_list"),
            ("contact_no_condom_price", "sign_no_condom_price"),
            ("contact_silence", "sign_silence"),
        ):
            if data.get(flag):
                AdIndicator.objects.update_or_create(
                    ad=ad,
                    code=code,
                    source=AdIndicator.Source.MANUAL,
                    defaults={"organisation": organisation, "evidence": "kontakt " + day.isoformat(),
                              "status": AdIndicator.Status.CONFIRMED, "decided_by": actor,
                              "decided_at": timezone.now()},
                )
        ad.indicator_count = ad.indicators.count()
        ad.save(update_fields=["indicator_count"])
    _audit(actor, AuditAction.CREATE, organisation, contact, "channel=" + contact.channel)
    return contact


# How long a network mark is shown (and kept): about the six months a kontaktspärr lasts.
NETWORK_MARK_DAYS = 180


def network_marks_for(organisation: Any, ad: Ad) -> list[dict[str, Any]]:
    """Recent contacts by other current network members with the ad's phone/profile (HMAC match
    only); a declined contact first, since it means "do not contact"."""
    out: list[dict[str, Any]] = []
    today = timezone.localdate()
    for network in _networks_of(organisation):
        digests = [network_digest(network.hash_secret, k, v) for k, v in identities_of_ad(ad)]
        if not digests:
            continue
        marks = (
            NetworkContactMark.objects.filter(
                network=network, digest__in=digests, contacted_on__gte=today - timedelta(days=NETWORK_MARK_DAYS),
                # an organisation that has left the network no longer speaks in it
                organisation__networkmembership__network=network,
            )
            .exclude(organisation=organisation)
            .select_related("organisation")
            .order_by("-declined", "-contacted_on")[:5]
        )
        for m in marks:
            out.append(
                {
                    "network": network.name,
                    "days": (today - m.contacted_on).days,
                    "declined": m.declined,
                    "organisation": m.organisation.name if network.share_contacting_organisation else "",
                }
            )
    return out


def blocked_identities(organisation: Any, ad: Ad) -> list[DoNotContact]:
    idents = identities_of_ad(ad)
    if not idents:
        return []
    from django.db.models import Q

    q = Q()
    for kind, value in idents:
        q |= Q(kind=kind, value=value)
    return list(DoNotContact.objects.filter(organisation=organisation, expires_at__gt=timezone.now()).filter(q))


@transaction.atomic
def do_add_do_not_contact(
    actor: Any,
    organisation: Any,
    *,
    kind: str,
    value: str,
    ad: Ad | None = None,
    consent_to_keep: bool = False,
    recontact_after: Any = None,
) -> DoNotContact:
    if kind == DoNotContact.Kind.PHONE:
        found = engine.phones_in(value)
        if len(found) > 1:
            # one entry blocks one number: taking one of two would leave the other unblocked unseen
            raise ActionError("Ange ett nummer per spärr – fältet innehåller flera telefonnummer.")
        norm = found[0] if found else None
        if not norm:
            raise ActionError("Numret kunde inte tolkas som ett telefonnummer.")
    else:
        norm = engine.normalise_profile(value)
        if not norm:
            raise ActionError("Ange ett profilnamn.")
    entry = _block(actor, organisation, kind, norm, ad=ad, consent_to_keep=consent_to_keep,
                   recontact_after=recontact_after)
    # A block set by hand is the person's "no" as much as a logged answer: the network hears it.
    _mark_in_networks(organisation, [(kind, norm)], timezone.localdate(), declined=True)
    return entry


def _block(actor: Any, organisation: Any, kind: str, norm: str, *, ad: Ad | None = None, months: int | None = None,
           consent_to_keep: bool = False, recontact_after: Any = None) -> DoNotContact:
    expires = timezone.now() + timedelta(days=30 * (months or organisation.do_not_contact_months))
    entry, _ = DoNotContact.objects.update_or_create(
        organisation=organisation,
        kind=kind,
        value=norm,
        defaults={
            "ad": ad,
            "consent_to_keep": consent_to_keep,
            "expires_at": expires,
            "recontact_after": recontact_after,
            "created_by": actor,
        },
    )
    _audit(actor, AuditAction.CREATE, organisation, entry, "kind=" + kind)
    return entry


@transaction.atomic
def do_delete_do_not_contact(actor: Any, entry: DoNotContact, *, reason: str) -> None:
    """Lift a kontaktspärr early: only with a written reason, kept (without the number) for review."""
    if len(reason.strip()) < 10:
        raise ActionError("Skriv varför kontaktspärren tas bort.")
    organisation = entry.organisation
    removal = DoNotContactRemoval.objects.create(
        organisation=organisation, kind=entry.kind, reason=reason.strip(), removed_by=actor
    )
    _audit(actor, AuditAction.DELETE, organisation, entry, f"removal={removal.pk}")
    entry.delete()


# --- Templates, tips ----------------------------------------------------------------------------


@transaction.atomic
def do_save_template(actor: Any, organisation: Any, data: dict[str, Any], template: MessageTemplate | None = None, *,
                     loaded: Loaded | None = None) -> MessageTemplate:
    if template is not None:
        save_changes(actor, template, data, organisation=organisation, loaded=loaded)
        return template
    template = MessageTemplate.objects.create(organisation=organisation, **data)
    _audit(actor, AuditAction.CREATE, organisation, template)
    return template


@transaction.atomic
def do_create_tip(actor: Any, organisation: Any, *, kind: str, text: str, ad: Ad | None, recipient: str = "") -> Tip:
    tip = Tip.objects.create(
        organisation=organisation, kind=kind, text=text, ad=ad, group_key=ad.group_key if ad else "",
        recipient=recipient, created_by=actor,
    )
    _audit(actor, AuditAction.CREATE, organisation, tip, "kind=" + kind)
    return tip


@transaction.atomic
def do_log_tip_export(actor: Any, organisation: Any, tip: Tip) -> None:
    _audit(actor, AuditAction.EXPORT, organisation, tip, "pdf")


@transaction.atomic
def do_log_ad_export(actor: Any, organisation: Any, *, rows: int) -> None:
    """The ad list left the platform as a file: who, which organisation and how many rows."""
    record(actor, AuditAction.EXPORT, organisation=organisation, object_type="outreach.ad", object_id="csv",
           detail=f"rows={rows}")


# --- Shifts and safety --------------------------------------------------------------------------


@transaction.atomic
def do_start_shift(actor: Any, organisation: Any, workers: list[Any], platforms: list[Any], notes: str = "") -> Shift:
    if Shift.objects.filter(organisation=organisation, ended_at__isnull=True, workers=actor).exists():
        raise ActionError("Du har redan ett pågående pass. Avsluta det först.")
    shift = Shift.objects.create(organisation=organisation, started_at=timezone.now(), notes=notes, created_by=actor)
    shift.workers.set({actor, *workers})
    shift.platforms.set(platforms)
    _audit(actor, AuditAction.CREATE, organisation, shift)
    return shift


@transaction.atomic
def do_update_shift(actor: Any, organisation: Any, shift: Shift, data: dict[str, Any], end: bool = False, *,
                    loaded: Loaded | None = None) -> Shift:
    if loaded is not None:
        lock_unchanged(shift, loaded)
        shift.refresh_from_db()
    for k, v in data.items():
        if k in ("workers", "platforms"):
            getattr(shift, k).set(v)
        else:
            setattr(shift, k, v)
    if end and shift.ended_at is None:
        shift.ended_at = timezone.now()
    shift.save()
    _audit(actor, AuditAction.CHANGE, organisation, shift, "end" if end else "")
    return shift


@transaction.atomic
def do_save_risk_assessment(actor: Any, organisation: Any, data: dict[str, Any]) -> RiskAssessment:
    ra = RiskAssessment.objects.create(organisation=organisation, created_by=actor, **data)
    _audit(actor, AuditAction.CREATE, organisation, ra)
    return ra


@transaction.atomic
def do_save_incident(actor: Any, organisation: Any, data: dict[str, Any], incident: Incident | None = None, *,
                     loaded: Loaded | None = None) -> Incident:
    if incident is not None:
        save_changes(actor, incident, data, organisation=organisation, loaded=loaded)
        return incident
    incident = Incident.objects.create(organisation=organisation, created_by=actor, **data)
    _audit(actor, AuditAction.CREATE, organisation, incident)
    return incident
