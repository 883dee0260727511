"""Every default of the storage package in one place, so a reader finds each number once."""

from __future__ import annotations

DATABASE_ENV = "NEWSARCHIVE_DB"
DEFAULT_DATABASE_URL = "sqlite:///data/archive.sqlite3"

# "python" makes SQLite archives use Python's own sqlite3 module even where pysqlite3 (a
# current SQLite) is installed (`storage.sqlite_driver`).
SQLITE_LIBRARY_ENV = "NEWSARCHIVE_SQLITE"

# How long an SQLite writer waits for another writer's lock before giving up (seconds).
SQLITE_BUSY_TIMEOUT = 30.0

# SQLite's log is copied into the database file (a checkpoint) by a thread of the writing
# process (`storage.checkpoints`): every this many seconds, and in full, holding writers
# back for at most the wait below, once the log reaches the pages below (about 40 MB;
# SQLite's default is 1,000 pages, copied inside the commit that crosses it).
SQLITE_CHECKPOINT_INTERVAL = 0.2
SQLITE_CHECKPOINT_PAGES = 10_000
SQLITE_FULL_CHECKPOINT_WAIT = 0.1
# Where commits checkpoint themselves while the thread runs: only when it is not keeping up.
SQLITE_FALLBACK_CHECKPOINT_PAGES = 40_000

# A save that loses a race (a unique constraint, a deadlock) is retried from the start this
# many times; the retry sees the winner's rows, so it ends as `unchanged` or `duplicate_of`.
SAVE_ATTEMPTS = 5

# Any number serializes concurrent migrations on PostgreSQL; this one spells "newsarch".
MIGRATION_LOCK_ID = 0x6E65777361726368
