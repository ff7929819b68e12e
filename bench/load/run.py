"""The load bench (issue 11, part 6): 50 people on the main pages while a 100,000-ad import runs.

    .venv/bin/python bench/load/seed.py                    # once: 1,000,000 ads, 100,000 cases (uppsok_load)
    .venv/bin/python bench/load/run.py [--runs 3]          # each run: server, worker, import, locust
    .venv/bin/python bench/load/run.py --scenario bench/load/out/scenario_small.json --import-ads 5000 \\
        --min-time 60 --max-time 120                       # a small run to try it out
    .venv/bin/python bench/load/run.py --medians bench/load/out/run-*/summary.json   # medians of earlier runs

Each run:
1. starts gunicorn with `deploy/gunicorn.conf.py` and 4 workers (UPPSOK_WEB_WORKERS) on the production
   settings (`load_settings`: production with the Secure cookie flags, HSTS and the HTTPS redirect off
   for http://127.0.0.1), and `uppsok db_worker` beside it, as in production;
2. logs in as load-importer (password, TOTP) and imports --import-ads generated ads
   (`bench/gen_corpus.py`, a new seed each run, so each run's ads are new) through the web app as a
   person would: upload the JSON Lines file, open the preview, start the import. The worker runs the
   import task and then the analysis it enqueues;
3. once the import is queued, runs locust headless (`locustfile.py`: --users people logged in with
   TOTP, --spawn-rate per second, think time --wait) and stops it when the import's analysis has
   finished (not before --min-time, not after --max-time), so the whole measurement window overlaps
   the import;
4. waits for the import to finish, stops the server and the worker, and writes to
   bench/load/out/run-<stamp>-<n>/: locust's CSV files, every request (requests.csv), the server's
   and the worker's logs, and summary.json: p50/p95 per page, errors, requests/s per page and each
   key page's ratio to the baseline page (see RATIO below), and the import's timeline.
After the last run it prints the medians over the runs (also in bench/load/out/summary-<stamp>.json).

RATIO: the baseline page's median response time divided by the page's, both from the same run —
what a worker gets done per second on the page relative to the bare login-required page (at equal
concurrency throughput is inversely proportional to the response time). The goal is >= 0.3.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(HERE))
import scenario  # noqa: E402

ACCESS_FORMAT = '%(t)s "%(r)s" %(s)s %(b)s %(D)s'
ACCESS_LINE = re.compile(r'^\[(?P<t>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \S+ (?P<us>\d+)$')


def say(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


def server_env(db_url: str, port: int, workers: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
        "UPPSOK_SECRET_KEY": secrets.token_urlsafe(64),
        "UPPSOK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": db_url,
        "UPPSOK_SSL_REDIRECT": "0",
        "UPPSOK_STATIC_ROOT": str(HERE / "out" / "static"),
        "UPPSOK_BIND": f"127.0.0.1:{port}",
        "UPPSOK_WEB_WORKERS": str(workers),
    }


def start(cmd: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    fh = open(log, "ab")  # noqa: SIM115 - the child writes to it until stopped
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 60) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def web_login(base: str, account: dict):  # noqa: ANN201 - a requests.Session
    import requests

    s = requests.Session()
    r = s.get(base + scenario.LOGIN, timeout=60)
    r = s.post(base + scenario.LOGIN, allow_redirects=False, timeout=60, data={
        "csrfmiddlewaretoken": scenario.csrf_token(r.text), "username": account["username"],
        "password": account["password"], "next": ""})
    assert r.status_code == 302, f"password refused for {account['username']}: {r.status_code}"
    for _ in range(3):
        r = s.get(base + scenario.TWO_FACTOR, timeout=60)
        r = s.post(base + scenario.TWO_FACTOR, allow_redirects=False, timeout=60, data={
            "csrfmiddlewaretoken": scenario.csrf_token(r.text), "token": scenario.totp(account["totp_key_hex"]), "next": "/"})
        if r.status_code == 302:
            return s
        time.sleep(31 - time.time() % 30)  # this step's code was used by the last run: the next one
    raise SystemExit(f"one-time code refused for {account['username']}")


def start_import(base: str, account: dict, path: Path, t: dict[str, float]) -> str:
    """Upload, preview and start the import as a person does in the browser; returns the job id."""
    s = web_login(base, account)
    r = s.get(base + scenario.IMPORT_UPLOAD, timeout=60)
    token = scenario.csrf_token(r.text)
    t["upload_start"] = time.time()
    with open(path, "rb") as fh:
        r = s.post(base + scenario.IMPORT_UPLOAD, allow_redirects=False, timeout=300,
                   data={"csrfmiddlewaretoken": token, "file_format": "jsonl"},
                   files={"file": (path.name, fh, "application/jsonl")})
    assert r.status_code == 302, f"upload answered {r.status_code}"
    job_url = base + r.headers["Location"]
    job_id = job_url.rstrip("/").rsplit("/", 1)[1]
    t["uploaded"] = time.time()
    r = s.get(job_url, timeout=300)  # the preview checks every row again
    assert r.status_code == 200, f"preview answered {r.status_code}"
    t["previewed"] = time.time()
    r = s.post(base + scenario.IMPORT_START.format(job_id=job_id), allow_redirects=False, timeout=300,
               data={"csrfmiddlewaretoken": scenario.csrf_token(r.text)})
    assert r.status_code == 302, f"start answered {r.status_code}"
    t["queued"] = time.time()
    return job_id


def import_state(db_url: str, job_id: str, since: datetime) -> dict:
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        job = conn.execute("SELECT status, created_count, updated_count, finished_at, error FROM outreach_importjob "
                           "WHERE id = %s", (job_id,)).fetchone()
        tasks = conn.execute(
            "SELECT task_path, status, started_at, finished_at FROM django_tasks_database_dbtaskresult "
            "WHERE enqueued_at >= %s AND (task_path LIKE %s OR task_path LIKE %s) ORDER BY enqueued_at",
            (since, "%run_import_task", "%analyse_ads_task")).fetchall()
    out = {"status": job[0], "created": job[1], "updated": job[2], "error": job[4],
           "import_finished": job[3].timestamp() if job[3] else None}
    for path, status, started, finished in tasks:
        kind = "import_task" if path.endswith("run_import_task") else "analysis"
        out[kind] = {"status": status, "started": started.timestamp() if started else None,
                     "finished": finished.timestamp() if finished else None}
    return out


def import_done(state: dict) -> bool:
    if state["status"] not in ("done", "failed", "interrupted"):
        return False
    analysis = state.get("analysis")
    # the import task is over (the job's "done" is written inside it) and so is any analysis task it
    # enqueued (older code analysed in a task of its own, the present code inside the import task)
    over = ("SUCCESSFUL", "FAILED")
    return state.get("import_task", {}).get("status") in over and (analysis is None or analysis["status"] in over)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


def summarise(requests_csv: Path, window: tuple[float, float], phases: dict[str, tuple[float, float]]) -> dict:
    rows = []
    with open(requests_csv, newline="", encoding="utf-8") as fh:
        for at, name, ms, status, error in csv.reader(fh):
            rows.append((float(at), name, float(ms), int(status), error))
    # The pages are measured from the moment every person is logged in: the logins (an Argon2 hash
    # each, about half a second of CPU) come at once at the start and are reported on their own.
    logins = [r for r in rows if r[1].startswith("login")]
    start = max([window[0]] + [r[0] for r in logins])
    seconds = window[1] - start
    names = [p.name for p in scenario.PAGES]
    pages: dict[str, dict] = {}
    for name in names + sorted({r[1] for r in rows if r[1] not in names}):
        mine = [r for r in rows if r[1] == name and (name.startswith("login") or r[0] >= start)]
        ok_ms = [r[2] for r in mine]
        # locust records an error for every answer the scenario does not accept (locustfile.py)
        failures = [r for r in mine if r[4] or r[3] == 0]
        entry = {"requests": len(mine), "failures": len(failures), "p50_ms": round(percentile(ok_ms, 50), 1),
                 "p95_ms": round(percentile(ok_ms, 95), 1), "mean_ms": round(statistics.fmean(ok_ms), 1) if ok_ms else None,
                 "rps": round(len(mine) / seconds, 2) if seconds > 0 else None,
                 "failure_examples": sorted({f"{r[3]} {r[4]}"[:160] for r in failures})[:5]}
        for phase, (a, b) in phases.items():
            in_phase = [r[2] for r in mine if a <= r[0] < b]
            if in_phase:
                entry[f"p50_ms_{phase}"] = round(percentile(in_phase, 50), 1)
                entry[f"p95_ms_{phase}"] = round(percentile(in_phase, 95), 1)
                entry[f"requests_{phase}"] = len(in_phase)
        pages[name] = entry
    base = pages.get(scenario.BASELINE, {}).get("p50_ms")
    for p in scenario.PAGES:
        if p.key and base and pages[p.name]["p50_ms"]:
            pages[p.name]["ratio"] = round(base / pages[p.name]["p50_ms"], 3)
    return {"seconds": round(seconds, 1), "logged_in_after_s": round(start - window[0], 1),
            "requests": sum(e["requests"] for e in pages.values()),
            "failures": sum(e["failures"] for e in pages.values()), "pages": pages}


def server_log(log: Path, window: tuple[float, float] | None = None) -> dict:
    """Status counts, tracebacks and, with a window, the server's own time per page (median, p95)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    statuses: dict[str, int] = {}
    per_page: dict[str, list[float]] = {}
    for line in text.splitlines():
        m = ACCESS_LINE.match(line)
        if not m:
            continue
        statuses[m["status"]] = statuses.get(m["status"], 0) + 1
        if window is None or m["method"] != "GET":
            continue
        at = datetime.strptime(m["t"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
        page = scenario.page_of(m["path"])
        if page and window[0] <= at <= window[1] + 1:
            per_page.setdefault(page, []).append(int(m["us"]) / 1000)
    out: dict = {"status_counts": statuses, "tracebacks": text.count("Traceback (most recent call last)"),
                 "worker_timeouts": text.count("WORKER TIMEOUT")}
    if window is not None:
        out["server_ms"] = {name: {"p50": round(percentile(v, 50), 1), "p95": round(percentile(v, 95), 1), "n": len(v)}
                            for name, v in per_page.items()}
        base = out["server_ms"].get(scenario.BASELINE, {}).get("p50")
        for p in scenario.PAGES:
            if p.key and base and p.name in out["server_ms"]:
                out["server_ms"][p.name]["ratio"] = round(base / out["server_ms"][p.name]["p50"], 3)
    return out


def one_run(args: argparse.Namespace, data: dict, n: int, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    env = server_env(data["database_url"], args.port, args.web_workers)
    base = f"http://127.0.0.1:{args.port}"
    seed = (args.import_seed or 0) + n
    if args.import_seed is None:
        import psycopg

        # a new corpus seed for every import this database has seen, so each run's ads are new ads
        with psycopg.connect(data["database_url"]) as conn:
            seed = 44 + conn.execute("SELECT count(*) FROM outreach_importjob").fetchone()[0]
    import_file = HERE / "out" / f"import_{args.import_ads}_seed{seed}.jsonl"
    if not args.no_import and not import_file.exists():
        subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "gen_corpus.py"), "--n", str(args.import_ads),
                        "--seed", str(seed), "-o", str(import_file)], check=True,
                       stdout=subprocess.DEVNULL)
    say(f"run {n + 1}: starting gunicorn ({args.web_workers} workers) and db_worker")
    # the repository's configuration; only the access log's format gains the time each request took
    # in the worker (%(D)s, µs), so the server's own time per page is known apart from the queue
    web = start([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--access-logformat", ACCESS_FORMAT,
                 "uppsok.wsgi"], out / "gunicorn.log", env)
    worker = start([str(BIN / "uppsok"), "db_worker", "--interval", "1"], out / "worker.log", env)
    locust = None
    try:
        import requests

        for _ in range(300):
            try:
                if requests.get(base + scenario.LOGIN, timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer")
        t: dict[str, float] = {}
        since = datetime.now(UTC)
        job_id = None
        if not args.no_import:
            say(f"run {n + 1}: importing {import_file.name} through the web app")
            job_id = start_import(base, data["importer"], import_file, t)
            say(f"run {n + 1}: import queued (upload {t['uploaded'] - t['upload_start']:.1f} s, "
                f"preview {t['previewed'] - t['uploaded']:.1f} s)")
        locust_env = {**os.environ, "LOAD_SCENARIO": args.scenario, "LOAD_WAIT": args.wait,
                      "LOAD_REQUEST_LOG": str(out / "requests.csv")}
        (out / "requests.csv").unlink(missing_ok=True)
        cmd = [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--host", base, "--headless",
               "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.max_time}s",
               "--csv", str(out / "locust"), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"]
        t["locust_start"] = time.time()
        locust = start(cmd, out / "locust.log", locust_env)
        say(f"run {n + 1}: locust started ({args.users} users, think time {args.wait} s)")
        state: dict = {}
        while locust.poll() is None:
            time.sleep(2)
            if job_id:
                state = import_state(data["database_url"], job_id, since)
            elapsed = time.time() - t["locust_start"]
            if elapsed >= args.min_time and (not job_id or import_done(state)):
                say(f"run {n + 1}: import finished{'' if job_id else ' (none)'}; stopping locust after {elapsed:.0f} s")
                locust.send_signal(signal.SIGTERM)
                break
        locust.wait(timeout=120)
        t["locust_end"] = time.time()
        say(f"run {n + 1}: locust stopped after {t['locust_end'] - t['locust_start']:.0f} s")
        if job_id:
            deadline = time.time() + args.import_timeout
            while not import_done(state := import_state(data["database_url"], job_id, since)):
                if time.time() > deadline:
                    say(f"run {n + 1}: import still not finished after {args.import_timeout} s more")
                    break
                time.sleep(5)
    finally:
        if locust is not None:
            stop(locust)
        stop(worker)
        stop(web)
    window = (t["locust_start"], t["locust_end"])
    phases = {}
    timeline = {}
    if job_id:
        it, an = state.get("import_task", {}), state.get("analysis", {})
        if it.get("started") and it.get("finished"):
            phases["import_task"] = (it["started"], it["finished"])
        if an.get("started") and an.get("finished"):
            phases["analysis"] = (an["started"], an["finished"])
        ends = [x for x in (it.get("finished"), an.get("finished") if an else None, state.get("import_finished")) if x]
        end = max(ends) if ends and import_done(state) else None
        timeline = {
            "upload_s": round(t["uploaded"] - t["upload_start"], 1),
            "preview_s": round(t["previewed"] - t["uploaded"], 1),
            "start_s": round(t["queued"] - t["previewed"], 1),
            "import_task_s": round(it["finished"] - it["started"], 1) if it.get("finished") else None,
            "analysis_s": round(an["finished"] - an["started"], 1) if an and an.get("finished") else None,
            "total_s": round(end - t["upload_start"], 1) if end else None,
            "finished_during_window": bool(end and end <= t["locust_end"]),
            "window_covered_by_import": round(
                (min(end or t["locust_end"], t["locust_end"]) - max(t["upload_start"], t["locust_start"]))
                / (t["locust_end"] - t["locust_start"]), 3),
            "status": state.get("status"), "created": state.get("created"), "updated": state.get("updated"),
            "analysis_status": an.get("status") if an else None,
            "seconds_from_locust_start": {k: round(v - t["locust_start"], 1) for k, v in
                                          [("import_task_start", it.get("started")), ("import_task_end", it.get("finished")),
                                           ("analysis_start", an.get("started") if an else None),
                                           ("analysis_end", an.get("finished") if an else None)] if v},
        }
    summary = summarise(out / "requests.csv", window, phases)
    measured = (window[1] - summary["seconds"], window[1])
    summary.update({"run": n + 1, "users": args.users, "wait": args.wait, "web_workers": args.web_workers,
                    "import": timeline, "server": server_log(out / "gunicorn.log", measured),
                    "worker": server_log(out / "worker.log"), "load_average": os.getloadavg(),
                    "started": datetime.fromtimestamp(window[0]).isoformat(timespec="seconds")})
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print_run(summary)
    return summary


def print_run(s: dict) -> None:
    print(f"\nrun {s['run']}: everyone logged in after {s['logged_in_after_s']:.0f} s, then {s['seconds']:.0f} s measured; "
          f"{s['requests']:,} requests, {s['failures']} failures; "
          f"server statuses {s['server']['status_counts']}, tracebacks {s['server']['tracebacks']} "
          f"(worker {s['worker']['tracebacks']})")
    print(f"  {'page':<26} {'requests':>8} {'fail':>5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'ratio':>6}"
          f" | server {'p50':>6} {'p95':>6} {'ratio':>6}")
    for name, e in s["pages"].items():
        ratio = f"{e['ratio']:.2f}" if "ratio" in e else ""
        sv = s["server"].get("server_ms", {}).get(name)
        sratio = f"{sv['ratio']:.2f}" if sv and "ratio" in sv else ""
        server = f" | {'':6} {sv['p50']:>6.0f} {sv['p95']:>6.0f} {sratio:>6}" if sv else ""
        print(f"  {name:<26} {e['requests']:>8} {e['failures']:>5} {e['p50_ms']:>8.0f} {e['p95_ms']:>8.0f} "
              f"{e['rps'] or 0:>7.2f} {ratio:>6}{server}")
    if s["import"]:
        print(f"  import: {json.dumps(s['import'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default=str(HERE / "out" / "scenario.json"))
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--wait", default="5,15", help="think time between pages, min,max seconds (default 5,15)")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--import-ads", type=int, default=100_000)
    parser.add_argument("--import-seed", type=int, help="gen_corpus seed of run 1, run n: +n-1 (default: 44 + "
                        "the imports the database has had, so that every run imports new ads)")
    parser.add_argument("--no-import", action="store_true", help="no import during the run")
    parser.add_argument("--min-time", type=int, default=180, help="seconds of load at least (default 180)")
    parser.add_argument("--max-time", type=int, default=600, help="seconds of load at most (default 600)")
    parser.add_argument("--import-timeout", type=int, default=1200, help="seconds to wait for the import after locust")
    parser.add_argument("--pause", type=int, default=40, help="seconds between runs (default 40)")
    parser.add_argument("--medians", nargs="+", metavar="SUMMARY",
                        help="only print the medians of earlier runs' summary.json files")
    args = parser.parse_args()
    if args.medians:
        runs = [json.loads(Path(p).read_text()) for p in args.medians]
        print_medians(runs, HERE / "out" / f"summary-{datetime.now():%Y%m%d-%H%M%S}.json")
        return
    args.scenario = str(Path(args.scenario).resolve())
    data = json.loads(Path(args.scenario).read_text())
    say(f"scenario {args.scenario}: {data['ads']:,} ads, {data['cases']:,} cases, {len(data['users'])} accounts, "
        f"database {data['database_url']}")
    env = server_env(data["database_url"], args.port, args.web_workers)
    subprocess.run([str(BIN / "uppsok"), "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    runs = []
    for n in range(args.runs):
        if n:
            time.sleep(args.pause)
        runs.append(one_run(args, data, n, HERE / "out" / f"run-{stamp}-{n + 1}"))
    if len(runs) > 1:
        print_medians(runs, HERE / "out" / f"summary-{stamp}.json")


def print_medians(runs: list[dict], path: Path) -> None:
    med = {}
    for p in scenario.PAGES:
        rows = [r["pages"][p.name] for r in runs]
        med[p.name] = {k: round(statistics.median([x[k] for x in rows if x.get(k) is not None]), 3)
                       for k in ("p50_ms", "p95_ms", "rps", "ratio") if any(x.get(k) is not None for x in rows)}
        med[p.name]["runs"] = {k: [x.get(k) for x in rows] for k in ("p50_ms", "p95_ms", "rps", "ratio")}
        med[p.name]["failures"] = sum(x["failures"] for x in rows)
    for p in scenario.PAGES:
        server = [r["server"].get("server_ms", {}).get(p.name, {}) for r in runs]
        for k in ("p50", "p95", "ratio"):
            values = [x[k] for x in server if k in x]
            if values:
                med[p.name][f"server_{k}"] = round(statistics.median(values), 3)
    total_failures = sum(r["failures"] for r in runs)
    path.write_text(json.dumps({"runs": len(runs), "failures": total_failures, "pages": med,
                                "imports": [r["import"] for r in runs],
                                "logged_in_after_s": [r["logged_in_after_s"] for r in runs],
                                "load_average": [r["load_average"] for r in runs]}, indent=1))
    print(f"\nmedians of {len(runs)} runs ({total_failures} failures in all; {path}):")
    print(f"  {'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'ratio':>6} {'server p50':>10} {'ratio':>6}"
          f"   runs' p50 / ratio")
    for name, m in med.items():
        ratio = f"{m['ratio']:.2f}" if "ratio" in m else ""
        sratio = f"{m['server_ratio']:.2f}" if "server_ratio" in m else ""
        print(f"  {name:<26} {m['p50_ms']:>8.0f} {m['p95_ms']:>8.0f} {m['rps']:>7.2f} {ratio:>6} "
              f"{m.get('server_p50', float('nan')):>10.0f} {sratio:>6}   {m['runs']['p50_ms']} / {m['runs']['ratio']}")


if __name__ == "__main__":
    main()
