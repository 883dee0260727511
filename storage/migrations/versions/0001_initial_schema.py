"""Initial schema: sites, frontier, fetches, articles, aliases, versions, authors, images.

Revision ID: 0001
Revises:
Created: 2025-11-25

Self-contained on purpose (no model imports): a migration must build the schema as it was
when it was written, whatever the models say later.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSION_KINDS = "('first', 'updated', 'date_only', 'silent_edit', 'reparse')"


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False)


def _text(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(column: str, table: str, source: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], name=f"fk_{source}_{column}_{table}")


def _index(table: str, *columns: str, unique: bool = False) -> None:
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns), unique=unique)


def upgrade() -> None:
    _crawl_tables()
    _article_tables()


def _crawl_tables() -> None:
    op.create_table(
        "sites",
        _id(),
        sa.Column("name", sa.String(255), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_sites"),
        sa.UniqueConstraint("name", name="uq_sites_name"),
    )
    op.create_table(
        "frontier_urls",
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        _text("url_key", nullable=False),
        _text("url", nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        _when("next_due_at", nullable=True),
        _text("etag"),
        sa.Column("last_modified", sa.String(64)),
        sa.Column("last_digest", sa.String(128)),
        sa.Column("failure_count", sa.Integer(), nullable=False),
        _text("last_error"),
        sa.Column("recheck_step", sa.Integer(), nullable=False),
        _when("lastmod_seen", nullable=True),
        _when("published_seen", nullable=True),
        _when("last_fetched_at", nullable=True),
        _when("first_seen"),
        _when("last_seen"),
        _fk("site_id", "sites", "frontier_urls"),
        sa.PrimaryKeyConstraint("id", name="pk_frontier_urls"),
        sa.UniqueConstraint("url_key", name="uq_frontier_urls_url_key"),
    )
    _index("frontier_urls", "site_id")
    _index("frontier_urls", "state", "next_due_at")
    op.create_table(
        "fetches",
        _id(),
        sa.Column("site_id", sa.Integer()),
        _text("url", nullable=False),
        _text("final_url"),
        sa.Column("status", sa.Integer()),
        _when("fetched_at"),
        sa.Column("content_type", sa.String(255)),
        _text("warc_file"),
        sa.Column("warc_offset", sa.BigInteger()),
        sa.Column("warc_length", sa.BigInteger()),
        sa.Column("payload_digest", sa.String(128)),
        sa.Column("revisit", sa.Boolean(), nullable=False),
        _text("error"),
        _fk("site_id", "sites", "fetches"),
        sa.PrimaryKeyConstraint("id", name="pk_fetches"),
    )
    for column in ("site_id", "url", "fetched_at", "payload_digest"):
        _index("fetches", column)


def _article_tables() -> None:
    op.create_table(
        "articles",
        _id(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        _text("url_key", nullable=False),
        _text("canonical_url", nullable=False),
        sa.Column("current_version_id", sa.Integer()),
        _when("first_seen"),
        _when("last_seen"),
        sa.Column("cluster_id", sa.Integer()),
        _fk("site_id", "sites", "articles"),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("url_key", name="uq_articles_url_key"),
    )
    _index("articles", "site_id")
    _index("articles", "cluster_id")
    op.create_table(
        "article_aliases",
        _id(),
        _text("url_key", nullable=False),
        _text("url", nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        _when("first_seen"),
        _fk("article_id", "articles", "article_aliases"),
        sa.PrimaryKeyConstraint("id", name="pk_article_aliases"),
        sa.UniqueConstraint("url_key", name="uq_article_aliases_url_key"),
    )
    _index("article_aliases", "article_id")
    _versions_table()
    # The pointer to the current version closes a cycle, so it is added once both tables exist
    # (batch mode: SQLite cannot add a constraint to an existing table without a rebuild).
    with op.batch_alter_table("articles") as batch:
        batch.create_foreign_key(
            "fk_articles_current_version_id_article_versions",
            "article_versions",
            ["current_version_id"],
            ["id"],
        )
    _version_detail_tables()


def _versions_table() -> None:
    op.create_table(
        "article_versions",
        _id(),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        _text("url", nullable=False),
        _text("canonical_url", nullable=False),
        sa.Column("page_type", sa.String(16), nullable=False),
        _text("headline"),
        _text("standfirst"),
        _text("section"),
        sa.Column("language", sa.String(16)),
        _when("published_at", nullable=True),
        _text("published_raw"),
        sa.Column("published_precision", sa.String(8)),
        _when("updated_at", nullable=True),
        _text("updated_raw"),
        sa.Column("updated_precision", sa.String(8)),
        _text("body", nullable=False),
        _json("tags"),
        _json("record"),
        sa.Column("parser_name", sa.String(64), nullable=False),
        sa.Column("parser_version", sa.String(32), nullable=False),
        _json("fields_found"),
        sa.Column("fetch_id", sa.Integer()),
        _when("created_at"),
        sa.CheckConstraint(f"kind IN {VERSION_KINDS}", name="ck_article_versions_kind"),
        _fk("article_id", "articles", "article_versions"),
        _fk("fetch_id", "fetches", "article_versions"),
        sa.PrimaryKeyConstraint("id", name="pk_article_versions"),
        sa.UniqueConstraint(
            "article_id", "version_no", name="uq_article_versions_article_id_version_no"
        ),
    )
    _index("article_versions", "content_hash")
    _index("article_versions", "fetch_id")


def _version_detail_tables() -> None:
    op.create_table(
        "authors",
        _id(),
        _text("name", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_authors"),
        sa.UniqueConstraint("name", name="uq_authors_name"),
    )
    op.create_table(
        "version_authors",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        _fk("version_id", "article_versions", "version_authors"),
        _fk("author_id", "authors", "version_authors"),
        sa.PrimaryKeyConstraint("version_id", "position", name="pk_version_authors"),
    )
    _index("version_authors", "author_id")
    op.create_table(
        "images",
        _id(),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _text("url", nullable=False),
        _text("caption"),
        _text("credit"),
        _text("alt"),
        _fk("version_id", "article_versions", "images"),
        sa.PrimaryKeyConstraint("id", name="pk_images"),
        sa.UniqueConstraint("version_id", "position", name="uq_images_version_id_position"),
    )


def downgrade() -> None:
    for table in ("images", "version_authors", "authors"):
        op.drop_table(table)
    with op.batch_alter_table("articles") as batch:
        batch.drop_constraint("fk_articles_current_version_id_article_versions", "foreignkey")
    for table in ("article_versions", "article_aliases", "articles", "fetches", "frontier_urls"):
        op.drop_table(table)
    op.drop_table("sites")
