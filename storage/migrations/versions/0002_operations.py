"""Operations: WARC record ids on fetches, site locks, run reports and the parse log.

Revision ID: 0002
Revises: 0001
Created: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _json(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("fetches") as batch:
        batch.add_column(sa.Column("warc_record_id", sa.Text()))
    op.create_table(
        "site_locks",
        sa.Column("site", sa.String(255), nullable=False),
        sa.Column("holder", sa.String(255), nullable=False),
        _when("acquired_at"),
        _when("expires_at"),
        sa.PrimaryKeyConstraint("site", name="pk_site_locks"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        _when("started_at"),
        _when("finished_at"),
        sa.Column("exit_code", sa.Integer(), nullable=False),
        _json("report"),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])
    op.create_table(
        "page_parses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("site", sa.String(255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("fetch_id", sa.Integer()),
        _when("parsed_at"),
        sa.Column("parser", sa.String(64), nullable=False),
        sa.Column("page_type", sa.String(16), nullable=False),
        _json("fields_found"),
        sa.ForeignKeyConstraint(
            ["fetch_id"], ["fetches.id"], name="fk_page_parses_fetch_id_fetches"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_page_parses"),
    )
    op.create_index("ix_page_parses_site_parsed_at", "page_parses", ["site", "parsed_at"])


def downgrade() -> None:
    op.drop_table("page_parses")
    op.drop_table("runs")
    op.drop_table("site_locks")
    with op.batch_alter_table("fetches") as batch:
        batch.drop_column("warc_record_id")
