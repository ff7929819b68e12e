"""Batch analysis: extraction (parallel, per ad) then linking (corpus) then results."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import statistics
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from . import textfeatures
from .extract import BadLine, extract_chunk, features_from_obj, template_of
from .linking import Links, run_counts
from .model import AdFeatures, Problem
from .phones import extract_phones
from .rows import duplicate_id

try:  # orjson writes results ~10x faster than the json module; same bytes for our data
    from orjson import dumps as _dumps
except ImportError:  # pragma: no cover
    _enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def _dumps(obj: Any) -> bytes:
        return _enc(obj).encode("utf-8")

# Bytes of input per work unit: ~2,000 ads; small enough to balance two workers and keep each
# result message small, large enough that per-chunk overhead (pickling, numpy setup) is noise.
CHUNK_BYTES = 2_000_000
# A worker pool only pays off above this input size (process start ~0.1 s).
PARALLEL_MIN_BYTES = 4_000_000

# Prices. The floor is an organisation setting in the app; this default reflects that a price
# per hour below 1,000 kr is well under what ads on Swedish sites usually ask (1,500–3,000 kr).
LOW_PRICE_FLOOR_SEK = 1000
# …and relative to the corpus: under half the median hourly price of the ads analysed together.
LOW_PRICE_CORPUS_FRACTION = 0.5
# The corpus median means something only with enough priced ads.
LOW_PRICE_MIN_CORPUS = 30
# How many other ads an evidence string names (by date, town and profile) before "+N more".
EVIDENCE_MAX_IDS = 5
# How many numbers of a serial run an evidence string lists.
EVIDENCE_MAX_SERIAL = 6
# Links listed per ad (strongest first). A large ring can link hundreds of ads; the group id
# already says who belongs together, the list is for explaining.
MAX_LINKS_PER_AD = 100


def _chunks(path: str, size: int) -> list[tuple[int, int]]:
    total = os.path.getsize(path)
    out = []
    with open(path, "rb") as fh:
        start = 0
        while start < total:
            end = min(start + size, total)
            if end < total:
                fh.seek(end)
                fh.readline()  # extend to the end of the current line
                end = fh.tell()
            out.append((start, end))
            start = end
    return out


def _workers() -> int:
    """Processes for the per-ad work when the caller names none: one per CPU, at most 8."""
    return min(os.cpu_count() or 1, 8)


def _stop_signals(handler: Any) -> None:
    """How a forked child answers Ctrl-C and SIGTERM: not as its parent did. The forked writer takes
    the default. An extraction pool's child ignores them: Ctrl-C and a service manager's SIGTERM
    reach the whole process group, the parent then stops (the command line) or finishes its task
    (the web app's task worker, which needs its children for that), and the children end when the
    pool is shut down."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handler)


def _pool_map(fn: Callable[[Any], Any], tasks: list[Any], workers: int, fork: bool = True) -> Iterator[Any]:
    """`fn` over `tasks` on forked processes, results in order. A child that dies (the kernel's
    out-of-memory killer) fails the run with BrokenProcessPool instead of leaving it waiting for
    ever, as multiprocessing.Pool would."""
    ctx = get_context("fork") if fork else get_context()
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_stop_signals, initargs=(signal.SIG_IGN,))
    try:
        yield from pool.map(fn, tasks)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _extract_job(args: tuple[str, int, int, bool]):  # noqa: ANN202
    return extract_chunk(*args)


