"""Per-host pacing in the database, so every worker process together stays polite to a host.

A request to a host needs a turn (`take_turn`), granted only when the host's next allowed
start has come and fewer than its connections are in flight; granting moves the next
allowed start a gap on (the longest of the configured delay, robots.txt's Crawl-delay and
the current back-off) and adds a row to `host_slots`. Ending the turn (`end_turn`) drops
the slot and measures the gap again from a moment the host surely had the request (`now -
elapsed`: the caller counts from when the answer began to arrive), so time lost between the
grant and the send never shortens the gap the host sees; a 429 or 503 grows the back-off
and Retry-After blocks the host for longer. Each is one atomic statement
(`storage.host_pacing_sql`), run outside any transaction on connections of its own.

Every time is the database server's (`statement_timestamp()`), the one clock all machines
share. A slot's lease outlasts the longest request (the fetcher's total timeout bounds one),
so a live worker never renews it, and the slots of a worker that died are dropped once their
leases have run out.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import Engine, create_engine

from storage import host_pacing_sql as sql
from storage.db import Database
from storage.leases import require_postgres
from storage.models import HostPacing


@dataclass(frozen=True, slots=True)
class BackoffRule:
    """How a host's back-off moves (seconds; the scraper's numbers): after a 429/503 it
    doubles, at least to `first` or twice the host's own gap, at most `cap`; after any other
    answer it shrinks by `recovery`, and is dropped below `floor`. A block (Retry-After, or
    else the back-off) lasts at most `max_block`."""

    first: float = 1.0
    cap: float = 60.0
    recovery: float = 0.75
    floor: float = 0.05
    max_block: float = 86400.0


@dataclass(frozen=True, slots=True)
class PacingRule:
    """What this worker's configuration says of a host: requests in flight at once, the
    delay between starts, and robots.txt's Crawl-delay (None: not read yet, keep the
    stored one)."""

    connections: int
    min_delay: float
    crawl_delay: float | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """A granted request slot; end it with `SharedPacing.end_turn`."""

    host: str
    token: str
    gap: float  # seconds between starts when it was granted


@dataclass(frozen=True, slots=True)
class Wait:
    """No turn yet: ask again in `seconds` (`busy`: every connection was in flight)."""

    seconds: float
    busy: bool = False


class SharedPacing:
    """One worker's side of the shared pacing table; `holder` names it in slot rows.

    Its statements run on a small pool of autocommit connections of its own (`connections`,
    as many as threads call it at once): one round trip each, no transaction around it.
    """

    def __init__(
        self,
        database: Database,
        holder: str,
        slot_lease_seconds: float,
        backoff: BackoffRule | None = None,
        connections: int = 4,
    ) -> None:
        require_postgres(database, "shared host pacing")
        self.database = database
        self.holder = holder
        self.slot_lease_seconds = slot_lease_seconds
        self.backoff = backoff or BackoffRule()
        self._engine: Engine = create_engine(
            database.url, pool_size=connections, max_overflow=0, isolation_level="AUTOCOMMIT"
        )
        self._known: set[str] = set()  # hosts whose row exists

    def take_turn(self, host: str, rule: PacingRule, busy_retry: float) -> Turn | Wait:
        """A turn when the host allows one now; else how long to wait (`busy_retry` when
        only a free connection is missing: when one frees up is not known here)."""
        token = uuid.uuid4().hex
        values: dict[str, object] = {"host": host, "token": token, "holder": self.holder}
        values |= {"lease": self.slot_lease_seconds, "min_delay": rule.min_delay}
        values |= {"crawl_delay": rule.crawl_delay, "connections": rule.connections}
        with self._engine.connect() as connection:
            if host not in self._known:
                connection.execute(sql.CREATE, values)
                self._known.add(host)
            row = connection.execute(sql.TAKE_TURN, values).one()
            if row.granted:
                return Turn(host, token, float(row.gap))
            if row.busy and row.stale:  # a dead worker's slot: free it, then ask again
                connection.execute(sql.DROP_STALE, {"host": host})
                return Wait(0.0, busy=True)
        if row.busy and row.wait <= 0:
            return Wait(busy_retry, busy=True)
        return Wait(float(row.wait))

    def end_turn(
        self,
        turn: Turn,
        elapsed: float,
        overloaded: bool = False,
        retry_after: float | None = None,
    ) -> float:
        """Free the slot; the next start is at least a gap after the moment, `elapsed`
        seconds ago, the host surely had this request (`overloaded`: it answered 429 or
        503, asking for `retry_after` seconds). Returns the seconds until the host may be
        asked again."""
        values: dict[str, object] = {"host": turn.host, "token": turn.token}
        values |= {"elapsed": max(0.0, elapsed), "overloaded": overloaded}
        values |= {"retry_after": retry_after, **asdict(self.backoff)}
        with self._engine.connect() as connection:
            wait = connection.execute(sql.END_TURN, values).scalar_one()
        return float(wait)

    def release_all(self) -> None:
        """Drop every slot this holder has (a worker's last act)."""
        with self._engine.connect() as connection:
            connection.execute(sql.DROP_HOLDERS, {"holder": self.holder})

    def close(self) -> None:
        self._engine.dispose()

    def state(self, host: str) -> HostPacing | None:
        with self.database.session() as session:
            return session.get(HostPacing, host)
