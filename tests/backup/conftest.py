"""A real database to back up: migrated and filled with the demo data by `uppsok` in a subprocess (the
test settings keep SQLite in memory, which cannot be backed up), plus stored files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from uppsok.core import backup
from uppsok.core.backup import Database

ROOT = Path(__file__).resolve().parents[2]
UPPSOK = str(Path(sys.executable).parent / "uppsok")

# Stored files of every shape: nested, binary and incompressible, a non-ASCII name, an empty file.
MEDIA = {
    "ads/2025/06/3f2a.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40,
    "network/resources/handbok – åäö.pdf": os.urandom(300_000),
    "network/resources/tom.txt": b"",
    "kb.txt": "Kunskapsbanken: ÅÄÖ\n".encode() * 100,
}


def uppsok(args: list[str], database_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "uppsok.settings.dev", "DATABASE_URL": database_url,
           "UPPSOK_VAR_DIR": str(var_dir)}
    return subprocess.run([UPPSOK, *args], cwd=ROOT, env=env, check=True, timeout=600, capture_output=True,
                          text=True)


def fill(database_url: str, var_dir: Path) -> Path:
    """Migrates and loads the demo data (every app's rows), then stores the files; returns MEDIA_ROOT."""
    uppsok(["migrate", "--noinput", "-v0"], database_url, var_dir)
    uppsok(["demo_data"], database_url, var_dir)
    media = var_dir / "media"
    for name, data in MEDIA.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(data)
    return media


@pytest.fixture(scope="session")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, Path]:
    """Read-only for the tests: a test that writes must work on a copy (`sqlite_copy`)."""
    var = tmp_path_factory.mktemp("source")
    db_path = var / "uppsok.sqlite3"
    media = fill(f"sqlite:///{db_path}", var)
    return Database("sqlite", str(db_path)), media


@pytest.fixture
def key() -> bytes:
    return backup.parse_key(backup.generate_key())


def sqlite_contents(path: Path) -> dict[str, Any]:
    """Every table's rows, sorted, and the schema: what must come back unchanged."""
    conn = sqlite3.connect(path)
    try:
        schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        out: dict[str, Any] = {"schema": schema}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608 - names from the schema
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def media_contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
