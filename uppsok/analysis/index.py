"""Persistent incremental index (one SQLite file): analyse one new ad against everything
analysed before, in milliseconds, so the web app can analyse on save.

Only indexed look-ups are made per new ad (phone, number range, profile, text features); no
step scans the corpus.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from pathlib import Path
from typing import Any

import numpy as np

from . import textfeatures
from .engine import (
    EVIDENCE_MAX_IDS,
    LOW_PRICE_CORPUS_FRACTION,
    LOW_PRICE_FLOOR_SEK,
    LOW_PRICE_MIN_CORPUS,
    ad_ref,
    face_facts,
    indicator_dict,
    low_price_indicator,
    phone_facts,
    serial_facts,
    shared_phone_indicator,
)
from .extract import BadLine, features_from_obj
from .linking import (
    PHONE_HUB_MAX_PROFILES,
    PROFILE_HUB_MAX_PHONES,
    SERIAL_MAX_GAP,
    SERIAL_MIN_RUN,
    SERIAL_PREFIX_DIGITS,
    SERIAL_WINDOW_DAYS,
    TEXT_BUCKET_MAX,
    TEXT_CONFLICT_DAYS,
    TEXT_GROUP_MAX_ADVERTISERS,
    TEXT_MIN_SHARED,
    TEXT_STRONG_SIMILARITY,
    canonical_city,
    stock_bound,
    text_link_ok,
    unique_counts,
)
from .model import AdFeatures

# Rows read per look-up (phone, profile) when analysing one ad. An agency number can sit in
# thousands of ads; a few hundred already tell whether it is a hub (> PHONE_HUB_MAX_PROFILES
# profiles) and join the new ad to the group, and keep the latency bounded at any corpus size.
INDEX_LOOKUP_MAX = 500
# The stock bound follows the number of advertisers in the index, recounted this often.
STOCK_RECOUNT_ADDS = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ads (n INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, seen REAL, date TEXT,
  site TEXT, city TEXT, profile TEXT, ident TEXT, phones TEXT, prices TEXT, language TEXT, inds TEXT,
  grp INTEGER, nfeat INTEGER);
CREATE INDEX IF NOT EXISTS ads_grp ON ads(grp);
CREATE TABLE IF NOT EXISTS phone (phone TEXT, num INTEGER, n INTEGER);
CREATE INDEX IF NOT EXISTS phone_p ON phone(phone);
CREATE INDEX IF NOT EXISTS phone_num ON phone(num);
CREATE TABLE IF NOT EXISTS prof (profile TEXT, n INTEGER);
CREATE INDEX IF NOT EXISTS prof_p ON prof(profile);
CREATE TABLE IF NOT EXISTS feat (f INTEGER, n INTEGER);
CREATE INDEX IF NOT EXISTS feat_f ON feat(f);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
"""


def _num(p: str) -> int:
    return int(p[1:]) if p[1:].isdigit() else -1


