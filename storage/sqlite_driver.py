"""The one SQLite library every archive connection of this process goes through.

Where pysqlite3-binary is installed (a dependency on Linux x86-64, the platform it ships
wheels for) it is used: it bundles a current SQLite, and FTS5 ranks a common word's hits a
third faster in SQLite 3.51 than in the 3.40 that Debian 12's Python links (bm25 over 74,000
hits at 200,000 articles: 58 against 39 ms, measured on the same file). Elsewhere the
`sqlite3` module Python was built with serves, unchanged, as it does everywhere when
NEWSARCHIVE_SQLITE=python is set.

One library, never both: two copies of SQLite in one process do not see each other's POSIX
locks on a file (SQLite's "multiple copies" hazard), so a connection of the other copy can
neither be locked out by this one's writer nor keep its locks when the other closes the file.
Code and tests that open an archive file directly import `driver` from here.

Known difference: SQLite 3.51's `PRAGMA integrity_check` also checks FTS5 tables, and on a
connection that ran it before it reports a checksum mismatch once another process has
written the search index since (a stale cached structure; searches and FTS5's own
'integrity-check' read the index as it is): run it on a fresh connection.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from storage.settings import SQLITE_LIBRARY_ENV

# For type checking, both modules have the standard library's interface.
if TYPE_CHECKING or os.environ.get(SQLITE_LIBRARY_ENV, "").strip().lower() == "python":
    import sqlite3 as driver
else:
    try:
        from pysqlite3 import dbapi2 as driver
    except ImportError:
        import sqlite3 as driver

__all__ = ["driver", "is_unique_violation"]

# Extended result codes a UNIQUE or PRIMARY KEY conflict is reported with, where the module
# turns them on (the standard library's since Python 3.11).
_UNIQUE_CODES = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})
# The messages SQLite gives both, for modules that report the primary code only.
_UNIQUE_MESSAGE = "UNIQUE constraint failed"


def is_unique_violation(error: BaseException | None) -> bool:
    """Whether a driver error is a UNIQUE or PRIMARY KEY conflict: the one constraint
    failure a writer that lost a race to another sees (never a NOT NULL, CHECK or foreign
    key one)."""
    code = getattr(error, "sqlite_errorname", None)
    if code in _UNIQUE_CODES:
        return True
    return code == "SQLITE_CONSTRAINT" and str(error).startswith(_UNIQUE_MESSAGE)
