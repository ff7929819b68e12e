"""Small-cell suppression of a published table, so that figures shared across a network reveal
no organisation's small counts.

A table is organisations × measures with the network's total per measure (and optionally a total
per row). A cell with 0 < value < k is suppressed (primary), and so is a total under k. Then
cells are suppressed alongside (complementary) until, for every suppressed cell, what is published
— the other cells and the totals, non-negative counts — leaves it open: it can take at least two
values, and a primary cell could be k or more, so a reader cannot even tell that it is small. Each
check is a pair of linear programs per suppressed cell (minimum and maximum of the cell subject to
the published margins); for a two-way table with margins their optima are whole numbers, so the
bounds are the exact integer bounds. Plain Python with scipy: no Django here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog

Cell = tuple[int, int]
# Totals are addressed as cells too: ("row", i) and ("col", j).
Margin = tuple[str, int]


@dataclass
class Published:
    """What may be shown: None where a value is suppressed."""

    cells: list[list[int | None]]
    col_totals: list[int | None]
    row_totals: list[int | None] | None
    primary: set[Cell] = field(default_factory=set)
    complementary: set[Cell] = field(default_factory=set)
    suppressed_totals: set[Margin] = field(default_factory=set)
    k: int = 5


def _bounds(values: np.ndarray, hidden: set[Cell], hidden_totals: set[Margin], row_totals: bool) -> dict[Any, tuple[float, float]]:
    """The least and greatest value each hidden cell or total can take, given everything shown."""
    n_rows, n_cols = values.shape
    if not row_totals:
        return _column_bounds(values, hidden, hidden_totals)
    variables: list[Any] = sorted(hidden) + sorted(hidden_totals)
    index = {v: i for i, v in enumerate(variables)}
    a_eq: list[list[float]] = []
    b_eq: list[float] = []

    def constraint(cells: list[Cell], total: Margin) -> None:
        row = [0.0] * len(variables)
        rhs = 0.0
        for c in cells:
            if c in index:
                row[index[c]] += 1.0
            else:
                rhs -= float(values[c])
        if total in index:
            row[index[total]] -= 1.0
        else:
            rhs += float(sum(values[c] for c in cells))
        if any(row):
            a_eq.append(row)
            b_eq.append(rhs)

    for j in range(n_cols):
        constraint([(i, j) for i in range(n_rows)], ("col", j))
    if row_totals:
        for i in range(n_rows):
            constraint([(i, j) for j in range(n_cols)], ("row", i))
    out: dict[Any, tuple[float, float]] = {}
    if not variables:
        return out
    for v in variables:
        c = np.zeros(len(variables))
        c[index[v]] = 1.0
        kwargs = {"A_eq": a_eq or None, "b_eq": b_eq or None, "bounds": [(0, None)] * len(variables), "method": "highs"}
        low = linprog(c, **kwargs)
        high = linprog(-c, **kwargs)
        lo = low.fun if low.status == 0 else 0.0
        hi = -high.fun if high.status == 0 else float("inf")  # status 3: unbounded
        out[v] = (lo, hi)
    return out


def _column_bounds(values: np.ndarray, hidden: set[Cell], hidden_totals: set[Margin]) -> dict[Any, tuple[float, float]]:
    """The same bounds when only column totals are published: each column is its own equation, so
    a hidden cell lies between 0 and what the column's total leaves for its hidden cells (the
    linear programs would say the same, a thousand times slower on a network's table)."""
    out: dict[Any, tuple[float, float]] = {}
    n_rows, n_cols = values.shape
    for j in range(n_cols):
        column = [(i, j) for i in range(n_rows)]
        mine = [c for c in column if c in hidden]
        shown = sum(int(values[c]) for c in column if c not in hidden)
        if ("col", j) in hidden_totals:
            out[("col", j)] = (float(shown), float("inf"))
            for c in mine:
                out[c] = (0.0, float("inf"))
        else:
            left = float(int(values[:, j].sum()) - shown)
            for c in mine:
                # alone in its column it is the remainder; beside others anything from 0 to it
                out[c] = (left, left) if len(mine) == 1 else (0.0, left)
    return out


