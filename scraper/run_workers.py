"""The help a run gets besides its event loop: parsing processes, and where pages are filed.

Processes are started by a fork server: no copy of the crawler's threads, open database
connections or sockets, and the modules they need imported once, in the server.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import AsyncExitStack
from multiprocessing.context import BaseContext
from pathlib import Path

from scraper.filing_clusters import FiledClusters
from scraper.filing_process import FilingSetup, ProcessWriter, shared_database_url
from scraper.parse_batches import ParseBatches
from scraper.pool_start import PoolStart
from scraper.recorder import BatchWriter, ThreadWriter
from scraper.settings import Settings
from storage.db import Database
from storage.page_filing import PageFiler
from storage.warc import WarcArchive

# Imported once by the fork server, so that every parsing and filing process it forks has
# them: datasketch (scipy under it) is imported by each of them when it first sketches or
# clusters, about a second of CPU a process.
_PRELOAD = [
    "parsers",
    "scraper.site_pass",
    "scraper.parse_batches",
    "scraper.filing_process",
    "datasketch",
]


def process_context() -> BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def parse_executor(workers: int) -> ProcessPoolExecutor | None:
    """`workers` parsing processes; None (a thread of the crawler) for 0."""
    if workers <= 0:
        return None
    return ProcessPoolExecutor(max_workers=workers, mp_context=process_context())


def parse_batches(
    stack: AsyncExitStack, executor: ProcessPoolExecutor, workers: int
) -> ParseBatches:
    """Pages parsed by the pool in batches (`scraper.parse_batches`), two batches a process
    out at most; its processes start now, in the background (`scraper.pool_start`), and the
    start is awaited with `stack`, before the pool (entered into it earlier) shuts down."""
    start = PoolStart(executor, workers)
    stack.push_async_callback(start.finish)
    return ParseBatches(executor, in_flight=2 * workers, start=start)


async def batch_writer(
    stack: AsyncExitStack, settings: Settings, database: Database, *, own_process: bool
) -> BatchWriter:
    """The filing process when asked for and the database can be shared with one (not SQLite
    in memory); else a thread of this process. Closed, its WARC file finished, with `stack`."""
    url = shared_database_url(database) if own_process else None
    writer: BatchWriter
    if url is not None:
        setup = FilingSetup(url, Path(settings.warc_dir), tuple(settings.recheck))
        writer = ProcessWriter(setup, process_context())
        writer.start()
    else:
        # Synced once per batch of pages, before the batch's rows commit (scraper.recorder).
        archive = stack.enter_context(WarcArchive(Path(settings.warc_dir), sync_each=False))
        filer = PageFiler(database, settings.recheck)
        writer = ThreadWriter(archive, filer, FiledClusters(database))
    stack.push_async_callback(writer.aclose)
    return writer
