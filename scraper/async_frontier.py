"""The frontier for the crawler's event loop: each call runs in a worker thread.

A frontier call is a database transaction that may wait for SQLite's single writer; made on
the event loop, that wait would stall every fetch in flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime

from storage.frontier import Discovered, DueUrl, Frontier, Outcome


class AsyncFrontier:
    def __init__(self, frontier: Frontier) -> None:
        self.frontier = frontier

    async def add(self, site: str, links: Iterable[Discovered], now: datetime) -> int:
        return await asyncio.to_thread(self.frontier.add, site, list(links), now)

    async def add_sources(self, site: str, urls: Iterable[str], now: datetime) -> None:
        await asyncio.to_thread(self.frontier.add_sources, site, list(urls), now)

    async def source(self, url: str) -> DueUrl | None:
        return await asyncio.to_thread(self.frontier.source, url)

    async def due(self, site: str, now: datetime, limit: int | None = None) -> list[DueUrl]:
        return await asyncio.to_thread(self.frontier.due, site, now, limit)

    async def record(
        self,
        url: str,
        outcome: Outcome,
        now: datetime,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        digest: str | None = None,
        error: str | None = None,
    ) -> None:
        await asyncio.to_thread(
            lambda: self.frontier.record(
                url,
                outcome,
                now,
                etag=etag,
                last_modified=last_modified,
                digest=digest,
                error=error,
            )
        )
