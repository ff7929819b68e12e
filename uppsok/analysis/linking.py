"""Corpus-level linking: which ads belong together, and why.

Everything that compares ads with each other is vectorised with numpy (sorting keys, taking
pairs inside equal-key runs) so that 1M ads are linked in seconds, and no step compares every
pair of ads.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TypeVar

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .model import AdFeatures

# --- hubs --------------------------------------------------------------------------------------
# A phone in ads of more distinct profiles than this is not the advertisers' own: a taxi, a
# hotel reception, a booking line printed in unrelated ads. Linking on it would glue unrelated
# women into one blob. A ring puts one phone on a handful of women ("telefonister"), within the
# same bound as a group grown by text; at 15 such numbers linked unrelated women at 100k ads.
PHONE_HUB_MAX_PROFILES = 10
# A display name on one site links ads only while it comes with at most one number: many women
# advertise as a plain "Anna" or "Bella", so the same name with two different phones is two
# advertisers until something else (phone, photo, template) says otherwise.
PROFILE_HUB_MAX_PHONES = 1
# A photo matching photos in more distinct profiles than this is a stock/placeholder photo.
IMAGE_HUB_MAX_PROFILES = 10

# --- serial numbers ----------------------------------------------------------------------------
# SIM cards bought together are consecutive or nearly so; 10 allows a few numbers of the batch
# that are not advertised. Random neighbours are ruled out by the run and corroboration rules.
SERIAL_MAX_GAP = 10
# A "serial run" needs at least this many numbers: two numbers close by chance are common in a
# big corpus (mobile ranges are dense), three in a row with corroboration are not.
SERIAL_MIN_RUN = 3
# Neighbouring numbers must have been seen on the same site within this many days of each
# other: a batch of SIMs is used by one ring at one time.
SERIAL_WINDOW_DAYS = 30
# Length of the operator part of an E.164 number that must agree ("+4670…", "+4073…").
SERIAL_PREFIX_DIGITS = 4

# --- photos ------------------------------------------------------------------------------------
# Perceptual hashes of one photo re-saved, resized or re-compressed differ in a few bits; 4 of 64
# separates those from different photos (typical distance ~32) with a wide margin. With 5 bands
# of <=13 bits, any pair within 4 bits shares one band exactly (pigeonhole), so the band index
# finds all of them without comparing every pair.
IMAGE_MAX_HAMMING = 4
# Same threshold for the background hash (centre blanked): same room, same angle.
BACKGROUND_MAX_HAMMING = 4
# The bit ranges of those bands (the web app's AdImage band columns use the same ones).
IMAGE_BANDS = ((0, 13), (13, 26), (26, 39), (39, 52), (52, 64))
# Band buckets larger than this are flat/blank images (all-black thumbnails): skipped.
IMAGE_BUCKET_MAX = 500

# Two numbers of one batch (…45 and …46) are a pair of the same ring only with more in common:
# same site, overlapping weeks and the same template (or photo) at this similarity or above.
SERIAL_PAIR_MAX_GAP = 1
SERIAL_PAIR_MIN_SIMILARITY = 0.5

# --- text --------------------------------------------------------------------------------------
# Text is compared on what is specific to an ad. A feature (a three-word shingle, a whole
# sentence, a pair of sentences) written by more advertisers (phone/profile/photo components)
# than `stock_bound` is a stock phrase ("Hör av dig med sms först"): it says nothing about who
# wrote the ad and is left out. The bound is a share of the advertisers in the corpus, not a
# fixed count: a stock phrase is used by a steady share of all advertisers, while a ring's own
# sentences are used by its handful of women plus the few other rings that borrow one or happen
# to fill the same frame the same way — a number that grows with the corpus too, but stays a
# far smaller share. One per 600 advertisers (tuning bank, 8,700 and 43,000 advertisers: 14 and
# 72) kept pairwise precision ≥ 0.99 at both sizes, where a fixed 16 lost 10 % of recall at the
# larger; 500 let popular selections of stock sentences through at the smaller, 700 lost rings.
TEXT_STOCK_ADVERTISERS_PER = 600
# A small corpus cannot show that a phrase is common, and a share of it would call a ring's own
# sentences stock: the bound is at least what one ring can hold (eight women). Tuning bank at
# 1,000 and 3,000 ads: pairwise F1 0.870 and 0.915 at 4, 0.995 and 0.997 at 8, lower again at 10.
TEXT_STOCK_FLOOR = 8

# Text similarity is the share of the shorter ad's specific text that the other ad has too.
# Above TEXT_STRONG_SIMILARITY two ads are "the same template" wherever they were posted; the
# women of one ring differ in their own extras and prices, so copies sit at 0.5–1.0.
TEXT_STRONG_SIMILARITY = 0.7
# Between TEXT_MIN_SIMILARITY and the strong threshold the two ads must also be on the same
# site. Every text link needs both ads within TEXT_CORROBORATION_DAYS of each other: a ring
# posts its variants in one campaign, and two unrelated rings pasting one popular template
# months apart stay apart. Below 0.5 the two ads share less than they differ.
TEXT_MIN_SIMILARITY = 0.5
TEXT_CORROBORATION_DAYS = 30
# …and they must share at least this much specific text: a sentence of their own (five words or
# more: its three copies), its shingles and a pairing of it with another sentence, so one
# borrowed sentence does not link two ads (11 rather than 9 or 10 on the tuning bank: pairwise
# precision 0.989 → 0.999 for a loss of 0.01 in recall).
TEXT_MIN_SHARED = 11
# A group grows through text-only links to at most this many advertisers. A template shared by
# more women than a ring plausibly runs (a handful, seldom ten) without a phone, serial number or
# photo in common is more likely a pasted text than one operation; past this the link is dropped.
TEXT_GROUP_MAX_ADVERTISERS = 10
# Two groups are not joined by a weak text link (below TEXT_STRONG_SIMILARITY) when they hold
# different numbers and were seen in different towns on the same day (0: the same calendar day):
# one advertiser is not in two towns at once, and a weak text match is the thinnest evidence.
# A strong one is a ring's own template, and a ring with a number per woman places its women in
# several towns at once, so it overrides (tuning bank: such rings kept whole 0.52 → 0.90 of
# pairs, with fewer wrong pairs). A wider window would split those rings more still.
TEXT_CONFLICT_DAYS = 0
# A text feature in more ads than this (one advertiser re-posting hundreds of times) gives no
# pairs: they would cost the square of its size, and the advertiser's own ads are linked already.
TEXT_BUCKET_MAX = 300
# In a batch, pairs are made only inside the corroboration window, so a feature in more ads costs
# only its ads' neighbours in time, and the cap can be ten times higher. At 1M ads over five years
# (fixed density) a cap of 300 lost 17 % of the true pairs (recall 0.820 → 0.985 at 3,000, with
# precision 0.998 → 0.993, linking 40 s → 66 s). The persistent index keeps TEXT_BUCKET_MAX.
TEXT_WINDOW_BUCKET_MAX = 3000
# Raw candidate pairs made at once while comparing texts (≈ 24 bytes each in flight).
TEXT_PAIRS_PER_SLICE = 4_000_000


def stock_bound(advertisers: int) -> int:
    """How many advertisers may write a feature before it counts as a stock phrase."""
    return max(TEXT_STOCK_FLOOR, round(advertisers / TEXT_STOCK_ADVERTISERS_PER))


def text_link_ok(sim: float | np.ndarray, same_site: bool | np.ndarray, dt_s: float | np.ndarray):  # noqa: ANN201
    """The text-link rule for one pair (shared by batch linking and the incremental index)."""
    return ((sim >= TEXT_STRONG_SIMILARITY) | ((sim >= TEXT_MIN_SIMILARITY) & same_site)) & (
        dt_s <= TEXT_CORROBORATION_DAYS * 86400.0)


# Ways of writing a town that are not a move: abbreviations and "city"/"centrum" suffixes.
_CITY_ALIASES = {"sthlm": "stockholm", "gbg": "göteborg", "goteborg": "göteborg", "gothenburg": "göteborg",
                 "malmo": "malmö", "orebro": "örebro", "vasteras": "västerås", "norrkoping": "norrköping",
                 "jonkoping": "jönköping", "linkoping": "linköping", "umea": "umeå", "gavle": "gävle",
                 "lulea": "luleå", "vaxjo": "växjö", "boras": "borås", "sodertalje": "södertälje"}
_CITY_SUFFIXES = (" city", " centrum", " center", " centre", " c", " stad", " kommun")


@lru_cache(maxsize=50_000)
def canonical_city(city: str) -> str:
    """One spelling per town: "Sthlm", "Stockholm City" and "stockholm" are the same place."""
    c = " ".join(city.casefold().replace("-", " ").split())
    for suffix in _CITY_SUFFIXES:
        if c.endswith(suffix) and len(c) > len(suffix) + 2:
            c = c[: -len(suffix)]
            break
    return _CITY_ALIASES.get(c, c)


def pairs_in_equal_runs(keys: np.ndarray, members: np.ndarray, max_size: int) -> tuple[np.ndarray, np.ndarray]:
    """All (a, b) pairs of `members` whose `keys` are equal, for runs of size 2..max_size."""
    if len(keys) < 2:
        e = np.empty(0, dtype=np.int64)
        return e, e
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    m = members[order]
    bnd = np.flatnonzero(k[1:] != k[:-1]) + 1
    starts = np.concatenate(([0], bnd))
    sizes = np.diff(np.concatenate((starts, [len(k)])))
    out_a, out_b = [], []
    for s in np.unique(sizes):
        if s < 2 or s > max_size:
            continue
        st = starts[sizes == s]
        mat = m[st[:, None] + np.arange(s)[None, :]]
        iu, ju = np.triu_indices(int(s), 1)
        out_a.append(mat[:, iu].ravel())
        out_b.append(mat[:, ju].ravel())
    if not out_a:
        e = np.empty(0, dtype=np.int64)
        return e, e
    return np.concatenate(out_a).astype(np.int64), np.concatenate(out_b).astype(np.int64)


def pairs_near_in_equal_runs(
    keys: np.ndarray, members: np.ndarray, times: np.ndarray, window: float, max_size: int,
    batch: int = 1 << 62,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The (a, b) pairs of `pairs_in_equal_runs` whose `times` are at most `window` apart, in
    batches of about `batch` pairs (at least one offset's worth).

    Made without the others: each run is put in time order and every member is paired only with
    the members after it inside the window, so the work is the number of pairs kept. A phrase
    that a thousand advertisers use over five years costs what its users in one month cost,
    and the cost of a corpus grows with its size, not with the square of its busiest phrases."""
    if len(keys) < 2:
        return
    same_key = keys[1:] == keys[:-1]
    if (keys[1:] >= keys[:-1]).all() and (~same_key | (times[1:] >= times[:-1])).all():
        # in (key, time) order already, as when a file's ads come in time order and each feature's
        # ads in file order: the sort below would leave them where they are
        k, m, t = keys, members, times
    else:
        # one sort by (key, time): the time as its rank among the members, so both fit in 64 bits
        time_rank = np.empty(len(times), dtype=np.uint64)
        time_rank[np.argsort(times, kind="stable")] = np.arange(len(times), dtype=np.uint64)
        order = np.argsort((keys.astype(np.uint64) << np.uint64(32)) | time_rank, kind="stable")
        del time_rank
        k, m, t = keys[order], members[order], times[order]
        del order
    del same_key
    bnd = np.flatnonzero(k[1:] != k[:-1]) + 1
    starts = np.concatenate(([0], bnd))
    sizes = np.diff(np.concatenate((starts, [len(k)])))
    ok = np.repeat((sizes >= 2) & (sizes <= max_size), sizes)
    k, m, t = k[ok], m[ok], t[ok]
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    held = 0
    active = np.arange(len(k) - 1, dtype=np.int64)
    step = 1
    # Offset by offset: a member whose next-but-`step` neighbour is in another run or outside
    # the window has no partner further on either, so the active set only shrinks.
    while len(active):
        j = active + step
        j_ok = j < len(k)
        active, j = active[j_ok], j[j_ok]
        near = (k[j] == k[active]) & (t[j] - t[active] <= window)
        active, j = active[near], j[near]
        out_a.append(m[active].astype(np.int64))
        out_b.append(m[j].astype(np.int64))
        held += len(j)
        step += 1
        if held >= batch:
            yield np.concatenate(out_a), np.concatenate(out_b)
            out_a, out_b, held = [], [], 0
    if held:
        yield np.concatenate(out_a), np.concatenate(out_b)


