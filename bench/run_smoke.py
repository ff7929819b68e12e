"""Run every bench script once in --smoke mode (a few hundred rows, one run, no timing judged).

    .venv/bin/python bench/run_smoke.py                      # SQLite and PostgreSQL (what .ci/run does)
    .venv/bin/python bench/run_smoke.py --backends sqlite    # without a PostgreSQL server
    .venv/bin/python bench/run_smoke.py -v                   # show every script's output

The web-app benches (seed, views, import, cases list) run once per database backend: SQLite files in
a temporary directory, and PostgreSQL databases `uppsok_bench_smoke_<pid>` / `uppsok_bench_cases_smoke_<pid>`
on BENCH_SMOKE_PG (default postgres://postgres@127.0.0.1:5432), dropped again at the end — names of
their own, so they clash neither with the test databases (`test_…`), nor with a full-size seeded
`uppsok_bench`, nor with another run of this script. The analysis benches use no database and run
once. A script under bench/ (a .py file with a `__main__` block, not starting with `_`) that the plan
below does not name still runs once, with `--smoke` alone and no database, so a new bench cannot be
left out; it fails the run if it has no --smoke. Exit status 1 if any script fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _benchdb import drop_database

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
STEP_TIMEOUT_S = 600

# Scripts without a database, run once: (script, extra arguments; {tmp} is the run's directory).
NO_DB = [
    ("gen_corpus.py", ["--images", "{tmp}/images", "-o", "{tmp}/corpus_300.jsonl"]),
    ("evaluate.py", []),
    ("bench_analyse.py", []),
    ("bench_incremental.py", []),
    ("bench_baseline_lsh.py", []),
]
# Web-app scripts, in this order on each backend: views and import read what the seed wrote.
WEB = [
    ("bench_outreach_seed.py", []),
    ("bench_outreach_views.py", ["--explain", "--json", "{tmp}/views_{backend}.json"]),
    ("bench_outreach_import.py", []),
    ("bench_cases_list.py", []),
    # an organisation of its own in the same database (after the others: it adds ads)
    ("bench_capture_history.py", []),
    # last: it recreates the database for its own network of organisations
    ("bench_stats.py", []),
]
NOT_SCRIPTS = {"run_smoke.py"}


def unplanned() -> list[str]:
    """Scripts under bench/ the plan does not name (data modules such as phrase banks have no __main__)."""
    planned = {name for name, _ in NO_DB + WEB} | NOT_SCRIPTS
    return sorted(
        p.name for p in BENCH.glob("*.py")
        if not p.name.startswith("_") and p.name not in planned and '__name__ == "__main__"' in p.read_text()
    )


def run(script: str, args: list[str], env: dict[str, str], label: str, verbose: bool) -> bool:
    cmd = [sys.executable, str(BENCH / script), "--smoke", *args]
    t0 = time.perf_counter()
    try:
        r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT_S)
        ok, output = r.returncode == 0, r.stdout + r.stderr
    except subprocess.TimeoutExpired as exc:
        ok, output = False, f"{exc.stdout or ''}{exc.stderr or ''}\ntimed out after {STEP_TIMEOUT_S} s"
    print(f"{'ok  ' if ok else 'FAIL'} {label:<10} {script:<28} {time.perf_counter() - t0:6.1f} s", flush=True)
    if verbose or not ok:
        print("    " + (output.strip()[-6000:] if ok else output.strip()[-12000:]).replace("\n", "\n    "), flush=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("-v", "--verbose", action="store_true", help="print each script's output")
    args = parser.parse_args()

    t_all = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="uppsok-bench-smoke-"))
    pg = os.environ.get("BENCH_SMOKE_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    # TMPDIR: the scripts' own temporary files land in this run's directory and go with it.
    base_env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    base_env.pop("BENCH_DATABASE_URL", None)
    failed: list[str] = []
    created: list[str] = []
    try:
        extra_scripts = [(name, []) for name in unplanned()]
        if extra_scripts:
            print(f"not in the plan, run once without a database: {', '.join(n for n, _ in extra_scripts)}")
        for script, extra in NO_DB + extra_scripts:
            if not run(script, [a.format(tmp=tmp, backend="") for a in extra], base_env, "no db", args.verbose):
                failed.append(script)
        for backend in args.backends:
            if backend == "sqlite":
                urls = {"uppsok_bench": f"sqlite:///{tmp}/bench_outreach.sqlite3",
                        "uppsok_bench_cases": f"sqlite:///{tmp}/bench_cases.sqlite3"}
            else:
                urls = {name: f"{pg}/{name}_smoke_{os.getpid()}" for name in ("uppsok_bench", "uppsok_bench_cases")}
                created += urls.values()
            for script, extra in WEB:
                db = urls["uppsok_bench_cases" if script == "bench_cases_list.py" else "uppsok_bench"]
                env = {**base_env, "BENCH_DATABASE_URL": db}
                if not run(script, [a.format(tmp=tmp, backend=backend) for a in extra], env, backend, args.verbose):
                    failed.append(f"{script} ({backend})")
    finally:
        for url in created:
            try:
                drop_database(url)
            except Exception as exc:  # noqa: BLE001 - a failed clean-up must not hide the result
                print(f"could not drop {url}: {exc}")
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"bench smoke: {'FAILED ' + ', '.join(failed) if failed else 'all passed'} "
          f"in {time.perf_counter() - t_all:.1f} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
