"""Every default of the storage package in one place, so a reader finds each number once."""

from __future__ import annotations

DATABASE_ENV = "NEWSARCHIVE_DB"
DEFAULT_DATABASE_URL = "sqlite:///data/archive.sqlite3"

# "python" makes SQLite archives use Python's own sqlite3 module even where pysqlite3 (a
# current SQLite) is installed (`storage.sqlite_driver`).
SQLITE_LIBRARY_ENV = "NEWSARCHIVE_SQLITE"

# How long an SQLite writer waits for another writer's lock before giving up (seconds).
SQLITE_BUSY_TIMEOUT = 30.0

# A save that loses a race (a unique constraint, a deadlock) is retried from the start this
# many times; the retry sees the winner's rows, so it ends as `unchanged` or `duplicate_of`.
SAVE_ATTEMPTS = 5

# Any number serializes concurrent migrations on PostgreSQL; this one spells "newsarch".
MIGRATION_LOCK_ID = 0x6E65777361726368
