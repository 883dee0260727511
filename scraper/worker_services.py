"""What a worker process (or the enqueue-only scheduler) fetches, parses and files with.

The same pieces as `newsarchive run` (`scraper.run`): one fetcher, parsing in a thread or
processes, a recorder writing WARC records then rows in batches. Two differ: the fetcher's
pacer takes every turn from the shared pacing table (`scraper.worker_pacer`), and the WARC
files carry the process's name (`newsarchive-<id>-...warc.gz`), so workers sharing one WARC
folder never write to one file and each fetch row names the file its record is in.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from scraper import run_workers
from scraper.config import Config, SiteEntry
from scraper.exceptions import UsageError
from scraper.fetch import Fetcher
from scraper.host_overrides import HostOverrides
from scraper.politeness import HostPolicy, host_key
from scraper.recorder import ThreadWriter
from scraper.run import RunOptions, pass_services
from scraper.site_pass import Services
from scraper.worker_pacer import PACING_THREADS, SharedHostPacer, backoff_rule
from storage.db import Database
from storage.host_pacing import SharedPacing
from storage.page_filing import PageFiler
from storage.warc import DEFAULT_PREFIX, WarcArchive

# A worker id goes into WARC file names and lease rows: a file name's safe characters.
WORKER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
# A slot's lease beyond the fetcher's total timeout (which bounds one request).
SLOT_MARGIN_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a process is in the shared tables (`holder`) and in its WARC file names."""

    holder: str
    warc_prefix: str


def default_worker_id() -> str:
    """This machine's name and the process id: unique among the workers of one archive."""
    host = re.sub(r"[^A-Za-z0-9.-]+", "-", socket.gethostname()).strip(".-") or "host"
    return f"{host[:40]}-{os.getpid()}"


def checked_worker_id(name: str) -> str:
    if not WORKER_ID.fullmatch(name):
        raise UsageError(
            f"--id: {name!r} is not a usable worker id (letters, digits, '.', '_', '-'; "
            "at most 63; it goes into WARC file names)"
        )
    return name


def warc_prefix(worker_id: str) -> str:
    return f"{DEFAULT_PREFIX}-{worker_id}"


def require_postgres_url(url: str, what: str) -> None:
    """Refuse any other database before opening it (a SQLite file would be made for nothing)."""
    backend = make_url(url).get_backend_name()
    if backend != "postgresql":
        raise UsageError(
            f"{what} needs PostgreSQL (workers claim URLs with SELECT ... FOR UPDATE SKIP "
            f"LOCKED and pace hosts in the database); this archive is {backend}: "
            "give --db postgresql://..."
        )


async def open_services(
    stack: AsyncExitStack,
    config: Config,
    database: Database,
    identity: Identity,
    options: RunOptions,
    stop: asyncio.Event,
) -> Services:
    """The fetcher, parsers and recorder of one process, closed with `stack`; `stop` makes
    requests still waiting for a turn give up."""
    settings = config.settings
    overrides = options.overrides or HostOverrides(dict(settings.resolve))
    slot_lease = settings.timeouts.total + SLOT_MARGIN_SECONDS
    cap = settings.retries.backoff_cap
    pacing = SharedPacing(
        database, identity.holder, slot_lease, backoff_rule(cap), connections=PACING_THREADS
    )
    stack.callback(pacing.close)
    policy = HostPolicy(settings.connections_per_host, settings.min_delay)
    pacer = SharedHostPacer(
        pacing, policy, backoff_cap=cap, stop=stop, max_wait=settings.max_retry_after
    )
    stack.callback(pacer.close)
    for entry in config.enabled_sites():
        configure_politeness(pacer, entry)
    fetcher = await stack.enter_async_context(
        Fetcher(
            settings,
            transport=overrides.transport(settings),
            guard=overrides.guard(),
            pacer=pacer,
            obey_robots=options.obey_robots,
        )
    )
    stack.push_async_callback(asyncio.to_thread, pacer.pacing.release_all)
    parse_executor = run_workers.parse_executor(settings.parse_workers)
    if parse_executor is not None:
        stack.enter_context(parse_executor)
    archive = WarcArchive(Path(settings.warc_dir), prefix=identity.warc_prefix, sync_each=False)
    stack.enter_context(archive)
    writer = ThreadWriter(archive, PageFiler(database, settings.recheck))
    return pass_services(settings, options, database, fetcher, writer, parse_executor)


def configure_politeness(pacer: SharedHostPacer, entry: SiteEntry) -> None:
    """The site's own connections and delay for every host its URLs name."""
    policy = HostPolicy(entry.connections_per_host, entry.min_delay)
    urls = [*entry.feeds, *entry.sitemaps, *(s.url for s in entry.sections), *entry.start_urls]
    for key in {host_key(url) for url in urls} | {entry.host, f"www.{entry.host}"}:
        pacer.configure(key, policy)
