"""Backup and restore on SQLite: the round trip brings back every row and file, and an archive that was
altered, cut short or opened with the wrong key is refused before anything is written."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from uppsok.core import backup
from uppsok.core.backup import BackupError, Database, archive, crypto
from uppsok.core.backup.crypto import HEADER, TAG_SIZE

from .conftest import MEDIA, media_contents, sqlite_contents

SMALL_CHUNK = 64 * 1024


def make_archive(tmp_path: Path, source: tuple[Database, Path], key: bytes) -> Path:
    db, media = source
    out = tmp_path / "archives"
    out.mkdir()
    return backup.create_backup(out, key, database=db, media_root=media).path


def restore_target(tmp_path: Path) -> tuple[Database, Path]:
    return Database("sqlite", str(tmp_path / "restored" / "uppsok.sqlite3")), tmp_path / "restored" / "media"


def assert_nothing_restored(target: tuple[Database, Path]) -> None:
    db, media = target
    assert not Path(db.name).exists()
    assert not media.exists() or not any(media.rglob("*"))
    leftovers = list(Path(db.name).parent.glob(".*restore-*")) if Path(db.name).parent.exists() else []
    assert leftovers == []


def test_round_trip_restores_every_row_and_file(tmp_path, sqlite_source, key):
    db, media = sqlite_source
    before = sqlite_contents(Path(db.name))
    path = make_archive(tmp_path, sqlite_source, key)
    manifest = backup.check_archive(path, key).manifest
    # the demo data reaches every app's tables, so the round trip covers them all
    filled = {t.split("_")[0] for t, n in manifest["tables"].items() if n}
    assert {"accounts", "audit", "network", "outreach", "cases"} <= filled
    assert set(manifest["files"]) == set(MEDIA)

    target_db, target_media = restore_target(tmp_path)
    result = backup.restore_backup(path, key, database=target_db, media_root=target_media)

    assert result.rows == sum(len(rows) for t, rows in before.items() if t != "schema" and not t.startswith("sqlite_"))
    assert sqlite_contents(Path(target_db.name)) == before
    assert media_contents(target_media) == MEDIA
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_archive_holds_no_plaintext(tmp_path, sqlite_source, key):
    db, _media = sqlite_source
    data = make_archive(tmp_path, sqlite_source, key).read_bytes()
    conn = sqlite3.connect(db.name)
    # Short needles turn up in random ciphertext by chance (a three-letter name in a megabyte about
    # once in sixteen archives), so the rows are recognised by their long password hashes.
    rows = [p.encode() for (p,) in conn.execute("SELECT password FROM accounts_user") if len(p) > 40]
    conn.close()
    assert rows
    for needle in rows + [b"SQLite format 3", b"Kunskapsbanken", MEDIA["ads/2025/06/3f2a.jpg"][:64]]:
        assert needle not in data
    assert key not in data and crypto.generate_key().encode() not in data


def test_check_reads_the_whole_archive_and_writes_nothing(tmp_path, sqlite_source, key):
    path = make_archive(tmp_path, sqlite_source, key)
    listing = sorted(tmp_path.rglob("*"))
    result = backup.check_archive(path, key)
    assert result.manifest["database"]["vendor"] == "sqlite" and result.files == len(MEDIA)
    assert sorted(tmp_path.rglob("*")) == listing


def _chunks(data: bytes) -> tuple[bytes, list[bytes]]:
    block = SMALL_CHUNK + TAG_SIZE
    body = data[HEADER.size :]
    return data[: HEADER.size], [body[i : i + block] for i in range(0, len(body), block)]


def _flip_middle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def _swap_two_chunks(data: bytes) -> bytes:
    header, chunks = _chunks(data)
    chunks[1], chunks[2] = chunks[2], chunks[1]
    return header + b"".join(chunks)


def _drop_last_chunk(data: bytes) -> bytes:
    header, chunks = _chunks(data)
    return header + b"".join(chunks[:-1])


def _repeat_a_chunk(data: bytes) -> bytes:
    header, chunks = _chunks(data)
    return header + b"".join(chunks[:3] + chunks[2:])


TAMPERING = {
    "flip one byte in the middle": (_flip_middle, "Arkivet är skadat"),
    "cut the end mid-chunk": (lambda d: d[:-100], "Arkivet är skadat"),
    "drop the last chunk": (_drop_last_chunk, "Arkivet är avkortat"),
    "swap two chunks": (_swap_two_chunks, "Arkivet är skadat"),
    "repeat a chunk": (_repeat_a_chunk, "Arkivet är skadat"),
    "append bytes": (lambda d: d + b"\0" * 40, "Arkivet är skadat"),
    "change the salt in the header": (lambda d: d[:20] + bytes([d[20] ^ 1]) + d[21:], "Fel nyckel"),
    "change the chunk size in the header": (lambda d: d[:9] + (SMALL_CHUNK * 2).to_bytes(4, "big") + d[13:],
                                            "Arkivet är skadat"),
    "not an archive": (lambda d: b"SQLite format 3\0" + d[16:], "inte en säkerhetskopia"),
}


@pytest.mark.parametrize("how", TAMPERING)
def test_tampered_archive_is_refused_and_nothing_restored(tmp_path, sqlite_source, key, monkeypatch, how):
    monkeypatch.setattr(crypto, "CHUNK_SIZE", SMALL_CHUNK)
    path = make_archive(tmp_path, sqlite_source, key)
    assert len(_chunks(path.read_bytes())[1]) > 10
    change, message = TAMPERING[how]
    path.write_bytes(change(path.read_bytes()))
    target = restore_target(tmp_path)
    with pytest.raises(BackupError, match=message) as refused:
        backup.check_archive(path, key)
    assert "/" in str(refused.value)  # Swedish, then English
    with pytest.raises(BackupError, match=message):
        backup.restore_backup(path, key, database=target[0], media_root=target[1])
    assert_nothing_restored(target)


def test_wrong_key_is_refused_before_anything_is_restored(tmp_path, sqlite_source, key):
    path = make_archive(tmp_path, sqlite_source, key)
    other = backup.parse_key(backup.generate_key())
    target = restore_target(tmp_path)
    for attempt in (backup.check_archive, lambda p, k: backup.restore_backup(p, k, database=target[0],
                                                                            media_root=target[1])):
        with pytest.raises(BackupError, match="^Fel nyckel.*/ Wrong key"):
            attempt(path, other)
    assert_nothing_restored(target)


def test_key_file_beside_or_below_the_archives_is_refused(tmp_path, sqlite_source):
    db, media = sqlite_source
    archives = tmp_path / "archives"
    (archives / "keys").mkdir(parents=True)
    for key_file in (archives / "backup.key", archives / "keys" / "backup.key"):
        backup.write_key_file(key_file)
        key, source = backup.load_key(key_file)
        with pytest.raises(BackupError, match="ligger i arkivets katalog"):
            backup.create_backup(archives, key, database=db, media_root=media, key_file=source)
    assert sorted(p.name for p in archives.rglob("*")) == ["backup.key", "backup.key", "keys"]
    # a key kept elsewhere is fine
    (tmp_path / "etc").mkdir()
    backup.write_key_file(tmp_path / "etc" / "backup.key")
    key, source = backup.load_key(tmp_path / "etc" / "backup.key")
    assert backup.create_backup(archives, key, database=db, media_root=media, key_file=source).path.exists()


@pytest.mark.parametrize("text", [
    "",
    "kort",
    "correct horse battery staple correct horse battery staple",
    "A" * 64,  # 32 bytes, but all the same
    "00" * 32,
    crypto.generate_key()[:30],  # about 22 bytes
])
def test_weak_or_unreadable_keys_are_refused(text):
    with pytest.raises(BackupError, match="Nyckeln"):
        backup.parse_key(text)


def test_keys_in_base64_and_hex_are_read():
    raw = os.urandom(32)
    import base64

    for text in (raw.hex(), base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode().rstrip("="),
                 " " + raw.hex().upper() + "\n"):
        assert backup.parse_key(text) == raw
    assert len(backup.parse_key(backup.generate_key())) == 32


def test_key_sources(tmp_path):
    env_key = backup.generate_key()
    assert backup.load_key(environ={"UPPSOK_BACKUP_KEY": env_key}) == (backup.parse_key(env_key), None)
    key_file = tmp_path / "k"
    backup.write_key_file(key_file)
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert backup.load_key(environ={"UPPSOK_BACKUP_KEY_FILE": str(key_file)})[1] == key_file
    with pytest.raises(BackupError, match="Både"):
        backup.load_key(environ={"UPPSOK_BACKUP_KEY_FILE": str(key_file), "UPPSOK_BACKUP_KEY": env_key})
    with pytest.raises(BackupError, match="Ingen nyckel"):
        backup.load_key(environ={})
    with pytest.raises(BackupError, match="skrivs aldrig över"):
        backup.write_key_file(key_file)
    key_file.chmod(0o644)
    with pytest.raises(BackupError, match="kan läsas av alla"):
        backup.load_key(key_file, environ={})


def _use(monkeypatch, source: tuple[Database, Path]) -> None:
    monkeypatch.setattr(backup, "configured_database", lambda: source[0])
    monkeypatch.setattr(backup, "configured_media_root", lambda: source[1])
    monkeypatch.setenv("UPPSOK_BACKUP_KEY", backup.generate_key())
    monkeypatch.delenv("UPPSOK_BACKUP_KEY_FILE", raising=False)


def test_disk_full_leaves_no_file_and_says_so(tmp_path, sqlite_source, monkeypatch):
    _use(monkeypatch, sqlite_source)
    real_open = archive._open_partial
    written = []

    class FillsUp:
        """The archive's file on a disk that fills up after 200 kB."""

        def __init__(self, path):
            self._file = real_open(path)
            written.append(path)

        def write(self, data):
            if self._file.tell() + len(data) > 200_000:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self._file.write(data)

        def __getattr__(self, name):
            return getattr(self._file, name)

    monkeypatch.setattr(archive, "_open_partial", FillsUp)
    out = tmp_path / "archives"
    out.mkdir()
    with pytest.raises(CommandError) as failed:
        call_command("backup", str(out))
    assert str(failed.value) == ("Disken är full – ingen säkerhetskopia skrevs. / "
                                 "The disk is full – no backup was written.")
    assert written and written[0].name.endswith(".backup.partial")
    assert list(out.iterdir()) == []
    # nor is the database's own temporary copy left beside it
    assert sorted(p.name for p in Path(sqlite_source[0].name).parent.iterdir() if ".backup-" in p.name) == []


