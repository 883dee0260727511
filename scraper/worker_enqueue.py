"""Discovery only: what `newsarchive schedule --enqueue-only` runs for each site's pass.

With workers doing the fetching, the scheduler's pass over a site reads its feeds, sitemaps
and section pages (conditionally, archived like any fetch) and fills the frontier: new URLs
are due at once, known ones when discovery saw a newer date. It fetches no article; the
workers claim what is due. Its requests take their turns in the shared pacing table, like
the workers', so a site's politeness holds with discovery and fetching running together.

The site lock still keeps two schedulers (or a `newsarchive run`) off one site at a time.
Same call as `run_once`, so the scheduler daemon runs either.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextlib import AsyncExitStack
from datetime import UTC, datetime

from scraper.config import Config, SiteEntry
from scraper.run import RunOptions, RunReport, select_sites, with_archive
from scraper.site_lock import SiteLease, lock_holder
from scraper.site_pass import Services, SitePass
from scraper.site_report import SiteReport
from scraper.worker_services import Identity, default_worker_id, open_services, warc_prefix
from storage.db import Database
from storage.leases import require_postgres
from storage.locks import SiteLocks
from storage.runs import RunLog


class DiscoveryPass(SitePass):
    """A site's pass that stops once discovery has filled the frontier."""

    async def fetch_due(self) -> None:
        """Workers fetch what discovery made due."""


def enqueue_once(
    config: Config,
    names: Sequence[str] = (),
    options: RunOptions | None = None,
    database: Database | None = None,
) -> RunReport:
    """Discover each selected site's URLs into the frontier; the report says how many."""
    entries = select_sites(config, names)

    def enqueue(db: Database) -> RunReport:
        require_postgres(db, "schedule --enqueue-only")
        return asyncio.run(_enqueue(config, entries, options or RunOptions(), db))

    return with_archive(config, database, enqueue)


async def _enqueue(
    config: Config, entries: list[SiteEntry], options: RunOptions, database: Database
) -> RunReport:
    report = RunReport(datetime.now(UTC))
    name = f"enqueue-{default_worker_id()}"
    identity = Identity(name, warc_prefix(name))
    async with AsyncExitStack() as stack:
        services = await open_services(
            stack, config, database, identity, options, stop=asyncio.Event()
        )
        lease = SiteLease(SiteLocks(database), lock_holder(), services.clock)

        async def one(entry: SiteEntry) -> SiteReport:
            site_report = await _site(entry, services, lease)
            if options.on_site_done is not None:
                options.on_site_done(site_report)
            return site_report

        report.sites = list(await asyncio.gather(*(one(entry) for entry in entries)))
    report.finished_at = datetime.now(UTC)
    await asyncio.to_thread(
        RunLog(database).record,
        report.started_at,
        report.finished_at,
        report.exit_code,
        report.to_dict(),
    )
    return report


async def _site(entry: SiteEntry, services: Services, lease: SiteLease) -> SiteReport:
    return await lease.run(entry.host, DiscoveryPass(entry, services))
