"""The one place that talks to the analysis engine (uppsok.analysis).

If the engine's API changes, only this module changes. The engine is plain Python: it gets dicts
in its input format and returns indicators, groups and links; this module writes them to the
database (AdIndicator, AdLink, Ad.group_key) for the ads that were analysed. Photos are analysed
by the engine too (`read_photo`); the app keeps their features (AdImage) and hands them back
to the engine as `image_features`, so matching photos and faces is decided in one place. Text the
same way: the engine's text features of every ad (AdTextFeature) are the organisation's history,
in which an analysis finds the earlier ads that share an ad's specific text, however old.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from uppsok.analysis.linking import IMAGE_BANDS, TEXT_BUCKET_MAX
from uppsok.core.bulk import chunks, insert_ignoring_conflicts, insert_new_rows, update_by_key

from .models import Ad, AdImage, AdIndicator, AdLink, AdPhone, AdTextFeature, StockTextFeature

# Earlier ads sharing the most specific text with the analysed ads, taken in as context, at most
# (or one per analysed ad when more are analysed): a ring's template is in a handful of ads, and
# beyond these a text is pasted so widely that the engine's own stock rule leaves it out.
HISTORY_CANDIDATES = 2000
# Text features per look-up query: the parameters stay well under SQLite's limit, and a large
# import costs a query per this many distinct features, not queries per ad.
FEATURE_QUERY_CHUNK = 500
# The organisation's most recent ads whose prices stand in for its usual price (the engine's
# low-price median needs LOW_PRICE_MIN_CORPUS priced ads; one capture alone has none).
PRICE_SAMPLE = 400
# Related ads (same phone/profile/group) taken into one analysis, at most.
RELATED_LIMIT = 5000
# Ads of one profile (site and display name) taken into an analysis, at most: more than one woman's
# ads under her name live at once, and her older ones share her stored group key, which the
# analysis merges anyway.
PROFILE_LIMIT = 1000
# A profile showing at most this many numbers is given to the engine whole, which then decides
# whether it is one woman (it leaves out numbers in many women's ads: a taxi's, a hotel's). One
# showing more is a name many women use: a few of its numbers are enough for the engine to see that,
# and for all of them to be such shared numbers is implausible.
PROFILE_ALL_NUMBERS = 5
PROFILE_SAMPLE_NUMBERS = 6
# Rows (ad and number) read under the analysed ads' names and sites, at most: a guard against a name
# in hundreds of thousands of ads, far above any profile's PROFILE_LIMIT.
PROFILE_ROWS_MAX = 50_000
# The hashes cut into bands for the AdImage band columns (ph0…ph4, bg0…bg4): the engine's own
# bands, so two photos it may match (at most 4 bits apart) agree on a whole band (pigeonhole) and
# equal bands find every candidate. (The engine is loaded at start-up anyway: imports uses rows.)
HASH_BANDS = IMAGE_BANDS
# Target photos looked up per query: five bands of two hashes each keep the query's parameters
# well under SQLite's limit and each candidate list small.
PHOTO_QUERY_CHUNK = 100
# Candidate photos read per query, at most: a band value shared by this many photos is a blank or
# flat image (the engine skips such band buckets too), and the distance check would only cost time.
PHOTO_CANDIDATES_PER_QUERY = 20_000
# Ads with a near-identical photo or room taken in as context, at most: a blank or stock photo can
# sit in many ads, and the engine needs only a few more than IMAGE_HUB_MAX_PROFILES to see that.
PHOTO_CONTEXT_LIMIT = 1000
# Ids (or numbers, names) per IN list: under PostgreSQL's 65,535 parameters and SQLite's 32,766
# whatever the size of the analysis.
IDS_PER_QUERY = 5000
# Ads analysed at once from which PostgreSQL's statistics of the text features are refreshed.
ANALYZE_AFTER_ADS = 1000
# Photos per ad, as many as the capture form takes.
MAX_PHOTOS_PER_AD = 10
# A text feature in more of the organisation's ads than this is a stock phrase whatever the
# organisation's size: the stock bound of the history look-up never exceeds the engine's cap on
# a feature's ads (TEXT_BUCKET_MAX). Such a feature is recorded once (StockTextFeature) instead of
# a row per ad; on the tuning corpus that is 59 % of the rows at 20,000 ads and 78 % at 100,000.
SATURATED_ADS = TEXT_BUCKET_MAX


def minor_age() -> int:
    """The age under which the engine flags an ad `possible_minor`."""
    from uppsok.analysis.text import MINOR_AGE

    return MINOR_AGE


def phones_in(raw: str) -> list[str]:
    """Every phone number in `raw`, E.164, as the engine reads them."""
    from uppsok.analysis.phones import extract_phones

    return extract_phones(raw or "")


def normalise_phone(raw: str) -> str | None:
    """A phone number as E.164, or None when it is not one."""
    found = phones_in(raw)
    return found[0] if found else None


def phones_of_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    """Each validated row's numbers as the engine reads them (title, text, every number of the
    phone field), E.164; many rows on the engine's process pool."""
    from uppsok.analysis import phones_of_rows as _phones_of_rows

    return _phones_of_rows(rows)


