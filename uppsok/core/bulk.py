"""Writing many rows at once without a model instance per row.

An import analyses tens of thousands of ads in one go and writes hundreds of thousands of derived
rows (links, indicators, text features) and an update per ad. Django's `bulk_create` builds a
model instance for each row and `bulk_update` a CASE expression per value; at that size both
cost more than the analysis itself. These helpers write plain parameterised SQL that works
the same on SQLite (3.33 or newer) and PostgreSQL, converting each value the way its model field
would. They are for rows the application derives itself (no signals, no `save()`), never for a
user's edit, which goes through `core.changes.save_changes`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from django.db import connection, models

# Rows per INSERT statement, at most, and parameters per statement: under SQLite's limit of 32,766.
ROWS_PER_INSERT = 5_000
MAX_PARAMS = 30_000
# Rows per UPDATE statement: its parameters (a few per row) stay far under SQLite's limit of 32,766.
ROWS_PER_UPDATE = 500

# Field types whose Python values go to the database unchanged on both back ends.
_PLAIN = frozenset({
    "CharField", "TextField", "IntegerField", "SmallIntegerField", "BigIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "BooleanField", "FloatField",
})


ColumnConverter = Callable[[Sequence[Any]], Sequence[Any]]


def _converter(field: models.Field) -> ColumnConverter | None:
    """A function giving the database values of a column of Python values of `field` (None: the
    values go as they are). Values that repeat (the same ad, organisation or user in many rows)
    are converted once: a per-value call into Django's field cost about 10 µs a row, a third of
    an import's link inserts on SQLite."""
    if field.get_internal_type() in _PLAIN:
        return None
    if type(field) is models.DateTimeField:
        return _per_value(_datetime_value(field))
    if isinstance(field, models.JSONField):
        if field.encoder is not None:
            return _per_value(lambda v: field.get_db_prep_save(v, connection))
        return _per_value(_json_converter())
    known: dict[Any, Any] = {}

    def convert(column: Sequence[Any]) -> Sequence[Any]:
        try:
            new = set(column).difference(known)
        except TypeError:  # unhashable values: each on its own
            return [None if v is None else field.get_db_prep_save(v, connection) for v in column]
        for v in new:
            known[v] = None if v is None else field.get_db_prep_save(v, connection)
        return list(map(known.__getitem__, column))

    return convert


def _per_value(convert: Callable[[Any], Any]) -> ColumnConverter:
    return lambda column: list(map(convert, column))


def _datetime_value(field: models.DateTimeField) -> Callable[[Any], Any]:
    """An aware datetime as the database takes it, without Django's per-value checks (a second
    per 100,000 rows): PostgreSQL's driver takes it as it is, SQLite the text of its naive time in
    the connection's zone, as Django writes it. A naive value goes Django's way (with its warning)."""
    pg = connection.vendor == "postgresql"
    zone = connection.timezone

    def convert(v: Any) -> Any:
        if v is None:
            return None
        if v.utcoffset() is None:
            return field.get_db_prep_save(v, connection)
        return v if pg else str(v.astimezone(zone).replace(tzinfo=None))

    return convert


