"""Workers: frontier leases, and per-host pacing shared by every worker process.

Revision ID: 0008
Revises: 0005
Created: 2026-12-07

`newsarchive worker` processes (on one machine or many) claim due frontier URLs with a lease
(`frontier_urls.lease_holder`, `lease_expires_at`) and keep each host's politeness together
in `host_pacing` (when the host may next be asked, and the delays that decide it) and
`host_slots` (requests in flight, each with a lease of its own). Created on SQLite too, so
one schema serves both databases, though only PostgreSQL runs workers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("frontier_urls") as batch:
        batch.add_column(sa.Column("lease_holder", sa.String(255)))
        batch.add_column(_when("lease_expires_at", nullable=True))
    op.create_index(
        "ix_frontier_urls_site_id_next_due_at", "frontier_urls", ["site_id", "next_due_at"]
    )
    op.create_index("ix_frontier_urls_lease_holder", "frontier_urls", ["lease_holder"])
    op.create_table(
        "host_pacing",
        sa.Column("host", sa.String(255), nullable=False),
        _when("next_allowed_at"),
        sa.Column("min_delay", sa.Float(), nullable=False),
        sa.Column("crawl_delay", sa.Float(), nullable=False),
        sa.Column("backoff", sa.Float(), nullable=False),
        sa.Column("max_connections", sa.Integer(), nullable=False),
        sa.Column("in_flight", sa.Integer(), nullable=False),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("host", name="pk_host_pacing"),
    )
    op.create_table(
        "host_slots",
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(255), nullable=False),
        _when("acquired_at"),
        _when("expires_at"),
        sa.ForeignKeyConstraint(
            ["host"], ["host_pacing.host"], name="fk_host_slots_host_host_pacing"
        ),
        sa.PrimaryKeyConstraint("host", "token", name="pk_host_slots"),
    )


def downgrade() -> None:
    op.drop_table("host_slots")
    op.drop_table("host_pacing")
    op.drop_index("ix_frontier_urls_lease_holder", table_name="frontier_urls")
    op.drop_index("ix_frontier_urls_site_id_next_due_at", table_name="frontier_urls")
    with op.batch_alter_table("frontier_urls") as batch:
        batch.drop_column("lease_expires_at")
        batch.drop_column("lease_holder")
