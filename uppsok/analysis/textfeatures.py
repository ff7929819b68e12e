"""The text features of ads that linking compares: hashed shingles and sentences of the
template text, computed for a whole chunk of ads in a few numpy passes (microseconds per ad)."""

from __future__ import annotations

import numpy as np

from .text import SENTENCE_END_HASH

# Word n-gram size of shingles: 3 words keep word order (templates) without making one changed
# word cost too many shingles.
SHINGLE_WORDS = 3
# A sentence counts as a feature from this many words ("Ring mig nu!" is no one's own phrasing),
# and weighs as much as this many shingles.
SENTENCE_MIN_WORDS = 5
SENTENCE_WEIGHT = 3
# Pairs of an ad's sentences are features too: a ring's template is a particular combination of
# sentences, and even when each of its sentences also turns up in another ring's or in stock
# phrasing (slot-filled frames collide), the combination does not. Only the first sentences
# pair up, which bounds the pairs per ad (10 sentences: 45 pairs).
SENTENCE_PAIR_MAX = 10

_rng = np.random.default_rng(20240611)  # fixed: features must be comparable across runs and the index
_P1 = np.uint64(0x9E3779B97F4A7C15)
_P2 = np.uint64(0xC2B2AE3D27D4EB4F)
_PAIR_SALT = np.uint64(0x5851F42D4C957F2D)
_SENTENCE_SALTS = [np.uint32(x) for x in _rng.integers(1, 2**32 - 1, SENTENCE_WEIGHT, dtype=np.uint64)]


def shingles(token_hash_lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(flat uint32 features of all ads, int64 count per ad), grouped by ad in order.

    Two kinds of feature: shingles (SHINGLE_WORDS consecutive template tokens, sentence ends
    included) and whole sentences (SENTENCE_WEIGHT copies each). A stock sentence is common as a
    whole; a sentence a ring composed is rare as a whole even when each of its three-word pieces
    is common, so the whole sentence is what tells the ring's template from stock phrases.
    32 bits are plenty: a few thousand colliding pairs among millions of distinct features
    change no Jaccard estimate, and they halve the memory.
    """
    n = len(token_hash_lists)
    lens = np.fromiter((len(t) for t in token_hash_lists), dtype=np.int64, count=n)
    nsh = np.maximum(lens - (SHINGLE_WORDS - 1), 0)
    if not lens.any():
        return np.zeros(0, dtype=np.uint32), np.zeros(n, dtype=np.int64)
    flat = np.fromiter((h for t in token_hash_lists for h in t), dtype=np.uint64, count=int(lens.sum()))
    starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    # shingle hash at every position, then drop those that run over the end of an ad
    with np.errstate(over="ignore"):
        sh = flat[: max(len(flat) - 2, 0)] * _P1 ^ (flat[1: max(len(flat) - 1, 1)] * _P2) ^ flat[2:]
    sh = _fold(sh[_ranges(starts, nsh)])
    sh_owner = np.repeat(np.arange(n, dtype=np.int64), nsh)
    sent, sent_owner = _sentences(flat, lens, starts)
    feats = np.concatenate((sh, sent))
    owner = np.concatenate((sh_owner, sent_owner))
    order = np.argsort(owner, kind="stable")
    return feats[order], np.bincount(owner, minlength=n).astype(np.int64)


def _fold(h: np.ndarray) -> np.ndarray:
    return (h >> np.uint64(32)).astype(np.uint32) ^ h.astype(np.uint32)


def _sentences(flat: np.ndarray, lens: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of whole sentences (SENTENCE_MIN_WORDS words or more), SENTENCE_WEIGHT salted copies
    each, and the ad each belongs to. Vectorised: a sentence starts at an ad's start or after a
    sentence end; its hash is a polynomial in its tokens, so word order counts."""
    n = len(lens)
    is_end = flat == np.uint64(SENTENCE_END_HASH)
    new = np.zeros(len(flat), dtype=bool)
    new[starts[lens > 0]] = True
    new[1:] |= is_end[:-1]
    seg = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    word = ~is_end
    pos = np.arange(len(flat)) - first[seg]
    words = np.bincount(seg[word], minlength=len(first))
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(int(pos.max()) + 1, _P2, dtype=np.uint64))
        vals = np.where(word, flat * powers[pos], np.uint64(0))
        sums = np.add.reduceat(vals, first)
    ad_of_seg = np.repeat(np.arange(n, dtype=np.int64), lens)[first]
    keep = words >= SENTENCE_MIN_WORDS
    feats = _fold(sums[keep] ^ _P1)
    owners = ad_of_seg[keep]
    copies = np.concatenate([feats ^ salt for salt in _SENTENCE_SALTS])
    pairs, pair_owners = _sentence_pairs(feats, owners)
    return (np.concatenate((copies, pairs)),
            np.concatenate((np.tile(owners, SENTENCE_WEIGHT), pair_owners)))


def _sentence_pairs(feats: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One feature per unordered pair of an ad's first SENTENCE_PAIR_MAX sentences (order-free,
    so a ring that shuffles or drops a sentence keeps the rest of its pairs)."""
    if len(feats) == 0:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
    # owners come in ad order: each ad's sentences are one run
    run_start = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
    run_len = np.diff(np.concatenate((run_start, [len(owners)])))
    m = np.minimum(run_len, SENTENCE_PAIR_MAX)
    out_f: list[np.ndarray] = []
    out_o: list[np.ndarray] = []
    f64 = feats.astype(np.uint64)
    for k in np.unique(m[m >= 2]).tolist():
        starts = run_start[m == k]
        i, j = np.triu_indices(k, 1)
        x = f64[starts[:, None] + i[None, :]]
        y = f64[starts[:, None] + j[None, :]]
        lo, hi = np.minimum(x, y), np.maximum(x, y)
        with np.errstate(over="ignore"):
            h = lo * _P1 ^ hi * _P2 ^ _PAIR_SALT
        out_f.append(_fold(h).ravel())
        out_o.append(np.repeat(owners[starts], len(i)))
    if not out_f:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_f), np.concatenate(out_o)


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, s+c) for all pairs, without a Python loop."""
    total = int(counts.sum())
    rep = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return np.arange(total) + rep
