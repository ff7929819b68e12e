"""Ad analysis engine (issue 3): trafficking indicators in ads and ads that belong together.

Plain Python, no Django. Used by the web app, a background worker and the command line.

Stable Python API (for the web app and worker)
---------------------------------------------
``analyse_ads(ads: list[dict], base_dir=None, with_images=True) -> list[dict]``
    Analyse a batch of ads given as dicts in the input format below (all linking is within the
    batch). Returns one dict per input ad, in order, in the output format below; an ad that
    cannot be read gives ``{"id": <id or None>, "error": "<sv> / <en>"}`` instead.

``IncrementalIndex(path)`` — persistent index (one SQLite file) for analysis on save::

    with IncrementalIndex("var/analysis.sqlite3") as idx:
        result = idx.add(ad_dict)        # indicators, group and links of the new ad (< 50 ms)
        group = idx.group_of(ad_id)      # current group id of an ad already in the index
    # bulk build: `uppsok analyse ads.jsonl -o out.jsonl --index var/analysis.sqlite3`

Command line: ``uppsok analyse INPUT.jsonl -o OUTPUT.jsonl [--quiet] [--no-images] [--index F]``
(``python -m uppsok.analysis.cli`` works too); ``uppsok.analysis.cli.main(argv) -> int``.

Input (JSON Lines, UTF-8, one ad per line): ``id`` (str, required, unique), ``seen_at`` (ISO 8601
with offset, required), optional ``site``, ``url``, ``city``, ``profile_name``, ``title``, ``text``,
``phones`` (list of str as written), ``price`` (str as written), ``age`` (int), ``nationality``,
``images`` (paths relative to the input file / ``base_dir``). Unknown fields are ignored.

Output (one per good input line, input order): ``id``; ``phones`` (E.164, sorted, unique);
``prices_sek`` (amounts, per hour where the ad says so); ``language`` (ISO 639-1, "" if unknown);
``indicators``: ``[{"code", "evidence"}]`` with codes from `model.INDICATOR_CODES`;
``group``: ``"g-<id of the group's first ad>"``, shared by all ads that belong together;
``links``: ``[{"id", "reasons"}]`` with reasons from `model.LINK_REASONS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .engine import analyse_ads
from .model import INDICATOR_CODES, LINK_REASONS

if TYPE_CHECKING:
    from .index import IncrementalIndex

__all__ = ["INDICATOR_CODES", "LINK_REASONS", "IncrementalIndex", "analyse_ads"]


def __getattr__(name: str) -> Any:
    # sqlite-backed index imported on first use only
    if name == "IncrementalIndex":
        from .index import IncrementalIndex

        return IncrementalIndex
    raise AttributeError(name)