def suppress(table: list[list[int]], k: int = 5, *, row_totals: bool = False) -> Published:
    """Suppress `table` (rows × columns of non-negative counts) for publication with its column
    totals (and row totals when `row_totals`)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    values = np.array(table, dtype=np.int64).reshape(len(table), len(table[0]) if table else 0)
    if values.size and values.min() < 0:
        raise ValueError("counts cannot be negative")
    n_rows, n_cols = values.shape
    col_t = values.sum(axis=0)
    row_t = values.sum(axis=1)
    primary = {(i, j) for i in range(n_rows) for j in range(n_cols) if 0 < values[i, j] < k}
    hidden: set[Cell] = set(primary)
    hidden_totals: set[Margin] = {("col", j) for j in range(n_cols) if 0 < col_t[j] < k}
    if row_totals:
        hidden_totals |= {("row", i) for i in range(n_rows) if 0 < row_t[i] < k}
    small = set(primary) | {t for t in hidden_totals}
    while True:
        bounds = _bounds(values, hidden, hidden_totals, row_totals)
        failing = [
            v for v, (lo, hi) in bounds.items()
            if hi - lo < 0.5 or (v in small and hi < k - 0.5)
        ]
        if not failing:
            break
        v = failing[0]
        added = _complement(values, v, hidden, hidden_totals, row_totals, k)
        if not added:  # nothing left to hide beside it: hide the margins it lives in
            if isinstance(v[0], str):
                raise RuntimeError("suppression cannot protect a total")  # pragma: no cover - margins are free
            i, j = v
            if ("col", j) not in hidden_totals:
                hidden_totals.add(("col", j))
            elif row_totals and ("row", i) not in hidden_totals:
                hidden_totals.add(("row", i))
            else:  # pragma: no cover - with its margins hidden a cell is unbounded
                raise RuntimeError("suppression did not converge")
    cells = [[None if (i, j) in hidden else int(values[i, j]) for j in range(n_cols)] for i in range(n_rows)]
    return Published(
        cells=cells,
        col_totals=[None if ("col", j) in hidden_totals else int(col_t[j]) for j in range(n_cols)],
        row_totals=[None if ("row", i) in hidden_totals else int(row_t[i]) for i in range(n_rows)] if row_totals else None,
        primary=primary, complementary=hidden - primary, suppressed_totals=hidden_totals, k=k,
    )


def _complement(values: np.ndarray, v: Any, hidden: set[Cell], hidden_totals: set[Margin], row_totals: bool, k: int) -> bool:
    """Hide one more cell that shares a published margin with `v`: the smallest one of at least k
    when there is one (one such cell protects `v` at the least cost), else the largest (the range
    widens the most for one cell lost). False when there is none."""
    n_rows, n_cols = values.shape
    if isinstance(v[0], str):
        kind, idx = v
        lines = [[(i, idx) for i in range(n_rows)]] if kind == "col" else [[(idx, j) for j in range(n_cols)]]
    else:
        i, j = v
        lines = []
        if ("col", j) not in hidden_totals:
            lines.append([(r, j) for r in range(n_rows)])
        if row_totals and ("row", i) not in hidden_totals:
            lines.append([(i, c) for c in range(n_cols)])
    candidates = [c for line in lines for c in line if c not in hidden]
    if not candidates:
        return False
    big_enough = [c for c in candidates if values[c] >= k]
    if big_enough:
        hidden.add(min(big_enough, key=lambda c: (int(values[c]), c)))
    else:
        hidden.add(max(candidates, key=lambda c: (int(values[c]), -c[0], -c[1])))
    return True


def cell_bounds(published: Published, table: list[list[int]]) -> dict[Any, tuple[float, float]]:
    """The range a reader can work out for each suppressed cell and total (for reports and tests)."""
    values = np.array(table, dtype=np.int64)
    hidden = published.primary | published.complementary
    return _bounds(values, hidden, published.suppressed_totals, published.row_totals is not None)