class Corpus:
    """Extracted ads plus their text features, in input order."""

    def __init__(self) -> None:
        self.ads: list[AdFeatures] = []
        self.lines: list[int] = []
        self.problems: list[Problem] = []
        self.sh_parts: list[np.ndarray] = []
        self.count_parts: list[np.ndarray] = []
        self.n_lines = 0
        self.skipped = 0
        self._ids: set[str] = set()
        self._intern: dict[str, str] = {}

    def _i(self, s: str) -> str:
        return self._intern.setdefault(s, s)

    def add_chunk(self, res: Any, on_problem: Callable[[Problem], None] | None) -> None:
        base = self.n_lines
        keep = []
        for p in res.problems:
            p.line += base
        probs = {p.line: p for p in res.problems}
        for k, (ad, ln) in enumerate(zip(res.ads, res.ad_lines, strict=True)):
            if ad.id in self._ids:
                res.problems.append(Problem(ln + base, str(duplicate_id(ad.id)), True))
                continue
            self._ids.add(ad.id)
            # many ads share sites, cities, dates and language: keep one copy of each string
            ad.site, ad.city, ad.date, ad.language = (self._i(ad.site), self._i(ad.city),
                                                      self._i(ad.date), self._i(ad.language))
            self.ads.append(ad)
            self.lines.append(ln + base)
            keep.append(k)
        del probs
        sh, counts = res.shingles, res.shingle_counts
        if len(keep) != len(res.ads):
            mask = np.zeros(len(res.ads), dtype=bool)
            mask[keep] = True
            sh, counts = sh[np.repeat(mask, counts)], counts[mask]
        self.sh_parts.append(sh)
        self.count_parts.append(counts)
        res.problems.sort(key=lambda p: p.line)
        for p in res.problems:
            if p.fatal:
                self.skipped += 1
            self.problems.append(p)
            if on_problem:
                on_problem(p)
        self.n_lines += res.n_lines

    def shingles(self) -> tuple[np.ndarray, np.ndarray]:
        """(flat uint32 shingles of all ads, count per ad), in the order of `ads`."""
        if not self.count_parts:
            return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
        sh = np.concatenate(self.sh_parts) if len(self.sh_parts) > 1 else self.sh_parts[0]
        counts = np.concatenate(self.count_parts) if len(self.count_parts) > 1 else self.count_parts[0]
        self.sh_parts, self.count_parts = [sh], [counts]
        return sh, counts


