"""Site locks in the database, so overlapping runs (even on other machines) skip busy sites.

A lock expires: a run killed with -9 cannot release it, and the next run after the expiry
takes the site over. A long pass keeps its lock by calling `acquire` again (a renewal).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from storage.db import Database
from storage.models import SiteLock
from storage.upserts import insert_ignoring_conflicts


class SiteLocks:
    def __init__(self, database: Database) -> None:
        self.database = database

    def acquire(self, site: str, holder: str, now: datetime, ttl_seconds: float) -> bool:
        """Take (or renew) the site's lock; False when another live holder has it."""
        expires = now + timedelta(seconds=ttl_seconds)
        row = {"site": site, "holder": holder, "acquired_at": now, "expires_at": expires}
        with self.database.transaction() as session:
            insert_ignoring_conflicts(session, SiteLock, [row], unique="site")
            session.execute(
                update(SiteLock)
                .where(
                    SiteLock.site == site,
                    or_(SiteLock.holder == holder, SiteLock.expires_at < now),
                )
                .values(holder=holder, acquired_at=now, expires_at=expires)
            )
            owner = session.scalar(select(SiteLock.holder).where(SiteLock.site == site))
        return owner == holder

    def release(self, site: str, holder: str) -> None:
        """Give the lock back (only if still ours: an expired lock may have been taken over)."""
        with self.database.transaction() as session:
            session.execute(
                delete(SiteLock).where(SiteLock.site == site, SiteLock.holder == holder)
            )

    def holders(self) -> dict[str, str]:
        """Every site currently locked and by whom (expired locks included)."""
        with self.database.session() as session:
            return dict(session.execute(select(SiteLock.site, SiteLock.holder)).all())
