"""SQLite's log checkpointed by a thread of the writing process (`storage.checkpoints`)."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.archive import Archive
from storage.checkpoints import THREAD_NAME, WalCheckpointer, WriteLock
from storage.db import Database, open_database
from storage.settings import SQLITE_CHECKPOINT_PAGES, SQLITE_FALLBACK_CHECKPOINT_PAGES
from storage.sqlite_driver import driver

BLOB = b"x" * 3000  # a row of its own on a 4 KB page: one log page a row at least
WAIT_SECONDS = 10.0


def _eventually(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def _write_rows(database: Database, rows: int) -> None:
    with database.transaction() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS filler (data BLOB)"))
    for _ in range(rows):
        with database.transaction() as session:
            session.execute(text("INSERT INTO filler VALUES (:data)"), {"data": BLOB})


def _checkpointer_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == THREAD_NAME]


def test_the_thread_copies_the_log_into_the_file_and_commits_leave_it(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    database = open_database(f"sqlite:///{path}")
    try:
        assert database.checkpointer is not None and database.checkpointer.running
        with database.engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        assert pages == SQLITE_FALLBACK_CHECKPOINT_PAGES
        _write_rows(database, 1)  # the table, and a first row
        time.sleep(0.5)  # the thread's passes copy that much in
        size = path.stat().st_size
        _write_rows(database, 200)  # 200 log pages or more: under any commit's threshold
        assert _eventually(lambda: path.stat().st_size >= size + 200 * 4096)
        assert database.checkpointer.passes > 0
    finally:
        database.close()


def test_without_the_thread_commits_checkpoint_at_their_usual_threshold(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    database = open_database(f"sqlite:///{path}", checkpoints=False)
    try:
        assert database.checkpointer is None
        with database.engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        assert pages == SQLITE_CHECKPOINT_PAGES
        _write_rows(database, 1)
        size = path.stat().st_size
        _write_rows(database, 200)
        time.sleep(0.5)
        assert path.stat().st_size == size  # all of it still in the log
    finally:
        database.close()


def test_steady_writes_still_see_the_log_start_over(tmp_path: Path) -> None:
    """PASSIVE checkpoints alone never catch up with a writer that never pauses, and the
    log would grow for as long as it writes; the thread's FULL checkpoint lets it restart.

    The writer runs until the thread has restarted the log once (however long a busy
    machine keeps the thread waiting), then as many rows again: without further restarts
    the log would hold a page for each of them."""
    path = tmp_path / "a.sqlite3"
    writer = driver.connect(str(path), isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA synchronous=NORMAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # only the thread checkpoints
    writer.execute("CREATE TABLE filler (data BLOB)")
    lock = WriteLock()
    checkpointer = WalCheckpointer(str(path), write_lock=lock, interval=0.01, restart_pages=64)
    checkpointer.start()

    def write(rows: int) -> None:
        for _ in range(rows):
            with lock:
                writer.execute("INSERT INTO filler VALUES (?)", (BLOB,))

    try:
        first, deadline = 0, time.monotonic() + 60
        while first < 4000 or (checkpointer.full_checkpoints == 0 and time.monotonic() < deadline):
            write(500)
            first += 500
        restarts = checkpointer.full_checkpoints
        write(first)
        largest_log = Path(f"{path}-wal").stat().st_size  # the log's file never shrinks
    finally:
        checkpointer.close()
        writer.close()
    assert restarts > 0 and checkpointer.full_checkpoints > restarts
    assert largest_log < 2 * first * 4096  # a page a row, had the log never restarted


def test_close_stops_the_thread_and_so_does_dropping_the_database(tmp_path: Path) -> None:
    before = len(_checkpointer_threads())
    database = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    assert len(_checkpointer_threads()) == before + 1
    database.close()
    assert len(_checkpointer_threads()) == before
    database = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    checkpointer = database.checkpointer
    assert checkpointer is not None and checkpointer.running
    del database
    gc.collect()
    assert not checkpointer.running


def test_readers_memory_and_uri_databases_run_no_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    open_database(url).close()
    with Archive.open(url) as archive:
        assert archive.database.checkpointer is None
    monkeypatch.chdir(tmp_path)
    for other in ("sqlite://", f"sqlite:///file:{tmp_path / 'a.sqlite3'}?uri=true"):
        database = open_database(other, migrate=False)
        try:
            assert database.checkpointer is None
        finally:
            database.close()
    assert not (tmp_path / "file:").exists()  # a URI names no folder to create


def test_a_failing_checkpoint_is_logged_once_and_never_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "not-a-database"
    path.write_bytes(b"this is no SQLite file, though it is long enough to look like one" * 4)
    checkpointer = WalCheckpointer(str(path), interval=0.01)
    with caplog.at_level(logging.WARNING, logger="storage.checkpoints"):
        checkpointer.start()
        assert _eventually(lambda: checkpointer.failures >= 5)
        checkpointer.close()
    assert not checkpointer.running
    warnings = [r for r in caplog.records if r.name == "storage.checkpoints"]
    assert len(warnings) == 1
    assert "not a database" in warnings[0].getMessage()


def test_a_checkpointer_needs_a_positive_interval_and_page_count() -> None:
    with pytest.raises(ValueError):
        WalCheckpointer("x.sqlite3", interval=0)
    with pytest.raises(ValueError):
        WalCheckpointer("x.sqlite3", restart_pages=0)