def read_corpus(
    path: str,
    *,
    workers: int | None = None,
    with_images: bool = True,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Corpus:
    corpus = Corpus()
    chunks = _chunks(path, CHUNK_BYTES)
    total = os.path.getsize(path)
    jobs = [(path, s, e, with_images) for s, e in chunks]
    if workers is None:
        workers = _workers()
    if workers > 1 and total >= PARALLEL_MIN_BYTES:
        for res in _pool_map(_extract_job, jobs, workers, fork=sys.platform.startswith("linux")):
            corpus.add_chunk(res, on_problem)
            if progress:
                progress(corpus.n_lines, len(corpus.ads))
    else:
        for job in jobs:
            corpus.add_chunk(_extract_job(job), on_problem)
            if progress:
                progress(corpus.n_lines, len(corpus.ads))
    return corpus


# --- evidence ---------------------------------------------------------------------------------
# Evidence names other ads the way a worker or the police can look them up (date, town, profile
# name), never by the ids the caller gave: those are internal keys that mean nothing in a tip.


def ad_ref(date: str, city: str, profile: str) -> dict[str, str]:
    """Another ad as evidence names it; `profile` is the stored "site\x1fname" key or ""."""
    return {"date": date, "city": city, "profile": profile.split("\x1f", 1)[-1] if profile else ""}


def refs_text(refs: list[dict[str, str]], more: int) -> str:
    words = (" ".join(x for x in (r["date"], r["city"], f"«{r['profile']}»" if r["profile"] else "") if x)
             for r in refs)
    return ", ".join(words) + (f" (+{more})" if more else "")


def phone_facts(phone: str, refs: list[dict[str, str]], total: int) -> dict[str, Any]:
    return {"phone": phone, "ads": refs, "more": max(0, total - len(refs))}


def phone_text(f: dict[str, Any]) -> str:
    n = len(f["ads"]) + f["more"]
    sv, en = ("1 annan annons", "1 other ad") if n == 1 else (f"{n} andra annonser", f"{n} other ads")
    return f"{f['phone']} även i {sv} / also in {en}: {refs_text(f['ads'], f['more'])}"


def serial_facts(run: list[str]) -> dict[str, Any]:
    return {"phones": run[:EVIDENCE_MAX_SERIAL], "more": max(0, len(run) - EVIDENCE_MAX_SERIAL)}


def serial_text(f: dict[str, Any]) -> str:
    return "serienummer / serial run: " + ", ".join(f["phones"]) + (f" (+{f['more']})" if f["more"] else "")


def shared_phone_indicator(phones: list[dict[str, Any]], serial: list[dict[str, Any]]) -> dict[str, Any]:
    ev = "; ".join([*map(phone_text, phones), *map(serial_text, serial)])
    return {"code": "shared_phone", "evidence": ev, "facts": {"phones": phones, "serial": serial}}


def place_indicator(refs: list[dict[str, str]], more: int) -> dict[str, Any]:
    return {"code": "same_place_photos",
            "evidence": "liknande bilder i andra profilers annonser / similar photos in other profiles' ads: "
                        + refs_text(refs, more),
            "facts": {"ads": refs, "more": more}}


def low_price_indicator(price: int, median: float | None) -> dict[str, Any]:
    med = round(median) if median is not None else None
    med_ev = f", median {med} kr" if med is not None else ""
    return {"code": "low_price", "evidence": f"{price} kr/h (golv / floor {LOW_PRICE_FLOOR_SEK} kr{med_ev})",
            "facts": {"price": price, "floor": LOW_PRICE_FLOOR_SEK, "median": med}}


def indicator_dict(t: tuple[Any, ...]) -> dict[str, Any]:
    """An extracted (code, evidence[, extra…]) as output: a quotation of the ad gets "quote",
    "trigger" and "trigger_in_text" (the matched words' offsets in the quote and in the ad's text),
    stated facts get "facts"."""
    out: dict[str, Any] = {"code": t[0], "evidence": t[1]}
    extra = t[2] if len(t) > 2 else None
    if isinstance(extra, tuple):
        out["quote"] = t[1]
        out["trigger"] = [list(x) for x in extra]
        if len(t) > 3:
            out["trigger_in_text"] = [list(x) for x in t[3]]
    elif isinstance(extra, dict):
        out["facts"] = extra
    return out


def face_facts(ad: AdFeatures, inds: list[dict[str, Any]]) -> None:
    """The photos' names of `face_visible` stated apart, so the interface says it in its language."""
    if ad.images:
        faces = [im.name for im in ad.images if im.face][:5]
        for d in inds:
            if d["code"] == "face_visible" and faces:
                d["facts"] = {"photos": faces}


def _refs(ads: list[AdFeatures], idxs: list[int], limit: int = EVIDENCE_MAX_IDS) -> tuple[list[dict[str, str]], int]:
    """The first `limit` of the ads `idxs` (in time order) as `ad_ref`s, and how many more there are."""
    # the first in input order, not a sort of all of them: a number can sit in thousands of ads
    first = sorted(idxs[:limit], key=lambda j: (ads[j].seen, j))
    return [ad_ref(ads[j].date, ads[j].city, ads[j].profile) for j in first], len(idxs) - len(first)


def iter_results(corpus: Corpus, links: Links, more_hourly: Iterable[int] = (),
                 part: tuple[int, int] | None = None) -> Iterator[dict[str, Any]]:
    """Each ad's result in input order; `part` (start, stop) limits it to those ads."""
    ads = corpus.ads
    hourly = [min(ad.prices) for ad in ads if ad.prices] + list(more_hourly)
    median = statistics.median(hourly) if len(hourly) >= LOW_PRICE_MIN_CORPUS else None
    low_limit = LOW_PRICE_FLOOR_SEK if median is None else max(LOW_PRICE_FLOOR_SEK,
                                                                 LOW_PRICE_CORPUS_FRACTION * median)
    phone_ads, hub_phones, phone_profiles = links.phone_ads, links.hub_phones, links.phone_profiles
    serial_run, serial_nb = links.serial_run, links.serial_nb
    profile_ads, hub_profiles = links.profile_ads, links.hub_profiles
    # neighbour lists as plain Python sequences: numpy scalar access per element is slow
    img_ptr, img_dst = links.img_adj.ptr.tolist(), links.img_adj.dst
    txt_ptr, txt_dst = links.text_adj.ptr.tolist(), links.text_adj.dst
    plc_ptr, plc_dst = links.place_adj.ptr.tolist(), links.place_adj.dst
    group_first = links.group_first.tolist()
    moves = links.moves

    lo, hi = part or (0, len(ads))
    for i in range(lo, hi):
        ad = ads[i]
        inds: list[dict[str, Any]] = [indicator_dict(t) for t in ad.indicators]
        reasons: dict[int, list[str]] = {}

        def add(js: Iterable[int], why: str, reasons: dict[int, list[str]] = reasons, i: int = i) -> None:
            for j in js:
                if j != i:
                    r = reasons.get(j)
                    if r is None:
                        reasons[j] = [why]
                    elif why not in r:
                        r.append(why)

        shared: list[dict[str, Any]] = []
        serial: list[dict[str, Any]] = []
        for p in ad.phones:
            lst = phone_ads[p]
            if p in hub_phones:
                # A number printed in many unrelated ads (taxi, hotel, booking line) is not the
                # advertiser's: it neither links ads nor makes the number "shared".
                continue
            add(lst, "same_phone")
            if phone_profiles.get(p, 1) > 1:
                others = [j for j in lst if j != i]
                refs, _more = _refs(ads, others)
                shared.append(phone_facts(p, refs, len(others)))
            run = serial_run.get(p)
            if run:
                for q in serial_nb.get(p, ()):
                    add(phone_ads[q], "serial_phone")
                serial.append(serial_facts(run))
        if shared or serial:
            inds.append(shared_phone_indicator(shared, serial))
        if ad.profile and ad.profile not in hub_profiles:
            add(profile_ads[ad.profile], "same_profile")
        a, b = img_ptr[i], img_ptr[i + 1]
        if a != b:
            add(img_dst[a:b].tolist(), "same_image")
        a, b = txt_ptr[i], txt_ptr[i + 1]
        if a != b:
            add(txt_dst[a:b].tolist(), "similar_text")
        a, b = plc_ptr[i], plc_ptr[i + 1]
        if a != b:
            inds.append(place_indicator(*_refs(ads, plc_dst[a:b].tolist())))
        if ad.prices:
            mp = min(ad.prices)
            if mp < low_limit:
                inds.append(low_price_indicator(mp, median))
        mv = moves.get(i)
        if mv:
            inds.append({"code": "moves_between_cities", "evidence": mv[0], "facts": mv[1]})
        face_facts(ad, inds)
        if len(reasons) > 1:
            ranked = sorted(reasons.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:MAX_LINKS_PER_AD]
        else:
            ranked = list(reasons.items())
        yield {
            "id": ad.id,
            "phones": list(ad.phones),
            "prices_sek": list(ad.prices),
            "language": ad.language,
            "indicators": inds,
            "group": "g-" + ads[group_first[i]].id,
            "links": [{"id": ads[j].id, "reasons": r} for j, r in ranked],
        }


def text_features(ad: dict[str, Any]) -> list[int]:
    """The distinct text features (uint32) that linking compares for one ad in the input format:
    shingles, sentences and sentence pairs of its template text, stock phrases included. Raises
    ValueError ("sv / en") for an ad the rows rules refuse."""
    try:
        hashes = template_of(ad)
    except BadLine as exc:
        raise ValueError(str(exc)) from exc
    sh, _counts = textfeatures.shingles([hashes])
    return sorted(set(sh.tolist()))


def text_features_many(ads: list[dict[str, Any]]) -> list[list[int] | None]:
    """`text_features` of many ads in one vectorised pass (an import stores thousands at once);
    None for an ad the rows rules refuse."""
    hashes: list[list[int] | None] = []
    for ad in ads:
        try:
            hashes.append(template_of(ad))
        except BadLine:
            hashes.append(None)
    return _distinct_features(hashes)


def text_features_of(extracted: list[Any]) -> list[list[int] | None]:
    """`text_features` of ads already extracted by `extract_ads` (None for a refused ad), without
    reading them again."""
    return _distinct_features([None if isinstance(item, str) else item[1] for item in extracted])


def _distinct_features(template_hashes: list[list[int] | None]) -> list[list[int] | None]:
    """Each ad's distinct text features, sorted, from its template hashes (None stays None)."""
    hashes = [h for h in template_hashes if h is not None]
    sh, counts = textfeatures.shingles(hashes)
    # distinct features per ad: sort (ad, feature) as one key, drop repeats, cut per ad. The keys
    # come grouped by ad, so a stable sort (timsort, which finds the runs) takes a few hundredths
    # of a second where numpy's unique, which hashes, took 9 s for 100,000 ads
    owner = np.repeat(np.arange(len(hashes), dtype=np.uint64), counts)
    keys, _n = run_counts(np.sort((owner << np.uint64(32)) | sh.astype(np.uint64), kind="stable"))
    per_ad = np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=len(hashes))
    feats = (keys & np.uint64(0xFFFFFFFF)).tolist()
    out: list[list[int] | None] = []
    pos = k = 0
    for h in template_hashes:
        if h is None:
            out.append(None)
            continue
        n = int(per_ad[k])
        out.append(feats[pos:pos + n])
        pos += n
        k += 1
    return out


