"""Search: current versions apart from replaced ones, a narrow table for filters, cheaper sync.

Revision ID: 0005
Revises: 0004
Created: 2026-12-07

Searches without `as_of` ask only for current versions, yet migration 0003's index holds
every version under its id: each search ranked every matching version and read the wide
version and article rows to drop the replaced ones. Now:

- Current versions are indexed apart from replaced ones; `as_of` asks both. SQLite's FTS5
  table keeps current versions under their id and replaced ones under minus their id: a
  search asks for positive rowids only, which FTS5 finds without reading the others, and
  bm25 still weighs words by every indexed version, as before. PostgreSQL keeps two tables
  of tsvectors under GIN, `search_current` and `search_replaced` (0003's
  `search_documents`, each document now one stored tsvector, not `wording || extras`
  concatenated again for every row ranked; ts_rank_cd needs no statistics of the whole).
- `search_versions` holds one narrow row per version with what filters and `as_of` read:
  article, number, site, section, dates, whether current, and `replaced_at`, when a
  later-numbered version was first saved (NULL while none was). A filter costs a lookup in a
  small table, not two in the widest ones; `as_of` and `has_versions` a comparison, not a
  subquery.
- A version is indexed once, when its article's pointer reaches it: by then its byline,
  images and wording are written (0003 rebuilt the row for each of them). Every version
  numbered up to the current one is indexed (`is_indexed`); later ones (written, not yet
  pointed at) wait for the pointer. An edit moves the replaced version's row (on SQLite two
  more FTS5 writes; on PostgreSQL its tsvector is copied, not computed again). Triggers on
  bylines, images and wording refresh indexed versions, so rows written by hand are still
  followed.

No models describe these tables (`storage.models.search`).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage.db import revision_module

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES_CONFIG = "english"
SQLITE_COLUMNS = "headline, standfirst, body, captions, authors"
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
# The columns of `search_versions` copied from the version row.
_FACETS = ("article_id", "version_no", "section", "published_at", "updated_at", "created_at")
_FACET_LIST = ", ".join(_FACETS)
_VERSIONS_COLUMNS = """
    version_id {integer} NOT NULL PRIMARY KEY,
    article_id {integer} NOT NULL,
    version_no {integer} NOT NULL,
    section {text},
    published_at {time},
    updated_at {time},
    created_at {time} NOT NULL,
    replaced_at {time},
    site_id {integer} NOT NULL,
    is_current {boolean} NOT NULL DEFAULT {false},
    is_indexed {boolean} NOT NULL DEFAULT {false}"""
# When a later-numbered version of the row's article was first saved; `{ne}`: "differs from".
_LATER = """(SELECT min(later.created_at) FROM search_versions AS later
    WHERE later.article_id = search_versions.article_id
    AND later.version_no > search_versions.version_no)"""
_SET_REPLACED = f"""UPDATE search_versions SET replaced_at = {_LATER}
WHERE article_id = {{article}} AND replaced_at {{ne}} {_LATER};"""
# A version `{row}` added: its own row (replaced already if later-numbered ones exist), and
# the earlier ones it replaces sooner (none, for a new article: one index probe).
_VERSION_ADDED = f"""INSERT INTO search_versions (version_id, {_FACET_LIST}, site_id, replaced_at)
SELECT {{row}}.id, {{facets}}, site_id, (SELECT min(later.created_at) FROM search_versions AS later
    WHERE later.article_id = {{row}}.article_id AND later.version_no > {{row}}.version_no)
