"""Writing, checking and restoring an archive: the database snapshot, the stored files and a manifest."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

from . import container
from .container import DATABASE, END, FILE, MANIFEST, RecordReader, RecordWriter
from .crypto import EncryptingWriter, decrypt_chunks
from .database import (
    POSTGRESQL,
    SQLITE,
    Database,
    PostgresqlTarget,
    Snapshot,
    SqliteTarget,
    postgresql_contents,
    postgresql_snapshot,
    sqlite_rows_in,
    sqlite_snapshot,
)
from .errors import DISK_FULL_ERRNOS, BackupError, DiskFullError

MANIFEST_FORMAT = 1
SUFFIX = ".backup"
NAME_PATTERN = re.compile(r"^uppsok-(\d{8}T\d{6}Z)\.backup$")
PARTIAL = ".partial"
# A partial file younger than this may belong to a backup still running.
STALE_PARTIAL = timedelta(days=1)

DISK_FULL = "Disken är full – ingen säkerhetskopia skrevs. / The disk is full – no backup was written."
INTERRUPTED = "Avbruten – ingen säkerhetskopia skrevs. / Interrupted – no backup was written."
NOT_AS_MANIFEST = (
    "Arkivets innehåll stämmer inte med dess innehållsförteckning ({what}). Inget har återställts. / "
    "The archive's content does not match its manifest ({what}). Nothing was restored."
)


@dataclass
class Result:
    path: Path
    size: int
    manifest: dict[str, Any]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())

    @property
    def files(self) -> int:
        return len(self.manifest["files"])


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("uppsok")
    except PackageNotFoundError:
        return "okänd/unknown"


def snapshot(db: Database) -> contextlib.AbstractContextManager[Snapshot]:
    return sqlite_snapshot(db) if db.vendor == SQLITE else postgresql_snapshot(db)


# ---- writing ------------------------------------------------------------------------------------

def archive_path(output: Path, now: datetime) -> Path:
    """An existing directory gets a dated name inside it; anything else is the archive's own name."""
    if output.is_dir():
        return output / f"uppsok-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"
    return output


def check_key_apart(archive: Path, key_file: Path | None) -> None:
    """A key in the archive's directory, or below it, would travel with every copy of the archives."""
    if key_file is None:
        return
    archive_dir = archive.absolute().parent.resolve()
    key_dir = key_file.absolute().parent.resolve()
    if key_dir == archive_dir or archive_dir in key_dir.parents:
        raise BackupError(
            f"Nyckelfilen {key_file} ligger i arkivets katalog {archive_dir}: den som får tag i arkiven får "
            "då nyckeln också. Lägg nyckeln någon annanstans (t.ex. /etc/uppsok/). / "
            f"The key file {key_file} is in the archive's directory {archive_dir}: whoever gets the archives "
            "would get the key too. Keep the key elsewhere (e.g. /etc/uppsok/)."
        )


def _open_partial(path: Path) -> BinaryIO:
    """The file the archive is written to until it is complete (readable by its owner only)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files under MEDIA_ROOT in a stable order; symbolic links are not followed."""
    if not media_root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(media_root).as_posix(), path


class _Hashing:
    def __init__(self, read: Callable[[int], bytes]) -> None:
        self._read = read
        self.sha256 = hashlib.sha256()
        self.size = 0

    def __call__(self, n: int) -> bytes:
        data = self._read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


