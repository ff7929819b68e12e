"""The one place that talks to the analysis engine (uppsok.analysis, issue 3).

If the engine's API changes, only this module changes. The engine is plain Python: it gets dicts
in its input format and returns indicators, groups and links; this module writes them to the
database (AdIndicator, AdLink, Ad.group_key) for the ads that were analysed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Ad, AdImage, AdIndicator, AdLink, AdPhone

# Recent ads of the organisation analysed together with a new ad (similar text, low price median).
RECENT_CONTEXT = 400
# Related ads (same phone/profile/group) taken into one analysis, at most.
RELATED_LIMIT = 5000


def minor_age() -> int:
    """The age under which the engine flags an ad `possible_minor`."""
    from uppsok.analysis.text import MINOR_AGE

    return MINOR_AGE


def normalise_phone(raw: str) -> str | None:
    """A phone number as E.164, or None when it is not one."""
    from uppsok.analysis.phones import extract_phones

    found = extract_phones(raw or "")
    return found[0] if found else None


def extract_phones(*texts: str) -> list[str]:
    from uppsok.analysis.phones import extract_phones as _extract

    return list(_extract(*texts))


def normalise_profile(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def to_engine(ad: Ad, phones: Iterable[str] = ()) -> dict[str, Any]:
    return {
        "id": str(ad.pk),
        "seen_at": ad.last_seen.isoformat(),
        "site": ad.site,
        "url": ad.url,
        "city": ad.city,
        "profile_name": ad.profile_name,
        "title": ad.title,
        "text": ad.text,
        "phones": list(phones),
        "price": ad.price,
        "age": ad.stated_age,
        "nationality": ad.nationality,
    }


def run_engine(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from uppsok.analysis import analyse_ads

    return analyse_ads(rows, with_images=False)


def _context_ads(organisation: Any, targets: list[Ad]) -> list[Ad]:
    ids = [a.pk for a in targets]
    phones = list(AdPhone.objects.filter(ad_id__in=ids).values_list("e164", flat=True))
    profiles = [a.profile_key for a in targets if a.profile_key]
    groups = [a.group_key for a in targets if a.group_key]
    related = Q(pk__in=AdPhone.objects.filter(organisation=organisation, e164__in=phones).values("ad_id"))
    if profiles:
        related |= Q(profile_key__in=profiles)
    if groups:
        related |= Q(group_key__in=groups)
    base = Ad.objects.filter(organisation=organisation).exclude(pk__in=ids)
    found = {a.pk: a for a in base.filter(related)[:RELATED_LIMIT]}
    if len(targets) < 50:
        for a in base.order_by("-last_seen")[:RECENT_CONTEXT]:
            found.setdefault(a.pk, a)
    return list(found.values())


@transaction.atomic
def analyse(organisation: Any, targets: list[Ad]) -> None:
    """Analyse `targets` (with related and recent ads of the same organisation as context) and
    store their indicators, links and group."""
    if not targets:
        return
    context = _context_ads(organisation, targets)
    everything = targets + context
    phone_map: dict[Any, list[str]] = {}
    for ad_id, e164 in AdPhone.objects.filter(ad_id__in=[a.pk for a in everything]).values_list("ad_id", "e164"):
        phone_map.setdefault(ad_id, []).append(e164)
    results = run_engine([to_engine(a, phone_map.get(a.pk, ())) for a in everything])
    by_id = {r["id"]: r for r in results if r.get("id") and "error" not in r}
    ads_by_id = {str(a.pk): a for a in everything}
    target_ids = {str(a.pk) for a in targets}
    now = timezone.now()

    # Links: engine links plus our own same-image links (hashes of captured photos).
    links: dict[tuple[str, str], list[str]] = {}
    for tid in target_ids:
        for link in by_id.get(tid, {}).get("links", []):
            links[(tid, link["id"])] = list(link["reasons"])
    hashes = dict(AdImage.objects.filter(ad_id__in=[a.pk for a in targets]).values_list("ad_id", "phash"))
    if hashes:
        for other_id, phash in AdImage.objects.filter(organisation=organisation, phash__in=hashes.values()).values_list(
            "ad_id", "phash"
        ):
            for tid, h in hashes.items():
                if h == phash and other_id != tid:
                    reasons = links.setdefault((str(tid), str(other_id)), [])
                    if "same_image" not in reasons:
                        reasons.append("same_image")
    AdLink.objects.filter(Q(from_ad_id__in=target_ids) | Q(to_ad_id__in=target_ids)).delete()
    rows = []
    for (a, b), reasons in links.items():
        rows.append(AdLink(organisation=organisation, from_ad_id=a, to_ad_id=b, reasons=reasons))
        rows.append(AdLink(organisation=organisation, from_ad_id=b, to_ad_id=a, reasons=reasons))
    AdLink.objects.bulk_create(rows, ignore_conflicts=True)

    # Indicators: replace the automatic ones, keeping the worker's decision on codes found again.
    decided = {
        (str(ad_id), code): (status, by, at)
        for ad_id, code, status, by, at in AdIndicator.objects.filter(
            ad_id__in=target_ids, source=AdIndicator.Source.AUTO
        ).values_list("ad_id", "code", "status", "decided_by", "decided_at")
    }
    AdIndicator.objects.filter(ad_id__in=target_ids, source=AdIndicator.Source.AUTO).delete()
    new_inds = []
    for tid in target_ids:
        for ind in by_id.get(tid, {}).get("indicators", []):
            status, by, at = decided.get((tid, ind["code"]), (AdIndicator.Status.FOUND, None, None))
            new_inds.append(
                AdIndicator(
                    ad_id=tid,
                    organisation=organisation,
                    code=ind["code"],
                    evidence=ind.get("evidence", "")[:4000],
                    source=AdIndicator.Source.AUTO,
                    status=status,
                    decided_by_id=by,
                    decided_at=at,
                )
            )
    AdIndicator.objects.bulk_create(new_inds, ignore_conflicts=True)

    # Groups: the engine's group over the analysed ads, merged with groups already stored.
    members: dict[str, set[str]] = {}
    for rid, r in by_id.items():
        members.setdefault(r["group"], set()).add(rid)
    for (a, b) in links:
        ga, gb = by_id.get(a, {}).get("group"), by_id.get(b, {}).get("group")
        if ga and gb and ga != gb and ga in members and gb in members:
            members[ga] |= members.pop(gb, set())
            for rid in members[ga]:
                if rid in by_id:
                    by_id[rid]["group"] = ga
    for group_members in members.values():
        if len(group_members) < 2 or not group_members & target_ids:
            continue
        existing = sorted({ads_by_id[m].group_key for m in group_members if ads_by_id[m].group_key})
        key = existing[0] if existing else "g-" + min(group_members)
        Ad.objects.filter(organisation=organisation).filter(
            Q(pk__in=group_members) | Q(group_key__in=existing)
        ).update(group_key=key)
    counts: dict[str, int] = {}
    for ind in new_inds:
        counts[str(ind.ad_id)] = counts.get(str(ind.ad_id), 0) + 1
    manual = AdIndicator.objects.filter(ad_id__in=target_ids, source=AdIndicator.Source.MANUAL).values_list(
        "ad_id", flat=True
    )
    for ad_id in manual:
        counts[str(ad_id)] = counts.get(str(ad_id), 0) + 1
    for tid in target_ids:
        r = by_id.get(tid, {})
        Ad.objects.filter(pk=tid).update(
            language=r.get("language", "")[:8],
            prices_sek=r.get("prices_sek", []),
            indicator_count=counts.get(tid, 0),
            analysed_at=now,
        )