FROM articles WHERE id = {{row}}.article_id;
UPDATE search_versions SET replaced_at = {{row}}.created_at
WHERE article_id = {{row}}.article_id AND version_no < {{row}}.version_no
    AND (replaced_at IS NULL OR replaced_at > {{row}}.created_at);"""


def _columns(prefix: str, names: Sequence[str] = _FACETS) -> str:
    return ", ".join(f"{prefix}.{name}" for name in names)


def _assignments(prefix: str) -> str:
    return ", ".join(f"{name} = {prefix}.{name}" for name in _FACETS)


# --- SQLite ---------------------------------------------------------------------------------

# Migration 0003's triggers, each rebuilding a version's row whenever a part of it is written.
_SQLITE_0003_TRIGGERS = (
    "search_version_added",
    "search_version_edited",
    "search_image_added",
    "search_image_edited",
    "search_image_removed",
    "search_author_added",
    "search_author_removed",
    "search_version_removed",
)
_SQLITE_TYPES = {
    "integer": "INTEGER",
    "text": "TEXT",
    "time": "DATETIME",
    "boolean": "BOOLEAN",
    "false": "0",
}
_SQLITE_TABLES = (
    f"CREATE TABLE search_versions ({_VERSIONS_COLUMNS.format(**_SQLITE_TYPES)})",
    "CREATE INDEX ix_search_versions_article_id ON search_versions (article_id, version_no)",
    # Current versions newest first, with what filters read: a listing by filters alone
    # stops after its page, and its count reads this index only.
    "CREATE INDEX ix_search_versions_newest ON search_versions (published_at DESC, "
    "version_id DESC, site_id, section, updated_at, version_no, replaced_at) "
    "WHERE is_current = 1",
)
# Every version was indexed by 0003 under its id; the replaced ones move to minus their id.
_SQLITE_BACKFILL = (
    f"""INSERT INTO search_versions (version_id, {_FACET_LIST}, site_id, is_current, is_indexed)
SELECT v.id, {_columns("v")}, a.site_id, a.current_version_id IS v.id, 1
FROM article_versions AS v JOIN articles AS a ON a.id = v.article_id""",
    f"""UPDATE search_versions SET replaced_at = {_LATER}
WHERE EXISTS (SELECT 1 FROM search_versions AS later
    WHERE later.article_id = search_versions.article_id
    AND later.version_no > search_versions.version_no)""",
    f"""INSERT INTO search_fts (rowid, {SQLITE_COLUMNS})
SELECT -f.rowid, {_columns("f", SQLITE_COLUMNS.split(", "))}
FROM search_versions AS s CROSS JOIN search_fts AS f ON f.rowid = s.version_id
WHERE NOT s.is_current""",
    """DELETE FROM search_fts
WHERE rowid IN (SELECT version_id FROM search_versions WHERE NOT is_current)""",
)

# Captions in image order, bylines in printed order (as migration 0003 indexed them).
_SQLITE_CAPTIONS = """captions = (SELECT group_concat(caption, ' / ') FROM (
    SELECT caption FROM images
    WHERE version_id = {version} AND caption IS NOT NULL ORDER BY position))"""
_SQLITE_AUTHORS = """authors = (SELECT group_concat(name, ', ') FROM (
    SELECT authors.name FROM version_authors JOIN authors ON authors.id = version_authors.author_id
    WHERE version_authors.version_id = {version} ORDER BY version_authors.position))"""
_SQLITE_DOCUMENT = ", ".join(  # of version `v`, after its FTS5 rowid
    (
        "v.headline, v.standfirst, v.body",
        _SQLITE_CAPTIONS.format(version="v.id").removeprefix("captions = "),
        _SQLITE_AUTHORS.format(version="v.id").removeprefix("authors = "),
    )
)
_SQLITE_NEW = "new.current_version_id"
_SQLITE_NEW_NUMBER = f"(SELECT version_no FROM search_versions WHERE version_id = {_SQLITE_NEW})"
# Article `new`'s pointer moved from {old} to the new current version: the old one's row
# moves to minus its id, the new one's comes in under its id (from minus it, pointing back),
# and versions below the new one never indexed (never current) come in under minus theirs.
_SQLITE_POINTER_MOVED = f"""INSERT INTO search_fts (rowid, {SQLITE_COLUMNS})
SELECT -rowid, {SQLITE_COLUMNS} FROM search_fts WHERE rowid = {{old}};
DELETE FROM search_fts WHERE rowid = {{old}};
DELETE FROM search_fts WHERE rowid = -{_SQLITE_NEW};
INSERT INTO search_fts (rowid, {SQLITE_COLUMNS})
SELECT CASE WHEN v.id = {_SQLITE_NEW} THEN v.id ELSE -v.id END, {_SQLITE_DOCUMENT}
FROM search_versions AS s JOIN article_versions AS v ON v.id = s.version_id
WHERE s.article_id = new.id AND s.version_no <= {_SQLITE_NEW_NUMBER}
    AND (NOT s.is_indexed OR s.version_id = {_SQLITE_NEW});
