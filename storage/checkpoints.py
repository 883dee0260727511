"""SQLite's log copied into the database file on a thread of its own, not inside a commit.

In WAL mode a commit that finds the log past `wal_autocheckpoint` pages copies the log into
the file before it returns, and fsyncs both: the save that crosses the line waits 20 to 60 ms
(every 400th save; about a tenth of the store benchmark's save time, nearly all of it the
fsyncs). A `WalCheckpointer` does that work on its own thread and connection, and SQLite
releases the GIL while it runs, so a writer goes on saving meanwhile.

Every `interval` the thread runs a PASSIVE checkpoint: it copies what no reader still needs
and never waits for or blocks a writer. SQLite starts the log over only once a checkpoint has
copied all of it, which a PASSIVE one never does while writes go on. So when the log has
passed `restart_pages` the thread runs a FULL checkpoint, holding this process's writers for
the little the PASSIVE one left (a few ms), and giving up after `FULL_CHECKPOINT_WAIT` when a
reader or another process's writer is in the way (the next pass tries again). The next
writer then starts the log over: it stays about as long as `restart_pages`, as before.

Writers keep SQLite's own checkpoint at `SQLITE_FALLBACK_CHECKPOINT_PAGES`: a log that long
means the thread is not keeping up or not running (a forked child, a closed checkpointer).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from storage.settings import (
    SQLITE_CHECKPOINT_INTERVAL,
    SQLITE_CHECKPOINT_PAGES,
    SQLITE_FULL_CHECKPOINT_WAIT,
)
from storage.sqlite_driver import driver

log = logging.getLogger(__name__)
THREAD_NAME = "newsarchive-wal-checkpoint"
# How long the thread waits for a closing checkpoint pass before giving up on it (seconds).
JOIN_TIMEOUT = 30.0


class WriteLock:
    """The lock this process's writers queue on (`Database.write_lock`), which a checkpoint
    can ask for ahead of them: a plain lock goes back to a writer that releases it and asks
    again at once, so a checkpoint waiting for it could wait for as long as writes go on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()

    def __enter__(self) -> WriteLock:
        self._open.wait()
        self._lock.acquire()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._lock.release()

    @contextmanager
    def first(self) -> Iterator[None]:
        """Held next: writers that have not queued yet wait until this is released."""
        self._open.clear()
        try:
            with self._lock:
                yield
        finally:
            self._open.set()


class WalCheckpointer:
    """Checkpoints the SQLite file at `path` on a daemon thread until `close()`.

    `write_lock`: this process's writers' (`Database.write_lock`). A FULL checkpoint holds
    it, so they wait for the checkpoint rather than sleep in SQLite's busy handler.
    """

    def __init__(
        self,
        path: str,
        *,
        write_lock: WriteLock | None = None,
        interval: float = SQLITE_CHECKPOINT_INTERVAL,
        restart_pages: int = SQLITE_CHECKPOINT_PAGES,
    ) -> None:
        if interval <= 0 or restart_pages < 1:
            raise ValueError("a checkpointer needs a positive interval and page count")
        self.path = path
        self.interval = interval
        self.restart_pages = restart_pages
        self.passes = 0
        self.full_checkpoints = 0
        self.failures = 0
        self._write_lock = write_lock if write_lock is not None else WriteLock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def close(self) -> None:
        """Stop the thread (after the pass under way, if any) and close its connection."""
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(JOIN_TIMEOUT)

    def _run(self) -> None:
        try:
            # A PASSIVE checkpoint never waits; the timeout is how long a FULL one does.
            connection = driver.connect(
                self.path,
                timeout=SQLITE_FULL_CHECKPOINT_WAIT,
                isolation_level=None,
                check_same_thread=False,
            )
        except driver.Error as exc:
            log.warning("cannot checkpoint %s: %s (commits will)", self.path, exc)
            return
        try:
            while not self._stopped.wait(self.interval):
                self._checkpoint(connection)
        finally:
            connection.close()

    def _checkpoint(self, connection: Any) -> None:
        try:
            _busy, pages, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.passes += 1
            if pages >= self.restart_pages:
                self._full(connection)
        except driver.Error as exc:
            self.failures += 1
            if self.failures == 1 or self.failures % 100 == 0:
                log.warning("checkpoint of %s failed (%d times): %s", self.path, self.failures, exc)

    def _full(self, connection: Any) -> None:
        with self._write_lock.first():
            busy, _pages, _copied = connection.execute("PRAGMA wal_checkpoint(FULL)").fetchone()
        if not busy:
            self.full_checkpoints += 1
