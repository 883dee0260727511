"""Alembic environment: runs on the connection `storage.db.upgrade` hands over.

No alembic.ini and no logging setup: the package runs its own migrations at open time,
inside the caller's transaction (so concurrent openers serialize on its lock).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("storage migrations run through storage.db.upgrade(), with a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