def create_backup(output: Path, key: bytes, *, database: Database, media_root: Path,
                  key_file: Path | None = None, now: datetime | None = None) -> Result:
    started = time.monotonic()
    now = now or datetime.now(UTC)
    path = archive_path(output, now)
    check_key_apart(path, key_file)
    media = media_root.absolute().resolve()
    archive_dir = path.absolute().parent.resolve()
    if archive_dir == media or media in archive_dir.parents:
        raise BackupError(
            f"Arkivet får inte ligga i filkatalogen {media}: nästa säkerhetskopia skulle ta med det. / "
            f"The archive must not be inside the media directory {media}: the next backup would include it."
        )
    if path.exists():
        raise BackupError(f"{path} finns redan; ett arkiv skrivs aldrig över. / "
                          f"{path} exists; an archive is never overwritten.")
    if not path.parent.is_dir():
        raise BackupError(f"Katalogen {path.parent} finns inte. / The directory {path.parent} does not exist.")
    partial = path.with_name(path.name + PARTIAL)
    out: BinaryIO | None = None
    try:
        out = _open_partial(partial)
        with snapshot(database) as snap:
            writer = RecordWriter(EncryptingWriter(out, key))
            files: dict[str, dict[str, Any]] = {}
            for name, file_path in _media_files(media_root):
                try:
                    f = open(file_path, "rb")  # closed by the with below
                except FileNotFoundError:
                    continue  # deleted since the directory was listed, by retention or a user
                with f:
                    hashing = _Hashing(f.read)
                    writer.record(FILE, name, hashing)
                files[name] = {"size": hashing.size, "sha256": hashing.sha256.hexdigest()}
            with snap.open_dump() as dump:
                hashing = _Hashing(dump.read)
                writer.record(DATABASE, snap.member, hashing)
            manifest = {
                "format": MANIFEST_FORMAT,
                "app_version": app_version(),
                "created": now.astimezone(UTC).isoformat(timespec="seconds"),
                "database": {"vendor": snap.vendor, "member": snap.member, "server": snap.server_version,
                             "size": hashing.size, "sha256": hashing.sha256.hexdigest()},
                "tables": snap.tables,
                "migrations": snap.migrations,
                "files": files,
            }
        writer.begin(MANIFEST, "manifest.json")
        writer.block(json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        writer.end()
        writer.finish()
        out.flush()
        os.fsync(out.fileno())
        out.close()
        out = None
        os.rename(partial, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException as exc:
        if out is not None:
            with contextlib.suppress(OSError):
                out.close()
        with contextlib.suppress(OSError):
            partial.unlink()
        if _disk_full(exc):
            raise DiskFullError(DISK_FULL) from None
        if isinstance(exc, KeyboardInterrupt):
            raise BackupError(INTERRUPTED) from None
        if isinstance(exc, OSError):
            raise BackupError(f"Ingen säkerhetskopia skrevs: {exc.strerror or exc} ({exc.filename or path}). / "
                              f"No backup was written.") from exc
        raise
    return Result(path, path.stat().st_size, manifest, time.monotonic() - started)


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return True
    # SQLite reports its own copy running out of space as SQLITE_FULL, not as an OSError.
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)


def rotate(directory: Path, keep_days: int, now: datetime | None = None) -> list[Path]:
    """Deletes this command's archives older than keep_days (by the time in their name) and partial
    files left by a backup that was killed; nothing else in the directory is touched."""
    now = now or datetime.now(UTC)
    removed = []
    for path in sorted(directory.iterdir()):
        match = NAME_PATTERN.match(path.name)
        if match and path.is_file():
            made = datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            if now - made > timedelta(days=keep_days):
                path.unlink()
                removed.append(path)
        elif path.name.endswith(SUFFIX + PARTIAL) and NAME_PATTERN.match(path.name[: -len(PARTIAL)]):
            if now.timestamp() - path.stat().st_mtime > STALE_PARTIAL.total_seconds():
                path.unlink()
                removed.append(path)
    return removed


# ---- reading ------------------------------------------------------------------------------------

def safe_name(name: str) -> PurePosixPath:
    """A stored file's path as the archive names it, refused if it could point outside MEDIA_ROOT."""
    path = PurePosixPath(name)
    if (not name or "\0" in name or path.is_absolute() or any(p in ("", ".", "..") for p in name.split("/"))):
        raise BackupError(container.MALFORMED)
    return path


def _open_archive(path: Path) -> BinaryIO:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise BackupError(f"Arkivet {path} finns inte. / The archive {path} does not exist.") from None


def check_archive(path: Path, key: bytes) -> Result:
    """Reads the whole archive: every chunk authenticated, every file and the dump hashed against the
    manifest. Writes nothing."""
    with _open_archive(path) as f:
        return _check(f, path, key)


def _check(f: BinaryIO, path: Path, key: bytes) -> Result:
    started = time.monotonic()
    seen: dict[str, dict[str, Any]] = {}
    dump: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None
    reader = RecordReader(decrypt_chunks(f, key))
    while True:
        tag, name = reader.next_record()
        if tag == END:
            break
        if manifest is not None:
            raise BackupError(container.MALFORMED)
        if tag == MANIFEST:
            try:
                manifest = json.loads(b"".join(reader.blocks()))
            except ValueError:
                raise BackupError(container.MALFORMED) from None
            continue
        sha, size = hashlib.sha256(), 0
        for block in reader.blocks():
            sha.update(block)
            size += len(block)
        entry = {"size": size, "sha256": sha.hexdigest()}
        if tag == FILE:
            safe_name(name)
            if name in seen or dump is not None:
                raise BackupError(container.MALFORMED)
            seen[name] = entry
        else:
            if dump is not None:
                raise BackupError(container.MALFORMED)
            dump = {"member": name, **entry}
    if manifest is None or dump is None:
        raise BackupError(container.MALFORMED)
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"Innehållsförteckningens format {manifest.get('format')} stöds inte. / "
                          f"Manifest format {manifest.get('format')} is not supported.")
    expected_dump = {k: manifest["database"][k] for k in ("member", "size", "sha256")}
    if dump != expected_dump:
        raise BackupError(NOT_AS_MANIFEST.format(what="databasen / the database"))
    if seen != manifest["files"]:
        listed = manifest["files"]
        differing = sorted(set(seen) ^ set(listed) | {n for n in seen.keys() & listed.keys() if seen[n] != listed[n]})
        raise BackupError(NOT_AS_MANIFEST.format(what=f"filer / files: {', '.join(differing[:5])}"))
    return Result(path, path.stat().st_size, manifest, time.monotonic() - started)


