"""Full-text search over every article version, kept in sync by the database itself.

Revision ID: 0003
Revises: 0002
Created: 2026-12-06

SQLite: an FTS5 table `search_fts` whose rowid is the version id (columns headline,
standfirst, body, captions, authors; English stemming, diacritics folded). PostgreSQL: a
table `search_documents` of weighted tsvectors (A headline; B standfirst, captions, authors;
C body) with a GIN index. A version's byline and images are rows of their own, written after
the version row and, as the ORM flushes, even after `articles.current_version_id` is set, so
no single event sees the whole document: a trigger on each table rebuilds what it changed.
No Python hook is needed, and whatever writes the rows (store, scripts, psql) keeps the
index right. Every version is indexed, not only the current one, so a search can ask what
the archive said on a given day. No models describe these tables (`storage.models.search`).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_COLUMNS = "headline, standfirst, body, captions, authors"
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
POSTGRES_CONFIG = "english"

# Captions in image order, bylines in printed order; `{version}` is the version id's SQL.
_SQLITE_CAPTIONS = """(SELECT group_concat(caption, ' / ') FROM (
    SELECT caption FROM images
    WHERE version_id = {version} AND caption IS NOT NULL ORDER BY position))"""
_SQLITE_AUTHORS = """(SELECT group_concat(name, ', ') FROM (
    SELECT authors.name FROM version_authors JOIN authors ON authors.id = version_authors.author_id
    WHERE version_authors.version_id = {version} ORDER BY version_authors.position))"""
_SQLITE_INSERT = f"""INSERT INTO search_fts (rowid, {SQLITE_COLUMNS})
SELECT v.id, v.headline, v.standfirst, v.body, {_SQLITE_CAPTIONS}, {_SQLITE_AUTHORS}
FROM article_versions AS v"""

# (trigger name, when it fires, the version id's SQL): each rebuilds that version's row.
_SQLITE_REFRESHES = (
    ("search_version_added", "AFTER INSERT ON article_versions", "new.id"),
    (
        "search_version_edited",
        "AFTER UPDATE OF headline, standfirst, body ON article_versions",
        "new.id",
    ),
    ("search_image_added", "AFTER INSERT ON images WHEN new.caption IS NOT NULL", "new.version_id"),
    ("search_image_edited", "AFTER UPDATE OF caption ON images", "new.version_id"),
    (
        "search_image_removed",
        "AFTER DELETE ON images WHEN old.caption IS NOT NULL",
        "old.version_id",
    ),
    ("search_author_added", "AFTER INSERT ON version_authors", "new.version_id"),
    ("search_author_removed", "AFTER DELETE ON version_authors", "old.version_id"),
)

# The wording (headline A, standfirst B, body C) is indexed once per version; captions and
# bylines (B) arrive in later rows, each of which recomputes only `extras`: re-tokenizing the
# body for each would cost more than the save. Searches ask the index's `wording || extras`.
_POSTGRES_TABLE = """CREATE TABLE search_documents (
    version_id integer NOT NULL,
    wording tsvector NOT NULL,
    extras tsvector NOT NULL,
    CONSTRAINT pk_search_documents PRIMARY KEY (version_id),
    CONSTRAINT fk_search_documents_version_id_article_versions FOREIGN KEY (version_id)
        REFERENCES article_versions (id) ON DELETE CASCADE
)"""
_POSTGRES_INDEX = (
    "CREATE INDEX ix_search_documents_document ON search_documents USING gin ((wording || extras))"
)
_POSTGRES_WORDING = "\n    || ".join(  # `{row}`: the version row's name in the statement
    f"setweight(to_tsvector('{POSTGRES_CONFIG}', {field}), '{weight}')"
    for field, weight in (
        ("coalesce({row}.headline, '')", "A"),
        ("coalesce({row}.standfirst, '')", "B"),
        ("{row}.body", "C"),
    )
)
_POSTGRES_EXTRAS = f"""CREATE FUNCTION search_extras(target integer) RETURNS tsvector
LANGUAGE sql STABLE AS $$
SELECT setweight(to_tsvector('{POSTGRES_CONFIG}', coalesce(
        (SELECT string_agg(caption, ' / ' ORDER BY position) FROM images
         WHERE version_id = target), '')), 'B')
    || setweight(to_tsvector('{POSTGRES_CONFIG}', coalesce(
        (SELECT string_agg(authors.name, ', ' ORDER BY version_authors.position)
         FROM version_authors JOIN authors ON authors.id = version_authors.author_id
         WHERE version_authors.version_id = target), '')), 'B')
$$"""
_POSTGRES_ON_VERSION = f"""CREATE FUNCTION search_on_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_documents (version_id, wording, extras)
    VALUES (NEW.id, {_POSTGRES_WORDING.format(row="NEW")}, search_extras(NEW.id))
    ON CONFLICT (version_id) DO UPDATE SET wording = excluded.wording;
    RETURN NULL;
END $$"""
_POSTGRES_ON_DETAIL = """CREATE FUNCTION search_on_version_detail() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    target integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.version_id ELSE NEW.version_id END;
BEGIN
    UPDATE search_documents SET extras = search_extras(target) WHERE version_id = target;
    RETURN NULL;
END $$"""
_POSTGRES_BACKFILL = f"""INSERT INTO search_documents (version_id, wording, extras)
SELECT v.id, {_POSTGRES_WORDING.format(row="v")}, search_extras(v.id) FROM article_versions AS v"""
# (trigger name, events, table, row condition, function run)
_POSTGRES_TRIGGERS = (
    (
        "search_version_changed",
        "INSERT OR UPDATE OF headline, standfirst, body",
        "article_versions",
        "",
        "search_on_version",
    ),
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


def _sqlite_upgrade() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({SQLITE_COLUMNS}, "
        f"tokenize = '{SQLITE_TOKENIZER}')"
    )
    op.execute(_SQLITE_INSERT.format(version="v.id"))
    for name, event, version in _SQLITE_REFRESHES:
        rebuild = _SQLITE_INSERT.format(version=version) + f" WHERE v.id = {version}"
        op.execute(
            f"CREATE TRIGGER {name} {event} BEGIN "
            f"DELETE FROM search_fts WHERE rowid = {version}; {rebuild}; END"
        )
    op.execute(
        "CREATE TRIGGER search_version_removed AFTER DELETE ON article_versions "
        "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END"
    )


def _sqlite_downgrade() -> None:
    for name, _event, _version in _SQLITE_REFRESHES:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TRIGGER search_version_removed")
    op.execute("DROP TABLE search_fts")


def _postgres_upgrade() -> None:
    op.execute(_POSTGRES_TABLE)
    op.execute(_POSTGRES_INDEX)
    for function in (_POSTGRES_EXTRAS, _POSTGRES_ON_VERSION, _POSTGRES_ON_DETAIL):
        op.execute(function)
    for name, events, table, condition, function in _POSTGRES_TRIGGERS:
        when = f" WHEN ({condition})" if condition else ""
        op.execute(
            f"CREATE TRIGGER {name} AFTER {events} ON {table} "
            f"FOR EACH ROW{when} EXECUTE FUNCTION {function}()"
        )
    op.execute(_POSTGRES_BACKFILL)


def _postgres_downgrade() -> None:
    for name, _events, table, _condition, _function in _POSTGRES_TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    for function in ("search_on_version_detail", "search_on_version"):
        op.execute(f"DROP FUNCTION {function}()")
    op.execute("DROP FUNCTION search_extras(integer)")
    op.execute("DROP TABLE search_documents")
