"""What `newsarchive worker` processes are doing, for `status`: each worker's live leases,
leases left by workers that stopped without giving them back, and hosts being waited on.

Read from the rows the workers share (`frontier_urls` leases, `host_pacing`,
`host_slots`) with the database server's clock, the one every machine agrees on. SQLite
archives have no workers, so there is nothing to show for them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text

from storage.db import Database

_LEASES = text(
    """
SELECT lease_holder AS holder, count(*) AS urls, count(DISTINCT site_id) AS sites,
       max(lease_expires_at) AS until
FROM frontier_urls
WHERE lease_holder IS NOT NULL AND lease_expires_at >= statement_timestamp()
GROUP BY lease_holder ORDER BY lease_holder
"""
)
_LAPSED = text(
    """
SELECT count(*) FROM frontier_urls
WHERE lease_holder IS NOT NULL AND lease_expires_at < statement_timestamp()
"""
)
_HOSTS = text(
    """
SELECT p.host, p.max_connections,
       (SELECT count(*) FROM host_slots s
        WHERE s.host = p.host AND s.expires_at >= statement_timestamp()) AS in_flight,
       p.backoff,
       greatest(0, extract(epoch FROM p.next_allowed_at - statement_timestamp())) AS wait
FROM host_pacing p
WHERE p.backoff > 0 OR p.next_allowed_at > statement_timestamp()
   OR EXISTS (SELECT 1 FROM host_slots s
              WHERE s.host = p.host AND s.expires_at >= statement_timestamp())
ORDER BY p.host
"""
)


@dataclass(frozen=True, slots=True)
class WorkerLeases:
    """One worker's live leases: how many URLs, over how many sites, held until when."""

    worker: str
    urls: int
    sites: int
    until: datetime


@dataclass(frozen=True, slots=True)
class HostWait:
    """A host the workers are fetching from or waiting on (back-off and waits in seconds)."""

    host: str
    in_flight: int
    max_connections: int
    backoff: float
    next_in: float


@dataclass(frozen=True, slots=True)
class WorkerStatus:
    workers: list[WorkerLeases] = field(default_factory=list)
    # Leases run out and not given back: their workers died or were killed; the URLs are
    # claimable again, so this only says something stopped uncleanly.
    lapsed_leases: int = 0
    hosts: list[HostWait] = field(default_factory=list)

    @property
    def idle(self) -> bool:
        return not (self.workers or self.lapsed_leases or self.hosts)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for worker in data["workers"]:
            worker["until"] = worker["until"].isoformat()
        return data


def worker_status(database: Database) -> WorkerStatus | None:
    """The workers' leases and the hosts they wait on; None for an archive without workers
    (SQLite)."""
    if database.dialect != "postgresql":
        return None
    with database.session() as session:
        workers = [WorkerLeases(*row) for row in session.execute(_LEASES)]
        lapsed = int(session.execute(_LAPSED).scalar_one())
        hosts = [
            HostWait(
                row.host, int(row.in_flight), row.max_connections, row.backoff, float(row.wait)
            )
            for row in session.execute(_HOSTS)
        ]
    return WorkerStatus(workers, lapsed, hosts)
