"""Latency of analysing one new ad against a persistent index of N ads already analysed.

    .venv/bin/python bench/bench_incremental.py --n 1000000 --new 300
    .venv/bin/python bench/bench_incremental.py --smoke   # 300 ads, 10 added, in a temporary directory (CI)

Builds the index with `uppsok analyse CORPUS -o … --index bench/out/index_N.sqlite3` (unless it
exists), then adds ads from a differently seeded corpus one at a time with
`IncrementalIndex.add` and reports median / p95 / max latency per ad.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def main() -> None:
    from uppsok.analysis.index import IncrementalIndex

    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--new", type=int, default=300)
    ap.add_argument("--smoke", action="store_true", help="300 ads, 10 added, files in a temporary directory")
    a = ap.parse_args()
    out = OUT
    if a.smoke:
        # a temporary directory, so a smoke run never touches the indexes and results in bench/out/
        out = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
        a.n, a.new = 300, 11
    corpus = out / f"bench_B101_{a.n}.jsonl"
    if not corpus.exists():
        subprocess.run([sys.executable, str(ROOT / "bench/gen_corpus.py"), "--n", str(a.n), "--seed", "101",
                        "--phrasings", "B", "-o", str(corpus)], check=True)
    idx_path = out / f"index_{a.n}.sqlite3"
    if not idx_path.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "uppsok.analysis.cli", str(corpus), "-o", str(out / "idx_out.jsonl"),
                        "--quiet", "--index", str(idx_path)], check=True, cwd=ROOT)
        print(f"index of {a.n} ads built in {time.perf_counter() - t:.0f} s ({idx_path.stat().st_size / 1e6:.0f} MB)")
    new = out / "bench_new_ads.jsonl"
    subprocess.run([sys.executable, str(ROOT / "bench/gen_corpus.py"), "--n", str(a.new), "--seed", "202",
                    "--phrasings", "B", "-o", str(new)], check=True)
    ads = [json.loads(x) for x in new.read_text().splitlines()]
    lat = []
    with IncrementalIndex(idx_path) as idx:
        idx.add({**ads[0], "id": f"warm-{time.time_ns()}"})  # first call loads lingua etc.
        for ad in ads[1:]:
            ad["id"] = f"new-{time.time_ns()}-{ad['id']}"
            t = time.perf_counter()
            idx.add(ad)
            lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    res = {"n": a.n, "adds": len(lat), "median_ms": statistics.median(lat),
           "p95_ms": lat[int(0.95 * len(lat)) - 1], "max_ms": lat[-1]}
    print(json.dumps(res))
    (out / "bench_incremental.json").write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