# ---- restoring ----------------------------------------------------------------------------------

def media_files_in(media_root: Path) -> str | None:
    if not media_root.exists():
        return None
    for _directory, _dirs, filenames in os.walk(media_root):
        if filenames:
            return str(Path(_directory) / filenames[0])
    return None


def check_target_empty(database: Database, media_root: Path) -> None:
    """Refuses a target that holds anything: a restore never overwrites or merges."""
    if database.vendor == SQLITE:
        table = sqlite_rows_in(Path(database.name))
        if table:
            raise BackupError(
                f"Databasen {database.name} innehåller data (tabellen {table} har rader). Återställ bara till en "
                "tom databas; ingenting har ändrats. / "
                f"The database {database.name} holds data (table {table} has rows). Restore only into an empty "
                "database; nothing was changed."
            )
    else:
        tables, table = postgresql_contents(database)
        if table:
            raise BackupError(
                f"Databasen {database.name} innehåller data (tabellen {table} har rader). Återställ bara till en "
                "tom databas (`createdb`); ingenting har ändrats. / "
                f"The database {database.name} holds data (table {table} has rows). Restore only into an empty "
                "database (`createdb`); nothing was changed."
            )
        if tables:
            raise BackupError(
                f"Databasen {database.name} har redan tabeller, om än utan rader ({tables} st.). Återställ till en ny "
                "databas gjord med `createdb`; ingenting har ändrats. / "
                f"The database {database.name} already has tables, though without rows ({tables}). Restore into a "
                "new database made with `createdb`; nothing was changed."
            )
    found = media_files_in(media_root)
    if found:
        raise BackupError(
            f"Filkatalogen {media_root} är inte tom ({found}). Återställ bara till en tom katalog; ingenting har "
            f"ändrats. / The media directory {media_root} is not empty ({found}). Restore only into an empty "
            "directory; nothing was changed."
        )


