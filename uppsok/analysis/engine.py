"""Batch analysis: extraction (parallel, per ad) then linking (corpus) then results."""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from . import textfeatures
from .extract import BadLine, extract_chunk, features_from_obj
from .linking import Links
from .model import AdFeatures, Problem

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
# How many other ad ids an evidence string names before "+N more".
EVIDENCE_MAX_IDS = 5
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
                res.problems.append(Problem(ln + base, f"dubblett av id {ad.id[:60]!r}, hoppas över / "
                                                       f"duplicate id {ad.id[:60]!r}, skipped", True))
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
        workers = min(os.cpu_count() or 1, 8)
    if workers > 1 and total >= PARALLEL_MIN_BYTES:
        ctx = get_context("fork") if sys.platform.startswith("linux") else get_context()
        with ctx.Pool(workers) as pool:
            for res in pool.imap(_extract_job, jobs):
                corpus.add_chunk(res, on_problem)
                if progress:
                    progress(corpus.n_lines, len(corpus.ads))
    else:
        for job in jobs:
            corpus.add_chunk(_extract_job(job), on_problem)
            if progress:
                progress(corpus.n_lines, len(corpus.ads))
    return corpus


def _ids(ads: list[AdFeatures], idxs: list[int] | np.ndarray, limit: int = EVIDENCE_MAX_IDS) -> str:
    idxs = list(idxs)
    s = ", ".join(ads[int(j)].id for j in idxs[:limit])
    return s + (f" (+{len(idxs) - limit})" if len(idxs) > limit else "")


def iter_results(corpus: Corpus, links: Links) -> Iterator[dict[str, Any]]:
    ads = corpus.ads
    hourly = [min(ad.prices) for ad in ads if ad.prices]
    median = statistics.median(hourly) if len(hourly) >= LOW_PRICE_MIN_CORPUS else None
    low_limit = LOW_PRICE_FLOOR_SEK if median is None else max(LOW_PRICE_FLOOR_SEK,
                                                                 LOW_PRICE_CORPUS_FRACTION * median)
    med_ev = f", median {round(median)} kr" if median is not None else ""
    phone_ads, hub_phones, phone_profiles = links.phone_ads, links.hub_phones, links.phone_profiles
    serial_run, serial_nb = links.serial_run, links.serial_nb
    profile_ads, hub_profiles = links.profile_ads, links.hub_profiles
    # neighbour lists as plain Python sequences: numpy scalar access per element is slow
    img_ptr, img_dst = links.img_adj.ptr.tolist(), links.img_adj.dst
    txt_ptr, txt_dst = links.text_adj.ptr.tolist(), links.text_adj.dst
    plc_ptr, plc_dst = links.place_adj.ptr.tolist(), links.place_adj.dst
    group_first = links.group_first.tolist()
    moves = links.moves

    for i, ad in enumerate(ads):
        inds: list[dict[str, str]] = [{"code": c, "evidence": e} for c, e in ad.indicators]
        reasons: dict[int, list[str]] = {}

        def add(js: Iterable[int], why: str, reasons: dict[int, list[str]] = reasons, i: int = i) -> None:
            for j in js:
                if j != i:
                    r = reasons.get(j)
                    if r is None:
                        reasons[j] = [why]
                    elif why not in r:
                        r.append(why)

        shared_ev: list[str] = []
        for p in ad.phones:
            lst = phone_ads[p]
            if p in hub_phones:
                # A number printed in many unrelated ads (taxi, hotel, booking line) is not the
                # advertiser's: it neither links ads nor makes the number "shared".
                continue
            add(lst, "same_phone")
            if phone_profiles.get(p, 1) > 1:
                others = [j for j in lst if j != i]
                shared_ev.append(f"{p} även i / also in: {_ids(ads, others)}")
            run = serial_run.get(p)
            if run:
                for q in serial_nb.get(p, ()):
                    add(phone_ads[q], "serial_phone")
                shared_ev.append("serienummer / serial run: " + ", ".join(run[:6]) + (" …" if len(run) > 6 else ""))
        if shared_ev:
            inds.append({"code": "shared_phone", "evidence": "; ".join(shared_ev)})
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
            inds.append({"code": "same_place_photos",
                         "evidence": "liknande bilder i andra profilers annonser / similar photos in other "
                                     "profiles' ads: " + _ids(ads, plc_dst[a:b].tolist())})
        if ad.prices:
            mp = min(ad.prices)
            if mp < low_limit:
                inds.append({"code": "low_price",
                             "evidence": f"{mp} kr/h (golv / floor {LOW_PRICE_FLOOR_SEK} kr{med_ev})"})
        mv = moves.get(i)
        if mv:
            inds.append({"code": "moves_between_cities", "evidence": mv})
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


def analyse_ads(
    ads: list[dict[str, Any]], base_dir: str | Path | None = None, with_images: bool = True
) -> list[dict[str, Any]]:
    """Analyse ads given as dicts (the input format). Bad ads get {"id": …, "error": "…"}."""
    corpus = Corpus()
    from .model import ChunkResult

    res = ChunkResult(n_lines=len(ads))
    hashes: list[list[int]] = []
    errors: dict[int, str] = {}
    bd = Path(base_dir) if base_dir is not None else None
    for n, obj in enumerate(ads, start=1):
        warn: list[str] = []
        try:
            ad, th = features_from_obj(obj, bd, with_images, warn)
        except BadLine as exc:
            errors[n] = str(exc)
            continue
        res.ads.append(ad)
        res.ad_lines.append(n)
        hashes.append(th)
    res.shingles, res.shingle_counts = textfeatures.shingles(hashes)
    corpus.add_chunk(res, None)
    for p in corpus.problems:
        if p.fatal:
            errors[p.line] = p.message
    links = Links(corpus.ads, corpus.shingles())
    by_line = dict(zip(corpus.lines, iter_results(corpus, links), strict=True))
    out = []
    for n, obj in enumerate(ads, start=1):
        if n in by_line:
            out.append(by_line[n])
        else:
            ad_id = obj.get("id") if isinstance(obj, dict) else None
            out.append({"id": ad_id if isinstance(ad_id, str) else None, "error": errors.get(n, "")})
    return out


def write_results(corpus: Corpus, links: Links, out_path: str) -> int:
    n = 0
    with open(out_path, "wb") as fh:
        buf: list[bytes] = []
        for r in iter_results(corpus, links):
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
