"""Search on SQLite: a moved pointer queues its article; the queue is indexed in batches.

Revision ID: 0009
Revises: 0008
Created: 2026-12-07

Migration 0005's triggers indexed an article in the transaction that moved its pointer.
FTS5 flushes a segment of its own, and merges older ones, at the end of every transaction
that wrote to it, so a save of one article spent about 40% of its time there. Now the two
pointer triggers only queue the article in `search_queue`, and `storage.search_queue` indexes
the queue in batches (the SQL that 0005's triggers ran, for many articles at once): in a
save's transaction once enough articles wait, before any search, and when a crawl ends.
The other triggers (versions added, edited or removed, bylines, images) are unchanged: they
keep the rows already indexed in step. PostgreSQL, whose triggers write tsvectors row by row,
is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storage.db import revision_module
from storage.search_queue import index_queued

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_POINTER_TRIGGERS = {
    "search_pointer_moved": "AFTER UPDATE OF current_version_id ON articles "
    "WHEN new.current_version_id IS NOT old.current_version_id",
    "search_article_added": "AFTER INSERT ON articles WHEN new.current_version_id IS NOT NULL",
}
# The article, with the highest version number its pointer reached while it waited.
_QUEUE = """INSERT INTO search_queue (article_id, up_to_no) VALUES (new.id, coalesce((
    SELECT version_no FROM search_versions WHERE version_id = new.current_version_id), 0))
ON CONFLICT (article_id) DO UPDATE SET up_to_no = max(up_to_no, excluded.up_to_no);"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TABLE search_queue "
        "(article_id INTEGER NOT NULL PRIMARY KEY, up_to_no INTEGER NOT NULL)"
    )
    for name, event in _POINTER_TRIGGERS.items():
        op.execute(f"DROP TRIGGER {name}")
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN {_QUEUE} END")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    while index_queued(op.get_bind(), 10_000):
        pass
    triggers = revision_module("0005_search_current.py")._SQLITE_TRIGGERS
    bodies = {name: body for name, _, body in triggers}
    for name, event in _POINTER_TRIGGERS.items():
        op.execute(f"DROP TRIGGER {name}")
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN {bodies[name]} END")
    op.execute("DROP TABLE search_queue")
