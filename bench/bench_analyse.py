"""End-to-end throughput of `uppsok analyse` (process start to output written).

    .venv/bin/python bench/bench_analyse.py --sizes 10000 100000 1000000 --runs 3
    .venv/bin/python bench/bench_analyse.py --smoke      # 300 ads, one run, in a temporary directory (CI)

Generates text-only corpora under bench/out/ (seed 101, phrasings B) if missing, runs the CLI
as a subprocess several times per size and reports the median wall time, ads/s and peak RSS
(max RSS of the child processes via /usr/bin/time -v when available, else getrusage).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def ensure_corpus(n: int, seed: int, phr: str) -> Path:
    p = OUT / f"bench_{phr}{seed}_{n}.jsonl"
    if not p.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", str(n), "--seed", str(seed),
                        "--phrasings", phr, "-o", str(p)], check=True)
    return p


def run_once(corpus: Path, out: Path) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "uppsok.analysis.cli", str(corpus), "-o", str(out), "--quiet"]
    timebin = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    t0 = time.perf_counter()
    if timebin:
        r = subprocess.run([timebin, "-v", *cmd], capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - t0
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        rss = int(m.group(1)) / 1024 if m else float("nan")
    else:
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if r.returncode != 0:
        raise SystemExit(r.stderr[-2000:])
    return wall, rss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=101)
    ap.add_argument("--phrasings", default="B")
    ap.add_argument("--smoke", action="store_true", help="300 ads, one run, output in a temporary directory")
    a = ap.parse_args()
    if a.smoke:
        global OUT
        # a temporary directory, so a smoke run never overwrites bench/out/bench_analyse.json
        OUT = Path(tempfile.mkdtemp(prefix="bench-analyse-"))
        a.sizes, a.runs = [300], 1
    results = []
    for n in a.sizes:
        corpus = ensure_corpus(n, a.seed, a.phrasings)
        walls, rsss = [], []
        for k in range(a.runs):
            w, r = run_once(corpus, OUT / f"bench_out_{n}.jsonl")
            walls.append(w)
            rsss.append(r)
            print(f"n={n} run {k + 1}: {w:.2f} s, {n / w:.0f} ads/s, peak RSS {r:.0f} MB", flush=True)
        med = statistics.median(walls)
        res = {"n": n, "runs": walls, "median_s": med, "ads_per_s": n / med, "peak_rss_mb": max(rsss)}
        results.append(res)
        print(f"n={n}: median {med:.2f} s = {n / med:.0f} ads/s, peak RSS {max(rsss):.0f} MB", flush=True)
    with open(OUT / "bench_analyse.json", "w") as fh:
        json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
