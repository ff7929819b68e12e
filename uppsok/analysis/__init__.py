"""Ad analysis engine: trafficking indicators in ads and ads that belong together.

Plain Python, no Django. Used by the web app, a background worker and the command line.

Stable Python API (for the web app and worker)
---------------------------------------------
``analyse_ads(ads: list[dict], base_dir=None, with_images=True, *, stock_features=None,
hourly_prices=()) -> list[dict]``
    Analyse a batch of ads given as dicts in the input format below (all linking is within the
    batch). Returns one dict per input ad, in order, in the output format below; an ad that
    cannot be read gives ``{"id": <id or None>, "error": "<sv> / <en>"}`` instead. A caller that
    keeps a larger history and analyses a batch drawn from it passes what only the history can
    tell: ``stock_features``, text features (below) written by too many of its advertisers to say
    who wrote an ad (left out like the stock phrases the batch finds itself), and
    ``hourly_prices``, the lowest hourly price of other ads of the history (for the ``low_price``
    median).

``text_features(ad: dict) -> list[int]``
    The distinct text features of one ad (input format) that linking compares: hashed three-word
    shingles, sentences and sentence pairs of its template text, as unsigned 32-bit integers.
    Two ads are text candidates when they share at least ``linking.TEXT_MIN_SHARED`` features
    that are not stock (``linking.stock_bound``); a store of every ad's features finds, by
    equality alone, the earlier ads a new ad must be analysed with. Raises ValueError for a
    refused row. ``text_features_many(ads: list[dict]) -> list[list[int] | None]`` gives the
    same for many ads in one pass, None for a refused row.

``extract_ads(ads, base_dir=None, with_images=True) -> list``
    The per-ad half of ``analyse_ads``: one opaque item per ad, in order. ``text_features_of(items)``
    gives their text features, and ``analyse_ads(ads, ..., extracted=items)`` takes them for the
    first ads of ``ads`` instead of reading those ads again (a caller that chooses an analysis's
    context from the ads' text reads each ad once).

``IncrementalIndex(path)`` — persistent index (one SQLite file) for analysis on save::

    with IncrementalIndex("var/analysis.sqlite3") as idx:
        result = idx.add(ad_dict)        # indicators, group and links of the new ad (< 50 ms)
        group = idx.group_of(ad_id)      # current group id of an ad already in the index
    # bulk build: `uppsok analyse ads.jsonl -o out.jsonl --index var/analysis.sqlite3`

Command line: ``uppsok analyse INPUT.jsonl -o OUTPUT.jsonl [--quiet] [--no-images] [--index F]``
(``python -m uppsok.analysis.cli`` works too); ``uppsok.analysis.cli.main(argv) -> int``. Exit
codes: 0 done; 1 no ad (an empty file, only blank lines, or no line could be read); 2 the input
cannot be read or the output or index cannot be written (checked before any work: a directory, a
missing directory, no permission, the output or index being the input).

Input (JSON Lines, UTF-8, one ad per line; a byte order mark at the start and blank lines are
allowed). The rules are `rows.validate_row`, the same for the command line, `analyse_ads` and the
web import (which reads CSV into these fields too); a row breaking one is refused with every
problem named ("svenska / english"), never analysed with a field left out:

- ``id``: required, text (a whole number is taken as its digits), at most 200 characters after
  trimming, unique in the file (a later duplicate is refused).
- ``seen_at``: required, ISO 8601 (``2026-01-31T20:00:00+01:00``, ``…Z``, ``2026-01-31 20:00``, or
  a date alone for its midnight); without an offset it is Swedish time (Europe/Stockholm); year
  1970–2100.
- optional text, trimmed, at most: ``site`` 120, ``url`` 500, ``city`` 120, ``profile_name`` 200,
  ``title`` 300, ``text`` 20,000, ``price`` 100 (may be a JSON number), ``nationality`` 100;
  ``null`` is the same as missing. A longer value refuses the row rather than being cut.
- ``phones``: a list of numbers as written (text or whole numbers), or one string with numbers
  separated by "," or ";"; at most 100, each at most 200 characters (spelt-out numbers fit).
- ``age``: a whole number 1–119 (or its digits as text); empty or ``null`` is no age.
- no NUL character in any of these fields, nor a NUL byte anywhere in a line; a line is at most
  1 MB.
- ``images`` (paths relative to the input file / ``base_dir``): a photo that cannot be read is a
  warning, not a refused row. Unknown fields are ignored.

Photos can instead be given as features already computed by `images.analyse_image` (a caller that
keeps features, not files): ``image_features``: ``[{"phash": "<16 hex>", "bghash": "<16 hex>",
"face": bool, "name": str (optional, default "#1", "#2", …)}]``, hashes written as
``f"{features.phash:016x}"``. They give the same indicators and links as the photo files would
(``name`` is what ``face_visible`` names); both fields together count towards the 20 photos an ad
may have. Like ``images`` they are used only with ``with_images=True``.

Output (one per good input line, input order): ``id``; ``phones`` (E.164, sorted, unique);
``prices_sek`` (amounts, per hour where the ad says so); ``language`` (ISO 639-1, "" if unknown);
``indicators``: ``[{"code", "evidence", …}]`` with codes from `model.INDICATOR_CODES`;
``group``: ``"g-<id of the group's first ad>"``, shared by all ads that belong together;
``links``: ``[{"id", "reasons"}]`` with reasons from `model.LINK_REASONS`.

An indicator's ``evidence`` is a sentence for people: the ad's own words, or facts in Swedish and
English ("sv / en"). It names other ads by date, town and profile name, never by their ids (a tip
to the police must make sense without them). Beside it, for an interface that words it in its own
language, an indicator has one of:

* ``quote``, ``trigger`` and ``trigger_in_text`` — the evidence rests on the ad's words: ``quote``
  is the words around the match (whitespace collapsed, "…" where cut; ``bdsm_third_party``'s two
  places joined by " … "); ``trigger`` ``[[start, end], …]`` the offsets (characters of ``quote``)
  of exactly the words the pattern matched, and ``trigger_in_text`` the same words' offsets in the
  ad's ``title`` and ``text`` as given, joined by one newline when both are there.
* ``facts`` — the evidence states facts; by code: ``shared_phone``: ``{"phones": [{"phone" (E.164),
  "ads": [AD…], "more"}], "serial": [{"phones": [E.164…], "more"}]}`` (the number's other ads;
  serial runs the number belongs to); ``same_place_photos``: ``{"ads": [AD…], "more"}``;
  ``low_price``: ``{"price", "floor", "median"}`` (kr per hour; median ``null`` when the corpus is
  too small to have one); ``moves_between_cities``: ``{"who" (profile name or number), "steps":
  [{"city", "date"}…], "more"}``; ``not_from_sweden`` from the field: ``{"nationality"}``;
  ``possible_minor`` from the field: ``{"age"}``; ``face_visible``: ``{"photos": [name…]}``.
  ``AD`` is ``{"date": "YYYY-MM-DD", "city", "profile"}`` ("" when unknown; the profile name in
  lower case) and ``more`` how many further items the evidence leaves out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .engine import (
    analyse_ads,
    extract_ads,
    phones_of_rows,
    text_features,
    text_features_many,
    text_features_of,
)
from .model import INDICATOR_CODES, LINK_REASONS
from .text import warm_up

if TYPE_CHECKING:
    from .index import IncrementalIndex

__all__ = ["INDICATOR_CODES", "LINK_REASONS", "IncrementalIndex", "analyse_ads", "extract_ads", "phones_of_rows", "text_features",
           "text_features_many", "text_features_of", "warm_up"]


def __getattr__(name: str) -> Any:
    # sqlite-backed index imported on first use only
    if name == "IncrementalIndex":
        from .index import IncrementalIndex

        return IncrementalIndex
    raise AttributeError(name)
