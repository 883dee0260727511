"""The full-text index has no models: migration 0003 builds it per database, triggers fill it.

SQLite keeps an FTS5 virtual table (and the shadow tables FTS5 makes for it); PostgreSQL a
table of tsvectors. Neither is something the ORM reads or writes, so Alembic's comparison of
models and schema is told to leave them out (`include_name`, used by the migration
environment and the schema test).
"""

from __future__ import annotations

from alembic.runtime.environment import NameFilterParentNames, NameFilterType

SQLITE_FTS_TABLE = "search_fts"
POSTGRES_DOCUMENTS_TABLE = "search_documents"
_FTS5_SHADOW_SUFFIXES = ("data", "idx", "content", "docsize", "config")

SEARCH_INDEX_TABLES = frozenset(
    {
        SQLITE_FTS_TABLE,
        POSTGRES_DOCUMENTS_TABLE,
        *(f"{SQLITE_FTS_TABLE}_{suffix}" for suffix in _FTS5_SHADOW_SUFFIXES),
    }
)


def include_name(
    name: str | None, type_: NameFilterType, _parent_names: NameFilterParentNames
) -> bool:
    """Alembic's `include_name` hook: compare every table but the search index's."""
    return not (type_ == "table" and name in SEARCH_INDEX_TABLES)
