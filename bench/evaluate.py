"""Score analyser output against the generator's ground truth.

    .venv/bin/python bench/evaluate.py CORPUS.jsonl OUTPUT.jsonl [--json RESULT.json]
    .venv/bin/python bench/evaluate.py --smoke   # generates 300 ads, analyses them, scores them (CI)

Reports pairwise and B-cubed precision/recall/F1 of the groups, precision/recall/F1 per
indicator (macro-F1 over the indicators present in the truth; for corpora with photos also
without the photo indicators, and the photo indicators on their own line), link precision (share of listed
links whose two ads truly belong together), phone-set and language accuracy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EVALUATED = ("third_person", "offers_everything", "low_price", "not_from_sweden", "moves_between_cities",
             "do_not_talk", "swedish_ad_speaks_english", "bdsm_third_party", "shared_phone",
             "same_place_photos", "possible_minor", "face_visible")
# present in the truth only for corpora made with --images
PHOTO_INDICATORS = ("same_place_photos", "face_visible")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?")
    ap.add_argument("output", nargs="?")
    ap.add_argument("--json", default=None)
    ap.add_argument("--smoke", action="store_true",
                    help="without CORPUS/OUTPUT: generate 300 ads and analyse them in a temporary directory")
    a = ap.parse_args()
    if a.corpus is None or a.output is None:
        if not a.smoke or a.corpus or a.output:
            ap.error("CORPUS and OUTPUT are required (both may be left out only with --smoke)")
        tmp = Path(tempfile.mkdtemp(prefix="bench-evaluate-"))
        a.corpus, a.output = str(tmp / "smoke_300.jsonl"), str(tmp / "smoke_300.out")
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", "300", "--seed", "303",
                        "--phrasings", "C", "-o", a.corpus], check=True)
        subprocess.run([sys.executable, "-m", "uppsok.analysis.cli", a.corpus, "-o", a.output, "--quiet"],
                       check=True, cwd=ROOT)
    truth = {}
    with open(a.corpus + ".truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            truth[t["id"]] = t
    out = {}
    with open(a.output, encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            out[o["id"]] = o
    ids = [i for i in truth if i in out]
    missing = len(truth) - len(ids)

    # groups
    tg = {i: truth[i]["group"] for i in ids}
    pg = {i: out[i]["group"] for i in ids}
    cell = Counter((tg[i], pg[i]) for i in ids)
    tsize = Counter(tg.values())
    psize = Counter(pg.values())

    def c2(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(c2(n) for n in cell.values())
    pp = sum(c2(n) for n in psize.values())
    tt = sum(c2(n) for n in tsize.values())
    pw = prf(tp, pp - tp, tt - tp)
    bp = sum(cell[(tg[i], pg[i])] / psize[pg[i]] for i in ids) / len(ids)
    br = sum(cell[(tg[i], pg[i])] / tsize[tg[i]] for i in ids) / len(ids)
    bf = 2 * bp * br / (bp + br)

    # links
    nl = good = 0
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in ids:
        for link in out[i]["links"]:
            j = link["id"]
            if j not in truth:
                continue
            ok = truth[j]["group"] == tg[i]
            nl += 1
            good += ok
            for r in link["reasons"]:
                by_reason[r][0] += 1
                by_reason[r][1] += ok

    # indicators
    present = set()
    counts = {c: [0, 0, 0] for c in EVALUATED}
    for i in ids:
        tf = set(truth[i]["flags"])
        present |= tf
        of = {x["code"] for x in out[i]["indicators"]}
        for c in EVALUATED:
            if c in tf and c in of:
                counts[c][0] += 1
            elif c in of:
                counts[c][1] += 1
            elif c in tf:
                counts[c][2] += 1
    per = {c: prf(*counts[c]) for c in EVALUATED if c in present}
    macro = sum(v[2] for v in per.values()) / len(per) if per else 0.0
    # the text indicators alone, comparable with text-only runs of the same corpus
    text_per = [v[2] for c, v in per.items() if c not in PHOTO_INDICATORS]
    macro_text = sum(text_per) / len(text_per) if text_per else 0.0
    phone_ok = sum(sorted(truth[i]["phones"]) == out[i]["phones"] for i in ids) / len(ids)
    lang_ok = sum(truth[i]["lang"] == out[i]["language"] for i in ids) / len(ids)

    res = {
        "ads": len(ids), "missing": missing,
        "pairwise": {"precision": pw[0], "recall": pw[1], "f1": pw[2]},
        "bcubed": {"precision": bp, "recall": br, "f1": bf},
        "link_precision": good / nl if nl else 1.0, "links": nl,
        "link_precision_by_reason": {r: v[1] / v[0] for r, v in by_reason.items()},
        "indicators": {c: {"precision": p, "recall": r, "f1": f, "support": counts[c][0] + counts[c][2]}
                       for c, (p, r, f) in per.items()},
        "indicator_macro_f1": macro,
        "indicator_macro_f1_text": macro_text,
        "photo_indicators": {c: v for c, v in {
            c: {"precision": p, "recall": r, "f1": f, "support": counts[c][0] + counts[c][2]}
            for c, (p, r, f) in per.items()}.items() if c in PHOTO_INDICATORS},
        "phones_exact": phone_ok, "language_accuracy": lang_ok,
    }
    print(f"ads {len(ids)} (missing {missing})")
    print(f"groups pairwise P {pw[0]:.4f} R {pw[1]:.4f} F1 {pw[2]:.4f} | B-cubed P {bp:.4f} R {br:.4f} F1 {bf:.4f}")
    print(f"links {nl}, precision {res['link_precision']:.4f} "
          + " ".join(f"{r}={v:.3f}" for r, v in sorted(res["link_precision_by_reason"].items())))
    for c, v in res["indicators"].items():
        print(f"  {c:28s} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} (n={v['support']})")
    print(f"indicator macro-F1 {macro:.4f}; phones exact {phone_ok:.4f}; language {lang_ok:.4f}")
    if res["photo_indicators"]:
        print(f"photos: macro-F1 without the photo indicators {macro_text:.4f}; "
              + "; ".join(f"{c} P {v['precision']:.3f} R {v['recall']:.3f} (n={v['support']})"
                          for c, v in res["photo_indicators"].items()))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(res, fh, indent=2)
    if a.smoke and (missing or not ids):
        # the smoke run judges no quality figure, only that every ad came back from the analyser
        raise SystemExit(f"{missing} of {len(truth)} ads missing from the output")


if __name__ == "__main__":
    main()