UPDATE search_versions SET is_indexed = 1, is_current = version_id IS {_SQLITE_NEW}
WHERE article_id = new.id AND (version_id IN ({{old}}, {_SQLITE_NEW})
    OR (NOT is_indexed AND version_no <= {_SQLITE_NEW_NUMBER}));"""
_SQLITE_BOTH_ROWS = "rowid IN ({version}, -{version})"

# (trigger name, when it fires, its statements)
_SQLITE_TRIGGERS = (
    (
        "search_version_added",
        "AFTER INSERT ON article_versions",
        _VERSION_ADDED.format(row="new", facets=_columns("new")),
    ),
    (
        "search_version_moved",
        f"AFTER UPDATE OF {_FACET_LIST} ON article_versions",
        f"UPDATE search_versions SET {_assignments('new')}, "
        "site_id = (SELECT site_id FROM articles WHERE id = new.article_id) "
        "WHERE version_id = new.id; "
        + _SET_REPLACED.format(article="old.article_id", ne="IS NOT")
        + _SET_REPLACED.format(article="new.article_id", ne="IS NOT"),
    ),
    (
        "search_version_removed",
        "AFTER DELETE ON article_versions",
        f"DELETE FROM search_fts WHERE {_SQLITE_BOTH_ROWS.format(version='old.id')}; "
        "DELETE FROM search_versions WHERE version_id = old.id; "
        + _SET_REPLACED.format(article="old.article_id", ne="IS NOT"),
    ),
    (
        "search_pointer_moved",
        "AFTER UPDATE OF current_version_id ON articles "
        "WHEN new.current_version_id IS NOT old.current_version_id",
        _SQLITE_POINTER_MOVED.format(old="old.current_version_id"),
    ),
    (
        "search_article_added",
        "AFTER INSERT ON articles WHEN new.current_version_id IS NOT NULL",
        _SQLITE_POINTER_MOVED.format(old="NULL"),
    ),
    (
        "search_site_moved",
        "AFTER UPDATE OF site_id ON articles",
        "UPDATE search_versions SET site_id = new.site_id WHERE article_id = new.id;",
    ),
)
# (trigger name, when it fires, the row naming the version, the FTS5 columns set): refreshes
# of an indexed version's document, under whichever rowid it has.
_SQLITE_REFRESHES = (
    (
        "search_version_edited",
        "AFTER UPDATE OF headline, standfirst, body ON article_versions WHEN",
        "new.id",
        "headline = new.headline, standfirst = new.standfirst, body = new.body",
    ),
    *(
        (name, f"{event} ON images WHEN {condition}", row, _SQLITE_CAPTIONS)
        for name, event, condition, row in (
            ("search_image_added", "AFTER INSERT", "new.caption IS NOT NULL AND", "new"),
            ("search_image_edited", "AFTER UPDATE OF caption", "", "new"),
            ("search_image_removed", "AFTER DELETE", "old.caption IS NOT NULL AND", "old"),
        )
    ),
    *(
        (name, f"{event} ON version_authors WHEN", row, _SQLITE_AUTHORS)
        for name, event, row in (
            ("search_author_added", "AFTER INSERT", "new"),
            ("search_author_removed", "AFTER DELETE", "old"),
        )
    ),
)


def _sqlite_refresh_trigger(name: str, event: str, row: str, columns: str) -> str:
    version = row if "." in row else f"{row}.version_id"
    indexed = f"(SELECT is_indexed FROM search_versions WHERE version_id = {version})"
    rows = _SQLITE_BOTH_ROWS.format(version=version)
    update = f"UPDATE search_fts SET {columns.format(version=version)} WHERE {rows};"
    return f"CREATE TRIGGER {name} {event} {indexed} BEGIN {update} END"


def _sqlite_upgrade() -> None:
    for name in _SQLITE_0003_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    for statement in (*_SQLITE_TABLES, *_SQLITE_BACKFILL):
        op.execute(statement)
    for name, event, body in _SQLITE_TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN {body} END")
    for refresh in _SQLITE_REFRESHES:
        op.execute(_sqlite_refresh_trigger(*refresh))


def _sqlite_downgrade() -> None:
    for name in (*(t[0] for t in _SQLITE_TRIGGERS), *(r[0] for r in _SQLITE_REFRESHES)):
        op.execute(f"DROP TRIGGER {name}")
    for table in ("search_versions", "search_fts"):
        op.execute(f"DROP TABLE {table}")
    revision_module("0003_search.py").upgrade()  # every version indexed again, with 0003's triggers


# --- PostgreSQL -----------------------------------------------------------------------------

_POSTGRES_0003_SYNC = (
    "TRIGGER search_version_changed ON article_versions",
    "TRIGGER search_image_added ON images",
    "TRIGGER search_image_changed ON images",
    "TRIGGER search_author_changed ON version_authors",
    "FUNCTION search_on_version_detail()",
    "FUNCTION search_on_version()",
    "FUNCTION search_extras(integer)",
)
_POSTGRES_TYPES = {
    "integer": "integer",
    "text": "text",
    "time": "timestamp with time zone",
    "boolean": "boolean",
    "false": "false",
}


def _postgres_table(name: str, columns: str) -> str:
    """A search table keyed by version id, gone with its version (and with TRUNCATE CASCADE)."""
    return f"""CREATE TABLE {name} ({columns},
    CONSTRAINT fk_{name}_version_id_article_versions FOREIGN KEY (version_id)
        REFERENCES article_versions (id) ON DELETE CASCADE)"""


_POSTGRES_TABLES = (
    _postgres_table("search_versions", _VERSIONS_COLUMNS.format(**_POSTGRES_TYPES)),
    "CREATE INDEX ix_search_versions_article_id ON search_versions (article_id, version_no)",
    "CREATE INDEX ix_search_versions_newest ON search_versions "
    "(published_at DESC NULLS LAST, version_id DESC) WHERE is_current",
    _postgres_table(
        "search_current", "version_id integer NOT NULL PRIMARY KEY, document tsvector NOT NULL"
    ),
    # 0003's index of every version keeps the replaced ones, each as one stored tsvector
    # (not `wording || extras` computed again for every row ranked).
    "ALTER TABLE search_documents RENAME TO search_replaced",
    "ALTER TABLE search_replaced ADD COLUMN document tsvector",
    "UPDATE search_replaced SET document = wording || extras",
    "ALTER TABLE search_replaced ALTER COLUMN document SET NOT NULL",
    "ALTER TABLE search_replaced DROP COLUMN wording, DROP COLUMN extras",  # and their index
    "ALTER TABLE search_replaced RENAME CONSTRAINT pk_search_documents TO pk_search_replaced",
    "ALTER TABLE search_replaced RENAME CONSTRAINT "
    "fk_search_documents_version_id_article_versions "
    "TO fk_search_replaced_version_id_article_versions",
)
_POSTGRES_BACKFILL = (
    f"""INSERT INTO search_versions (version_id, {_FACET_LIST}, site_id, is_current, is_indexed)
