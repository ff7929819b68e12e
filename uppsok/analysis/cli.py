"""`uppsok analyse INPUT.jsonl -o OUTPUT.jsonl` — see uppsok/analysis/__init__.py."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time

from .model import Problem

# Progress lines only for runs long enough to need them, and not more often than this.
PROGRESS_EVERY_S = 2.0
# Printing a million warnings helps nobody: after this many, only the summary counts them.
MAX_PRINTED_PROBLEMS = 1000


def _writable(path: str, what_sv: str, what_en: str) -> str | None:
    """Why `path` cannot be written as a file, or None."""
    if os.path.isdir(path):
        return f"{what_sv} är en katalog, inte en fil / {what_en} is a directory, not a file: {path}"
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        return f"katalogen för {what_sv} finns inte / the directory for {what_en} does not exist: {parent}"
    if os.path.exists(path):
        if not os.access(path, os.W_OK):
            return f"får inte skriva {what_sv} / no permission to write {what_en}: {path}"
    elif not os.access(parent, os.W_OK | os.X_OK):
        return f"får inte skapa {what_sv} i / no permission to create {what_en} in: {parent}"
    return None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_paths(input_path: str, output_path: str, index_path: str | None) -> str | None:
    """Why the run cannot start, or None. Checked before any reading: an hour of analysis must
    not end in "cannot write", nor the results overwrite the ads they came from."""
    if not os.path.exists(input_path):
        return f"filen finns inte / file not found: {input_path}"
    if os.path.isdir(input_path):
        return f"indata är en katalog, inte en fil / the input is a directory, not a file: {input_path}"
    if not os.path.isfile(input_path):
        return f"indata är ingen vanlig fil / the input is not a regular file: {input_path}"
    if not os.access(input_path, os.R_OK):
        return f"får inte läsa filen / no permission to read the file: {input_path}"
    targets = [(output_path, "utdata", "the output")]
    if index_path:
        targets.append((index_path, "indexet", "the index"))
    for path, sv, en in targets:
        if _same_file(path, input_path):
            return f"{sv} kan inte vara samma fil som indata / {en} cannot be the input file: {path}"
        why = _writable(path, sv, en)
        if why:
            return why
    if index_path and (os.path.abspath(index_path) == os.path.abspath(output_path)
                       or _same_file(index_path, output_path)):
        return f"indexet kan inte vara samma fil som utdata / the index cannot be the output file: {index_path}"
    return None


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

    t0 = time.monotonic()
    refused = check_paths(args.input, args.output, args.index)
    if refused:
        print(f"uppsok analyse: {refused}", file=sys.stderr)
        return 2

    from .engine import read_corpus, write_results
    from .linking import Links

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
        n = write_results(corpus, links, args.output, workers=args.workers)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            print(f"uppsok analyse: disken är full – inget skrevs till / the disk is full – nothing was written "
                  f"to {args.output}", file=sys.stderr)
        else:
            print(f"uppsok analyse: kan inte skriva / cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    if args.index:
        import sqlite3

        from .index import IncrementalIndex

        try:
            with IncrementalIndex(args.index) as idx:
                idx.bulk_load(corpus, links)
        except (sqlite3.Error, OSError) as exc:
            # the index is one SQLite transaction: a full disk leaves it as it was
            print(f"uppsok analyse: resultaten skrevs, men indexet uppdaterades inte / the results were written, "
                  f"but the index was not updated ({args.index}): {exc}", file=sys.stderr)
            return 2
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
    if n == 0 and skipped == 0:
        # an empty file and one of blank lines alike: most likely a scrape that found nothing
        print("uppsok analyse: filen innehåller inga annonser / the file contains no ads", file=err)
        return 1
    if n == 0:
        print("uppsok analyse: inga rader kunde läsas / no line could be read", file=err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