# From this many ads `analyse_ads` extracts on a pool of forked processes, as the command line
# does for a file: an import of tens of thousands of ads in the web app's worker then uses every
# CPU for the per-ad half of the analysis. Below it, starting the pool costs more than it saves.
PARALLEL_MIN_ADS = 4000
# Ads per task of that pool.
PARALLEL_ADS_PER_TASK = 2000
# The ads being extracted, for the forked pool: the children inherit them instead of receiving
# them pickled, and only their results travel back.
_pool_ads: list[Any] = []


_pool_lock = threading.Lock()


def _extract_list(ads: list[Any], start: int, stop: int, base_dir: Path | None, with_images: bool) -> list[tuple[int, Any]]:
    out: list[tuple[int, Any]] = []
    for n in range(start, stop):
        warn: list[str] = []
        try:
            out.append((n + 1, features_from_obj(ads[n], base_dir, with_images, warn)))
        except BadLine as exc:
            out.append((n + 1, str(exc)))
    return out


def _extract_range(args: tuple[int, int, Path | None, bool]) -> list[tuple[int, Any]]:
    return _extract_list(_pool_ads, *args)


def _extracted(ads: list[Any], base_dir: Path | None, with_images: bool) -> Iterator[tuple[int, Any]]:
    """(line number from 1, (features, template hashes) or the refusal's message) of each ad, in
    order. On Linux with two or more CPUs and many ads, on forked worker processes; they never
    touch the caller's database connections (they only read the ads and return features)."""
    global _pool_ads
    workers = _workers()
    if workers < 2 or len(ads) < PARALLEL_MIN_ADS or not sys.platform.startswith("linux"):
        yield from _extract_list(ads, 0, len(ads), base_dir, with_images)
        return
    tasks = [(k, min(k + PARALLEL_ADS_PER_TASK, len(ads)), base_dir, with_images)
             for k in range(0, len(ads), PARALLEL_ADS_PER_TASK)]
    # one large analysis at a time per process: the pool's children see the ads through a global
    with _pool_lock:
        _pool_ads = ads
        try:
            for part in _pool_map(_extract_range, tasks, workers):
                yield from part
        finally:
            _pool_ads = []


