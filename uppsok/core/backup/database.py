"""The database's side of a backup: a consistent snapshot (SQLite's online backup API, or pg_dump in an
exported snapshot) with its row counts, and restoring into an empty database of the same kind."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import BackupError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
# libpq connection settings Django's OPTIONS may carry, with the environment variable pg_dump reads.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS", "passfile": "PGPASSFILE",
    "service": "PGSERVICE", "target_session_attrs": "PGTARGETSESSIONATTRS",
}


@dataclass(frozen=True)
class Database:
    vendor: str
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = field(default="", repr=False)
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_settings(cls, db: dict[str, Any]) -> Database:
        engine = db.get("ENGINE", "")
        if engine.endswith("sqlite3"):
            name = str(db.get("NAME") or "")
            if not name or name == ":memory:" or name.startswith("file:"):
                raise BackupError("En databas i minnet kan inte säkerhetskopieras eller återställas. / "
                                  "An in-memory database cannot be backed up or restored.")
            return cls(SQLITE, str(Path(name).absolute()))
        if "postgresql" in engine:
            options = tuple((k, str(v)) for k, v in (db.get("OPTIONS") or {}).items() if k in _LIBPQ_OPTIONS)
            return cls(POSTGRESQL, str(db["NAME"]), str(db.get("HOST") or ""), str(db.get("PORT") or ""),
                       str(db.get("USER") or ""), str(db.get("PASSWORD") or ""), options)
        raise BackupError(f"Databasmotorn {engine} stöds inte (bara SQLite och PostgreSQL). / "
                          f"The database engine {engine} is not supported (only SQLite and PostgreSQL).")

    @property
    def label(self) -> str:
        return self.name if self.vendor == SQLITE else f"PostgreSQL {self.name}"

    def libpq_env(self) -> dict[str, str]:
        """The environment pg_dump and pg_restore connect with: the password never on a command line."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        for key, value in (("PGHOST", self.host), ("PGPORT", self.port), ("PGUSER", self.user),
                           ("PGPASSWORD", self.password), ("PGDATABASE", self.name)):
            if value:
                env[key] = value
        for key, value in self.options:
            env[_LIBPQ_OPTIONS[key]] = value
        return env

    def connect(self) -> Any:
        import psycopg

        params = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user,
                  "password": self.password, **dict(self.options)}
        try:
            return psycopg.connect(**{k: v for k, v in params.items() if v})
        except psycopg.OperationalError as exc:
            raise BackupError(f"Kan inte ansluta till {self.label}: {_first_line(exc)} / "
                              f"Cannot connect to {self.label}.") from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} hittas inte; installera PostgreSQL:s klientprogram (samma huvudversion som "
                          f"servern eller nyare). / {name} not found; install the PostgreSQL client programs "
                          "(the server's major version or newer).")
    return found


@dataclass
class Snapshot:
    """A consistent state of the database: its counts now, its dump when opened."""

    vendor: str
    member: str
    tables: dict[str, int]
    migrations: dict[str, list[str]]
    server_version: str
    _open: Any = field(repr=False, default=None)

    def open_dump(self) -> contextlib.AbstractContextManager[IO[bytes]]:
        return self._open()


# ---- SQLite -------------------------------------------------------------------------------------

def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                        "ESCAPE '\\' ORDER BY name").fetchall()
    return [r[0] for r in rows]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {_quote(t)}").fetchone()[0] for t in _sqlite_tables(conn)}  # noqa: S608


def _migrations(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in sorted(rows):
        out.setdefault(app, []).append(name)
    return out


def _sqlite_connect(path: Path, mode: str = "rw") -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode={mode}", uri=True, timeout=60,
                           isolation_level=None)
    return conn


