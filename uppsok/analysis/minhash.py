"""Vectorised MinHash over word shingles of template text, and banded LSH keys.

One numpy pass per chunk of ads instead of a Python loop per ad and permutation: the cost per ad
is a few microseconds, which is what lets the whole corpus run at thousands of ads per second.
"""

from __future__ import annotations

import numpy as np

# 60 permutations = 12 bands x 5 rows. LSH threshold ~ (1/12)^(1/5) = 0.61: template copies
# (Jaccard >= 0.8 after placeholders) collide with probability > 0.99, unrelated ads
# (Jaccard ~0.2-0.3) with < 3 %.
NUM_PERM = 60
BANDS = 12
ROWS = NUM_PERM // BANDS
# Word n-gram size of shingles: 3 words keep word order (templates) without making one changed
# word cost too many shingles.
SHINGLE_WORDS = 3
# Texts with fewer shingles are too short to call "the same template" ("Ring mig!").
MIN_SHINGLES = 8

_rng = np.random.default_rng(20240611)  # fixed: signatures must be comparable across runs/index
_A = (_rng.integers(1, 2**63 - 1, NUM_PERM, dtype=np.uint64) | np.uint64(1))
_B = _rng.integers(0, 2**63 - 1, NUM_PERM, dtype=np.uint64)
_BAND_MUL = _rng.integers(1, 2**63 - 1, ROWS, dtype=np.uint64) | np.uint64(1)
_P1 = np.uint64(0x9E3779B97F4A7C15)
_P2 = np.uint64(0xC2B2AE3D27D4EB4F)


def signatures(token_hash_lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(sigs uint32 [n, NUM_PERM], ok bool [n]); ok is False for texts with too few shingles."""
    n = len(token_hash_lists)
    sigs = np.zeros((n, NUM_PERM), dtype=np.uint32)
    ok = np.zeros(n, dtype=bool)
    lens = np.fromiter((len(t) for t in token_hash_lists), dtype=np.int64, count=n)
    nsh = np.maximum(lens - (SHINGLE_WORDS - 1), 0)
    ok = nsh >= MIN_SHINGLES
    if not ok.any():
        return sigs, ok
    idx = np.flatnonzero(ok)
    flat = np.fromiter(
        (h for i in idx for h in token_hash_lists[i]), dtype=np.uint64, count=int(lens[idx].sum())
    )
    starts = np.concatenate(([0], np.cumsum(lens[idx])[:-1]))
    # shingle hash at every position, then drop those that run over the end of an ad
    with np.errstate(over="ignore"):
        sh = flat[: len(flat) - 2] * _P1 ^ (flat[1: len(flat) - 1] * _P2) ^ flat[2:]
    cnt = nsh[idx]
    sh_starts = np.concatenate(([0], np.cumsum(cnt)[:-1]))
    take = _ranges(starts, cnt)
    sh = sh[take]
    out = np.empty((len(idx), NUM_PERM), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for k in range(NUM_PERM):
            v = ((sh * _A[k] + _B[k]) >> np.uint64(32)).astype(np.uint32)
            out[:, k] = np.minimum.reduceat(v, sh_starts)
    sigs[idx] = out
    return sigs, ok


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, s+c) for all pairs, without a Python loop."""
    total = int(counts.sum())
    rep = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return np.arange(total) + rep


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """uint64 [n, BANDS]: one key per band; equal keys = LSH candidates."""
    out = np.empty((len(sigs), BANDS), dtype=np.uint64)
    step = 100_000  # bounds the uint64 copy of the signatures (8 bytes x NUM_PERM per ad)
    for s0 in range(0, len(sigs), step):
        s = sigs[s0:s0 + step].astype(np.uint64).reshape(-1, BANDS, ROWS)
        with np.errstate(over="ignore"):
            keys = (s * _BAND_MUL).sum(axis=2, dtype=np.uint64)
            out[s0:s0 + step] = keys * np.uint64(BANDS) + np.arange(BANDS, dtype=np.uint64)
    return out