def _unique_pairs(a: np.ndarray, b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    keep = lo != hi
    code, _ = unique_counts(lo[keep] * n + hi[keep])
    return code // n, code % n


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if len(a) == 0:
        return np.arange(n)
    g = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, lab = connected_components(g, directed=False)
    return lab


def unique_counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and how often each occurs. A sort and a diff: numpy's own unique
    hashes, which is several times slower on tens of millions of integers."""
    return run_counts(np.sort(x))


def summed_counts(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct `keys` and the sum of their `counts` (counts of the same key made in
    separate slices, added up)."""
    if len(keys) == 0:
        return keys, counts
    order = np.argsort(keys, kind="stable")
    keys, counts = keys[order], counts[order]
    start = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[start], np.add.reduceat(counts, start)


def hash_slices(values: np.ndarray, parts: int) -> Iterator[np.ndarray]:
    """Index arrays of `values` by `value % parts`, one slice after another. One linear pass
    (a radix sort of the small slice numbers) instead of a mask over all values per slice, which
    costs the number of slices times the values — the square of the corpus when slices are sized
    to bound memory."""
    if parts <= 1:
        yield np.arange(len(values))
        return
    part = (values % np.uint32(parts)).astype(np.uint16)
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(parts + 1))
    del part
    for part in range(parts):
        yield order[bounds[part]:bounds[part + 1]]


