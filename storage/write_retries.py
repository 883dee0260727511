"""A write transaction that is run again from the start when it loses a race.

Concurrent writers are kept apart by the schema (unique keys, row locks); the one that loses
gets a unique violation, a serialization failure or a deadlock, and its second run sees the
winner's rows. The same rule as `Store`'s saves, for callers that compose their own
transaction out of the store's in-session functions (`storage.page_filing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.db import Database
from storage.exceptions import SaveConflictError
from storage.settings import SAVE_ATTEMPTS
from storage.sqlite_driver import is_unique_violation
from storage.upserts import KnownIds, TransactionIds

T = TypeVar("T")

# PostgreSQL's "serialization failure" and "deadlock detected": the transaction may succeed
# when run again.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
# PostgreSQL's "unique violation" (SQLite's are told by `is_unique_violation`).
UNIQUE_VIOLATION = "23505"


def lost_a_race(exc: IntegrityError | OperationalError) -> bool:
    """Whether the error is another writer having got there first (worth a second run)."""
    code = getattr(exc.orig, "sqlstate", None)
    if isinstance(exc, IntegrityError):
        return code == UNIQUE_VIOLATION or is_unique_violation(exc.orig)
    return code in RETRYABLE_SQLSTATES


@contextmanager
def write_connection(database: Database) -> Iterator[Connection]:
    """A Core write transaction: the database's write lock and `BEGIN IMMEDIATE` engine,
    committed when the block ends, rolled back if it raises."""
    with database.write_lock, database.write_engine.begin() as connection:
        yield connection


def write_with_retries(
    database: Database,
    known: KnownIds,
    work: Callable[[Connection, TransactionIds], T],
    *,
    what: str,
) -> T:
    """Run `work` in a write transaction, again from the start when it loses a race; the ids
    it learned are kept once it has committed."""
    lost: Exception | None = None
    for _ in range(SAVE_ATTEMPTS):
        try:
            with write_connection(database) as connection:
                ids = known.transaction(connection)
                result = work(connection, ids)
        except (IntegrityError, OperationalError) as exc:
            if not lost_a_race(exc):
                raise
            lost = exc
            continue
        ids.keep()
        return result
    message = f"gave up writing {what} after {SAVE_ATTEMPTS} conflicting writes"
    raise SaveConflictError(message) from lost
