"""Loaded at the start of a `newsarchive` process whose PYTHONPATH names this folder: when
NEWSARCHIVE_TEST_KILL_AT_WARC_WRITE=N, the process's Nth write to a WARC file being written
puts half its bytes on disk and then SIGKILLs the process, as a kill -9 landing in the middle
of a record would. Nothing changes without the variable.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

_ENV = "NEWSARCHIVE_TEST_KILL_AT_WARC_WRITE"
_OPEN_SUFFIX = ".warc.gz.open"


def _install(target: int) -> None:
    real_write = os.write
    seen = 0

    def write(fd: int, data: Any) -> int:  # Any: os.write takes any buffer
        nonlocal seen
        if _is_warc(fd):
            seen += 1
            if seen == target:
                whole = bytes(data)
                real_write(fd, whole[: len(whole) // 2])
                os.kill(os.getpid(), signal.SIGKILL)
        return real_write(fd, data)

    os.write = write


def _is_warc(fd: int) -> bool:
    try:
        return Path(f"/proc/self/fd/{fd}").readlink().name.endswith(_OPEN_SUFFIX)
    except OSError:
        return False


if os.environ.get(_ENV, "").isdigit():
    _install(int(os.environ[_ENV]))
