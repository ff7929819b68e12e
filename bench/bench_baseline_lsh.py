"""`uppsok analyse` against a MinHash-LSH baseline, measured in one run on the same corpus.

    .venv/bin/python bench/bench_baseline_lsh.py --corpus bench/out/stockT100k.jsonl --runs 3
    .venv/bin/python bench/bench_baseline_lsh.py --smoke      # 300 generated ads, one run (CI)

The baseline is what a careful engineer would write first with datasketch: character 7-grams of
title and text, MinHash with 128 permutations, MinHashLSH at threshold 0.8, every LSH neighbour a
link, groups as connected components; phone numbers are not used (it is the text baseline). Its
time covers reading the file, hashing, the index and the grouping, not Python's start-up. The
engine's time is the whole command (`uppsok analyse`, all indicators and link reasons, output
written), so the ratio understates the engine's advantage. Both are scored against the truth file
when there is one (bench/evaluate.py's pairwise measure).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUM_PERM = 128
THRESHOLD = 0.8
CHAR_GRAM = 7


def baseline_groups(corpus: Path) -> dict[str, str]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    ids: list[str] = []
    hashes = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            ad = json.loads(line)
            text = " ".join(f"{ad.get('title', '')} {ad.get('text', '')}".lower().split())
            grams = {text[k:k + CHAR_GRAM].encode() for k in range(max(1, len(text) - CHAR_GRAM + 1))}
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch(list(grams))
            key = str(len(ids))
            lsh.insert(key, m)
            ids.append(ad["id"])
            hashes.append(m)
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, m in enumerate(hashes):
        for key in lsh.query(m):
            j = int(key)
            if j != i:
                parent[find(j)] = find(i)
    return {ad_id: ids[find(i)] for i, ad_id in enumerate(ids)}


def pairwise(truth: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    ids = [i for i in truth if i in pred]
    cell = Counter((truth[i], pred[i]) for i in ids)

    def c2(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(c2(v) for v in cell.values())
    pp = sum(c2(v) for v in Counter(pred[i] for i in ids).values())
    tt = sum(c2(v) for v in Counter(truth[i] for i in ids).values())
    p = tp / pp if pp else 1.0
    r = tp / tt if tt else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="300 generated ads, one run, in a temporary directory")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-lsh-"))
    if a.smoke or a.corpus is None:
        a.corpus, a.runs = work / "smoke_300.jsonl", 1
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", "300", "--seed", "5",
                        "--phrasings", "B", "-o", str(a.corpus)], check=True, capture_output=True)
    n = sum(1 for _ in a.corpus.open(encoding="utf-8"))
    truth_path = Path(str(a.corpus) + ".truth.jsonl")
    truth = ({(t := json.loads(x))["id"]: t["group"] for x in truth_path.open(encoding="utf-8")}
             if truth_path.exists() else None)
    engine_s, base_s = [], []
    for k in range(a.runs):
        out = work / "engine.jsonl"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "uppsok.analysis.cli", str(a.corpus), "-o", str(out), "--quiet"],
                       check=True, cwd=ROOT)
        engine_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        groups = baseline_groups(a.corpus)
        base_s.append(time.perf_counter() - t0)
        print(f"run {k + 1}: engine {engine_s[-1]:.2f} s, baseline {base_s[-1]:.2f} s, "
              f"ratio {base_s[-1] / engine_s[-1]:.1f}x", flush=True)
    em, bm = statistics.median(engine_s), statistics.median(base_s)
    res = {"ads": n, "engine_median_s": em, "baseline_median_s": bm, "ratio": bm / em,
           "engine_ads_per_s": n / em, "baseline_ads_per_s": n / bm}
    if truth is not None:
        eng = {(o := json.loads(x))["id"]: o["group"] for x in (work / "engine.jsonl").open(encoding="utf-8")}
        res["engine_pairwise"] = pairwise(truth, eng)
        res["baseline_pairwise"] = pairwise(truth, groups)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