SELECT v.id, {_columns("v")}, a.site_id, a.current_version_id IS NOT DISTINCT FROM v.id, true
FROM article_versions AS v JOIN articles AS a ON a.id = v.article_id""",
    f"""UPDATE search_versions SET replaced_at = {_LATER}
WHERE version_no < (SELECT max(later.version_no) FROM search_versions AS later
    WHERE later.article_id = search_versions.article_id)""",
    """WITH moved AS (DELETE FROM search_replaced
    WHERE version_id IN (SELECT current_version_id FROM articles) RETURNING *)
INSERT INTO search_current (version_id, document) SELECT version_id, document FROM moved""",
    "CREATE INDEX ix_search_current_document ON search_current USING gin (document)",
    "CREATE INDEX ix_search_replaced_document ON search_replaced USING gin (document)",
)

_POSTGRES_PARTS = (  # the version's document: headline A; standfirst, captions, bylines B; body C
    ("coalesce(v.headline, '')", "A"),
    ("coalesce(v.standfirst, '')", "B"),
    ("v.body", "C"),
    (
        """coalesce((SELECT string_agg(caption, ' / ' ORDER BY position) FROM images
        WHERE version_id = target), '')""",
        "B",
    ),
    (
        """coalesce((SELECT string_agg(authors.name, ', ' ORDER BY version_authors.position)
        FROM version_authors JOIN authors ON authors.id = version_authors.author_id
        WHERE version_authors.version_id = target), '')""",
        "B",
    ),
)
_POSTGRES_DOCUMENT = " || ".join(
    f"setweight(to_tsvector('{POSTGRES_CONFIG}', {text}), '{weight}')"
    for text, weight in _POSTGRES_PARTS
)
_POSTGRES_REPLACED = _SET_REPLACED.format(article="{article}", ne="IS DISTINCT FROM")
# PL/pgSQL throughout: it keeps each statement's plan for the session, where an SQL-language
# function called from a trigger is planned again on every call.
_POSTGRES_FUNCTIONS = (
    f"""search_document(target integer) RETURNS tsvector LANGUAGE plpgsql STABLE AS $$ BEGIN
