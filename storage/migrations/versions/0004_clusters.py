"""Story clusters: each article's MinHash signature and its LSH band keys.

Revision ID: 0004
Revises: 0003
Created: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cluster_signatures",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(64), nullable=False),
        sa.Column("signature", sa.LargeBinary()),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_cluster_signatures_article_id_articles"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["article_versions.id"],
            name="fk_cluster_signatures_version_id_article_versions",
        ),
        sa.PrimaryKeyConstraint("article_id", name="pk_cluster_signatures"),
    )
    op.create_table(
        "cluster_bands",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["cluster_signatures.article_id"],
            name="fk_cluster_bands_article_id_cluster_signatures",
        ),
        sa.PrimaryKeyConstraint("article_id", "band", name="pk_cluster_bands"),
    )
    op.create_index("ix_cluster_bands_key", "cluster_bands", ["key"])


def downgrade() -> None:
    op.drop_table("cluster_bands")
    op.drop_table("cluster_signatures")