def run_counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`unique_counts` of an array that is sorted already."""
    if len(x) == 0:
        return x, np.zeros(0, dtype=np.int64)
    start = np.flatnonzero(np.concatenate(([True], x[1:] != x[:-1])))
    return x[start], np.diff(np.concatenate((start, [len(x)])))


# Threads that work on slices of the feature space at once. numpy lets go of the interpreter
# lock while it sorts, and the sorts are most of linking's time, so two slices at a time use both
# CPUs of a small machine.
LINK_THREADS = max(1, min(4, os.cpu_count() or 1))
# Features below this many are one slice, and ads below this many one thread: threads would
# cost more than they save.
THREAD_MIN_FEATURES = 1_000_000
THREAD_MIN_ADS = 10_000

_T = TypeVar("_T")


def map_slices(fn: Callable[[np.ndarray], _T], values: np.ndarray, parts: int) -> Iterable[_T]:
    """`fn` over the `hash_slices` of `values`, in slice order, on LINK_THREADS threads when
    the work is large enough to gain from them."""
    if LINK_THREADS > 1 and len(values) >= THREAD_MIN_FEATURES:
        parts = max(parts, LINK_THREADS)
        with ThreadPoolExecutor(LINK_THREADS) as pool:
            # at most one slice per thread in flight, so memory stays that of LINK_THREADS slices
            yield from _bounded_map(pool, fn, hash_slices(values, parts))
        return
    for m in hash_slices(values, parts):
        yield fn(m)


def _bounded_map(pool: ThreadPoolExecutor, fn: Callable[[np.ndarray], _T], items: Iterator[np.ndarray]) -> Iterator[_T]:
    pending: list = []
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= LINK_THREADS:
            yield pending.pop(0).result()
    for f in pending:
        yield f.result()


def stock_shingles(sh: np.ndarray, advertiser: np.ndarray) -> np.ndarray:
    """Sorted features written by more distinct advertisers than `stock_bound` allows.

    Counting distinct (shingle, advertiser) pairs needs a sort; done in slices of the hash
    space so that the temporary arrays stay small at a million ads.
    """
    if len(sh) == 0:
        return np.zeros(0, dtype=np.uint32)
    parts = max(1, len(sh) // 10_000_000)
    # distinct advertisers by counting labels (O(n)), not a hashed unique of millions of rows
    bound = stock_bound(int(np.count_nonzero(np.bincount(advertiser))))
    adv = advertiser.astype(np.uint64)

    def common(m: np.ndarray) -> np.ndarray:
        pairs, _ = unique_counts((sh[m].astype(np.uint64) << np.uint64(32)) | adv[m])
        # sorted by feature already: one pass counts each feature's advertisers
        values, counts = run_counts((pairs >> np.uint64(32)).astype(np.uint32))
        return values[counts > bound]

    stock = np.concatenate(list(map_slices(common, sh, parts)))
    stock.sort()
    return stock


# Top bits of a uint32 value that index the pre-filter of `sorted_member` (2^24 flags, 16 MB).
_MEMBER_FILTER_BITS = 24


def sorted_member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """values ∈ sorted_set, elementwise (binary search, no hashing).

    For many uint32 values a table of the set's top bits rules out most of them in one look-up,
    and only the rest are searched: a binary search of tens of millions of random values costs
    a cache miss per step, the table one."""
    if len(sorted_set) == 0:
        return np.zeros(len(values), dtype=bool)
    if LINK_THREADS > 1 and len(values) >= THREAD_MIN_FEATURES:
        # the look-ups let go of the interpreter lock: one part of the values per thread
        with ThreadPoolExecutor(LINK_THREADS) as pool:
            parts = np.array_split(values, LINK_THREADS)
            return np.concatenate(list(pool.map(lambda v: _member(v, sorted_set), parts)))
    return _member(values, sorted_set)


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if values.dtype == np.uint32 and sorted_set.dtype == np.uint32 and len(values) > 1_000_000 // LINK_THREADS:
        shift = np.uint32(32 - _MEMBER_FILTER_BITS)
        table = np.zeros(1 << _MEMBER_FILTER_BITS, dtype=bool)
        table[sorted_set >> shift] = True
        out = table[values >> shift]
        maybe = np.flatnonzero(out)
        out[maybe] = _searched(values[maybe], sorted_set)
        return out
    return _searched(values, sorted_set)


def _searched(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    pos = np.searchsorted(sorted_set, values)
    pos[pos == len(sorted_set)] = 0
    return sorted_set[pos] == values


class Adjacency:
    """Symmetric neighbour lists in CSR form (compact for millions of links)."""

    def __init__(self, n: int, a: np.ndarray, b: np.ndarray) -> None:
        src = np.concatenate((a, b))
        dst = np.concatenate((b, a))
        order = np.argsort(src, kind="stable")
        self.dst = dst[order].astype(np.int32)
        self.ptr = np.searchsorted(src[order], np.arange(n + 1))

    def __getitem__(self, i: int) -> np.ndarray:
        return self.dst[self.ptr[i]:self.ptr[i + 1]]


class Links:
    """The result of linking a corpus; read per ad when writing results."""

    def __init__(self, ads: list[AdFeatures], shingles: tuple[np.ndarray, np.ndarray] | None,
                 stock_features: np.ndarray | None = None) -> None:
        n = len(ads)
        self._known_stock = stock_features
        self.n = n
        self.ads = ads
        ident = [ad.identity for ad in ads]

        # --- phones
        self.phone_ads: dict[str, list[int]] = defaultdict(list)
        for i, ad in enumerate(ads):
            for p in ad.phones:
                self.phone_ads[p].append(i)
        self.hub_phones: set[str] = set()
        for p, lst in self.phone_ads.items():
            if len(lst) > PHONE_HUB_MAX_PROFILES and len({ident[i] for i in lst}) > PHONE_HUB_MAX_PROFILES:
                self.hub_phones.add(p)
        self.phone_profiles = {
            p: len({ident[i] for i in lst}) for p, lst in self.phone_ads.items() if len(lst) > 1
        }
        strong_a: list[np.ndarray] = []
        strong_b: list[np.ndarray] = []
        for p, lst in self.phone_ads.items():
            if len(lst) > 1 and p not in self.hub_phones:
                strong_a.append(np.full(len(lst) - 1, lst[0]))
                strong_b.append(np.asarray(lst[1:]))

        # --- profiles
        self.profile_ads: dict[str, list[int]] = defaultdict(list)
        for i, ad in enumerate(ads):
            if ad.profile:
                self.profile_ads[ad.profile].append(i)
        self.hub_profiles: set[str] = set()
        for key, lst in self.profile_ads.items():
            if len(lst) > 1:
                phones = {p for i in lst for p in ads[i].phones if p not in self.hub_phones}
                if len(phones) > PROFILE_HUB_MAX_PHONES:
                    self.hub_profiles.add(key)
                else:
                    strong_a.append(np.full(len(lst) - 1, lst[0]))
                    strong_b.append(np.asarray(lst[1:]))

        # --- serial phone runs
        self.serial_nb: dict[str, list[str]] = defaultdict(list)
        self.serial_run: dict[str, list[str]] = {}
        self._pair_candidates: list[tuple[str, str]] = []
        self._serial_runs()

        # --- photos
        img_a, img_b, self.place_pairs = self._image_links(ident)
        # A photo in common is the same person only within one identity: across profiles it is
        # a ring posting one photo for several women (a group link, not one woman moving).
        same_id = np.fromiter((ident[x] == ident[y] for x, y in zip(img_a, img_b, strict=True)),
                              dtype=bool, count=len(img_a))
        strong_a.append(img_a[same_id])
        strong_b.append(img_b[same_id])
        self.img_adj = Adjacency(n, img_a, img_b)
        self.place_adj = Adjacency(n, self.place_pairs[0], self.place_pairs[1])

        sa = np.concatenate(strong_a).astype(np.int64) if strong_a else np.empty(0, dtype=np.int64)
        sb = np.concatenate(strong_b).astype(np.int64) if strong_b else np.empty(0, dtype=np.int64)
        # The same advertiser: phone, profile or (within one identity) photo in common — not
        # template, serial or a photo across profiles, which are ring-level, not person-level.
        self.person = components(n, sa, sb)
        # Moves need only the advertisers. Their Python loop runs beside the text comparison,
        # whose numpy sorts let go of the interpreter lock.
        moves = ThreadPoolExecutor(1) if LINK_THREADS > 1 and n >= THREAD_MIN_ADS else None
        moves_done = moves.submit(self._moves) if moves else None

        # --- text: what is specific to each ad, candidate pairs that pass the rule
        self._specific_features(shingles)
        txt_a, txt_b, txt_sim = self._text_candidates()

        # --- two adjacent numbers, corroborated by site, weeks and template or photo
        self._serial_pairs()
        ser_a, ser_b = [], []
        for p, nbs in self.serial_nb.items():
            for q in nbs:
                if p < q:
                    ser_a.append(self.phone_ads[p][0])
                    ser_b.append(self.phone_ads[q][0])

        base_a = np.concatenate((sa, np.asarray(ser_a, dtype=np.int64), img_a)).astype(np.int64)
        base_b = np.concatenate((sb, np.asarray(ser_b, dtype=np.int64), img_b)).astype(np.int64)
        base = components(n, base_a, base_b)
        keep = self._merge_by_text(base, txt_a, txt_b, txt_sim)
        txt_a, txt_b = txt_a[keep], txt_b[keep]
        self.text_adj = Adjacency(n, txt_a, txt_b)
        lab = components(n, np.concatenate((base_a, txt_a)), np.concatenate((base_b, txt_b)))
        # group id = id of the component's first ad in input order: stable and readable
        _, first = np.unique(lab, return_index=True)
        first_of_label = np.empty(lab.max() + 1 if n else 0, dtype=np.int64)
        first_of_label[lab[first]] = first
        self.group_first = first_of_label[lab] if n else lab
        self.group_size = np.bincount(lab)[lab] if n else lab
        if moves_done is not None:
            moves_done.result()
            moves.shutdown()
        else:
            self._moves()

    # ------------------------------------------------------------------------------------------
    def _serial_runs(self) -> None:
        ads = self.ads
        phones = [p for p in self.phone_ads if p not in self.hub_phones and p[1:].isdigit()]
        if len(phones) < SERIAL_MIN_RUN:
            return
        phones.sort(key=lambda p: (len(p), int(p[1:])))
        window = SERIAL_WINDOW_DAYS * 86400.0

        def info(p: str) -> dict[str, tuple[float, float]]:
            """site -> (first, last) time the number was seen there."""
            out: dict[str, tuple[float, float]] = {}
            for i in self.phone_ads[p]:
                ad = ads[i]
                lo, hi = out.get(ad.site, (ad.seen, ad.seen))
                out[ad.site] = (min(lo, ad.seen), max(hi, ad.seen))
            return out

        def corroborated(p: str, q: str) -> bool:
            # on one site, within the window of each other: the same campaign, not a number
            # that happens to be close on another site or months apart
            s1, s2 = info(p), info(q)
            for site, (a1, b1) in s1.items():
                w = s2.get(site)
                if w is not None and a1 - window <= w[1] and w[0] - window <= b1:
                    return True
            return False

        run: list[str] = [phones[0]]

        def flush(r: list[str]) -> None:
            if len(r) == 2 and int(r[1][1:]) - int(r[0][1:]) <= SERIAL_PAIR_MAX_GAP:
                self._pair_candidates.append((r[0], r[1]))
            if len(r) >= SERIAL_MIN_RUN:
                for x, y in zip(r, r[1:], strict=False):
                    self.serial_nb[x].append(y)
                    self.serial_nb[y].append(x)
                for x in r:
                    self.serial_run[x] = r

        for prev, cur in zip(phones, phones[1:], strict=False):
            close = (
                len(prev) == len(cur)
                and prev[: SERIAL_PREFIX_DIGITS + 1] == cur[: SERIAL_PREFIX_DIGITS + 1]
                and int(cur[1:]) - int(prev[1:]) <= SERIAL_MAX_GAP
            )
            if close and corroborated(prev, cur):
                run.append(cur)
            else:
                flush(run)
                run = [cur]
        flush(run)

    def _image_links(self, ident: list[str]):  # noqa: ANN202
        owners: list[int] = []
        ph: list[int] = []
        bg: list[int] = []
        self.img_names: list[str] = []
        for i, ad in enumerate(self.ads):
            for im in ad.images:
                owners.append(i)
                ph.append(im.phash)
                bg.append(im.bghash)
                self.img_names.append(im.name)
        e = np.empty(0, dtype=np.int64)
        if len(owners) < 2:
            return e, e, (e, e)
        own = np.asarray(owners, dtype=np.int64)
        pha = np.asarray(ph, dtype=np.uint64)
        bga = np.asarray(bg, dtype=np.uint64)
        idx = np.arange(len(owners), dtype=np.int64)

        def near(h: np.ndarray, maxd: int) -> tuple[np.ndarray, np.ndarray]:
            aa, bb = [], []
            for lo, hi in IMAGE_BANDS:
                key = (h >> np.uint64(lo)) & np.uint64((1 << (hi - lo)) - 1)
                a, b = pairs_in_equal_runs(key, idx, IMAGE_BUCKET_MAX)
                aa.append(a)
                bb.append(b)
            a, b = _unique_pairs(np.concatenate(aa), np.concatenate(bb), len(h))
            d = np.bitwise_count(h[a] ^ h[b])
            keep = d <= maxd
            return a[keep], b[keep]

        ia, ib = near(pha, IMAGE_MAX_HAMMING)
        # stock photos: an image cluster spanning many profiles is not evidence of one ring
        lab = components(len(owners), ia, ib)
        members: dict[int, set[str]] = defaultdict(set)
        for k in np.unique(np.concatenate((ia, ib))):
            members[int(lab[k])].add(ident[int(own[k])])
        hub = {lbl for lbl, s in members.items() if len(s) > IMAGE_HUB_MAX_PROFILES}
        keep = np.fromiter((lab[x] not in hub for x in ia), dtype=bool, count=len(ia))
        self.hub_images = {self.img_names[k] for k in range(len(owners)) if lab[k] in hub}
        a_ads, b_ads = own[ia[keep]], own[ib[keep]]
        a_ads, b_ads = _unique_pairs(a_ads, b_ads, self.n)
        # same place: background match (or the very same photo) in another profile's ad. A stock
        # photo proves no shared place either: its copies (and backgrounds) are left out.
        ba, bb = near(bga, BACKGROUND_MAX_HAMMING)
        if hub:
            is_hub = np.fromiter((lab[k] in hub for k in range(len(owners))), dtype=bool, count=len(owners))
            kb = ~(is_hub[ba] | is_hub[bb])
            ba, bb = ba[kb], bb[kb]
        pa = np.concatenate((own[ba], own[ia[keep]]))
        pb = np.concatenate((own[bb], own[ib[keep]]))
        diff = np.fromiter((ident[x] != ident[y] for x, y in zip(pa, pb, strict=True)), dtype=bool, count=len(pa))
        pa, pb = _unique_pairs(pa[diff], pb[diff], self.n)
        return a_ads, b_ads, (pa, pb)

    def _serial_pairs(self) -> None:
        """Two adjacent numbers on one site in the same weeks become a run of two when the ads
        also share their template or a photo; by chance, neighbouring numbers are common."""
        ptr = np.searchsorted(self._feat_ad, np.arange(self.n + 1))
        feats = self._feat

        def text_of(i: int) -> set[int]:
            return set(feats[ptr[i]:ptr[i + 1]].tolist())

        for p, q in self._pair_candidates:
            ap, aq = self.phone_ads[p][:20], self.phone_ads[q][:20]
            pics = {int(x) for i in ap for x in self.img_adj[i]}
            corroborated = any(j in pics for j in aq)
            if not corroborated:
                tp = [text_of(i) for i in ap]
                for j in aq:
                    tq = text_of(j)
                    if any(len(t & tq) >= TEXT_MIN_SHARED
                           and len(t & tq) >= SERIAL_PAIR_MIN_SIMILARITY * min(len(t), len(tq)) for t in tp):
                        corroborated = True
                        break
            if corroborated:
                self.serial_nb[p].append(q)
                self.serial_nb[q].append(p)
                self.serial_run[p] = self.serial_run[q] = [p, q]

    def _specific_features(self, shingles: tuple[np.ndarray, np.ndarray] | None) -> None:
        """Each ad's text features less the stock phrases of this corpus, grouped by ad."""
        n = self.n
        self.stock_shingles = np.zeros(0, dtype=np.uint32)
        self._feat = np.zeros(0, dtype=np.uint32)
        self._feat_ad = np.zeros(0, dtype=np.int64)
        self._feat_count = np.zeros(n, dtype=np.int64)
        if shingles is None or n == 0:
            return
        sh, counts = shingles
        owner = np.repeat(np.arange(n, dtype=np.int64), counts)
        stock = stock_shingles(sh, self.person[owner])
        if self._known_stock is not None and len(self._known_stock):
            # a batch drawn from a larger history cannot see that a phrase is common: the caller
            # that knows the history names those stock phrases
            stock = np.union1d(stock, self._known_stock)
        self.stock_shingles = stock
        keep = ~sorted_member(sh, stock)
        self._feat, self._feat_ad = sh[keep], owner[keep]
        self._feat_count = np.bincount(self._feat_ad, minlength=n).astype(np.int64)

    def _text_candidates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs of ads of different advertisers that share specific text, with the share of the
        smaller text they have in common, kept when they pass `text_link_ok`.

        Exact rather than estimated: every pair that shares a feature is counted, and no stock
        phrase takes part, so the pairs are few (a feature is in at most a few advertisers' ads).
        Done in slices of the feature space to bound memory.
        """
        e = np.empty(0, dtype=np.int64)
        n = self.n
        ok = self._feat_count >= TEXT_MIN_SHARED
        sel = ok[self._feat_ad]
        feat, ad = self._feat[sel], self._feat_ad[sel]
        if len(feat) == 0:
            return e, e, np.empty(0)
        site_codes: dict[str, int] = {}
        site = np.fromiter((site_codes.setdefault(x.site, len(site_codes)) for x in self.ads),
                           dtype=np.int32, count=n)
        seen = np.fromiter((x.seen for x in self.ads), dtype=np.float64, count=n)
        person = self.person
        window = TEXT_CORROBORATION_DAYS * 86400.0

        def shared_in(m: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
            # an ad counts once per feature (a sentence repeated in one ad is one feature)
            codes, _ = unique_counts((feat[m].astype(np.uint64) << np.uint64(32)) | ad[m].astype(np.uint64))
            f_m = (codes >> np.uint64(32)).astype(np.uint32)
            a_m = (codes & np.uint64(0xFFFFFFFF)).astype(np.int64)
            del codes
            out = []
            for a, b in pairs_near_in_equal_runs(f_m, a_m, seen[a_m], window, TEXT_WINDOW_BUCKET_MAX,
                                                 TEXT_PAIRS_PER_SLICE):
                other = person[a] != person[b]
                a, b = a[other], b[other]
                out.append(unique_counts(np.minimum(a, b) * n + np.maximum(a, b)))
            return out

        # Memory is bounded by a batch of pairs, not by those of the corpus: pairs are made only
        # within the corroboration window (a phrase's users months apart are never compared), in
        # slices of the feature space of at most 5 million features, and each batch of about
        # TEXT_PAIRS_PER_SLICE is counted before the next is made.
        parts = max(1, len(feat) // 5_000_000)
        codes_parts: list[np.ndarray] = []
        count_parts: list[np.ndarray] = []
        for batches in map_slices(shared_in, feat, parts):
            for c, k in batches:
                codes_parts.append(c)
                count_parts.append(k)
        if not codes_parts:
            return e, e, np.empty(0)
        if len(codes_parts) == 1:
            pair, shared = codes_parts[0], count_parts[0]
        else:
            pair, shared = summed_counts(np.concatenate(codes_parts), np.concatenate(count_parts))
            del codes_parts, count_parts
        a, b = pair // n, pair % n
        sim = shared / np.minimum(self._feat_count[a], self._feat_count[b])
        keep = (shared >= TEXT_MIN_SHARED) & text_link_ok(sim, site[a] == site[b], np.abs(seen[a] - seen[b]))
        return a[keep], b[keep], sim[keep]

    def _merge_by_text(self, base: np.ndarray, a: np.ndarray, b: np.ndarray, sim: np.ndarray) -> np.ndarray:
        """Which text pairs to keep: strongest first, a pair joins two groups only while the
        joined group stays within TEXT_GROUP_MAX_ADVERTISERS advertisers and nothing speaks
        against one operation (different numbers in different towns at the same time). A pair
        inside one group already is kept as a reason."""
        keep = np.zeros(len(a), dtype=bool)
        if len(a) == 0:
            return keep
        ads, person = self.ads, self.person
        touched = np.unique(np.concatenate((base[a], base[b])))
        members: dict[int, list[int]] = {int(c): [] for c in touched}
        is_touched = np.zeros(int(base.max()) + 1, dtype=bool)
        is_touched[touched] = True
        for i in np.flatnonzero(is_touched[base]).tolist():
            members[int(base[i])].append(i)
        parent: dict[int, int] = {}
        advertisers: dict[int, set[int]] = {}
        phones: dict[int, set[str]] = {}
        days: dict[int, dict[int, set[str]]] = {}
        for c, lst in members.items():
            parent[c] = c
            advertisers[c] = {int(person[i]) for i in lst}
            phones[c] = {p for i in lst for p in ads[i].phones if p not in self.hub_phones}
            d: dict[int, set[str]] = defaultdict(set)
            for i in lst:
                if ads[i].city:
                    d[int(ads[i].seen // 86400)].add(canonical_city(ads[i].city))
            days[c] = d

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def conflict(x: int, y: int) -> bool:
            if not phones[x] or not phones[y] or phones[x] & phones[y]:
                return False
            dx, dy = days[x], days[y]
            if len(dx) > len(dy):
                dx, dy = dy, dx
            for day, towns in dx.items():
                for dd in range(day - TEXT_CONFLICT_DAYS, day + TEXT_CONFLICT_DAYS + 1):
                    other = dy.get(dd)
                    if other and (len(towns | other) > 1) and not (towns & other):
                        return True
            return False

        order = np.argsort(-sim, kind="stable")
        for k in order.tolist():
            x, y = find(int(base[a[k]])), find(int(base[b[k]]))
            if x == y:
                keep[k] = True
                continue
            if len(advertisers[x] | advertisers[y]) > TEXT_GROUP_MAX_ADVERTISERS or (
                sim[k] < TEXT_STRONG_SIMILARITY and conflict(x, y)
            ):
                continue
            if len(advertisers[x]) < len(advertisers[y]):
                x, y = y, x
            parent[y] = x
            advertisers[x] |= advertisers.pop(y)
            phones[x] |= phones.pop(y)
            for day, towns in days.pop(y).items():
                days[x][day] |= towns
            keep[k] = True
        return keep

    def _moves(self) -> None:
        """Advertisers seen in two or more towns: the same profile, or (without a profile) the
        same number that no other profile uses. A ring's women in several towns are the spread of
        a group, not one woman moving, so a shared number or a photo across profiles is no move."""
        # per ad: the evidence sentence and its facts (who, towns with dates) for the interface
        self.moves: dict[int, tuple[str, dict]] = {}
        own: dict[str, list[int]] = defaultdict(list)
        # One advertiser (phone/profile component) showing one name, on whatever site, is one
        # woman: her towns are her moves, across sites too.
        person = self.person.tolist()
        names: dict[int, set[str]] = defaultdict(set)
        for i, ad in enumerate(self.ads):
            if ad.profile:
                names[person[i]].add(ad.profile.split("\x1f", 1)[-1])
        one_name = {c: next(iter(v)) for c, v in names.items() if len(v) == 1}
        hub_phones, shared = self.hub_phones, self.phone_profiles
        for i, ad in enumerate(self.ads):
            comp = person[i]
            name = one_name.get(comp)
            if name is not None and not any(p in hub_phones or shared.get(p, 1) > 1 for p in ad.phones):
                own["n:\x1f" + name + f"\x1e{comp}"].append(i)
            elif ad.profile:
                # a display name used with several numbers is one woman only where her phone or
                # photo says so: then the name and that evidence together
                hub = ad.profile in self.hub_profiles
                own["n:" + ad.profile + (f"\x1e{self.person[i]}" if hub else "")].append(i)
            elif ad.phones and ad.phones[0] not in self.hub_phones and self.phone_profiles.get(ad.phones[0], 1) <= 1:
                own["tel:" + ad.phones[0]].append(i)
        for key, grp in own.items():
            if len(grp) < 2:
                continue
            first_seen: dict[str, tuple[float, str, str]] = {}
            for i in grp:
                ad = self.ads[i]
                if not ad.city:
                    continue
                town = canonical_city(ad.city)
                if town not in first_seen or ad.seen < first_seen[town][0]:
                    first_seen[town] = (ad.seen, ad.city, ad.date)
            if len(first_seen) < 2:
                continue
            seq = sorted(first_seen.values())
            who = key.split("\x1e", 1)[0].split("\x1f", 1)[-1] if key.startswith("n:") else key[4:]
            steps = " → ".join(f"{c} {d}" for _, c, d in seq[:5]) + (f" … (+{len(seq) - 5})" if len(seq) > 5 else "")
            ev = (f"{who}: {steps}", {"who": who, "steps": [{"city": c, "date": d} for _, c, d in seq[:5]],
                                      "more": max(0, len(seq) - 5)})
            for i in grp:
                self.moves[i] = ev
