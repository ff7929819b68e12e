"""Corpus-level linking: which ads belong together, and why.

Everything that compares ads with each other is vectorised with numpy (sorting keys, taking
pairs inside equal-key runs) so that 1M ads are linked in seconds, and no step compares every
pair of ads.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from . import minhash
from .model import AdFeatures

# --- hubs --------------------------------------------------------------------------------------
# A phone in ads of more distinct profiles than this is an agency/switchboard number or a
# scraping artefact: linking on it would glue unrelated rings into one blob. Rings seen in the
# field put one phone on a handful of women (seed 000: "telefonister"), far below this.
PHONE_HUB_MAX_PROFILES = 15
# A profile name on one site used with more distinct phones than this is a common display name
# ("Anna") shared by different women, not one handle.
PROFILE_HUB_MAX_PHONES = 4
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
_IMAGE_BANDS = ((0, 13), (13, 26), (26, 39), (39, 52), (52, 64))
# Band buckets larger than this are flat/blank images (all-black thumbnails): skipped.
IMAGE_BUCKET_MAX = 500

# --- text --------------------------------------------------------------------------------------
# Estimated Jaccard similarity of template shingles above which two texts are "the same
# template" on their own. Rewritten names/ages/cities/prices are placeholders already, so
# copies (a sentence dropped here and there) sit at 0.8–1.0, while different rings drawing on
# the same stock phrases reach 0.5–0.75. A single such link glues two whole rings into one
# group, so text alone must be clearly above the stock-phrase range.
TEXT_STRONG_SIMILARITY = 0.8
# Between TEXT_MIN_SIMILARITY and the strong threshold, the template match needs corroboration:
# both ads on the same site within TEXT_CORROBORATION_DAYS of each other (a ring posts its
# variants on one site in one campaign; unrelated rings with similar stock phrases rarely
# meet on the same site in the same weeks). Below 0.7 the stock-phrase overlap dominates.
TEXT_MIN_SIMILARITY = 0.7
TEXT_CORROBORATION_DAYS = 30
# An LSH bucket with more ads than this is boilerplate used site-wide; pairs inside it would cost
# the square of its size and prove nothing.
TEXT_BUCKET_MAX = 300
# Candidate pairs compared per numpy step (bounds the temporary arrays: ~60 x 4 bytes each).
TEXT_PAIR_STEP = 250_000


def text_link_ok(sim: float | np.ndarray, same_site: bool | np.ndarray, dt_s: float | np.ndarray):  # noqa: ANN201
    """The text-link rule (shared by batch linking and the incremental index)."""
    return (sim >= TEXT_STRONG_SIMILARITY) | (
        (sim >= TEXT_MIN_SIMILARITY) & same_site & (dt_s <= TEXT_CORROBORATION_DAYS * 86400.0))


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


def _unique_pairs(a: np.ndarray, b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    keep = lo != hi
    code = np.unique(lo[keep] * n + hi[keep])
    return code // n, code % n


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if len(a) == 0:
        return np.arange(n)
    g = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, lab = connected_components(g, directed=False)
    return lab


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

    def __init__(self, ads: list[AdFeatures], sigs: np.ndarray | None) -> None:
        n = len(ads)
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
                phones = {p for i in lst for p in ads[i].phones}
                if len(phones) > PROFILE_HUB_MAX_PHONES:
                    self.hub_profiles.add(key)
                else:
                    strong_a.append(np.full(len(lst) - 1, lst[0]))
                    strong_b.append(np.asarray(lst[1:]))

        # --- serial phone runs
        self.serial_nb: dict[str, list[str]] = defaultdict(list)
        self.serial_run: dict[str, list[str]] = {}
        self._serial_runs()
        ser_a, ser_b = [], []
        for p, nbs in self.serial_nb.items():
            for q in nbs:
                if p < q:
                    ser_a.append(self.phone_ads[p][0])
                    ser_b.append(self.phone_ads[q][0])

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

        # --- text templates
        txt_a, txt_b = self._text_links(sigs)
        self.text_adj = Adjacency(n, txt_a, txt_b)

        sa = np.concatenate(strong_a) if strong_a else np.empty(0, dtype=np.int64)
        sb = np.concatenate(strong_b) if strong_b else np.empty(0, dtype=np.int64)
        # The same person: phone, profile or (within one identity) photo in common — not
        # template, serial or a photo across profiles, which are ring-level, not person-level.
        self.person = components(n, sa.astype(np.int64), sb.astype(np.int64))
        all_a = np.concatenate((sa, np.asarray(ser_a, dtype=np.int64), txt_a, img_a)).astype(np.int64)
        all_b = np.concatenate((sb, np.asarray(ser_b, dtype=np.int64), txt_b, img_b)).astype(np.int64)
        lab = components(n, all_a, all_b)
        # group id = id of the component's first ad in input order: stable and readable
        _, first = np.unique(lab, return_index=True)
        first_of_label = np.empty(lab.max() + 1 if n else 0, dtype=np.int64)
        first_of_label[lab[first]] = first
        self.group_first = first_of_label[lab] if n else lab
        self.group_size = np.bincount(lab)[lab] if n else lab
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
            for lo, hi in _IMAGE_BANDS:
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

    def _text_links(self, sigs: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        e = np.empty(0, dtype=np.int64)
        if sigs is None or self.n < 2:
            return e, e
        ok = np.fromiter((ad.has_sig for ad in self.ads), dtype=bool, count=self.n)
        idx = np.flatnonzero(ok).astype(np.int64)
        if len(idx) < 2:
            return e, e
        site_codes: dict[str, int] = {}
        site = np.fromiter((site_codes.setdefault(ad.site, len(site_codes)) for ad in self.ads),
                           dtype=np.int32, count=self.n)
        seen = np.fromiter((ad.seen for ad in self.ads), dtype=np.float64, count=self.n)
        keys = minhash.band_keys(sigs[idx])
        # one band at a time, keeping only the pairs that pass: the candidate pairs of all bands
        # together would be many times the kept links (memory at 1M ads)
        kept: list[np.ndarray] = []
        for band in range(minhash.BANDS):
            a, b = pairs_in_equal_runs(keys[:, band], idx, TEXT_BUCKET_MAX)
            for s in range(0, len(a), TEXT_PAIR_STEP):
                pa, pb = a[s:s + TEXT_PAIR_STEP], b[s:s + TEXT_PAIR_STEP]
                sim = (sigs[pa] == sigs[pb]).mean(axis=1)
                keep = text_link_ok(sim, site[pa] == site[pb], np.abs(seen[pa] - seen[pb]))
                lo, hi = np.minimum(pa[keep], pb[keep]), np.maximum(pa[keep], pb[keep])
                kept.append(np.unique(lo * self.n + hi))
            del a, b
        if not kept:
            return e, e
        code = np.unique(np.concatenate(kept))
        return code // self.n, code % self.n

    def _moves(self) -> None:
        """Persons (phone/profile/photo components) seen in two or more cities."""
        self.moves: dict[int, str] = {}
        lab = self.person
        order = np.argsort(lab, kind="stable")
        sl = lab[order]
        bnd = np.flatnonzero(sl[1:] != sl[:-1]) + 1
        for grp in np.split(order, bnd):
            if len(grp) < 2:
                continue
            first_seen: dict[str, tuple[float, str, str, str]] = {}
            for i in grp:
                ad = self.ads[int(i)]
                if not ad.city:
                    continue
                key = ad.city.casefold()
                if key not in first_seen or ad.seen < first_seen[key][0]:
                    first_seen[key] = (ad.seen, ad.city, ad.date, ad.id)
            if len(first_seen) < 2:
                continue
            seq = sorted(first_seen.values())
            parts = [f"{c} {d} ({i})" for _, c, d, i in seq[:5]]
            ev = " → ".join(parts) + (f" … (+{len(seq) - 5})" if len(seq) > 5 else "")
            for i in grp:
                self.moves[int(i)] = ev
