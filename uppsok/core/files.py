"""Files on disk written whole or not at all.

A full disk (or a process killed mid-write) must never leave a truncated photo or document behind
under a name the database points to, nor an orphan file whose row was rolled back: such a file can
hold personal data nobody knows is there. `AtomicFileSystemStorage` writes each file under a
temporary name in its own directory and moves it into place only when it is complete;
`removed_on_error` deletes the files an action saved when the action fails after saving them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.core.files.storage import FileSystemStorage

from .errors import DiskFull, is_disk_full

_saved: ContextVar[list[tuple[Any, str]] | None] = ContextVar("uppsok_files_saved", default=None)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files appear complete or not at all; ENOSPC is raised as `DiskFull`."""

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        try:
            os.makedirs(directory, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".incoming-", suffix=".part", dir=directory)
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull from exc
            raise
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in content.chunks():
                    fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                fh.flush()
                os.fsync(fh.fileno())
            mode = self.file_permissions_mode
            os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
            while True:
                try:
                    # a hard link never replaces a file that took the name meanwhile
                    os.link(tmp, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                except OSError as exc:
                    if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
                        raise
                    # a file system without hard links: rename, after the same check
                    if os.path.exists(full_path):
                        name = self.get_available_name(name)
                        full_path = self.path(name)
                        continue
                    os.rename(tmp, full_path)
                    break
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull from exc
            raise
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")


def track(field_file: Any) -> None:
    """Note a file an action has just saved, for `removed_on_error` around it."""
    saved = _saved.get()
    if saved is not None and field_file:
        saved.append((field_file.storage, field_file.name))


@contextlib.contextmanager
def removed_on_error() -> Iterator[None]:
    """Around an action that saves files and rows: when it raises, the files it saved (`track`)
    are deleted, as its transaction is rolled back. Put it outside the transaction."""
    outer = _saved.get()
    saved: list[tuple[Any, str]] = []
    token = _saved.set(saved)
    try:
        yield
    except BaseException:
        for storage, name in saved:
            with contextlib.suppress(OSError):
                storage.delete(name)
        raise
    finally:
        _saved.reset(token)
    if outer is not None:
        outer.extend(saved)
