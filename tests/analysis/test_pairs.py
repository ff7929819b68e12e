"""Candidate pairs made only inside the time window are exactly the windowed subset of all pairs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsok.analysis.linking import pairs_in_equal_runs, pairs_near_in_equal_runs


def _as_set(a, b):
    return {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True)}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 100)), max_size=60),
    st.integers(0, 40),
    st.integers(2, 12),
    st.integers(1, 50),
)
def test_windowed_pairs_equal_all_pairs_filtered_by_time(rows, window, max_size, batch):
    keys = np.array([k for k, _ in rows], dtype=np.uint32)
    times = np.array([t for _, t in rows], dtype=np.float64)
    members = np.arange(len(rows), dtype=np.int64)
    a, b = pairs_in_equal_runs(keys, members, max_size)
    expected = {(x, y) for x, y in _as_set(a, b) if abs(times[x] - times[y]) <= window}
    got: list[tuple[int, int]] = []
    for pa, pb in pairs_near_in_equal_runs(keys, members, times, float(window), max_size, batch):
        assert len(pa) == len(pb)
        got.extend(zip(pa.tolist(), pb.tolist(), strict=True))
    assert len(got) == len(set(got))  # each pair once
    assert _as_set(np.array([x for x, _ in got], dtype=np.int64), np.array([y for _, y in got], dtype=np.int64)) \
        == expected if got else not expected
    # the same rows in (key, time) order take the path without a sort, and pair alike
    order = np.lexsort((times, keys))
    sorted_got = [(int(order[x]), int(order[y])) for pa, pb in
                  pairs_near_in_equal_runs(keys[order], members, times[order], float(window), max_size, batch)
                  for x, y in zip(pa.tolist(), pb.tolist(), strict=True)]
    assert {(min(p), max(p)) for p in sorted_got} == {(min(p), max(p)) for p in got}


def test_a_phrase_used_for_years_pairs_only_neighbours_in_time():
    # 200 ads with one phrase, one a week: with a 30-day window each pairs with the next four
    keys = np.zeros(200, dtype=np.uint32)
    times = np.arange(200, dtype=np.float64) * 7
    pairs = list(pairs_near_in_equal_runs(keys, np.arange(200), times, 30.0, 300))
    n = sum(len(a) for a, _ in pairs)
    assert n == sum(min(4, 199 - i) for i in range(200))


def test_membership_with_the_prefilter_equals_plain_binary_search():
    from uppsok.analysis.linking import _searched, hash_slices, sorted_member

    rng = np.random.default_rng(7)
    values = rng.integers(0, 2**32, 1_200_000, dtype=np.uint64).astype(np.uint32)
    for size in (1, 1000, 300_000):
        chosen = rng.choice(values, size // 2)
        stock = np.unique(np.concatenate((chosen, rng.integers(0, 2**32, size - size // 2, dtype=np.uint64)
                                          .astype(np.uint32))))
        got = sorted_member(values, stock)
        assert (got == _searched(values, stock)).all()
        assert got[np.isin(values, chosen)].all()
    # slices of the hash space cover every value once, each in its own slice, in input order
    parts = list(hash_slices(values[:5000], 3))
    assert sorted(np.concatenate(parts).tolist()) == list(range(5000))
    assert all(((values[:5000][p] % 3) == k).all() and (np.diff(p) > 0).all() for k, p in enumerate(parts))
