"""The search tables have no ORM models: migrations 0003 and 0005 build them, triggers fill them.

SQLite keeps one FTS5 virtual table (and the shadow tables FTS5 makes for it) whose rowid is
the version id for current versions and minus it for replaced ones. PostgreSQL keeps two
tables of tsvectors, `search_current` and `search_replaced`. Both keep `search_versions`,
one narrow row per version with what the filters read. The ORM never writes any of them
(triggers do), so they are described here as plain Core tables for `storage.search` to
query, and Alembic's comparison of models and schema is told to leave them out
(`include_name`, used by the migration environment and the schema test).
"""

from __future__ import annotations

from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from sqlalchemy import Boolean, Integer, Text, column, table
from sqlalchemy.dialects.postgresql import TSVECTOR

from storage.models.base import UTCDateTime

SQLITE_FTS_TABLE = "search_fts"
POSTGRES_DOCUMENTS_TABLE = "search_documents"  # migration 0003's, before 0005
CURRENT_INDEX_TABLE = "search_current"
POSTGRES_REPLACED_TABLE = "search_replaced"
VERSIONS_TABLE = "search_versions"
SQLITE_QUEUE_TABLE = "search_queue"  # migration 0009: articles waiting to be indexed
_FTS5_SHADOW_SUFFIXES = ("data", "idx", "content", "docsize", "config")

SEARCH_INDEX_TABLES = frozenset(
    {
        POSTGRES_DOCUMENTS_TABLE,
        VERSIONS_TABLE,
        SQLITE_QUEUE_TABLE,
        CURRENT_INDEX_TABLE,
        POSTGRES_REPLACED_TABLE,
        SQLITE_FTS_TABLE,
        *(f"{SQLITE_FTS_TABLE}_{suffix}" for suffix in _FTS5_SHADOW_SUFFIXES),
    }
)

# One row per version: what filters and `as_of` read, copied from the version and article.
SEARCH_VERSIONS = table(
    VERSIONS_TABLE,
    column("version_id", Integer),
    column("article_id", Integer),
    column("version_no", Integer),
    column("section", Text),
    column("published_at", UTCDateTime()),
    column("updated_at", UTCDateTime()),
    column("created_at", UTCDateTime()),
    column("replaced_at", UTCDateTime()),
    column("site_id", Integer),
    column("is_current", Boolean),
    column("is_indexed", Boolean),
)
# PostgreSQL's indexes: each version's weighted tsvector, current and replaced ones apart.
POSTGRES_CURRENT = table(
    CURRENT_INDEX_TABLE, column("version_id", Integer), column("document", TSVECTOR)
)
POSTGRES_REPLACED = table(
    POSTGRES_REPLACED_TABLE, column("version_id", Integer), column("document", TSVECTOR)
)
# SQLite's: an FTS5 table whose rowid is the version id (current) or minus it (replaced).
SQLITE_FTS = table(SQLITE_FTS_TABLE, column("rowid", Integer))


def include_name(
    name: str | None, type_: NameFilterType, _parent_names: NameFilterParentNames
) -> bool:
    """Alembic's `include_name` hook: compare every table but the search index's."""
    return not (type_ == "table" and name in SEARCH_INDEX_TABLES)