def _phones_list(rows: list[dict[str, Any]], start: int, stop: int) -> list[list[str]]:
    return [extract_phones(r.get("title") or "", r.get("text") or "", *(r.get("phones") or ()))
            for r in rows[start:stop]]


def _phones_range(args: tuple[int, int]) -> list[list[str]]:
    return _phones_list(_pool_ads, *args)


# Rows per task when only the numbers are read: a fifth of an ad's extraction per row.
PHONE_ROWS_PER_TASK = 10_000


def phones_of_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    """The numbers of each validated row (`rows.validate_row`) as the analysis reads them: its
    title's, its text's and every number of its phone field, E.164. A store of the ads' numbers
    (the web app's, for search and do-not-contact warnings) then holds exactly the numbers the
    links are made from. Many rows are read on the extraction's pool of forked processes."""
    workers = _workers()
    if workers < 2 or len(rows) < PARALLEL_MIN_ADS or not sys.platform.startswith("linux"):
        return _phones_list(rows, 0, len(rows))
    global _pool_ads
    # at least one task per worker: one task of all the rows would fork for nothing
    size = min(PHONE_ROWS_PER_TASK, -(-len(rows) // workers))
    tasks = [(k, min(k + size, len(rows))) for k in range(0, len(rows), size)]
    out: list[list[str]] = []
    with _pool_lock:
        _pool_ads = rows
        try:
            for part in _pool_map(_phones_range, tasks, workers):
                out.extend(part)
        finally:
            _pool_ads = []
    return out


def extract_ads(ads: list[dict[str, Any]], base_dir: str | Path | None = None,
                with_images: bool = True) -> list[Any]:
    """The per-ad half of `analyse_ads`, in the input's order: an opaque item per ad (the refusal's
    message for a refused one). A caller that needs the ads' text features before it can choose
    their context (`text_features_of`) hands these back to `analyse_ads` as `extracted`, so no ad
    is read twice."""
    bd = Path(base_dir) if base_dir is not None else None
    return [item for _n, item in _extracted(ads, bd, with_images)]


def analyse_ads(
    ads: list[dict[str, Any]],
    base_dir: str | Path | None = None,
    with_images: bool = True,
    *,
    stock_features: Iterable[int] | None = None,
    hourly_prices: Iterable[int] = (),
    extracted: list[Any] | None = None,
) -> list[dict[str, Any]]:
    """Analyse ads given as dicts (the input format). Bad ads get {"id": …, "error": "…"}.

    `stock_features`: text features (`text_features`) known from a larger history to be stock
    phrases, left out like those the batch finds itself. `hourly_prices`: the lowest hourly price
    of each of other ads of that history, for the low-price median besides the batch's own.
    `extracted`: `extract_ads` of the first ads of `ads` (same rows, same options), used as they are.
    """
    corpus = Corpus()
    from .model import ChunkResult

    res = ChunkResult(n_lines=len(ads))
    hashes: list[list[int]] = []
    errors: dict[int, str] = {}
    bd = Path(base_dir) if base_dir is not None else None
    done = extracted or []
    if len(done) > len(ads):
        raise ValueError("extracted: more items than ads")
    rest = ((n + len(done), item) for n, item in _extracted(ads[len(done):], bd, with_images))
    for n, item in itertools.chain(enumerate(done, start=1), rest):
        if isinstance(item, str):
            errors[n] = item
            continue
        ad, th = item
        res.ads.append(ad)
        res.ad_lines.append(n)
        hashes.append(th)
    res.shingles, res.shingle_counts = textfeatures.shingles(hashes)
    corpus.add_chunk(res, None)
    for p in corpus.problems:
        if p.fatal:
            errors[p.line] = p.message
    known = None
    if stock_features is not None:
        known = np.unique(np.fromiter(stock_features, dtype=np.uint32))
    links = Links(corpus.ads, corpus.shingles(), known)
    by_line = dict(zip(corpus.lines, iter_results(corpus, links, hourly_prices), strict=True))
    out = []
    for n, obj in enumerate(ads, start=1):
        if n in by_line:
            out.append(by_line[n])
        else:
            ad_id = obj.get("id") if isinstance(obj, dict) else None
            out.append({"id": ad_id if isinstance(ad_id, str) else None, "error": errors.get(n, "")})
    return out


# Below this many ads the results are written by one process; above, the second half is written
# by a forked process at the same time (the results are a fifth of a large run's time).
PARALLEL_WRITE_MIN_ADS = 20_000


def _write_part(corpus: Corpus, links: Links, fh: Any, part: tuple[int, int]) -> int:
    n = 0
    buf: list[bytes] = []
    for r in iter_results(corpus, links, part=part):
        buf.append(_dumps(r))
        n += 1
        if len(buf) >= 5000:
            buf.append(b"")
            fh.write(b"\n".join(buf))
            buf.clear()
    if buf:
        buf.append(b"")
        fh.write(b"\n".join(buf))
    return n


def write_results(corpus: Corpus, links: Links, out_path: str, workers: int | None = None) -> int:
    """Write one result line per ad, in input order. A file is written under a temporary name beside
    it and renamed when complete, so a full disk or a kill leaves the earlier file (or none), never
    a truncated one. On Linux with two or more CPUs a large run's second half is written by a
    forked copy of this process (it shares the corpus and links without copying them) into a
    second temporary file beside the output, which is then appended."""
    total = len(corpus.ads)
    if workers is None:
        workers = _workers()
    # a pipe or device (-o /dev/stdout) is written in order by one process, in place
    if os.path.exists(out_path) and not os.path.isfile(out_path):
        with open(out_path, "wb") as fh:
            return _write_part(corpus, links, fh, (0, total))
    where = os.path.dirname(os.path.abspath(out_path))
    try:
        fd, part_path = tempfile.mkstemp(prefix=".uppsok-results-", suffix=".part", dir=where)
    except PermissionError:
        # a writable file in a directory where no new file may be made: written in place
        with open(out_path, "wb") as fh:
            return _write_part(corpus, links, fh, (0, total))
    try:
        with os.fdopen(fd, "wb") as fh:
            if workers >= 2 and total >= PARALLEL_WRITE_MIN_ADS and sys.platform.startswith("linux"):
                n = _write_halves(corpus, links, fh, where, total)
            else:
                n = _write_part(corpus, links, fh, (0, total))
        os.chmod(part_path, _new_file_mode(out_path))
        os.replace(part_path, out_path)
        return n
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(part_path)


def _new_file_mode(path: str) -> int:
    """The mode the replaced file had, or what open() would give a new one."""
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _write_halves(corpus: Corpus, links: Links, fh: Any, where: str, total: int) -> int:
    fd, tail_path = tempfile.mkstemp(prefix=".uppsok-results-", suffix=".part", dir=where)
    os.close(fd)
    half = total // 2
    ctx = get_context("fork")
    child = ctx.Process(target=_write_tail, args=(corpus, links, tail_path, (half, total)), daemon=True)
    child.start()
    try:
        n = _write_part(corpus, links, fh, (0, half))
        child.join()
        if child.exitcode != 0:
            raise OSError(f"skrivprocessen avbröts / the writing process failed (exit {child.exitcode})")
        with open(tail_path, "rb") as tail:
            while block := tail.read(1 << 22):
                fh.write(block)
        return n + total - half
    finally:
        if child.is_alive():
            child.kill()
            child.join()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tail_path)


def _write_tail(corpus: Corpus, links: Links, path: str, part: tuple[int, int]) -> None:
    _stop_signals(signal.SIG_DFL)
    with open(path, "wb") as fh:
        _write_part(corpus, links, fh, part)