def _orjson(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def _json_converter() -> Callable[[Any], Any]:
    """A JSONField value (no custom encoder) for the database, by orjson: Django's own conversion
    runs json.dumps per value, which for the evidence of a large import cost seconds. The stored
    JSON means the same; only the spacing differs. The back end is asked once, not per value."""
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return lambda value: None if value is None else Jsonb(value, dumps=_orjson)
    return lambda value: None if value is None else _orjson(value).decode()


def _prepared(convert: list[ColumnConverter | None], rows: list[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """`rows` with each value converted for the database, a column at a time (one `map` per
    column instead of a Python call per value where the column needs no conversion)."""
    if not rows:
        return []
    cols = list(zip(*rows, strict=True))
    return list(zip(*(col if c is None else c(col) for c, col in zip(convert, cols, strict=True)), strict=True))


def chunks(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """`values` (a list in hand) in slices of `size`: the id and key lists of one query each, kept
    under the databases' parameter limits."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _batches(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    """`rows` in lists of `size` (the last one shorter), so a generator of rows is never held whole."""
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _columns(
    model: type[models.Model], fields: Sequence[str]
) -> tuple[list[str], list[ColumnConverter | None]]:
    meta = model._meta
    found = [meta.get_field(name) for name in fields]
    return [connection.ops.quote_name(f.column) for f in found], [_converter(f) for f in found]


def insert_ignoring_conflicts(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT `rows` (tuples of Python values in the order of `fields`, attribute names such as
    ``ad_id``) into `model`'s table; a row that breaks a unique constraint is skipped, as with
    ``bulk_create(ignore_conflicts=True)``. Returns the number of rows sent.

    On PostgreSQL many rows per statement: one statement per row costs a round trip and a parse
    each, which made the inserts of an import slower than everything else together."""
    cols, convert = _columns(model, fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sqlite = connection.vendor == "sqlite"
    rows, many = _many_on_postgresql(rows)
    if many:
        return _copy_ignoring_conflicts(table, cols, convert, rows)
    per_statement = ROWS_PER_INSERT if sqlite else max(1, min(ROWS_PER_INSERT, MAX_PARAMS // len(cols)))
    one = "(" + ", ".join(["%s"] * len(cols)) + ")"
    head = f"INSERT INTO {table} ({', '.join(cols)}) VALUES "  # noqa: S608 - names only
    sent = 0
    with connection.cursor() as cur:
        for batch in _batches(rows, per_statement):
            if sqlite:  # SQLite prepares one statement for executemany: cheaper than a long VALUES list
                cur.executemany(head + one + " ON CONFLICT DO NOTHING", _prepared(convert, batch))
            else:
                cur.execute(head + ", ".join([one] * len(batch)) + " ON CONFLICT DO NOTHING",
                            [x for row in _prepared(convert, batch) for x in row])
            sent += len(batch)
    return sent


# From this many rows PostgreSQL gets them by COPY into a temporary table and one INSERT … SELECT:
# multi-row VALUES statements of tens of thousands of parameters cost about ten times as much per row
# (an import's links and indicators: about 90 µs a row).
COPY_FROM_ROWS = 5_000


def _many_on_postgresql(rows: Iterable[Sequence[Any]]) -> tuple[Iterable[Sequence[Any]], bool]:
    """`rows` again, and whether they go by COPY: on PostgreSQL when there are COPY_FROM_ROWS or
    more (only that many are read ahead to tell)."""
    if connection.vendor != "postgresql":
        return rows, False
    rest = iter(rows)
    first = list(itertools.islice(rest, COPY_FROM_ROWS))
    if len(first) >= COPY_FROM_ROWS:
        return itertools.chain(first, rest), True
    return first, False


@contextmanager
def _copied(cur: Any, name: str, select: str, names: str, convert: list[ColumnConverter | None],
            rows: Iterable[Sequence[Any]]) -> Iterator[tuple[str, int]]:
    """A temporary table `name` with the columns of `select` (their own types, no constraints)
    holding `rows` sent by COPY, dropped again afterwards; yields its qualified name and the
    number of rows sent."""
    temp = "pg_temp." + connection.ops.quote_name(name)  # never a table of the same name elsewhere
    cur.execute(f"DROP TABLE IF EXISTS {temp}")
    cur.execute(f"CREATE TEMPORARY TABLE {connection.ops.quote_name(name)} AS {select} WITH NO DATA")
    yield temp, _copy_rows(cur, temp, names, convert, rows)
    cur.execute(f"DROP TABLE {temp}")


def _copy_ignoring_conflicts(
    table: str, cols: list[str], convert: list[ColumnConverter | None], rows: Iterable[Sequence[Any]]
) -> int:
    names = ", ".join(cols)
    with connection.cursor() as cur, _copied(cur, "bulk_rows", f"SELECT {names} FROM {table}",  # noqa: S608
                                             names, convert, rows) as (temp, sent):
        cur.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {temp} ON CONFLICT DO NOTHING")  # noqa: S608
    return sent


def insert_new_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """`insert_ignoring_conflicts` for rows that cannot conflict (the caller has just deleted
    their predecessors): on PostgreSQL through COPY, several times faster than INSERT for the
    millions of text-feature rows of a large import."""
    if connection.vendor != "postgresql":
        return insert_ignoring_conflicts(model, fields, rows)
    cols, convert = _columns(model, fields)
    with connection.cursor() as cur:
        return _copy_rows(cur, connection.ops.quote_name(model._meta.db_table), ", ".join(cols), convert, rows)


def _copy_rows(cur: Any, table: str, names: str, convert: list[ColumnConverter | None],
               rows: Iterable[Sequence[Any]]) -> int:
    """COPY `rows` into `table` (PostgreSQL), converted as `_prepared` does; the number sent."""
    sent = 0
    with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for batch in _batches(rows, ROWS_PER_INSERT):
            for prepared in _prepared(convert, batch):
                copy.write_row(prepared)
            sent += len(batch)
    return sent


def update_by_key(
    model: type[models.Model], key: str, fields: Sequence[str], rows: Iterable[Sequence[Any]],
    *, where: dict[str, Any],
) -> None:
    """Set `fields` on the rows whose `key` column equals each row's first value: `rows` are
    tuples (key value, *field values), each key once. `where` adds equality conditions (the
    organisation), so a key never reaches another organisation's rows; it is required for that
    reason. One statement per ROWS_PER_UPDATE rows."""
    cols, convert = _columns(model, [key, *fields])
    table = connection.ops.quote_name(model._meta.db_table)
    extra_cols, extra_convert = _columns(model, list(where))
    extra_sql = "".join(f" AND {table}.{c} = %s" for c in extra_cols)
    extra_params = list(_prepared(extra_convert, [list(where.values())])[0]) if where else []
    rows, many = _many_on_postgresql(rows)
    if many:
        _copy_update(table, cols, convert, rows, extra_sql, extra_params)
        return
    # PostgreSQL types the columns of a VALUES list from its parameters, which arrive untyped:
    # each takes the type of the column it is written to
    pg = connection.vendor == "postgresql"
    # (text for character columns: a cast to varchar(n) would cut a longer value silently, where
    # the assignment refuses it, and would let a too-long key match a row by its first n characters)
    casts = []
    for name in [key, *fields]:
        field = model._meta.get_field(name)
        kind = "text" if field.get_internal_type() in ("CharField", "TextField") else field.db_type(connection)
        casts.append(f"::{kind}" if pg else "")
    placeholder = "(" + ", ".join(f"%s{c}" for c in casts) + ")"
    sets = ", ".join(f"{c} = v.column{k + 2}" for k, c in enumerate(cols[1:]))
    with connection.cursor() as cur:
        for batch in _batches(rows, ROWS_PER_UPDATE):
            values = ", ".join([placeholder] * len(batch))
            cur.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {values}) AS v "  # noqa: S608 - names only
                f"WHERE {table}.{cols[0]} = v.column1{extra_sql}",
                [x for row in _prepared(convert, batch) for x in row] + extra_params,
            )


def _copy_update(table: str, cols: list[str], convert: list[ColumnConverter | None],
                 rows: Iterable[Sequence[Any]], extra_sql: str, extra_params: list[Any]) -> None:
    """`update_by_key` on PostgreSQL for many rows: COPY into a temporary table with the columns'
    own types (a value too long for its column is refused, never cut), then one UPDATE joined to
    it. Statements of 500 VALUES rows cost about 190 µs a row (an import's 100,000 ads: 19 s)."""
    # the temporary table's columns by position: the key may also be one of the fields set
    aliases = [f"c{k}" for k in range(len(cols))]
    sets = ", ".join(f"{c} = u.{a}" for c, a in zip(cols[1:], aliases[1:], strict=True))
    select = "SELECT " + ", ".join(f"{c} AS {a}" for c, a in zip(cols, aliases, strict=True)) + f" FROM {table}"  # noqa: S608
    with connection.cursor() as cur, _copied(cur, "bulk_update", select, ", ".join(aliases), convert, rows) as (temp, _):
        cur.execute(f"ANALYZE {temp}")
        cur.execute(
            f"UPDATE {table} SET {sets} FROM {temp} AS u WHERE {table}.{cols[0]} = u.c0{extra_sql}",  # noqa: S608
            extra_params,
        )