def normalise_profile(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def hash_bands(hexhash: str) -> list[int | None]:
    """The band values of a 64-bit hash written as hex (None for each band when there is none)."""
    try:
        h = int(hexhash, 16)
    except (TypeError, ValueError):
        return [None] * len(HASH_BANDS)
    return [(h >> lo) & ((1 << (hi - lo)) - 1) for lo, hi in HASH_BANDS]


class PhotoRefused(ValueError):
    """A file the engine cannot read as a photo; the message is Swedish, for the worker."""


def read_photo(src: Any, name: str, keep: bool) -> tuple[dict[str, Any], bytes | None]:
    """The engine's features of a photo (a path or an uploaded file) as AdImage fields and, when
    the organisation keeps photos, a JPEG made from its pixels alone (no EXIF, GPS or other
    metadata survives). Raises PhotoRefused for a missing file, a non-photo, or a photo claiming
    too many pixels (the engine refuses that from the header, before decoding)."""
    from PIL import Image

    from uppsok.analysis.images import analyse_image

    try:
        if hasattr(src, "seek"):
            src.seek(0)
        f = analyse_image(src, name)
        fields = image_fields(f"{f.phash:016x}", f"{f.bghash:016x}", f.face)
        if not keep:
            return fields, None
        if hasattr(src, "seek"):
            src.seek(0)
        with Image.open(src) as im:
            rgb = im.convert("RGB")
    except (OSError, ValueError) as exc:
        cause = exc.__cause__ or exc
        if isinstance(cause, FileNotFoundError | IsADirectoryError):
            raise PhotoRefused(f"Bilden {name} finns inte.") from exc
        if isinstance(cause, Image.DecompressionBombError | Image.DecompressionBombWarning):
            raise PhotoRefused(f"Bilden {name} har för många bildpunkter och sparades inte.") from exc
        raise PhotoRefused(f"Filen {name} är inte en bild som kan läsas (JPEG eller PNG).") from exc
    rgb.thumbnail((1600, 1600))
    clean = io.BytesIO()
    Image.frombytes("RGB", rgb.size, rgb.tobytes()).save(clean, "JPEG", quality=85)
    return fields, clean.getvalue()


def image_fields(phash: str, bghash: str, face: bool) -> dict[str, Any]:
    """AdImage fields for a photo's features: the hashes, the face and the band columns."""
    fields: dict[str, Any] = {"phash": phash, "bghash": bghash, "face": face}
    for kind, value in (("ph", phash), ("bg", bghash)):
        for k, band in enumerate(hash_bands(value)):
            fields[f"{kind}{k}"] = band
    return fields


def to_engine(ad: Ad, phones: Iterable[str] = (), images: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
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
        "image_features": list(images),
    }


def run_engine(rows: list[dict[str, Any]], **history: Any) -> list[dict[str, Any]]:
    from uppsok.analysis import analyse_ads

    return analyse_ads(rows, **history)


def _phones_and_images(organisation: Any, ids: list[Any]) -> tuple[dict[Any, list[str]], dict[Any, list[dict[str, Any]]]]:
    """Each ad's numbers and its photos' features, as the engine takes them."""
    phone_map: dict[Any, list[str]] = {}
    image_map: dict[Any, list[dict[str, Any]]] = {}
    for chunk in chunks(ids, IDS_PER_QUERY):
        for ad_id, e164 in AdPhone.objects.filter(ad_id__in=chunk).values_list("ad_id", "e164"):
            phone_map.setdefault(ad_id, []).append(e164)
        for ad_id, ph, bg, face in (
            AdImage.objects.filter(organisation=organisation, ad_id__in=chunk)
            .order_by("pk").values_list("ad_id", "phash", "bghash", "face")
        ):
            image_map.setdefault(ad_id, []).append({"phash": ph, "bghash": bg, "face": face})
    return phone_map, image_map


def engine_rows(organisation: Any, ads: list[Ad]) -> list[dict[str, Any]]:
    """`ads` in the engine's input format, with their numbers and photos."""
    phone_map, image_map = _phones_and_images(organisation, [a.pk for a in ads])
    return [to_engine(a, phone_map.get(a.pk, ()), image_map.get(a.pk, ())) for a in ads]


def feature_to_db(feature: int) -> int:
    """The engine's unsigned 32-bit text feature as the signed integer AdTextFeature stores."""
    return feature - (1 << 32) if feature >= (1 << 31) else feature


def feature_from_db(value: int) -> int:
    return value & 0xFFFFFFFF


@dataclass
class FeatureCounts:
    """What the organisation's history says of the analysed ads' text features."""

    # features that are stock phrases for good (StockTextFeature)
    saturated: set[int] = field(default_factory=set)
    # ads outside the analysis with each feature, counted up to SATURATED_ADS + 1
    earlier: dict[int, int] = field(default_factory=dict)
    # analysed ads with each feature
    batch: Counter[int] = field(default_factory=Counter)


def store_text_features(
    organisation: Any, ads: list[Ad], features: list[list[int] | None] | None = None
) -> tuple[dict[Any, list[int]], FeatureCounts]:
    """Replace the AdTextFeature rows of `ads` with the engine's text features of their current
    text (`features`, in the ads' order, when the caller has them from the engine already), except
    features that are stock phrases for good; returns each ad's features (none for a row the
    engine refuses) and the history's counts of them."""
    if features is None:
        from uppsok.analysis import text_features_many

        features = text_features_many([to_engine(ad) for ad in ads])
    found: dict[Any, list[int]] = {ad.pk: feats or [] for ad, feats in zip(ads, features, strict=True)}
    # by the ads alone (the organisation's own): with the organisation in the filter a planner
    # without statistics walks all of its features instead of the (ad, feature) index
    for ids in chunks(list(found), FEATURE_QUERY_CHUNK):
        AdTextFeature.objects.filter(ad_id__in=ids).delete()
    counts = FeatureCounts(batch=Counter(f for feats in found.values() for f in set(feats)))
    counts.saturated = _saturated(organisation, list(counts.batch))
    rest = [f for f in sorted(counts.batch) if f not in counts.saturated]
    counts.earlier = _bounded_counts(organisation, rest, SATURATED_ADS + 1) if _has_text_history(organisation) else {}
    newly = [f for f in rest if counts.earlier.get(f, 0) + counts.batch[f] > SATURATED_ADS]
    if newly:
        insert_ignoring_conflicts(StockTextFeature, ["organisation_id", "feature"],
                                  ((organisation.pk, feature_to_db(f)) for f in newly))
        for chunk in chunks([feature_to_db(f) for f in newly], FEATURE_QUERY_CHUNK):
            AdTextFeature.objects.filter(organisation=organisation, feature__in=chunk).delete()
        counts.saturated.update(newly)
    saturated = counts.saturated
    # plain INSERTs, where model instances would cost more than the analysis
    insert_new_rows(
        AdTextFeature, ["ad_id", "organisation_id", "feature"],
        # ids as strings: converted once per ad from the cache (a UUID hashes in Python, slowly);
        # in the order of the (ad, feature) index, which then grows at its end or walks forward
        # instead of jumping to a random page for every ad
        ((key, organisation.pk, feature_to_db(f))
         for key, feats in sorted((str(pk), feats) for pk, feats in found.items())
         for f in sorted(set(feats)) if f not in saturated),
    )
    if connection.vendor == "postgresql" and len(ads) >= ANALYZE_AFTER_ADS:
        # the history look-ups that follow are planned from the table's statistics, which a
        # large import has just made stale (a sample: a fraction of a second)
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {connection.ops.quote_name(AdTextFeature._meta.db_table)}")  # noqa: S608
    return found, counts


# Distinct analysed features above which the organisation's stock phrases are read whole (one
# query for some thousands of rows) instead of asked about 500 at a time.
SATURATED_READ_ALL = 20_000


def _saturated(organisation: Any, features: list[int]) -> set[int]:
    """Which of `features` are the organisation's stock phrases for good (StockTextFeature)."""
    rows = StockTextFeature.objects.filter(organisation=organisation)
    if len(features) > SATURATED_READ_ALL:
        return {feature_from_db(v) for v in rows.values_list("feature", flat=True)}
    found: set[int] = set()
    for chunk in chunks([feature_to_db(f) for f in features], FEATURE_QUERY_CHUNK):
        found.update(feature_from_db(v) for v in rows.filter(feature__in=chunk).values_list("feature", flat=True))
    return found


def _has_text_history(organisation: Any) -> bool:
    """Whether any ad of the organisation outside the analysis has text features (the analysed
    ads' own rows are deleted by then): the first import of an organisation counts nothing."""
    return AdTextFeature.objects.filter(organisation=organisation).exists()


def _bounded_counts(organisation: Any, features: list[int], limit: int) -> dict[int, int]:
    """How many of the organisation's ads have each feature, counted up to `limit`: a stock phrase
    in half a million ads costs an index look-up of `limit` rows, like a rare one."""
    table = connection.ops.quote_name(AdTextFeature._meta.db_table)
    org_id = AdTextFeature._meta.get_field("organisation").target_field.get_db_prep_value(organisation.pk, connection)
    counts: dict[int, int] = {}
    for chunk in chunks(features, FEATURE_QUERY_CHUNK):
        values = ",".join(["(%s)"] * len(chunk))
        sql = (
            f"SELECT v.column1, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} t "  # noqa: S608 - names only
            f"WHERE t.organisation_id = %s AND t.feature = v.column1 LIMIT %s) s) FROM (VALUES {values}) v"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [org_id, limit, *(feature_to_db(f) for f in chunk)])
            for value, n in cur.fetchall():
                counts[feature_from_db(value)] = n
    return counts


def _text_history(
    organisation: Any, features: dict[Any, list[int]], counts: FeatureCounts
) -> tuple[list[Any], list[int]]:
    """Earlier ads of the organisation that may share specific text with the analysed ads (at least
    TEXT_MIN_SHARED features that are not stock), and the analysed ads' features that the history
    shows to be stock phrases (for the engine, whose batch is too small to see that)."""
    from uppsok.analysis.linking import TEXT_MIN_SHARED, TEXT_STOCK_ADVERTISERS_PER, stock_bound

    wanted = sorted({f for feats in features.values() if len(feats) >= TEXT_MIN_SHARED for f in feats})
    if not wanted:
        return [], []
    # The organisation's ads stand in for its advertisers: an upper estimate (one woman posts
    # many ads) that makes the bound looser, never stricter; the batch's own stock rule and the
    # engine's link rules then decide on the few candidates this lets in.
    # counted only as far as it matters: from this many the bound is SATURATED_ADS whatever the
    # size (a capture in a million-ad organisation would otherwise count a million rows)
    enough = SATURATED_ADS * TEXT_STOCK_ADVERTISERS_PER
    advertisers = Ad.objects.filter(organisation=organisation).order_by()[:enough].count()
    bound = min(stock_bound(advertisers), SATURATED_ADS)
    earlier, batch, saturated = counts.earlier, counts.batch, counts.saturated
    stock = [f for f in wanted if f in saturated or earlier.get(f, 0) + batch[f] > bound]
    # a feature only the analysed ads themselves have finds no earlier ad
    is_stock = set(stock)
    shared = [feature_to_db(f) for f in wanted if f not in is_stock and earlier.get(f, 0) >= 1]
    parts = list(chunks(shared, FEATURE_QUERY_CHUNK))
    per_ad: dict[Any, int] = {}
    for chunk in parts:
        rows = (
            AdTextFeature.objects.filter(organisation=organisation, feature__in=chunk)
            .values("ad_id")
            .annotate(n=Count("ad"))
        )
        if len(parts) == 1:
            rows = rows.filter(n__gte=TEXT_MIN_SHARED)
        for row in rows.values_list("ad_id", "n"):
            per_ad[row[0]] = per_ad.get(row[0], 0) + row[1]
    targets = set(features)
    ranked = sorted(
        ((n, str(pk), pk) for pk, n in per_ad.items() if n >= TEXT_MIN_SHARED and pk not in targets),
        key=lambda x: (-x[0], x[1]),
    )
    limit = max(HISTORY_CANDIDATES, len(features))
    return [pk for _n, _key, pk in ranked[:limit]], stock


def _price_sample(organisation: Any, analysed: set[Any]) -> list[int]:
    """The lowest hourly price of each of the organisation's latest ads outside the analysis."""
    rows = Ad.objects.filter(organisation=organisation).order_by("-last_seen").values_list("pk", "prices_sek")
    return [min(prices) for pk, prices in rows[:PRICE_SAMPLE] if prices and pk not in analysed]


def _hash_array(values: list[str]) -> tuple[Any, Any]:
    """Hex hashes as uint64, with a mask of those present (photos stored before bghash existed)."""
    import numpy as np

    ints = [int(v, 16) if v else None for v in values]
    return (np.array([v or 0 for v in ints], dtype=np.uint64), np.array([v is not None for v in ints], dtype=bool))


def _photo_neighbours(organisation: Any, ids: list[Any]) -> list[Any]:
    """Other ads of the organisation with a photo the engine may count as the same photo or the
    same room as a photo of `ids`: equal on a band, then within the engine's distance."""
    import numpy as np

    from uppsok.analysis.linking import BACKGROUND_MAX_HAMMING, IMAGE_MAX_HAMMING

    band_cols = [f"{kind}{k}" for kind in ("ph", "bg") for k in range(len(HASH_BANDS))]
    own = [
        row
        for chunk in chunks(ids, IDS_PER_QUERY)
        for row in AdImage.objects.filter(organisation=organisation, ad_id__in=chunk).values_list(
            "phash", "bghash", *band_cols
        )
    ]
    found: dict[Any, None] = {}
    targets = set(ids)
    for start in range(0, len(own), PHOTO_QUERY_CHUNK):
        chunk = own[start : start + PHOTO_QUERY_CHUNK]
        match = Q()
        for c, col in enumerate(band_cols, start=2):
            values = {row[c] for row in chunk if row[c] is not None}
            if values:
                match |= Q(**{f"{col}__in": values})
        if not match:
            continue
        candidates = [
            row
            for row in AdImage.objects.filter(organisation=organisation).filter(match)
            .values_list("ad_id", "phash", "bghash")[:PHOTO_CANDIDATES_PER_QUERY]
            if row[0] not in targets
        ]
        if not candidates:
            continue
        near = np.zeros(len(candidates), dtype=bool)
        for k, limit in ((0, IMAGE_MAX_HAMMING), (1, BACKGROUND_MAX_HAMMING)):
            mine, mine_ok = _hash_array([row[k] for row in chunk])
            theirs, theirs_ok = _hash_array([row[1 + k] for row in candidates])
            close = (np.bitwise_count(theirs[:, None] ^ mine[None, :]) <= limit) & mine_ok[None, :]
            near |= theirs_ok & close.any(axis=1)
        for row, ok in zip(candidates, near.tolist(), strict=True):
            if ok:
                found.setdefault(row[0])
        if len(found) >= PHOTO_CONTEXT_LIMIT:
            break
    return list(found)[:PHOTO_CONTEXT_LIMIT]


def _context_ads(
    organisation: Any, targets: list[Ad], rows: list[dict[str, Any]], history: list[Any] = ()
) -> list[Ad]:
    """The ads analysed with `targets`: the same phone, profile or group, a near-identical photo,
    and `history` (earlier ads sharing their specific text, `_text_history`). `rows`: the targets'
    `engine_rows`, whose numbers are theirs."""
    ids = [a.pk for a in targets]
    phones = sorted({e164 for row in rows for e164 in row["phones"]})
    groups = sorted({a.group_key for a in targets if a.group_key})
    # one indexed look-up per kind, unordered: an OR of them, or the list's ordering by date,
    # makes the database walk all the organisation's ads
    lookups = [
        *(AdPhone.objects.filter(organisation=organisation, e164__in=chunk).values_list("ad_id", flat=True)
          for chunk in chunks(phones, IDS_PER_QUERY)),
        _profile_ads(organisation, targets),
        *(Ad.objects.filter(organisation=organisation, group_key__in=chunk).order_by().values_list("pk", flat=True)
          for chunk in chunks(groups, IDS_PER_QUERY)),
    ]
    targets_set = set(ids)
    related: dict[Any, None] = {}
    for lookup in lookups:
        if len(related) >= RELATED_LIMIT:
            break
        for pk in lookup[: RELATED_LIMIT + len(ids)]:
            if pk not in targets_set and len(related) < RELATED_LIMIT:
                related.setdefault(pk)
    for pk in _photo_neighbours(organisation, ids):
        if len(related) < RELATED_LIMIT:
            related.setdefault(pk)
    for pk in history:
        related.setdefault(pk)
    return ads_by_id(organisation, list(related))


def _profile_ads(organisation: Any, targets: list[Ad]) -> list[Any]:
    """The organisation's ads under the analysed ads' display names on their sites (the engine's
    profile: site and name): all of a profile's ads (up to PROFILE_LIMIT) when it shows at most
    PROFILE_ALL_NUMBERS numbers, which leaves the engine to judge whether they are one woman (a
    taxi's or a hotel's number among hers is not counted); of a profile with more numbers one ad
    for each of its first PROFILE_SAMPLE_NUMBERS. Such a name ("Anna") is no evidence to the engine
    (its hub rule), its ads link through their numbers or photos, which the other look-ups take in,
    and a common name can be in thousands of ads that would cost a capture seconds. The choice is
    made in the database: a common name's rows never reach Python."""
    pairs = {(a.site.strip().casefold(), a.profile_key) for a in targets if a.profile_key}
    if not pairs:
        return []
    names = sorted({name for _site, name in pairs})
    sites = sorted({site for site, _name in pairs})
    ad_table = connection.ops.quote_name(Ad._meta.db_table)
    phone_table = connection.ops.quote_name(AdPhone._meta.db_table)
    org_id = Ad._meta.get_field("organisation").target_field.get_db_prep_value(organisation.pk, connection)
    convert = Ad._meta.pk.to_python
    # read once into a table of its own: inlined, SQLite ran the window functions ten times slower
    # (0.45 s against 0.03 s for a common name in a million ads)
    materialized = "MATERIALIZED" if connection.vendor != "sqlite" or connection.Database.sqlite_version_info >= (3, 35) else ""
    found: list[Any] = []
    for chunk, site_chunk in ((n, c) for n in chunks(names, IDS_PER_QUERY) for c in chunks(sites, 100)):
        # s: the profiles' ads with their numbers (the (organisation, profile_key, site, id)
        # index answers it without the ads' rows), bounded only against a runaway name; r: each
        # ad's place in its profile, its place among its number's ads and its number's rank in the
        # profile; t: with the profile's count of numbers.
        sql = f"""
            WITH s AS {materialized} (
                SELECT a.id, LOWER(TRIM(a.site)) AS site, a.profile_key, p.e164
                FROM {ad_table} a LEFT JOIN {phone_table} p ON p.ad_id = a.id
                WHERE a.organisation_id = %s AND a.profile_key IN ({",".join(["%s"] * len(chunk))})
                  AND LOWER(TRIM(a.site)) IN ({",".join(["%s"] * len(site_chunk))})
                LIMIT %s
            ),
            r AS (
                SELECT id, site, profile_key, e164,
                       DENSE_RANK() OVER (PARTITION BY site, profile_key ORDER BY id) AS place,
                       ROW_NUMBER() OVER (PARTITION BY site, profile_key, e164 ORDER BY id) AS nth,
                       DENSE_RANK() OVER (PARTITION BY site, profile_key ORDER BY e164 IS NULL, e164) AS phone_rank
                FROM s
            ),
            t AS (
                SELECT id, place, nth, phone_rank,
                       MAX(CASE WHEN e164 IS NULL THEN 0 ELSE phone_rank END)
                           OVER (PARTITION BY site, profile_key) AS phones
                FROM r
            )
            SELECT DISTINCT id FROM t
            WHERE (phones <= %s AND place <= %s) OR (phones > %s AND nth = 1 AND phone_rank <= %s)
        """  # noqa: S608 - table names only
        with connection.cursor() as cur:
            cur.execute(sql, [org_id, *chunk, *site_chunk, PROFILE_ROWS_MAX + len(targets),
                              PROFILE_ALL_NUMBERS, PROFILE_LIMIT, PROFILE_ALL_NUMBERS, PROFILE_SAMPLE_NUMBERS])
            found.extend(convert(row[0]) for row in cur.fetchall())
    return found


def ads_by_id(organisation: Any, ids: list[Any]) -> list[Ad]:
    """The organisation's ads with these ids, read IDS_PER_QUERY at a time, latest first as the
    list shows them: evidence names the first few other ads of a number in this order."""
    found = [
        a
        for chunk in chunks(ids, IDS_PER_QUERY)
        for a in Ad.objects.filter(organisation=organisation, pk__in=chunk).order_by()
    ]
    found.sort(key=lambda a: a.last_seen, reverse=True)
    return found


@transaction.atomic
def analyse(organisation: Any, targets: list[Ad]) -> None:
    """Analyse `targets` against the organisation's history (related ads, and earlier ads that
    share their specific text however old) and store their text features, indicators, links and
    group."""
    if not targets:
        return
    from uppsok.analysis import extract_ads, text_features_of

    # the analysed ads are read by the engine once: their text features choose the context, and
    # the same extraction is then analysed with it
    rows = engine_rows(organisation, targets)
    extracted = extract_ads(rows)
    features, counts = store_text_features(organisation, targets, text_features_of(extracted))
    history, stock = _text_history(organisation, features, counts)
    context = _context_ads(organisation, targets, rows, history)
    everything = targets + context
    results = run_engine(
        rows + engine_rows(organisation, context),
        extracted=extracted,
        stock_features=stock,
        hourly_prices=_price_sample(organisation, {a.pk for a in everything}),
    )
    by_id = {r["id"]: r for r in results if r.get("id") and "error" not in r}
    ads_by_id = {str(a.pk): a for a in everything}
    target_ids = {str(a.pk) for a in targets}
    now = timezone.now()

    links: dict[tuple[str, str], list[str]] = {}
    for tid in target_ids:
        for link in by_id.get(tid, {}).get("links", []):
            links[(tid, link["id"])] = list(link["reasons"])
    # id lists in chunks: a whole import's ids in one IN would pass SQLite's parameter limit
    target_chunks = list(chunks(sorted(target_ids), IDS_PER_QUERY))
    for chunk in target_chunks:
        AdLink.objects.filter(Q(from_ad_id__in=chunk) | Q(to_ad_id__in=chunk)).delete()
    # each pair both ways, in the order of the unique (from, to) index (see store_text_features)
    insert_ignoring_conflicts(
        AdLink, ["organisation_id", "from_ad_id", "to_ad_id", "reasons"],
        sorted((organisation.pk, x, y, reasons) for (a, b), reasons in links.items() for x, y in ((a, b), (b, a))),
    )

    # Indicators: replace the automatic ones, keeping the worker's decision on codes found again.
    decided = {
        (str(ad_id), code): (status, by, at, why)
        for chunk in target_chunks
        for ad_id, code, status, by, at, why in AdIndicator.objects.filter(
            ad_id__in=chunk, source=AdIndicator.Source.AUTO
        ).values_list("ad_id", "code", "status", "decided_by", "decided_at", "decision_reason")
    }
    for chunk in target_chunks:
        AdIndicator.objects.filter(ad_id__in=chunk, source=AdIndicator.Source.AUTO).delete()
    new_inds = []
    for tid in target_ids:
        for ind in by_id.get(tid, {}).get("indicators", []):
            status, by, at, why = decided.get((tid, ind["code"]), (AdIndicator.Status.FOUND, None, None, ""))
            new_inds.append((
                tid, organisation.pk, ind["code"], ind.get("evidence", "")[:4000],
                {k: ind[k] for k in ("quote", "trigger", "trigger_in_text", "facts") if k in ind},
                AdIndicator.Source.AUTO, status, by, at, why,
            ))
    insert_ignoring_conflicts(
        AdIndicator,
        ["ad_id", "organisation_id", "code", "evidence", "evidence_data", "source", "status", "decided_by_id",
         "decided_at", "decision_reason"],
        new_inds,
    )

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
    member_key, renames = _group_keys(members, target_ids, ads_by_id)
    # the analysed ads take their group key with their results below (one UPDATE of each row,
    # not two): here the other members of their groups
    update_by_key(Ad, "id", ["group_key"], ((m, k) for m, k in member_key.items() if m not in target_ids),
                  where={"organisation": organisation.pk})
    # the stored groups a new group joins follow it: every ad of theirs takes the new key
    update_by_key(Ad, "group_key", ["group_key"], renames.items(), where={"organisation": organisation.pk})

    def new_group_key(tid: str) -> str | None:
        """The analysed ad's key when this analysis sets it (None: left as stored, so that a
        key another analysis has changed meanwhile is not written back)."""
        key = member_key.get(tid)
        if key is None:
            old = ads_by_id[tid].group_key
            key = renames.get(old) if old else None  # its old group joined another
        return key

    ind_counts: dict[str, int] = {}
    for ind in new_inds:
        ind_counts[ind[0]] = ind_counts.get(ind[0], 0) + 1
    for chunk in target_chunks:
        manual = AdIndicator.objects.filter(ad_id__in=chunk, source=AdIndicator.Source.MANUAL).values_list(
            "ad_id", flat=True
        )
        for ad_id in manual:
            ind_counts[str(ad_id)] = ind_counts.get(str(ad_id), 0) + 1
    # one statement per few hundred ads, not one per ad: an import analyses tens of thousands
    results = {
        tid: ((r := by_id.get(tid, {})).get("language", "")[:8], r.get("prices_sek", []), ind_counts.get(tid, 0), now)
        for tid in sorted(target_ids)
    }
    keys = {tid: key for tid in results if (key := new_group_key(tid)) is not None}
    fields = ["language", "prices_sek", "indicator_count", "analysed_at"]
    update_by_key(Ad, "id", [*fields, "group_key"], ((tid, *results[tid], key) for tid, key in keys.items()),
                  where={"organisation": organisation.pk})
    update_by_key(Ad, "id", fields, ((tid, *row) for tid, row in results.items() if tid not in keys),
                  where={"organisation": organisation.pk})


def _group_keys(
    members: dict[str, set[str]], target_ids: set[str], ads_by_id: dict[str, Ad]
) -> tuple[dict[str, str], dict[str, str]]:
    """The stored group key of each member of a group that holds an analysed ad, and the stored
    keys that give way to another: groups that the analysis finds to be one take the smallest of
    their keys (a new group takes "g-" and its smallest ad id), and so does every ad already
    stored under one of them."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    groups = []
    for group_members in members.values():
        if len(group_members) < 2 or not group_members & target_ids:
            continue
        existing = sorted({ads_by_id[m].group_key for m in group_members if ads_by_id[m].group_key})
        for k in existing[1:]:
            a, b = find(existing[0]), find(k)
            if a != b:
                parent[max(a, b)] = min(a, b)
        groups.append((group_members, existing[0] if existing else None))
    member_key: dict[str, str] = {}
    for group_members, stored in groups:
        key = find(stored) if stored else "g-" + min(group_members)
        for m in group_members:
            member_key[m] = key
    renames = {k: find(k) for k in list(parent) if find(k) != k}
    return member_key, renames