class IncrementalIndex:
    def __init__(self, path: str | Path) -> None:
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self._bound: int | None = None
        self._adds_since_count = 0

    def __enter__(self) -> IncrementalIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    # -- bulk ------------------------------------------------------------------------------------
    def bulk_load(self, corpus: Any, links: Any) -> None:
        """Store a batch analysis (`uppsok analyse … --index F`)."""
        db = self.db
        base = db.execute("SELECT COALESCE(MAX(n), -1) + 1 FROM ads").fetchone()[0]
        ads: list[AdFeatures] = corpus.ads
        # each ad's specific text features (stock phrases of the batch already left out), once
        codes, _ = unique_counts((links._feat.astype(np.uint64) << np.uint64(32)) | links._feat_ad.astype(np.uint64))
        feat = (codes >> np.uint64(32)).astype(np.int64)
        owner = (codes & np.uint64(0xFFFFFFFF)).astype(np.int64)
        nfeat = np.bincount(owner, minlength=len(ads))
        with db:
            db.executemany(
                "INSERT INTO ads VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ((base + i, a.id, a.seen, a.date, a.site, a.city, a.profile, a.identity, " ".join(a.phones),
                  " ".join(map(str, a.prices)), a.language, json.dumps(a.indicators, ensure_ascii=False),
                  base + int(links.group_first[i]), int(nfeat[i]))
                 for i, a in enumerate(ads)))
            db.executemany("INSERT INTO phone VALUES (?,?,?)",
                           ((p, _num(p), base + i) for i, a in enumerate(ads) for p in a.phones))
            db.executemany("INSERT INTO prof VALUES (?,?)",
                           ((a.profile, base + i) for i, a in enumerate(ads) if a.profile))
            db.executemany("INSERT INTO feat VALUES (?,?)",
                           zip(feat.tolist(), (owner + base).tolist(), strict=True))
            hourly = [min(a.prices) for a in ads if a.prices]
            if len(hourly) >= LOW_PRICE_MIN_CORPUS:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('median_hourly', ?)",
                           (str(statistics.median(hourly)),))

    # -- one ad ----------------------------------------------------------------------------------
    def add(self, ad_dict: dict[str, Any], base_dir: str | Path | None = None) -> dict[str, Any]:
        """Analyse one ad against the index, store it, return its result (output format).
        Raises ValueError with a readable message for an ad that cannot be read."""
        warn: list[str] = []
        try:
            ad, th = features_from_obj(ad_dict, Path(base_dir) if base_dir else None, True, warn)
        except BadLine as exc:
            raise ValueError(str(exc)) from exc
        db = self.db
        if db.execute("SELECT 1 FROM ads WHERE id=?", (ad.id,)).fetchone():
            raise ValueError(f"dubblett av id {ad.id!r} / duplicate id {ad.id!r}")
        sh, _counts = textfeatures.shingles([th])
        feats = sorted(set(sh.tolist()))
        n = db.execute("SELECT COALESCE(MAX(n), -1) + 1 FROM ads").fetchone()[0]
        reasons: dict[int, list[str]] = {}

        def add_r(j: int, why: str) -> None:
            r = reasons.setdefault(j, [])
            if why not in r:
                r.append(why)

        inds = [indicator_dict(t) for t in ad.indicators]
        shared: list[dict[str, Any]] = []
        serial: list[dict[str, Any]] = []
        person: set[int] = set()
        window = SERIAL_WINDOW_DAYS * 86400.0
        hubs: set[str] = set()
        for p in ad.phones:
            rows = db.execute("SELECT a.n, a.ident FROM phone p JOIN ads a ON a.n=p.n WHERE p.phone=? LIMIT ?",
                              (p, INDEX_LOOKUP_MAX)).fetchall()
            idents = {r[1] for r in rows} | {ad.identity}
            if len(idents) > PHONE_HUB_MAX_PROFILES:
                hubs.add(p)  # a taxi, hotel or booking number: neither a link nor "shared"
                continue
            for j, _ in rows:
                add_r(j, "same_phone")
                person.add(j)
            if len(idents) > 1:
                shared.append(phone_facts(p, self._refs([r[0] for r in rows]), len(rows)))
            num = _num(p)
            if num > 0:
                near = db.execute(
                    "SELECT DISTINCT p.phone, a.n FROM phone p JOIN ads a ON a.n=p.n WHERE p.num BETWEEN ? AND ? "
                    "AND p.phone<>? AND a.site=? AND a.seen BETWEEN ? AND ?",
                    (num - SERIAL_MAX_GAP * (SERIAL_MIN_RUN - 1), num + SERIAL_MAX_GAP * (SERIAL_MIN_RUN - 1), p,
                     ad.site, ad.seen - window, ad.seen + window)).fetchall()
                near = [(q, j) for q, j in near if len(q) == len(p) and q[:SERIAL_PREFIX_DIGITS + 1] == p[:SERIAL_PREFIX_DIGITS + 1]]
                if len({q for q, _ in near}) + 1 >= SERIAL_MIN_RUN:
                    for _q, j in near:
                        add_r(j, "serial_phone")
                    serial.append(serial_facts(sorted({p, *(q for q, _ in near)})))
        if shared or serial:
            inds.append(shared_phone_indicator(shared, serial))
        if ad.profile:
            rows = db.execute("SELECT a.n, a.phones FROM prof p JOIN ads a ON a.n=p.n WHERE p.profile=? LIMIT ?",
                              (ad.profile, INDEX_LOOKUP_MAX)).fetchall()
            # the batch rule: a display name links only while it comes with at most one number
            numbers = set(ad.phones) - hubs
            for _j, ph in rows:
                numbers.update(set(ph.split()) - hubs)
            if len(numbers) <= PROFILE_HUB_MAX_PHONES:
                for j, _ph in rows:
                    add_r(j, "same_profile")
                    person.add(j)
        kept_feats = self._text_links(ad, feats, person, add_r) if len(feats) >= TEXT_MIN_SHARED else feats
        # low price against the stored corpus median
        row = db.execute("SELECT v FROM meta WHERE k='median_hourly'").fetchone()
        median = float(row[0]) if row else None
        if ad.prices and (min(ad.prices) < LOW_PRICE_FLOOR_SEK
                          or (median is not None and min(ad.prices) < LOW_PRICE_CORPUS_FRACTION * median)):
            inds.append(low_price_indicator(min(ad.prices), median))
        # moves: the same person (phone/profile) in other cities
        if person and ad.city:
            q = ",".join("?" * len(person))
            seen = {ad.city.casefold(): (ad.seen, ad.city, ad.date)}
            for s, c, d in db.execute(f"SELECT seen, city, date FROM ads WHERE n IN ({q}) AND city<>''",  # noqa: S608
                                      tuple(person)):
                key = c.casefold()
                if key not in seen or s < seen[key][0]:
                    seen[key] = (s, c, d)
            if len(seen) > 1:
                seq = sorted(seen.values())
                who = ad_ref("", "", ad.profile)["profile"] or (ad.phones[0] if ad.phones else "")
                steps = " → ".join(f"{c} {d}" for _, c, d in seq[:5]) + (f" … (+{len(seq) - 5})" if len(seq) > 5 else "")
                inds.append({"code": "moves_between_cities", "evidence": f"{who}: {steps}" if who else steps,
                             "facts": {"who": who, "steps": [{"city": c, "date": d} for _, c, d in seq[:5]],
                                       "more": max(0, len(seq) - 5)}})
        face_facts(ad, inds)
        # group: join (and merge) the groups of all linked ads
        grp = n
        if reasons:
            q = ",".join("?" * len(reasons))
            groups = {g for (g,) in db.execute(f"SELECT DISTINCT grp FROM ads WHERE n IN ({q})", tuple(reasons))}  # noqa: S608
            grp = min(groups | {n})
            others = groups - {grp}
            if others:
                q2 = ",".join("?" * len(others))
                db.execute(f"UPDATE ads SET grp=? WHERE grp IN ({q2})", (grp, *others))  # noqa: S608
        db.execute("INSERT INTO ads VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   (n, ad.id, ad.seen, ad.date, ad.site, ad.city, ad.profile, ad.identity, " ".join(ad.phones),
                    " ".join(map(str, ad.prices)), ad.language, json.dumps(ad.indicators, ensure_ascii=False),
                    grp, len(kept_feats)))
        db.executemany("INSERT INTO phone VALUES (?,?,?)", ((p, _num(p), n) for p in ad.phones))
        if ad.profile:
            db.execute("INSERT INTO prof VALUES (?,?)", (ad.profile, n))
        db.executemany("INSERT INTO feat VALUES (?,?)", ((f, n) for f in kept_feats))
        db.commit()
        gid = db.execute("SELECT id FROM ads WHERE n=?", (grp,)).fetchone()[0]
        ranked = sorted(reasons.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:100]
        id_of = self._id_map([j for j, _ in ranked])
        return {"id": ad.id, "phones": list(ad.phones), "prices_sek": list(ad.prices), "language": ad.language,
                "indicators": inds, "group": "g-" + gid,
                "links": [{"id": id_of[j], "reasons": r} for j, r in ranked], "warnings": warn}

    def _text_links(self, ad: AdFeatures, feats: list[int], person: set[int], add_r: Any) -> list[int]:
        """Link the new ad to earlier ads sharing its specific text, by the batch rules; return
        the features that are not stock phrases (those are stored for later ads).

        A feature already written by more identities than `stock_bound` allows for the index's
        advertisers is stock.
        A text link into another group is made only while that group stays within
        TEXT_GROUP_MAX_ADVERTISERS identities and, for a weak match, shows no ad with other
        numbers in another town within TEXT_CONFLICT_DAYS of this one.
        """
        db = self.db
        bound = self._stock_bound()
        shared: dict[int, int] = {}
        kept: list[int] = []
        for f in feats:
            rows = db.execute("SELECT feat.n, ads.ident FROM feat JOIN ads ON ads.n=feat.n WHERE feat.f=? LIMIT ?",
                              (f, TEXT_BUCKET_MAX + 1)).fetchall()
            if len(rows) > TEXT_BUCKET_MAX or len({r[1] for r in rows} | {ad.identity}) > bound:
                continue
            kept.append(f)
            for j, _ in rows:
                shared[j] = shared.get(j, 0) + 1
        cand = [j for j, k in shared.items() if k >= TEXT_MIN_SHARED and j not in person]
        if not cand or len(kept) < TEXT_MIN_SHARED:
            return kept
        q = ",".join("?" * len(cand))
        rows = db.execute(f"SELECT n, site, seen, nfeat, grp FROM ads WHERE n IN ({q})", tuple(cand)).fetchall()  # noqa: S608
        day = int(ad.seen // 86400)
        town = canonical_city(ad.city) if ad.city else ""
        own = set(ad.phones)
        checked: dict[int, tuple[bool, bool]] = {}
        for j, site, seen, nfeat, grp in rows:
            sim = shared[j] / max(1, min(nfeat, len(kept)))
            if not text_link_ok(sim, site == ad.site, abs(seen - ad.seen)):
                continue
            if grp not in checked:
                members = db.execute("SELECT ident, phones, city, seen FROM ads WHERE grp=? LIMIT ?",
                                     (grp, INDEX_LOOKUP_MAX)).fetchall()
                idents = {m[0] for m in members} | {ad.identity}
                conflict = bool(own) and town != "" and any(
                    m[2] and m[1] and not (own & set(m[1].split())) and canonical_city(m[2]) != town
                    and abs(int(m[3] // 86400) - day) <= TEXT_CONFLICT_DAYS for m in members)
                checked[grp] = (len(idents) <= TEXT_GROUP_MAX_ADVERTISERS, conflict)
            size_ok, conflict = checked[grp]
            # as in the batch: a strong template match is not overruled by the towns
            if size_ok and (sim >= TEXT_STRONG_SIMILARITY or not conflict):
                add_r(j, "similar_text")
        return kept

    def _stock_bound(self) -> int:
        # Counting the index's advertisers is a scan: redone after every STOCK_RECOUNT_ADDS
        # additions, since the bound moves only with thousands of new advertisers.
        if self._bound is None or self._adds_since_count >= STOCK_RECOUNT_ADDS:
            n = self.db.execute("SELECT COUNT(DISTINCT ident) FROM ads").fetchone()[0]
            self._bound = stock_bound(int(n))
            self._adds_since_count = 0
        self._adds_since_count += 1
        return self._bound

    def group_of(self, ad_id: str) -> str | None:
        row = self.db.execute("SELECT g.id FROM ads a JOIN ads g ON g.n=a.grp WHERE a.id=?", (ad_id,)).fetchone()
        return "g-" + row[0] if row else None

    def _id_map(self, ns: list[int]) -> dict[int, str]:
        if not ns:
            return {}
        q = ",".join("?" * len(ns))
        return dict(self.db.execute(f"SELECT n, id FROM ads WHERE n IN ({q})", tuple(ns)).fetchall())  # noqa: S608

    def _refs(self, ns: list[int]) -> list[dict[str, str]]:
        """The first EVIDENCE_MAX_IDS of the ads `ns` as evidence names them (date, town, profile)."""
        first = ns[:EVIDENCE_MAX_IDS]
        if not first:
            return []
        q = ",".join("?" * len(first))
        rows = self.db.execute(f"SELECT seen, n, date, city, profile FROM ads WHERE n IN ({q})", tuple(first)).fetchall()  # noqa: S608
        return [ad_ref(d, c, p) for _s, _n, d, c, p in sorted(rows)]
