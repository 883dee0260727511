"""Filing in a process of its own, so a crawl uses a second core for more than parsing.

The crawler's process is bound by one core (one interpreter lock) for everything it does;
the WARC records and database rows of its pages (`scraper.recorder.write_batch`) are half of
that work, and need nothing of the crawler but the pages; the story clustering of the pages
it filed is done here too (`scraper.filing_clusters`). Here they run in one process made
for the run: one writer keeps the WARC file, the batch order and the rule "record before
row" exactly as in a thread. It opens its own connection to the same database (which must
be a file or a server, not SQLite in memory), ignores Ctrl-C (the run decides when it
ends), and is closed by the run, which finishes its WARC file.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import pickle
import signal
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from scraper.filing_clusters import CLUSTER_EVERY, FiledClusters
from scraper.pool_start import PoolStart
from scraper.recorder import Page, write_batch
from storage.db import Database, open_database
from storage.page_filing import Filed, PageFiler
from storage.warc import WarcArchive

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FilingSetup:
    """What the filing process opens: the run's database and WARC folder."""

    database_url: str
    warc_dir: Path
    recheck: tuple[timedelta, ...]
    cluster_every: int = CLUSTER_EVERY  # filed versions clustered together


class _Writer:
    """The filing process's state (one per process, made by its initializer)."""

    def __init__(self, setup: FilingSetup) -> None:
        self.database: Database = open_database(setup.database_url, migrate=False)
        self.archive = WarcArchive(setup.warc_dir, sync_each=False)
        self.filer = PageFiler(self.database, setup.recheck)
        self.clustering = FiledClusters(self.database, setup.cluster_every)

    def close(self) -> None:
        try:
            self.archive.close()
        finally:
            self.database.close()


_writer: _Writer | None = None


def _open(setup: FilingSetup) -> None:
    global _writer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _writer = _Writer(setup)


def _write(pages: list[Page]) -> tuple[list[Filed | Exception], bool]:
    """The batch's filings, and whether enough versions wait to be clustered."""
    assert _writer is not None, "the filing process was not opened"
    outcomes = write_batch(_writer.archive, _writer.filer, pages)
    due = _writer.clustering.note([page.sketch for page in pages], outcomes)
    return [_sendable(one) for one in outcomes], due


def _cluster() -> int:
    assert _writer is not None, "the filing process was not opened"
    return _writer.clustering.cluster()


def _cluster_rest() -> int:
    assert _writer is not None, "the filing process was not opened"
    return _writer.clustering.cluster_rest()


def _close() -> None:
    global _writer
    closing, _writer = _writer, None
    if closing is not None:
        closing.close()


def _to_send(page: Page) -> Page:
    """The page without what filing never reads (the body as transferred, still encoded, and
    the redirects before it), so less is copied to the filing process."""
    if not page.result.redirects and page.result.raw_body is page.result.body:
        return page
    return replace(page, result=replace(page.result, raw_body=b"", redirects=()))


def _sendable(outcome: Filed | Exception) -> Filed | Exception:
    """A page's error as the crawler's process can receive it (not every driver's error
    survives pickling): its type and message are what the site report keeps anyway."""
    if not isinstance(outcome, Exception):
        return outcome
    try:
        pickle.loads(pickle.dumps(outcome))
    except Exception:  # an error that cannot cross processes is told by its text
        return RuntimeError(f"{type(outcome).__name__}: {outcome}")
    return outcome


class ProcessWriter:
    """Writes batches of pages in the filing process; `aclose` finishes its WARC file.

    When enough filed versions wait, the process clusters them once it has answered for
    the batch (the next batch queues behind), so the pages are not held up by it."""

    def __init__(self, setup: FilingSetup, context: multiprocessing.context.BaseContext) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=1, mp_context=context, initializer=_open, initargs=(setup,)
        )
        self._started = False  # the process starts with the first batch, or with `start`
        self._start: PoolStart | None = None
        self._clustering: asyncio.Future[int] | None = None
        self.clustered = 0

    def start(self) -> None:
        """Start the process now, in the background (`scraper.pool_start`)."""
        self._started = True
        self._start = PoolStart(self._executor, 1)

    async def write(self, pages: Sequence[Page]) -> list[Filed | Exception]:
        loop = asyncio.get_running_loop()
        if self._start is not None:
            await self._start.ready()
        self._started = True
        sent = [_to_send(page) for page in pages]
        outcomes, due = await loop.run_in_executor(self._executor, _write, sent)
        if due and self._clustering is None:
            self._clustering = loop.run_in_executor(self._executor, _cluster)
            self._clustering.add_done_callback(self._clustering_done)
        return outcomes

    async def cluster_rest(self) -> int | None:
        """Here, where datasketch is loaded and the last sketches are, instead of in the
        crawler (which would import datasketch, a second, for its last step); None when the
        process cannot (it died, or the clustering failed): the run does it then."""
        if not self._started:
            return None
        loop = asyncio.get_running_loop()
        try:
            if self._clustering is not None:
                await asyncio.wait([self._clustering])
            return await loop.run_in_executor(self._executor, _cluster_rest)
        except Exception:
            logger.warning("the filing process could not cluster the rest", exc_info=True)
            return None

    async def aclose(self) -> None:
        """Finish the WARC file and end the process. A process that died has already failed
        the pages it was given (and its open file is repaired by the next writer)."""
        try:
            if self._start is not None:
                await self._start.finish()
            if self._clustering is not None:
                await asyncio.wait([self._clustering])
            if self._started:
                await asyncio.get_running_loop().run_in_executor(self._executor, _close)
        except BrokenProcessPool:
            pass
        finally:
            await asyncio.to_thread(self._executor.shutdown, True)

    def _clustering_done(self, done: asyncio.Future[int]) -> None:
        self._clustering = None
        if not done.cancelled() and done.exception() is None:
            self.clustered += done.result()


def shared_database_url(database: Database) -> str | None:
    """The URL another process can open the same database with (an SQLite file by its full
    path); None for SQLite in memory, which lives in this process only."""
    url = database.url
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return None
        url = url.set(database=str(Path(url.database).resolve()))  # whatever its folder
    return url.render_as_string(hide_password=False)
