"""`newsarchive run`: one pass over the configured sites, then exit (what cron calls).

Each site is claimed with a lock row in the database before its pass, so two runs started at
once (by cron on two machines, or by hand beside the daemon) never work on one site together:
the second skips it and says so. Exit codes: 0 all sites went well, 1 some failed, 2 a usage
or configuration error (raised before any work starts).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from scraper import run_workers
from scraper.async_frontier import AsyncFrontier
from scraper.config import Config, SiteEntry
from scraper.fetch import Fetcher
from scraper.host_overrides import HostOverrides
from scraper.parse_batches import ParseBatches
from scraper.politeness import HostPolicy, host_key
from scraper.recorder import BatchWriter, Recorder
from scraper.settings import Settings
from scraper.site_lock import SiteLease, lock_holder
from scraper.site_pass import NoProgress, Parser, Progress, Services, SitePass, parse_page
from scraper.site_report import SiteReport
from storage.clusters import Clusters
from storage.db import Database, open_database
from storage.frontier import Frontier
from storage.locks import SiteLocks
from storage.runs import RunLog
from storage.search_queue import catch_up

T = TypeVar("T")


@dataclass(slots=True)
class RunReport:
    started_at: datetime
    sites: list[SiteReport] = field(default_factory=list)
    finished_at: datetime | None = None
    clustered: int = 0
    clustering_seconds: float = 0.0  # the run's last step, after every site's pass

    @property
    def exit_code(self) -> int:
        return 1 if any(site.failed for site in self.sites) else 0

    def to_dict(self) -> dict[str, object]:
        return {
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "exit_code": self.exit_code,
            "clustered": self.clustered,
            "clustering_seconds": round(self.clustering_seconds, 3),
            "sites": [site.to_dict() for site in self.sites],
        }


@dataclass(slots=True)
class RunOptions:
    overrides: HostOverrides = field(default_factory=HostOverrides)
    parser: Parser = parse_page
    on_site_done: Callable[[SiteReport], None] | None = None
    progress: Progress = field(default_factory=NoProgress)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    obey_robots: bool = True
    # Set (by the scheduler, on a second stop signal): each site stops before its next URL.
    stop: threading.Event | None = None
    # What a pass over one site is: a regular pass, or a backfill (scraper/backfill.py).
    site_pass: Callable[[SiteEntry, Services], SitePass] = SitePass
    # Whether pages are filed (WARC records, database rows) by a process of their own
    # (scraper/filing_process.py); None: when the run has parsing processes.
    filing_process: bool | None = None


def select_sites(config: Config, names: Sequence[str]) -> list[SiteEntry]:
    """The named sites (any spelling of their host), or every enabled one."""
    if not names:
        return list(config.enabled_sites())
    return [config.site(name) for name in names]


def run_once(
    config: Config,
    names: Sequence[str] = (),
    options: RunOptions | None = None,
    database: Database | None = None,
) -> RunReport:
    """Discover, fetch, archive, parse and store for each selected site; the report says how."""
    entries = select_sites(config, names)
    chosen = options or RunOptions()
    return with_archive(config, database, lambda db: asyncio.run(_run(config, entries, chosen, db)))


def with_archive(config: Config, database: Database | None, work: Callable[[Database], T]) -> T:
    """`work` on `database`, else on the config's archive, opened for it and closed after."""
    db = database or open_database(config.settings.database_url)
    try:
        return work(db)
    finally:
        if database is None:
            db.close()


def pass_services(
    settings: Settings,
    options: RunOptions,
    database: Database,
    fetcher: Fetcher,
    writer: BatchWriter,
    parse_executor: Executor | None,
    parse_batches: ParseBatches | None = None,
) -> Services:
    """What every site's pass of a run (or of a worker's round) shares."""
    return Services(
        fetcher=fetcher,
        frontier=AsyncFrontier(Frontier(database, settings.recheck)),
        recorder=Recorder(writer),
        parser=options.parser,
        concurrency=settings.concurrency,
        gate=asyncio.Semaphore(settings.concurrency),
        progress=options.progress,
        parse_executor=parse_executor,
        parse_batches=parse_batches,
        clock=options.clock,
        stop=options.stop,
    )


async def _run(
    config: Config, entries: list[SiteEntry], options: RunOptions, database: Database
) -> RunReport:
    settings = config.settings
    overrides = options.overrides or HostOverrides(dict(settings.resolve))
    report = RunReport(datetime.now(UTC))
    lease = SiteLease(SiteLocks(database), lock_holder(), options.clock)
    async with AsyncExitStack() as stack:
        fetcher = await stack.enter_async_context(
            Fetcher(
                settings,
                transport=overrides.transport(settings),
                guard=overrides.guard(),
                obey_robots=options.obey_robots,
            )
        )
        parse_executor = run_workers.parse_executor(settings.parse_workers)
        parse_batches = None
        if parse_executor is not None:
            stack.enter_context(parse_executor)
            parse_batches = run_workers.parse_batches(stack, parse_executor, settings.parse_workers)
        own_process = options.filing_process
        if own_process is None:
            own_process = parse_executor is not None
        writer = await run_workers.batch_writer(stack, settings, database, own_process=own_process)
        services = pass_services(
            settings, options, database, fetcher, writer, parse_executor, parse_batches
        )

        async def one(entry: SiteEntry) -> SiteReport:
            site_report = await _site(entry, services, lease, options.site_pass)
            if options.on_site_done is not None:
                options.on_site_done(site_report)
            return site_report

        report.sites = list(await asyncio.gather(*(one(entry) for entry in entries)))
        # Story clusters follow the run's new articles and versions: most were clustered as
        # they were filed (`scraper.filing_clusters`); this pass does what is left (cheap:
        # only what changed), by the filing process when there is one.
        started = time.perf_counter()
        leftover = await writer.cluster_rest()
        if leftover is None:
            leftover = await asyncio.to_thread(Clusters(database).update, services.signed)
        report.clustered = writer.clustered + leftover
        report.clustering_seconds = time.perf_counter() - started
        # The last saves' articles may wait in SQLite's search queue: searches find them now.
        await asyncio.to_thread(catch_up, database)
    report.finished_at = datetime.now(UTC)
    RunLog(database).record(
        report.started_at, report.finished_at, report.exit_code, report.to_dict()
    )
    return report


async def _site(
    entry: SiteEntry,
    services: Services,
    lease: SiteLease,
    make_pass: Callable[[SiteEntry, Services], SitePass],
) -> SiteReport:
    _configure_politeness(entry, services.fetcher)
    return await lease.run(entry.host, make_pass(entry, services))


def _configure_politeness(entry: SiteEntry, fetcher: Fetcher) -> None:
    policy = HostPolicy(entry.connections_per_host, entry.min_delay)
    urls = [*entry.feeds, *entry.sitemaps, *(s.url for s in entry.sections), *entry.start_urls]
    for key in {host_key(url) for url in urls} | {entry.host, f"www.{entry.host}"}:
        fetcher.pacer.configure(key, policy)
