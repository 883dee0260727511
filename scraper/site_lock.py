"""A site's pass under its database lock, for `run` and the enqueue-only scheduler alike.

Overlapping runs (on one machine or several sharing an archive) skip a site another run
holds. The lock lasts `LOCK_SECONDS` and is renewed every third of that while the pass
works, so a long pass (a backfill) keeps it. A run killed with -9 cannot release its lock:
one whose holder was a process on this machine that no longer exists is taken over at
once, rather than keeping the site from every run until it expires.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime

from scraper.exceptions import UsageError
from scraper.site_pass import SitePass
from scraper.site_report import SiteReport
from storage.locks import SiteLocks

LOCK_SECONDS = 30 * 60
SKIPPED = "another run holds this site"


def lock_holder() -> str:
    """This process in a lock row: `machine:pid:nonce` (what `_died_here` reads back)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class SiteLease:
    """Runs site passes each under its site's lock, held by `holder`."""

    def __init__(
        self,
        locks: SiteLocks,
        holder: str,
        clock: Callable[[], datetime],
        ttl: float = LOCK_SECONDS,
    ) -> None:
        self.locks = locks
        self.holder = holder
        self.clock = clock
        self.ttl = ttl

    async def run(self, site: str, site_pass: SitePass) -> SiteReport:
        """The pass's report, or a skipped one when another live run holds the site. The
        pass's own fault is its report's failure: it must not cost the other sites."""
        now = self.clock()
        if not await self._claim(site, now):
            skipped = SiteReport(site, now, finished_at=now)
            skipped.skipped = SKIPPED
            return skipped
        renewal = asyncio.create_task(self._renew(site))
        try:
            return await _guarded(site_pass)
        finally:
            renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewal
            await asyncio.to_thread(self.locks.release, site, self.holder)

    async def _claim(self, site: str, now: datetime) -> bool:
        # In worker threads, like every database call of a run: the event loop keeps fetching.
        if await self._acquire(site, now):
            return True
        owner = (await asyncio.to_thread(self.locks.holders)).get(site)
        if owner is None or not _died_here(owner):
            return False
        await asyncio.to_thread(self.locks.release, site, owner)  # only while still the dead's
        return await self._acquire(site, now)

    async def _renew(self, site: str) -> None:
        while True:
            await asyncio.sleep(self.ttl / 3)
            await self._acquire(site, self.clock())

    async def _acquire(self, site: str, now: datetime) -> bool:
        return await asyncio.to_thread(self.locks.acquire, site, self.holder, now, self.ttl)


async def _guarded(site_pass: SitePass) -> SiteReport:
    try:
        return await site_pass.run()
    except UsageError:
        raise
    except Exception as exc:  # one site's fault must not cost the other sites their pass
        site_pass.report.failure = f"{type(exc).__name__}: {exc}"
        return site_pass.report


def _died_here(holder: str) -> bool:
    """Whether a lock's holder was a process on this machine that is gone. Holders
    elsewhere, or whose process is unknown or still there, are taken to be alive."""
    host, _, rest = holder.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: it exists, under another user
        return False
    return False
