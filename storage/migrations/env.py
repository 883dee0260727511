"""Alembic environment: runs on the connection `storage.db.upgrade` hands over.

No alembic.ini and no logging setup: the package runs its own migrations at open time,
inside the caller's transaction (so concurrent openers serialize on its lock).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.models import Base
from storage.models.search import include_name

# Tables other code keeps in the archive without models, left out of model comparisons:
# the scheduler's job store (scraper.schedule.JOB_TABLE, created by APScheduler itself).
UNMODELLED_TABLES = frozenset({"apscheduler_jobs"})


def include_object(
    _object: object, name: str | None, type_: str, _reflected: bool, _compare_to: object
) -> bool:
    """Alembic's `include_object` hook: every table but the ones other code owns."""
    return not (type_ == "table" and name in UNMODELLED_TABLES)


connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("storage migrations run through storage.db.upgrade(), with a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    include_name=include_name,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
