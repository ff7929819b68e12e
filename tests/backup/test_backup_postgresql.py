"""Backup and restore on PostgreSQL: pg_dump in the counted snapshot, pg_restore into a database made
with createdb, every row, sequence and trigger back; a damaged archive or a non-empty target is refused
and the target stays empty. Runs when DATABASE_URL names PostgreSQL, as in CI's second pass."""

from __future__ import annotations

import os
import shutil
from typing import Any

import dj_database_url
import pytest

from uppsok.core import backup
from uppsok.core.backup import BackupError, Database

from .conftest import MEDIA, fill, media_contents

URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(not URL.startswith(("postgres://", "postgresql://")),
                       reason="kräver DATABASE_URL=postgres://… / needs DATABASE_URL=postgres://… (CI's second pass)"),
    pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")),
                       reason="pg_dump och pg_restore saknas / pg_dump and pg_restore are missing"),
]


def _server() -> dict[str, Any]:
    return dj_database_url.parse(URL)


def _url(name: str) -> str:
    server = _server()
    auth = server["USER"] + (f":{server['PASSWORD']}" if server["PASSWORD"] else "")
    return f"postgres://{auth}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"


def _database(name: str) -> Database:
    return Database.from_settings({**_server(), "NAME": name})


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="module")
def pg_source(tmp_path_factory: pytest.TempPathFactory):
    name = f"uppsok_backup_src_{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    try:
        media = fill(_url(name), tmp_path_factory.mktemp("pg_source"))
        yield _database(name), media
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_empty():
    name = f"uppsok_backup_dst_{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    try:
        yield _database(name)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_contents(db: Database) -> dict[str, Any]:
    """Every table's rows (sorted), every sequence's position and the triggers: what must come back."""
    from psycopg import sql

    with db.connect() as conn:
        out: dict[str, Any] = {}
        tables = conn.execute("SELECT schemaname, tablename FROM pg_tables "
                              "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')").fetchall()
        for schema, table in tables:
            rows = conn.execute(sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(schema),
                                                                      sql.Identifier(table))).fetchall()
            out[f"{schema}.{table}"] = sorted(rows, key=repr)
        for schema, seq in conn.execute("SELECT schemaname, sequencename FROM pg_sequences").fetchall():
            out[f"sequence {schema}.{seq}"] = conn.execute(
                sql.SQL("SELECT last_value, is_called FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(seq))
            ).fetchone()
        out["triggers"] = sorted(conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").fetchall())
        out["indexes"] = sorted(conn.execute("SELECT indexname, indexdef FROM pg_indexes "
                                             "WHERE schemaname = 'public'").fetchall())
        return out


def test_round_trip_into_an_empty_database(tmp_path, pg_source, pg_empty, key):
    db, media = pg_source
    before = pg_contents(db)
    archives = tmp_path / "archives"
    archives.mkdir()
    path = backup.create_backup(archives, key, database=db, media_root=media).path
    manifest = backup.check_archive(path, key).manifest
    assert manifest["database"]["vendor"] == "postgresql" and manifest["database"]["member"] == "database.pgdump"
    assert sum(manifest["tables"].values()) > 1000
    assert b"alice" not in path.read_bytes()

    # a changed byte, and the wrong key, are refused and leave the database empty
    tampered = tmp_path / "tampered.backup"
    data = path.read_bytes()
    tampered.write_bytes(data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 0x80]) + data[len(data) // 2 + 1 :])
    with pytest.raises(BackupError, match="Arkivet är skadat"):
        backup.restore_backup(tampered, key, database=pg_empty, media_root=tmp_path / "media")
    with pytest.raises(BackupError, match="Fel nyckel"):
        backup.restore_backup(path, backup.parse_key(backup.generate_key()), database=pg_empty,
                              media_root=tmp_path / "media")
    assert pg_contents(pg_empty) == {"triggers": [], "indexes": []}

    result = backup.restore_backup(path, key, database=pg_empty, media_root=tmp_path / "media")
    assert result.rows == sum(len(v) for k, v in before.items() if "." in k and not k.startswith("sequence"))
    assert pg_contents(pg_empty) == before
    assert media_contents(tmp_path / "media") == MEDIA


def test_restore_refuses_a_database_with_data_or_tables(tmp_path, pg_source, pg_empty, key):
    db, media = pg_source
    archives = tmp_path / "archives"
    archives.mkdir()
    path = backup.create_backup(archives, key, database=db, media_root=media).path
    with pytest.raises(BackupError, match="innehåller data"):
        backup.restore_backup(path, key, database=db, media_root=tmp_path / "media")
    with pg_empty.connect() as conn:
        conn.execute("CREATE TABLE leftover (x int)")
    with pytest.raises(BackupError, match=r"har redan tabeller, om än utan rader \(1 st.\)"):
        backup.restore_backup(path, key, database=pg_empty, media_root=tmp_path / "media")
    assert not (tmp_path / "media").exists()


def test_restore_of_an_sqlite_archive_into_postgresql_is_refused(tmp_path, sqlite_source, pg_empty, key):
    db, media = sqlite_source
    archives = tmp_path / "archives"
    archives.mkdir()
    path = backup.create_backup(archives, key, database=db, media_root=media).path
    with pytest.raises(BackupError, match="SQLite-databas men målet är PostgreSQL"):
        backup.restore_backup(path, key, database=pg_empty, media_root=tmp_path / "media")
