"""Encrypted backups of the database and the stored files, and restoring them into an empty system.

`crypto` (the key, the encrypted chunk stream), `container` (records inside it), `database` (snapshots
and restore targets for SQLite and PostgreSQL) and `archive` (what goes in, checking, restoring). The
commands `uppsok backup` and `uppsok restore` are thin layers over `create_backup`, `check_archive`
and `restore_backup`.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .archive import Result, check_archive, create_backup, restore_backup, rotate
from .crypto import KEY_ENV, KEY_FILE_ENV, generate_key, load_key, parse_key, write_key_file
from .database import Database
from .errors import BackupError, DiskFullError

__all__ = [
    "KEY_ENV", "KEY_FILE_ENV", "BackupError", "Database", "DiskFullError", "Result", "check_archive",
    "configured_database", "configured_media_root", "create_backup", "generate_key", "load_key",
    "parse_key", "restore_backup", "rotate", "sigterm_as_interrupt", "write_key_file",
]


def configured_database() -> Database:
    from django.conf import settings

    return Database.from_settings(settings.DATABASES["default"])


def configured_media_root() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """systemd stops a unit with SIGTERM, which would end Python without cleaning up; as an
    interrupt it runs the code that deletes a partial archive or a half-restored file."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