@contextlib.contextmanager
def sqlite_snapshot(db: Database) -> Iterator[Snapshot]:
    """Copies the live file with the online backup API next to it (same disk, same protection), reads
    its counts and unlinks the copy's name at once, keeping it open for the archive."""
    source_path = Path(db.name)
    if not source_path.is_file():
        raise BackupError(f"Databasfilen {source_path} finns inte. / The database file {source_path} does not exist.")
    copy_path = source_path.with_name(f".{source_path.name}.backup-{secrets.token_hex(6)}")
    fd = os.open(copy_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    handle: IO[bytes] | None = None
    try:
        source = _sqlite_connect(source_path)
        copy = sqlite3.connect(copy_path, isolation_level=None)
        try:
            # One step (pages=-1) copies the whole database under one read lock: a consistent state
            # while the web server and the worker keep writing (WAL lets them).
            source.backup(copy, pages=-1)
            # The copy stands alone: no -wal file beside it to be missed.
            copy.execute("PRAGMA journal_mode=DELETE")
            tables = _sqlite_counts(copy)
            migrations = _migrations(copy.execute("SELECT app, name FROM django_migrations").fetchall()
                                     if "django_migrations" in tables else [])
            version = sqlite3.sqlite_version
        finally:
            copy.close()
            source.close()
        handle = open(copy_path, "rb")  # closed below, after the archive has read it
        copy_path.unlink()

        @contextlib.contextmanager
        def open_dump() -> Iterator[IO[bytes]]:
            assert handle is not None
            handle.seek(0)
            yield handle

        yield Snapshot(SQLITE, "database.sqlite3", tables, migrations, f"SQLite {version}", open_dump)
    finally:
        if handle is not None:
            handle.close()
        for leftover in [copy_path, *(copy_path.with_name(copy_path.name + s) for s in ("-journal", "-wal", "-shm"))]:
            leftover.unlink(missing_ok=True)


def sqlite_rows_in(path: Path) -> str | None:
    """The first table of the file that has rows, or None (a missing or empty file has none)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = _sqlite_connect(path)
        try:
            for table in _sqlite_tables(conn):
                if conn.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1").fetchone():  # noqa: S608
                    return table
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise BackupError(f"{path} finns men är ingen SQLite-databas; den ersätts inte. / "
                          f"{path} exists but is not an SQLite database; it is not replaced.") from None
    return None


class SqliteTarget:
    """Writes the dump to a new file beside the target; it replaces the (empty) target only once checked."""

    def __init__(self, db: Database) -> None:
        self.path = Path(db.name)
        self.temp = self.path.with_name(f".{self.path.name}.restore-{secrets.token_hex(6)}")
        self._file: IO[bytes] | None = None
        self.committed = False

    def begin(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = os.fdopen(os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")

    def write(self, data: bytes) -> None:
        assert self._file is not None
        self._file.write(data)

    def finish(self) -> dict[str, int]:
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = None
        conn = _sqlite_connect(self.temp)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError("Den återställda SQLite-filen klarar inte quick_check. / "
                                  "The restored SQLite file fails quick_check.")
            return _sqlite_counts(conn)
        finally:
            conn.close()

    def place(self) -> None:
        if sqlite_rows_in(self.path):
            raise BackupError(f"{self.path} fick data medan återställningen pågick; inget ersattes. / "
                              f"{self.path} received data during the restore; nothing was replaced.")
        for stale in (self.path.with_name(self.path.name + s) for s in ("-wal", "-shm", "-journal")):
            stale.unlink(missing_ok=True)
        self.temp.chmod(0o666 & ~_umask())
        os.replace(self.temp, self.path)
        self.committed = True
        _fsync_dir(self.path.parent)

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self.temp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- PostgreSQL ---------------------------------------------------------------------------------

_TABLES_SQL = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
    ORDER BY 1, 2
"""


def _pg_tables(conn: Any) -> list[tuple[str, str]]:
    return [tuple(r) for r in conn.execute(_TABLES_SQL).fetchall()]


def _pg_counts(conn: Any) -> dict[str, int]:
    from psycopg import sql

    return {
        f"{schema}.{table}": conn.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        ).fetchone()[0]
        for schema, table in _pg_tables(conn)
    }


