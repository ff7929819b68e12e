"""PostgreSQL restarted under load: gunicorn keeps answering, with a 503 page while the database is
away and 200 again after it, without a restart of the app.

Usage (restarts the machine's PostgreSQL once: every other client of it sees the restart too):
    .venv/bin/python bench/faults/pg_restart.py [--database-url postgres://postgres@127.0.0.1:5432/uppsok_faults_pg]
        [--restart-command "pg_ctlcluster 15 main restart"] [--threads 8] [--before 5] [--after 10]

Creates (and at the end drops) the database, migrates it, collects the static files, starts gunicorn
with deploy/gunicorn.conf.py and the production settings, logs a user in, and fires requests from
several threads (an organisation page that queries the database, the login page, the health
endpoint) for a few seconds; then restarts PostgreSQL and goes on. Prints the status codes seen
before, during (from the restart command until the first 200 after it) and after; exits 1 on any
500 or when no request succeeds after the restart.
"""

from __future__ import annotations

import argparse
import collections
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - a local test server
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0  # no answer at all


def _wait_until_others_idle(url: str, patience: float = 120.0) -> None:
    """The server is shared: restart it only while no other database has a query running."""
    import psycopg

    base, name = url.rsplit("/", 1)
    t0 = time.monotonic()
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        while time.monotonic() - t0 < patience:
            busy = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL AND datname <> %s "
                                "AND pid <> pg_backend_pid() AND state <> 'idle'", (name,)).fetchone()[0]
            if not busy:
                return
            time.sleep(0.5)
    raise SystemExit("other databases stayed busy: PostgreSQL was not restarted")


def _outage(url: str, seconds: float) -> None:
    """This database alone goes away as in a restart: its connections end, new ones are refused."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        time.sleep(seconds)
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/uppsok_faults_pg")
    parser.add_argument("--restart-command", default="pg_ctlcluster 15 main restart")
    parser.add_argument("--simulate", type=float, metavar="SECONDS",
                        help="instead of a restart: cut this database's connections and refuse new ones for "
                             "SECONDS (the server's other databases are untouched)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before the restart")
    parser.add_argument("--after", type=float, default=10.0, help="seconds of load after the restart returned")
    args = parser.parse_args()

    from _benchdb import drop_database, recreate_database

    work = Path(tempfile.mkdtemp(prefix="uppsok-fault-pg-"))
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "uppsok.settings.production",
        "UPPSOK_SECRET_KEY": "fault-check-" + "k" * 60,
        "UPPSOK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url,
        "UPPSOK_VAR_DIR": str(work),
        "UPPSOK_STATIC_ROOT": str(work / "static"),
        "UPPSOK_SSL_REDIRECT": "0",
        "UPPSOK_BIND": f"127.0.0.1:{port}",
        "UPPSOK_WEB_WORKERS": str(args.workers),
    }
    recreate_database(args.database_url)
    for cmd in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([str(BIN / "uppsok"), *cmd], cwd=ROOT, env=env, check=True)

    # a logged-in session, made in this process with the server's settings and key
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from tests.factories import login, make_org, make_user
    from uppsok.accounts.models import Role

    org = make_org("fault-pg")
    user = make_user("fault-pg-user", org, [Role.OUTREACH])
    client = login(Client(), user, org)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    connection.close()

    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "uppsok.wsgi"], cwd=ROOT,
                              env=env, stdout=(work / "gunicorn.log").open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if _get(base + "/konto/logga-in/") == 200:
                break
            time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer")
        paths = [("/uppsok/annonser/", cookie), ("/konto/logga-in/", ""), ("/halsa/", "")]
        seen: list[tuple[float, str, int, float]] = []
        stop = threading.Event()

        def fire(n: int) -> None:
            i = n
            while not stop.is_set():
                path, c = paths[i % len(paths)]
                t0 = time.monotonic()
                status = _get(base + path, c)
                seen.append((t0, path, status, time.monotonic() - t0))
                i += 1

        threads = [threading.Thread(target=fire, args=(n,), daemon=True) for n in range(args.threads)]
        for t in threads:
            t.start()
        time.sleep(args.before)
        if args.simulate is None:
            _wait_until_others_idle(args.database_url)
        restart_start = time.monotonic()
        if args.simulate is None:
            subprocess.run(shlex.split(args.restart_command), check=True)
        else:
            _outage(args.database_url, args.simulate)
        restart_end = time.monotonic()
        time.sleep(args.after)
        stop.set()
        for t in threads:
            t.join(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=60)

    # the outage as the pages saw it: from the first failure of a database page to its last
    pages = [r for r in seen if r[1] != "/halsa/"]
    failed = [r[0] for r in pages if r[0] >= restart_start and r[2] != 200]
    out_from = min(failed, default=restart_start)
    out_to = max(failed, default=restart_start)
    recovered = min((r[0] for r in pages if r[0] > out_to and r[2] == 200 and r[1] == "/uppsok/annonser/"),
                    default=None)

    def summary(part: list[tuple[float, str, int, float]]) -> str:
        out = []
        for path, _c in paths:
            mine = [r for r in part if r[1] == path]
            codes = collections.Counter(s for _, _, s, _ in mine)
            slowest = max((d for *_, d in mine), default=0.0)
            out.append(f"{path} " + (", ".join(f"{code or 'no answer'}×{n}" for code, n in sorted(codes.items()))
                                     or "–") + f" (slowest {slowest:.2f} s)")
        return "; ".join(out)

    before = [r for r in seen if r[0] < restart_start]
    during = [r for r in seen if restart_start <= r[0] < (recovered or float("inf"))]
    after = [r for r in seen if recovered is not None and r[0] >= recovered]
    what = f"simulated outage of {args.simulate} s" if args.simulate is not None else repr(args.restart_command)
    print(f"machine: {os.cpu_count()} CPUs; gunicorn {args.workers} workers; {args.threads} client threads")
    print(f"{what}: the command took {restart_end - restart_start:.2f} s")
    print(f"failures of the database pages from +{out_from - restart_start:.2f} s to +{out_to - restart_start:.2f} s; "
          f"first 200 of the organisation page after them at "
          + (f"+{recovered - restart_start:.2f} s" if recovered else "never"))
    print(f"before ({len(before)} requests): {summary(before)}")
    print(f"from the restart until recovered ({len(during)} requests): {summary(during)}")
    print(f"after ({len(after)} requests): {summary(after)}")
    print("organisation page per second from the restart:")
    for second in range(int(-args.before), int(max((r[0] for r in seen), default=0) - restart_start) + 1):
        codes = collections.Counter(r[2] for r in seen if r[1] == "/uppsok/annonser/"
                                    and second <= r[0] - restart_start < second + 1)
        print(f"    {second:+4d} s  " + ", ".join(f"{c or 'no answer'}×{n}" for c, n in sorted(codes.items())))
    print(f"gunicorn log: {work / 'gunicorn.log'}")
    drop_database(args.database_url)
    # a database away is a 503 and nothing else; afterwards every page answers again
    wrong = [r for r in pages if r[2] not in (200, 503)]
    if wrong or recovered is None or any(r[2] != 200 for r in after if r[1] != "/halsa/"):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