RETURN (SELECT {_POSTGRES_DOCUMENT} FROM article_versions AS v WHERE v.id = target);
END $$""",
    # Rebuild an indexed version's document, wherever it is (nothing to do for the others).
    """search_refresh(target integer) RETURNS void LANGUAGE plpgsql AS $$ BEGIN
IF EXISTS (SELECT 1 FROM search_versions WHERE version_id = target AND is_indexed) THEN
    UPDATE search_current SET document = search_document(target) WHERE version_id = target;
    UPDATE search_replaced SET document = search_document(target) WHERE version_id = target;
END IF;
END $$""",
    f"""search_on_version_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
{_VERSION_ADDED.format(row="NEW", facets=_columns("NEW"))}
RETURN NULL; END $$""",
    f"""search_on_version_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
UPDATE search_versions SET {_assignments("NEW")},
    site_id = (SELECT site_id FROM articles WHERE id = NEW.article_id)
WHERE version_id = NEW.id;
{_POSTGRES_REPLACED.format(article="OLD.article_id")}
{_POSTGRES_REPLACED.format(article="NEW.article_id")}
RETURN NULL; END $$""",
    f"""search_on_version_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
{_POSTGRES_REPLACED.format(article="OLD.article_id")}
RETURN NULL; END $$""",
    """search_on_version_edited() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
PERFORM search_refresh(NEW.id);
RETURN NULL; END $$""",
    """search_on_version_detail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
PERFORM search_refresh(CASE WHEN TG_OP = 'DELETE' THEN OLD.version_id ELSE NEW.version_id END);
RETURN NULL; END $$""",
    # The pointer moved: the old current document moves to the replaced ones, the new current
    # one is indexed (out of the replaced ones, pointing back), and versions below it never
    # indexed (never current) go to the replaced ones.
    """search_on_pointer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_current integer := CASE WHEN TG_OP = 'UPDATE' THEN OLD.current_version_id END;
    new_number integer := (SELECT version_no FROM search_versions
                           WHERE version_id = NEW.current_version_id);
