"""Which database a web-app bench uses, and creating or dropping it (PostgreSQL or an SQLite file).

Not a bench script itself (the leading underscore keeps bench/run_smoke.py from running it).
"""

from __future__ import annotations

import os
from pathlib import Path

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def database_url(name: str, smoke: bool) -> str:
    """BENCH_DATABASE_URL if set, else the PostgreSQL database `name` on 127.0.0.1.

    With --smoke the default name gets a `_smoke` suffix, so a smoke run by hand never drops or fills
    the full-size database a seed took minutes to build.
    """
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    return f"{PG_SERVER}/{name}_smoke" if smoke else f"{PG_SERVER}/{name}"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def sqlite_path(url: str) -> Path:
    import dj_database_url

    return Path(dj_database_url.parse(url)["NAME"])


def _pg_split(url: str) -> tuple[str, str]:
    """(URL of the server's `postgres` database, database name) — DDL on a database runs from another."""
    base, name = url.rsplit("/", 1)
    return base + "/postgres", name.split("?", 1)[0]


def recreate_database(url: str) -> None:
    if is_sqlite(url):
        drop_database(url)
        return
    import psycopg

    admin, name = _pg_split(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_database(url: str) -> None:
    if is_sqlite(url):
        return  # SQLite creates the file on first connect
    import psycopg

    admin, name = _pg_split(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    if is_sqlite(url):
        path = sqlite_path(url)
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            p.unlink(missing_ok=True)
        return
    import psycopg

    admin, name = _pg_split(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
