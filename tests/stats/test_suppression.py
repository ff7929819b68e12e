"""Small-cell suppression: every cell under k is hidden, and no published set of cells and totals
lets a reader work out a hidden cell — checked by enumerating every whole-number table consistent
with what is published, independently of the linear programs the suppression itself uses."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsok.stats.suppression import cell_bounds, suppress


def completions(published, n_rows, n_cols, cap):
    """Every table of whole numbers 0..cap that agrees with the published cells and totals."""
    cells = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    grid = [[published.cells[i][j] for j in range(n_cols)] for i in range(n_rows)]
    col_t, row_t = published.col_totals, published.row_totals

    def rec(idx):
        if idx == len(cells):
            for j in range(n_cols):
                if col_t[j] is not None and sum(grid[i][j] for i in range(n_rows)) != col_t[j]:
                    return
            if row_t is not None:
                for i in range(n_rows):
                    if row_t[i] is not None and sum(grid[i]) != row_t[i]:
                        return
            yield [row[:] for row in grid]
            return
        i, j = cells[idx]
        if published.cells[i][j] is not None:
            yield from rec(idx + 1)
            return
        for v in range(cap + 1):
            grid[i][j] = v
            # prune: a column or row already over its published total
            if col_t[j] is not None and sum(grid[r][j] for r in range(i + 1) if grid[r][j] is not None) > col_t[j]:
                break
            if row_t is not None and row_t[i] is not None and sum(x for x in grid[i][: j + 1] if x is not None) > row_t[i]:
                break
            yield from rec(idx + 1)
        grid[i][j] = None

    return rec(0)


tables = st.integers(1, 3).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda cols: st.lists(st.lists(st.integers(0, 7), min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    )
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables, k=st.integers(2, 5), row_totals=st.booleans())
def test_no_published_set_reveals_a_suppressed_cell(table, k, row_totals):
    published = suppress(table, k, row_totals=row_totals)
    n_rows, n_cols = len(table), len(table[0])
    # every small cell is hidden, every shown cell is the true value
    for i in range(n_rows):
        for j in range(n_cols):
            if 0 < table[i][j] < k:
                assert published.cells[i][j] is None
            if published.cells[i][j] is not None:
                assert published.cells[i][j] == table[i][j]
    hidden = [(i, j) for i in range(n_rows) for j in range(n_cols) if published.cells[i][j] is None]
    if not hidden:
        return
    # whole-number tables agreeing with everything published, values up to beyond k
    shown_totals = [t for t in (published.col_totals + (published.row_totals or [])) if t is not None]
    cap = max([k, *(max(r) for r in table), *shown_totals]) + 1
    seen = {c: set() for c in hidden}
    # a hidden cell in no published total is free: any value fits, and it constrains nothing else
    row_t = published.row_totals
    free = [c for c in hidden if published.col_totals[c[1]] is None and (row_t is None or row_t[c[0]] is None)]
    for c in free:
        seen[c] = set(range(cap + 1))
        published.cells[c[0]][c[1]] = table[c[0]][c[1]]
    for completion in completions(published, n_rows, n_cols, cap):
        for (i, j) in hidden:
            seen[(i, j)].add(completion[i][j])
    for c in hidden:
        assert table[c[0]][c[1]] in seen[c]  # the truth is among them
        assert len(seen[c]) >= 2, (table, k, published.cells, c, seen[c])
        if c in published.primary:
            # a reader cannot even tell that the cell is small
            assert max(seen[c]) >= k, (table, k, published.cells, c, seen[c])


def test_a_small_cell_is_hidden_with_a_complement_and_the_total_stays():
    table = [[2, 10], [12, 30], [9, 0]]
    p = suppress(table, 5)
    assert p.cells[0][0] is None and p.col_totals == [23, 40]
    shown = [row[0] for row in p.cells]
    assert shown.count(None) >= 2
    lo, hi = cell_bounds(p, table)[(0, 0)]
    assert lo == 0 and hi >= 5


def test_a_small_total_is_hidden_too():
    p = suppress([[1], [2]], 5)
    assert p.col_totals == [None] and p.cells == [[None], [None]]


def test_nothing_small_nothing_hidden():
    p = suppress([[0, 5], [7, 0]], 5)
    assert p.cells == [[0, 5], [7, 0]] and p.col_totals == [7, 5]


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress([[-1]], 5)


network_tables = st.integers(2, 12).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(st.lists(st.integers(0, 15), min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    )
)


@settings(max_examples=100, deadline=None)
@given(table=network_tables, k=st.integers(2, 6))
def test_a_network_table_with_column_totals_hides_every_small_cell_safely(table, k):
    """The network's table (organisations × measures, a total per measure): each column is checked
    on its own by counting the ways its hidden cells can add up to what the total leaves."""
    published = suppress(table, k)
    n_rows = len(table)
    for j in range(len(table[0])):
        hidden = [i for i in range(n_rows) if published.cells[i][j] is None]
        assert all(i in hidden for i in range(n_rows) if 0 < table[i][j] < k)
        if not hidden:
            continue
        if published.col_totals[j] is None:
            continue  # no equation: each hidden cell can be anything
        left = published.col_totals[j] - sum(published.cells[i][j] for i in range(n_rows) if i not in hidden)
        assert left == sum(table[i][j] for i in hidden)
        # with two or more hidden cells each ranges over 0..left; alone it would be `left` exactly
        assert len(hidden) >= 2
        for i in hidden:
            if 0 < table[i][j] < k:
                assert left >= k  # the cell could be k or more: its smallness is not revealed
