"""Server time of capturing one ad in an organisation that already has N ads (its whole history).

Usage:
    BENCH_DATABASE_URL=sqlite:////tmp/history.sqlite3 .venv/bin/python bench/bench_capture_history.py --ads 20000
    .venv/bin/python bench/bench_capture_history.py --ads 20000 FILE.jsonl   # ads from a generated corpus
    .venv/bin/python bench/bench_capture_history.py --smoke                 # 300 ads, seconds (CI)

Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/uppsok_bench_history, with
a `_smoke` suffix under --smoke), migrated here; a new organisation of its own is made each run, so
the script can share a seeded database. Settings uppsok.settings.dev.

Steps: the corpus (FILE, else `gen_corpus.py --n ADS+CAPTURES`) sorted by time; its first ADS ads
imported and analysed in one go (`do_import_ads`, the web import's path: this stores every ad's
text features); then the last CAPTURES ads captured one by one (`do_capture_ad`, what the capture
form calls) and timed, with their query counts (which must not depend on ADS); then (unless
--no-backfill) the organisation's text features deleted and rebuilt with `uppsok
backfill_text_features`, timed.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _benchdb import database_url, ensure_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", help="JSONL ads (default: generated)")
    parser.add_argument("--ads", type=int, default=20_000, help="ads in the organisation before the captures")
    parser.add_argument("--captures", type=int, default=10, help="ads captured and timed")
    parser.add_argument("--smoke", action="store_true", help="300 ads and 3 captures (CI)")
    parser.add_argument("--organisation", help="an organisation already in the database (a seeded bench-a): "
                        "its history is kept, its text features are backfilled if it has none, and the last "
                        "--captures ads of the file are captured into it")
    parser.add_argument("--skip", type=int, default=0,
                        help="with --organisation: capture the --captures ads before the file's last SKIP "
                        "(another set of new ads for a second run)")
    parser.add_argument("--no-backfill", action="store_true",
                        help="skip timing the backfill (at a million ads it takes longer than the rest)")
    args = parser.parse_args()
    if args.smoke:
        args.ads, args.captures = 300, 3
    db_url = database_url("uppsok_bench_history", args.smoke)
    ensure_database(db_url)
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "uppsok.settings.dev"
    if args.file is None:
        args.file = str(Path(tempfile.mkdtemp(prefix="bench-history-")) / "ads.jsonl")
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--n", str(args.ads + args.captures),
                        "--seed", "45", "-o", args.file], check=True, stdout=subprocess.DEVNULL)

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_org, make_user
    from uppsok.accounts.models import Organisation, Role
    from uppsok.outreach import actions, imports
    from uppsok.outreach.models import AdLink, AdTextFeature

    call_command("migrate", verbosity=0)
    if args.organisation:
        capture_into_existing(args, Organisation.objects.get(slug=args.organisation))
        return
    # the web import takes files of up to imports' row limit; a larger history is read in parts
    lines = Path(args.file).read_bytes().splitlines(keepends=True)
    rows = []
    for start in range(0, len(lines), 400_000):
        parsed = imports.parse_jsonl(b"".join(lines[start : start + 400_000]))
        assert parsed.ok, parsed.errors[:5]
        rows.extend(parsed.rows)
    del lines
    rows.sort(key=lambda r: r["seen_at"])
    if len(rows) < args.ads + args.captures:
        raise SystemExit(f"{args.file} has {len(rows):,} ads, fewer than --ads + --captures")
    history, later = rows[: args.ads], rows[args.ads : args.ads + args.captures]
    stamp = f"{int(time.time() * 1000) % 10**9}"
    org = make_org(f"bench-history-{stamp}")
    user = make_user(f"bench-history-{stamp}", org, [Role.OUTREACH], totp=False)
    print(f"database {connection.vendor}, organisation {org.slug}")

    t0 = time.perf_counter()
    actions.do_import_ads(user, org, history, analyse_now=True)
    t_import = time.perf_counter() - t0
    n_feat = AdTextFeature.objects.filter(organisation=org).count()
    print(f"import and analyse {len(history):,} ads: {t_import:.1f} s ({n_feat:,} text feature rows, "
          f"{n_feat / max(1, len(history)):.0f} per ad)")

    times: list[float] = []
    queries: list[int] = []
    text_links = 0
    for r in later:
        data = {"url": r["url"], "site": r["site"], "title": r["title"], "text": r["text"],
                "phone": (r["phones"] or [""])[0], "profile_name": r["profile_name"], "city": r["city"],
                "price": r["price"], "stated_age": r["age"], "seen_at": r["seen_at"]}
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            ad, _created = actions.do_capture_ad(user, org, data)
            times.append(time.perf_counter() - t0)
        queries.append(len(ctx.captured_queries))
        text_links += sum("similar_text" in x for x in
                          AdLink.objects.filter(organisation=org, from_ad=ad).values_list("reasons", flat=True))
    print(f"capture one ad among {len(history):,}: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {len(times)} captures; queries {sorted(set(queries))}; "
          f"similar_text links made {text_links}")

    if args.no_backfill:
        return
    AdTextFeature.objects.filter(organisation=org).delete()
    t0 = time.perf_counter()
    call_command("backfill_text_features", "--organisation", org.slug, stdout=io.StringIO())
    t_fill = time.perf_counter() - t0
    again = AdTextFeature.objects.filter(organisation=org).count()
    print(f"backfill_text_features for {len(history) + len(later):,} ads: {t_fill:.1f} s "
          f"({(len(history) + len(later)) / max(t_fill, 1e-9):,.0f} ads/s, {again:,} rows)")
    if again < n_feat:
        raise SystemExit("the backfill stored fewer features than the analysis did")


def capture_into_existing(args: argparse.Namespace, org: object) -> None:
    """Time captures into an organisation that a seed script filled (far faster than importing a
    million ads through the web path first): backfill its text features once, then capture."""
    import json

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_user
    from uppsok.accounts.models import Role
    from uppsok.outreach import actions
    from uppsok.outreach.models import Ad, AdTextFeature

    n_ads = Ad.objects.filter(organisation=org).count()
    print(f"database {connection.vendor}, organisation {org.slug}: {n_ads:,} ads")
    if not AdTextFeature.objects.filter(organisation=org).exists():
        t0 = time.perf_counter()
        call_command("backfill_text_features", "--organisation", org.slug, stdout=io.StringIO())
        print(f"backfill_text_features: {time.perf_counter() - t0:.1f} s "
              f"({AdTextFeature.objects.filter(organisation=org).count():,} rows)")
    with open(args.file, encoding="utf-8") as fh:
        lines = fh.readlines()
    end = len(lines) - args.skip
    later = [json.loads(line) for line in lines[end - args.captures : end]]
    user = make_user(f"bench-capture-{int(time.time() * 1000) % 10**9}", org, [Role.OUTREACH], totp=False)
    # a server's worker loads the language models once when it starts, not in a request
    from uppsok.analysis import warm_up

    t0 = time.perf_counter()
    warm_up()
    print(f"language models loaded in {time.perf_counter() - t0:.2f} s (once per process, not timed below)")
    times: list[float] = []
    queries: list[int] = []
    for r in later:
        data = {"url": r["url"], "site": r["site"], "title": r.get("title", ""), "text": r.get("text", ""),
                "phone": (r.get("phones") or [""])[0], "profile_name": r.get("profile_name", ""),
                "city": r.get("city", ""), "price": r.get("price", ""), "stated_age": r.get("age"),
                "seen_at": r["seen_at"]}
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            actions.do_capture_ad(user, org, data)
            times.append(time.perf_counter() - t0)
        queries.append(len(ctx.captured_queries))
    print(f"capture one ad among {n_ads:,}: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {len(times)} captures; queries {sorted(set(queries))}")
    print("each capture, in order (ms):", " ".join(f"{t * 1000:.0f}" for t in times))


if __name__ == "__main__":
    main()
