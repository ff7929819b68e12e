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


def test_a_phrase_used_for_years_pairs_only_neighbours_in_time():
    # 200 ads with one phrase, one a week: with a 30-day window each pairs with the next four
    keys = np.zeros(200, dtype=np.uint32)
    times = np.arange(200, dtype=np.float64) * 7
    pairs = list(pairs_near_in_equal_runs(keys, np.arange(200), times, 30.0, 300))
    n = sum(len(a) for a, _ in pairs)
    assert n == sum(min(4, 199 - i) for i in range(200))
