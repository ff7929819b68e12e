"""The one error the backup raises: its text is the message the operator reads, Swedish then English."""

from __future__ import annotations

import errno


class BackupError(Exception):
    pass


class DiskFullError(BackupError):
    pass


DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
