"""The one way the grader opens a file a student handed in (a submission, its timestamp.txt).

Never through a symbolic link, which could point at any file the grader can read (the hidden
tests, the course secret) and have it graded or shown as the student's; never blocking, as a pipe
in a file's place would, with the batch behind it; never reading more than the caller's cap.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegular(OSError):
    """A link, folder, pipe, device or socket where a file should be; `mode` says which (stat's st_mode)."""

    def __init__(self, mode: int):
        super().__init__(f"not a regular file (mode {mode:o})")
        self.mode = mode


def read_regular(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the regular file at `path` (one more than the cap, so that the caller can
    tell a file over it). Raises NotRegular for anything else, and OSError when it cannot be read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotRegular(stat.S_IFLNK) from None
        raise
    with open(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(mode)
        return handle.read(limit + 1)
