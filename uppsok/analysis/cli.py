"""`uppsok analyse INPUT.jsonl -o OUTPUT.jsonl` — see uppsok/analysis/__init__.py."""

from __future__ import annotations

import argparse
import os
import sys
import time

from .model import Problem

# Progress lines only for runs long enough to need them, and not more often than this.
PROGRESS_EVERY_S = 2.0
# Printing a million warnings helps nobody: after this many, only the summary counts them.
MAX_PRINTED_PROBLEMS = 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="uppsok analyse",
        description="Analysera annonser: indikatorer på människohandel och annonser som hör ihop. / "
        "Analyse ads: trafficking indicators and ads that belong together.",
    )
    ap.add_argument("input", help="JSON Lines, en annons per rad / one ad per line")
    ap.add_argument("-o", "--output", required=True, help="resultat, JSON Lines / results, JSON Lines")
    ap.add_argument("-q", "--quiet", action="store_true", help="ingen förloppsinfo / no progress output")
    ap.add_argument("--workers", type=int, default=None, help="processer / processes (default: CPUs)")
    ap.add_argument("--no-images", action="store_true", help="hoppa över bilder / skip photos")
    ap.add_argument("--index", default=None,
                    help="spara ett beständigt index för inkrementell analys / also build a persistent "
                         "index (SQLite) for incremental analysis")
    args = ap.parse_args(argv)

    from .engine import read_corpus, write_results
    from .linking import Links

    t0 = time.monotonic()
    if not os.path.isfile(args.input):
        print(f"uppsok analyse: filen finns inte / file not found: {args.input}", file=sys.stderr)
        return 2
    err = sys.stderr
    printed = 0

    def on_problem(p: Problem) -> None:
        nonlocal printed
        printed += 1
        if printed <= MAX_PRINTED_PROBLEMS:
            tag = "" if p.fatal else "varning / warning: "
            print(f"rad {p.line} / line {p.line}: {tag}{p.message}", file=err)
        elif printed == MAX_PRINTED_PROBLEMS + 1:
            print("… fler problem räknas bara / further problems are only counted", file=err)

    last = [t0]

    def progress(lines: int, ads: int) -> None:
        now = time.monotonic()
        if not args.quiet and now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            print(f"läst / read {lines} rader/lines, {ads} annonser/ads ({now - t0:.0f} s)", file=err)

    try:
        corpus = read_corpus(args.input, workers=args.workers, with_images=not args.no_images,
                             on_problem=on_problem, progress=progress)
    except OSError as exc:
        print(f"uppsok analyse: kan inte läsa / cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    t1 = time.monotonic()
    links = Links(corpus.ads, corpus.shingles())
    t2 = time.monotonic()
    try:
        n = write_results(corpus, links, args.output)
    except OSError as exc:
        print(f"uppsok analyse: kan inte skriva / cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    if args.index:
        from .index import IncrementalIndex

        with IncrementalIndex(args.index) as idx:
            idx.bulk_load(corpus, links)
    t3 = time.monotonic()
    skipped = corpus.skipped
    warnings = sum(1 for p in corpus.problems if not p.fatal)
    groups = len(set(links.group_first.tolist())) if n else 0
    if not args.quiet or skipped:
        print(
            f"klart / done: {n} annonser analyserade / ads analysed, {skipped} rader hoppades över / "
            f"lines skipped, {warnings} varningar / warnings, {groups} grupper / groups; "
            f"{t3 - t0:.1f} s (läsning/read {t1 - t0:.1f} s, koppling/linking {t2 - t1:.1f} s, "
            f"skrivning/write {t3 - t2:.1f} s)",
            file=err,
        )
    if n == 0 and corpus.n_lines > 0:
        print("uppsok analyse: inga rader kunde läsas / no line could be read", file=err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