BEGIN
WITH moved AS (DELETE FROM search_current WHERE version_id = old_current RETURNING *)
INSERT INTO search_replaced (version_id, document) SELECT version_id, document FROM moved;
DELETE FROM search_replaced WHERE version_id = NEW.current_version_id;
INSERT INTO search_current (version_id, document)
VALUES (NEW.current_version_id, search_document(NEW.current_version_id));
INSERT INTO search_replaced (version_id, document)
SELECT version_id, search_document(version_id) FROM search_versions
WHERE article_id = NEW.id AND NOT is_indexed AND version_no < new_number;
UPDATE search_versions
SET is_indexed = true, is_current = version_id IS NOT DISTINCT FROM NEW.current_version_id
WHERE article_id = NEW.id AND (version_id IN (old_current, NEW.current_version_id)
    OR (NOT is_indexed AND version_no <= new_number));
RETURN NULL; END $$""",
    """search_on_site_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
UPDATE search_versions SET site_id = NEW.site_id WHERE article_id = NEW.id;
RETURN NULL; END $$""",
)
# (trigger name, events, table, row condition, function run)
_POSTGRES_TRIGGERS = (
    ("search_version_added", "INSERT", "article_versions", "", "search_on_version_added"),
    (
        "search_version_moved",
        f"UPDATE OF {_FACET_LIST}",
        "article_versions",
        "",
        "search_on_version_moved",
    ),
    ("search_version_removed", "DELETE", "article_versions", "", "search_on_version_removed"),
    (
        "search_version_edited",
        "UPDATE OF headline, standfirst, body",
        "article_versions",
        "",
        "search_on_version_edited",
    ),
    (
        "search_pointer_moved",
        "UPDATE OF current_version_id",
        "articles",
        "OLD.current_version_id IS DISTINCT FROM NEW.current_version_id",
        "search_on_pointer",
    ),
    (
        "search_article_added",
        "INSERT",
        "articles",
        "NEW.current_version_id IS NOT NULL",
        "search_on_pointer",
    ),
    ("search_site_moved", "UPDATE OF site_id", "articles", "", "search_on_site_moved"),
    (
        "search_image_added",
        "INSERT",
        "images",
        "NEW.caption IS NOT NULL",
        "search_on_version_detail",
    ),
    (
        "search_image_changed",
        "UPDATE OF caption OR DELETE",
        "images",
        "",
        "search_on_version_detail",
    ),
    (
        "search_author_changed",
        "INSERT OR DELETE",
        "version_authors",
        "",
        "search_on_version_detail",
    ),
)


def _postgres_upgrade() -> None:
    for thing in _POSTGRES_0003_SYNC:
        op.execute(f"DROP {thing}")
    for statement in (*_POSTGRES_TABLES, *_POSTGRES_BACKFILL):
        op.execute(statement)
    for function in _POSTGRES_FUNCTIONS:
        op.execute(f"CREATE FUNCTION {function}")
    for name, events, table, condition, function in _POSTGRES_TRIGGERS:
        when = f" WHEN ({condition})" if condition else ""
        op.execute(
            f"CREATE TRIGGER {name} AFTER {events} ON {table} "
            f"FOR EACH ROW{when} EXECUTE FUNCTION {function}()"
        )


def _postgres_downgrade() -> None:
    for name, _events, table, _condition, _function in _POSTGRES_TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    for function in _POSTGRES_FUNCTIONS:
        op.execute(f"DROP FUNCTION {function.split(' RETURNS ')[0]}")
    for table in ("search_current", "search_replaced", "search_versions"):
        op.execute(f"DROP TABLE {table}")
    revision_module("0003_search.py").upgrade()  # every version indexed again, with 0003's triggers


# --- both -----------------------------------------------------------------------------------


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgres_downgrade()
    else:
        _sqlite_downgrade()