def _hash_file(path: Path) -> dict[str, Any]:
    sha, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while data := f.read(container.BLOCK):
            sha.update(data)
            size += len(data)
    return {"size": size, "sha256": sha.hexdigest()}


def restore_backup(path: Path, key: bytes, *, database: Database, media_root: Path) -> Result:
    """Checks the whole archive first, then restores into the empty target and checks the result: every
    table's row count and every file's hash as the manifest has them."""
    with _open_archive(path) as f:
        return _restore(f, path, key, database, media_root)


def _restore(f: BinaryIO, path: Path, key: bytes, database: Database, media_root: Path) -> Result:
    started = time.monotonic()
    # Both passes read the same open file, so replacing the archive between them changes nothing.
    manifest = _check(f, path, key).manifest
    vendor = manifest["database"]["vendor"]
    if vendor != database.vendor:
        names = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
        raise BackupError(
            f"Arkivet är en {names.get(vendor, vendor)}-databas men målet är {names[database.vendor]}. Inget har "
            f"återställts. / The archive holds a {names.get(vendor, vendor)} database but the target is "
            f"{names[database.vendor]}. Nothing was restored."
        )
    check_target_empty(database, media_root)
    target = SqliteTarget(database) if database.vendor == SQLITE else PostgresqlTarget(database)
    written: list[Path] = []
    made_dirs: list[Path] = []
    counts: dict[str, int] = {}
    try:
        for directory in [*reversed(media_root.parents), media_root]:
            if not directory.exists():
                directory.mkdir()
                made_dirs.append(directory)
        f.seek(0)
        reader = RecordReader(decrypt_chunks(f, key))
        while True:
            tag, name = reader.next_record()
            if tag == END:
                break
            if tag == FILE:
                _restore_file(media_root, safe_name(name), reader.blocks(), written, made_dirs)
            elif tag == DATABASE:
                target.begin()
                for block in reader.blocks():
                    target.write(block)
                counts = target.finish()
            else:
                for _block in reader.blocks():
                    pass
        if counts != manifest["tables"]:
            differing = sorted(set(counts) ^ set(manifest["tables"])
                               | {t for t in counts if counts[t] != manifest["tables"].get(t)})
            raise BackupError(
                f"De återställda tabellerna stämmer inte med arkivet: {', '.join(differing[:10])}. / "
                f"The restored tables do not match the archive: {', '.join(differing[:10])}."
            )
        for name, expected in manifest["files"].items():
            if _hash_file(media_root / safe_name(name)) != expected:
                raise BackupError(NOT_AS_MANIFEST.format(what=f"filen / the file {name}"))
        target.place()
    except BaseException as exc:
        target.abort()
        if target.committed:
            if isinstance(exc, BackupError):
                raise BackupError(
                    f"{exc}\nDatabasen {database.label} är ändå återställd; granska den innan den används. / "
                    f"The database {database.label} was restored all the same; examine it before use."
                ) from None
            raise
        for file_path in written:
            file_path.unlink(missing_ok=True)
        for directory in reversed(made_dirs):
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    return Result(path, path.stat().st_size, manifest, time.monotonic() - started)


def _restore_file(media_root: Path, name: PurePosixPath, blocks: Iterator[bytes], written: list[Path],
                  made_dirs: list[Path]) -> None:
    """Writes one stored file, recording it and each directory it makes so a failure can take them back."""
    dest = media_root.joinpath(*name.parts)
    for directory in reversed(dest.parents):
        if media_root in directory.parents and not directory.exists():
            directory.mkdir()
            made_dirs.append(directory)
    f: IO[bytes]
    with os.fdopen(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as f:
        written.append(dest)
        for block in blocks:
            f.write(block)