@contextlib.contextmanager
def postgresql_snapshot(db: Database) -> Iterator[Snapshot]:
    """Counts in a repeatable-read transaction whose snapshot pg_dump then dumps (--snapshot): the
    counts and the dump are the same moment."""
    from psycopg import IsolationLevel

    pg_dump = _program("pg_dump")
    conn = db.connect()
    try:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = _pg_counts(conn)
        has_migrations = any(name.endswith(".django_migrations") for name in tables)
        migrations = _migrations(conn.execute("SELECT app, name FROM django_migrations").fetchall()
                                 if has_migrations else [])
        version = conn.execute("SHOW server_version").fetchone()[0]

        @contextlib.contextmanager
        def open_dump() -> Iterator[IO[bytes]]:
            # The archive compresses the whole stream, so pg_dump's own compression would be work twice.
            with tempfile.TemporaryFile() as errors:
                proc = subprocess.Popen(  # noqa: S603 - fixed arguments, the database from settings
                    [pg_dump, "--format=custom", "--compress=0", f"--snapshot={snapshot_id}", "--no-password",
                     "--dbname", db.name],
                    stdout=subprocess.PIPE, stderr=errors, env=db.libpq_env(),
                )
                assert proc.stdout is not None
                try:
                    yield proc.stdout
                    proc.stdout.close()
                    code = proc.wait()
                finally:
                    if proc.poll() is None:
                        proc.kill()
                        proc.wait()
                if code != 0:
                    errors.seek(0)
                    raise BackupError(f"pg_dump misslyckades / failed ({code}): "
                                      f"{errors.read().decode('utf-8', 'replace').strip()[-2000:]}")

        yield Snapshot(POSTGRESQL, "database.pgdump", tables, migrations, f"PostgreSQL {version}", open_dump)
    finally:
        with contextlib.suppress(Exception):
            conn.rollback()
        conn.close()


def postgresql_contents(db: Database) -> tuple[int, str | None]:
    """How many tables the database has, and the first that holds rows."""
    from psycopg import sql

    with db.connect() as conn:
        tables = _pg_tables(conn)
        for schema, table in tables:
            query = sql.SQL("SELECT 1 FROM {}.{} LIMIT 1").format(sql.Identifier(schema), sql.Identifier(table))
            if conn.execute(query).fetchone():
                return len(tables), f"{schema}.{table}"
        return len(tables), None


class PostgresqlTarget:
    """Feeds the dump to pg_restore in one transaction: a failure leaves the database as empty as it was."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._proc: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self.committed = False

    def begin(self) -> None:
        pg_restore = _program("pg_restore")
        self._errors = tempfile.TemporaryFile()  # closed in finish or abort
        # Owners and grants belong to the old server's roles; the restoring role owns what it makes.
        self._proc = subprocess.Popen(  # noqa: S603 - fixed arguments, the database from settings
            [pg_restore, "--dbname", self.db.name, "--no-owner", "--no-privileges", "--single-transaction",
             "--exit-on-error", "--no-password"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._errors, env=self.db.libpq_env(),
        )

    def write(self, data: bytes) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(data)
        except BrokenPipeError:
            self._fail()

    def finish(self) -> dict[str, int]:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.close()
        except BrokenPipeError:
            pass
        if self._proc.wait() != 0:
            self._fail()
        self.committed = True
        self._close_errors()
        with self.db.connect() as conn:
            return _pg_counts(conn)

    def _fail(self) -> None:
        assert self._proc is not None and self._errors is not None
        code = self._proc.wait()
        self._errors.seek(0)
        text = self._errors.read().decode("utf-8", "replace").strip()[-2000:]
        self._close_errors()
        raise BackupError(f"pg_restore misslyckades ({code}); transaktionen är återställd och databasen lika tom "
                          f"som förut. / pg_restore failed ({code}); its transaction was rolled back and the "
                          f"database is as empty as before.\n{text}")

    def _close_errors(self) -> None:
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def place(self) -> None:
        """pg_restore has committed already."""

    def abort(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._close_errors()