def test_disk_full_while_copying_the_sqlite_database(tmp_path, sqlite_source, key, monkeypatch):
    source = _copy(tmp_path, sqlite_source)
    real_connect = sqlite3.connect

    class NoSpace:
        def __init__(self, conn):
            self._conn = conn

        def backup(self, target, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

        def __getattr__(self, name):
            return getattr(self._conn, name)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: NoSpace(real_connect(*a, **k)))
    out = tmp_path / "archives"
    out.mkdir()
    with pytest.raises(backup.DiskFullError, match="Disken är full"):
        backup.create_backup(out, key, database=source[0], media_root=source[1])
    assert list(out.iterdir()) == []
    assert [p.name for p in Path(source[0].name).parent.iterdir() if ".backup-" in p.name] == []


def _copy(tmp_path: Path, source: tuple[Database, Path]) -> tuple[Database, Path]:
    db, media = source
    target = tmp_path / "copy"
    shutil.copytree(media, target / "media")
    shutil.copy(db.name, target / "uppsok.sqlite3")
    return Database("sqlite", str(target / "uppsok.sqlite3")), target / "media"


def test_backup_while_the_app_writes_is_consistent(tmp_path, sqlite_source, key):
    source = _copy(tmp_path, sqlite_source)
    sessions = sqlite_contents(Path(source[0].name))["django_session"]
    stop = threading.Event()

    def write() -> None:
        conn = sqlite3.connect(source[0].name, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        while not stop.is_set():
            with conn:
                conn.execute("INSERT INTO django_session (session_key, session_data, expire_date) "
                             "VALUES (hex(randomblob(16)), 'x', '2030-01-01')")
        conn.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        path = make_archive(tmp_path, source, key)
    finally:
        stop.set()
        writer.join()
    target = restore_target(tmp_path)
    # restore_backup compares every table's count with the manifest, taken from the same snapshot
    backup.restore_backup(path, key, database=target[0], media_root=target[1])
    assert len(sqlite_contents(Path(source[0].name))["django_session"]) > len(sessions)


def test_restore_refuses_a_target_that_holds_anything(tmp_path, sqlite_source, key):
    path = make_archive(tmp_path, sqlite_source, key)
    db, media = restore_target(tmp_path)
    Path(db.name).parent.mkdir(parents=True)
    shutil.copy(sqlite_source[0].name, db.name)
    before = Path(db.name).read_bytes()
    with pytest.raises(BackupError, match="innehåller data.*ingenting har ändrats"):
        backup.restore_backup(path, key, database=db, media_root=media)
    assert Path(db.name).read_bytes() == before

    Path(db.name).unlink()
    (media / "ads").mkdir(parents=True)
    (media / "ads" / "old.jpg").write_bytes(b"kept")
    with pytest.raises(BackupError, match="Filkatalogen .* är inte tom"):
        backup.restore_backup(path, key, database=db, media_root=media)
    assert media_contents(media) == {"ads/old.jpg": b"kept"} and not Path(db.name).exists()


def test_restore_into_an_existing_empty_database_file(tmp_path, sqlite_source, key):
    path = make_archive(tmp_path, sqlite_source, key)
    db, media = restore_target(tmp_path)
    Path(db.name).parent.mkdir(parents=True)
    sqlite3.connect(db.name).execute("CREATE TABLE leftover (x)").connection.close()
    backup.restore_backup(path, key, database=db, media_root=media)
    assert sqlite_contents(Path(db.name)) == sqlite_contents(Path(sqlite_source[0].name))


def test_restore_refuses_another_kind_of_database(tmp_path, sqlite_source, key):
    path = make_archive(tmp_path, sqlite_source, key)
    with pytest.raises(BackupError, match="SQLite-databas men målet är PostgreSQL"):
        backup.restore_backup(path, key, database=Database("postgresql", "nowhere", host="127.0.0.1", port="1"),
                              media_root=tmp_path / "media")


def test_a_failed_restore_takes_back_what_it_wrote(tmp_path, sqlite_source, key, monkeypatch):
    path = make_archive(tmp_path, sqlite_source, key)
    target = restore_target(tmp_path)

    def full(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(backup.database.SqliteTarget, "write", full)
    with pytest.raises(OSError):
        backup.restore_backup(path, key, database=target[0], media_root=target[1])
    assert_nothing_restored(target)


def test_rotation_deletes_only_old_archives(tmp_path):
    now = datetime(2025, 6, 30, 3, 0, tzinfo=UTC)
    names = {f"uppsok-{now - timedelta(days=d):%Y%m%dT%H%M%SZ}.backup": d for d in (0, 1, 29, 31, 90)}
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    stale = tmp_path / f"uppsok-{now - timedelta(days=3):%Y%m%dT%H%M%SZ}.backup.partial"
    running = tmp_path / f"uppsok-{now:%Y%m%dT%H%M%SZ}.backup.partial"
    for partial in (stale, running):
        partial.write_bytes(b"x")
    os.utime(stale, (now.timestamp() - 3 * 86400,) * 2)
    os.utime(running, (now.timestamp() - 60,) * 2)
    (tmp_path / "notes.txt").write_text("kept")
    (tmp_path / "uppsok-old.backup").write_text("kept: not a name this command gives")
    removed = backup.rotate(tmp_path, 30, now=now)
    assert sorted(p.name for p in removed) == sorted([*(n for n, d in names.items() if d > 30), stale.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*(n for n, d in names.items() if d <= 30), running.name, "notes.txt", "uppsok-old.backup"])


def test_stopped_by_systemd_leaves_no_file(tmp_path, sqlite_source, key, monkeypatch):
    real_open = archive._open_partial

    class Stopped:
        """systemctl stop arrives while the archive is being written."""

        def __init__(self, path):
            self._file = real_open(path)

        def write(self, data):
            if self._file.tell() > 100_000:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(1)  # the signal arrives here
            return self._file.write(data)

        def __getattr__(self, name):
            return getattr(self._file, name)

    monkeypatch.setattr(archive, "_open_partial", Stopped)
    monkeypatch.setattr(crypto, "CHUNK_SIZE", SMALL_CHUNK)
    out = tmp_path / "archives"
    out.mkdir()
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(BackupError, match="^Avbruten – ingen säkerhetskopia skrevs"), backup.sigterm_as_interrupt():
        backup.create_backup(out, key, database=sqlite_source[0], media_root=sqlite_source[1])
    assert list(out.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) == before


def test_archive_inside_the_media_directory_is_refused(sqlite_source, key):
    db, media = sqlite_source
    with pytest.raises(BackupError, match="får inte ligga i filkatalogen"):
        backup.create_backup(media / "ads", key, database=db, media_root=media)
    assert not list(media.rglob("*.partial")) and not list(media.rglob("*.backup"))
