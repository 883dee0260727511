"""Opening the archive database: one small API over SQLite and PostgreSQL alike.

SQLite is the embedded default: WAL so readers never block the writer, foreign keys on (off
by default in SQLite), and a busy timeout so a second writer waits instead of failing. Write
transactions start with `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes
can fail at once with "database is locked" when another writer got in between, bypassing the
busy timeout. PostgreSQL needs none of this.
"""

from __future__ import annotations

import importlib.util
import os
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, ResourceClosedError
from sqlalchemy.orm import Session

from storage.checkpoints import WalCheckpointer, WriteLock
from storage.exceptions import DatabaseUrlError
from storage.settings import (
    DATABASE_ENV,
    DEFAULT_DATABASE_URL,
    MIGRATION_LOCK_ID,
    SQLITE_BUSY_TIMEOUT,
    SQLITE_CHECKPOINT_PAGES,
    SQLITE_FALLBACK_CHECKPOINT_PAGES,
)
from storage.sqlite_driver import driver

_IMMEDIATE = "newsarchive_begin_immediate"
WAL_SWITCH_RETRY_SECONDS = 0.02
SQLITE_CACHE_KIB = 65_536  # page cache per connection, filled as pages are read (SQLite: 2,048)
# Compiled statements a connection keeps (Python's module: 128; pysqlite3: 100, where the
# store benchmark's saves ran 40% slower, compiling statements again). A few hundred KB.
SQLITE_STATEMENTS_KEPT = 512
_POSTGRES_SPELLINGS = ("postgres", "postgresql")


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Database:
    """An open archive database: `session()` to read, `transaction()` to write.

    On SQLite, writers of this process queue on `write_lock` before asking SQLite for its
    lock: SQLite's busy handler sleeps with growing back-off when the file is locked, so
    threads competing through it alone waste most of their time asleep.
    """

    engine: Engine
    write_engine: Engine
    write_lock: AbstractContextManager[object] = field(default_factory=nullcontext)
    checkpointer: WalCheckpointer | None = None

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def session(self) -> Session:
        """A session for reading; its objects stay usable after it closes."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with (
            self.write_lock,
            Session(self.write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.close()
        self.engine.dispose()


def database_url(url: str | None = None) -> URL:
    """The URL to use: the argument, else $NEWSARCHIVE_DB, else the embedded SQLite file."""
    raw = url or os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE_URL
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"not a database URL: {raw!r}") from exc
    if parsed.drivername in _POSTGRES_SPELLINGS:  # the installed driver is psycopg 3
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def open_database(
    url: str | None = None, *, migrate: bool = True, checkpoints: bool = True
) -> Database:
    """Connect (creating the SQLite file's folder) and bring the schema up to date.

    An SQLite file gets a `WalCheckpointer` thread unless `checkpoints` is false (a reader
    that never writes: its commits never checkpoint either)."""
    parsed = database_url(url)
    file = _sqlite_file(parsed) if checkpoints else None
    pages = SQLITE_FALLBACK_CHECKPOINT_PAGES if file else SQLITE_CHECKPOINT_PAGES
    try:
        engine = _create_engine(parsed, pages)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseUrlError(f"no driver for {parsed.drivername!r}: {exc}") from exc
    lock = WriteLock() if parsed.get_backend_name() == "sqlite" else None
    checkpointer = WalCheckpointer(file, write_lock=lock) if file else None
    writer = engine.execution_options(**{_IMMEDIATE: True})
    database = Database(engine, writer, lock or nullcontext(), checkpointer)
    try:
        if migrate:
            upgrade(database)
        if checkpointer is not None:
            with engine.connect():  # the file exists, in WAL mode, before the thread opens it
                pass
            checkpointer.start()
            # A database dropped without close() (a test, a short script) stops its thread.
            weakref.finalize(database, checkpointer.close)
    except BaseException:
        database.close()
        raise
    return database


def _sqlite_file(url: URL) -> str | None:
    """The absolute path of a plain SQLite file URL (not memory, not a `file:` URI)."""
    if url.get_backend_name() != "sqlite" or url.query:
        return None
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return None
    return str(Path(url.database).resolve())


def upgrade(database: Database, revision: str = "head") -> None:
    """Run the package's Alembic migrations up to `revision`, one process at a time."""
    _migrate(database, command.upgrade, revision)


def downgrade(database: Database, revision: str) -> None:
    """Undo migrations down to `revision` ("base" drops every table)."""
    _migrate(database, command.downgrade, revision)


def _migrate(database: Database, step: Callable[[Config, str], None], revision: str) -> None:
    with database.write_engine.begin() as connection:
        if database.dialect == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        step(alembic_config(connection), revision)


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic settings pointing at `storage/migrations`; pass a connection to run them.

    Developers make a new revision with
    `alembic.command.revision(alembic_config(connection), message, autogenerate=True)`.
    """
    config = Config()
    config.set_main_option("script_location", "storage:migrations")
    config.attributes["connection"] = connection
    return config


def revision_module(filename: str) -> ModuleType:
    """The migration in `storage/migrations/versions/<filename>`, loaded as a module: for a
    revision whose downgrade rebuilds what an earlier one made (migrations are not a
    package, and their file names are not identifiers)."""
    path = Path(__file__).with_name("migrations") / "versions" / filename
    spec = importlib.util.spec_from_file_location(f"newsarchive_migration_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _create_engine(url: URL, checkpoint_pages: int) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)  # not a URI's "file:" folder
    # The one SQLite library of the process (`storage.sqlite_driver`), for the default driver.
    library = {"module": driver} if url.get_driver_name() == "pysqlite" else {}
    arguments = {"timeout": SQLITE_BUSY_TIMEOUT, "cached_statements": SQLITE_STATEMENTS_KEPT}
    engine = create_engine(url, connect_args=arguments, **library)
    event.listen(engine, "connect", partial(_configure_sqlite, checkpoint_pages=checkpoint_pages))
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any, *, checkpoint_pages: int) -> None:
    """WAL, foreign keys, the busy timeout, `synchronous=NORMAL`, rarer checkpoints and a
    larger page cache.

    In WAL mode NORMAL syncs the log only at checkpoints, not at each commit (FULL would
    fsync once per save, more than the save costs): a power cut can lose the last commits,
    never the database's consistency, and a killed process loses nothing. The archive can
    afford that: every response is in the WARC files, fsynced before its rows are written
    (`storage.warc_writer`, `scraper.recorder`), so a row lost with the power is a record
    `warc verify` lists and a re-parse files again.

    A save writes about 20 pages to the log; SQLite's default checkpoint, every 1,000 pages,
    made every 50th save copy the log into the file and fsync both. Every 10,000 pages (a
    log of about 40 MB) the pages rewritten in between (indexes, the search index) are
    copied once, not each time: 15% less CPU per save, a third less wall time. Where a
    `WalCheckpointer` thread does that copy, commits do it themselves only past
    `checkpoint_pages`, a log the thread let grow (`storage.checkpoints`).

    SQLite's default page cache (2 MiB a connection) holds the identity indexes of a small
    archive only: at a million versions every lookup read pages from the OS again, and a
    re-save took twice as long as at 100,000. 64 MiB keeps them flat (the store benchmark's
    dedup table); a connection's cache grows only as far as the pages it reads.
    """
    # Take transaction control away from the sqlite3 module; `_begin_sqlite` emits BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={checkpoint_pages}")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT * 1000)}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def _use_wal(cursor: Any) -> None:
    """Switch a new file to WAL. The switch needs the file to itself and, unlike other
    statements, fails at once instead of waiting when another opener holds it (several
    workers opening a new archive together): so it is retried, up to the busy timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except driver.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_SWITCH_RETRY_SECONDS)


def _begin_sqlite(connection: Connection) -> None:
    """Emit BEGIN on the DBAPI connection: through `exec_driver_sql` (an execution context,
    events, a result) it cost more than the empty transaction it opens. Its errors ("database
    is locked" once the busy timeout has passed) are raised as SQLAlchemy's, as before."""
    immediate = connection.get_execution_options().get(_IMMEDIATE, False)
    statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    raw = connection.connection.dbapi_connection
    if raw is None:
        raise ResourceClosedError("the connection is closed")
    try:
        raw.execute(statement)
    except driver.Error as exc:
        raise DBAPIError.instance(statement, (), exc, driver.Error) from exc
