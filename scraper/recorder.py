"""Every exchange goes to the WARC files first, then its rows to the database, in batches.

Pages handed in while the previous batch was being written make the next batch: their
records are appended to the WARC file, made durable by one fsync, then their rows (fetch,
parse, save, frontier move) committed in one transaction (`storage.page_filing`). In that
order, so a crash never leaves a row pointing at nothing: a record is in the operating
system's hands before any row names it (a killed process loses neither), and on disk before
the rows commit (so a power loss does not either); the worst case is an archived response
without a row, which `warc verify` lists and `reparse` still reads. A revisit record names
its original from the database (`PageFiler.previous_captures`), never by reading it back.

The work blocks on disk, so it runs in a worker thread (`ThreadWriter`) or a process of its
own (`scraper.filing_process`) while the event loop keeps fetching; a batch is as large as
the crawl is busy, and one page when it is idle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from parsers import ArticleRecord
from scraper.batching import Batcher
from scraper.fetch_result import FetchResult
from scraper.filing_clusters import FiledClusters
from storage.clusters_minhash import Sketch
from storage.contract import FetchInfo
from storage.frontier import Outcome, Visit
from storage.page_filing import Capture, Filed, PageFiler, PageFiling
from storage.saving import Incoming
from storage.warc import HttpRequest, HttpResponse, WarcArchive, WarcRef, payload_digest

# Pages per transaction at most: enough to share a commit among everything in flight.
MAX_BATCH = 128


@dataclass(frozen=True, slots=True)
class Page:
    """One fetch result to archive and file, with its parse and its frontier update (see
    `storage.page_filing.PageFiling` for how `visit` and `outcome` combine)."""

    result: FetchResult
    site: str
    fetched_before: bool  # whether an earlier capture may exist for a revisit to refer to
    record: ArticleRecord | None = None
    visit: Visit | None = None
    outcome: Outcome | None = None
    prepared: Incoming | None = None  # `storage.page_filing.prepare_save(record)`, if made
    sketch: Sketch | None = None  # of the record's body, for clustering (None: not made)


class BatchWriter(Protocol):
    """Where batches are written: a thread of this process, or a process of their own
    (`scraper.filing_process`)."""

    @property
    def clustered(self) -> int:
        """Articles clustered as they were filed (`scraper.filing_clusters`)."""
        ...

    async def write(self, pages: Sequence[Page]) -> list[Filed | Exception]: ...

    async def cluster_rest(self) -> int | None:
        """Cluster every article still due where the writer runs; how many were, or None
        when the run's own process is to do it (with the sketches its parses made)."""
        ...

    async def aclose(self) -> None: ...


class ThreadWriter:
    """Writes batches in a worker thread of this process; clusters what they filed every
    so often when given `clustering`."""

    def __init__(
        self, archive: WarcArchive, filer: PageFiler, clustering: FiledClusters | None = None
    ) -> None:
        self.archive = archive
        self.filer = filer
        self.clustering = clustering

    @property
    def clustered(self) -> int:
        return self.clustering.clustered if self.clustering is not None else 0

    async def write(self, pages: Sequence[Page]) -> list[Filed | Exception]:
        return await asyncio.to_thread(self._write, pages)

    async def cluster_rest(self) -> int | None:
        return None  # this process: the run clusters with every sketch its parses made

    async def aclose(self) -> None:
        return None

    def _write(self, pages: Sequence[Page]) -> list[Filed | Exception]:
        outcomes = write_batch(self.archive, self.filer, pages)
        clustering = self.clustering
        if clustering is not None and clustering.note([p.sketch for p in pages], outcomes):
            clustering.cluster()
        return outcomes


class Recorder:
    """Archives and files pages handed in from the event loop, a batch at a time."""

    def __init__(self, writer: BatchWriter, max_batch: int = MAX_BATCH) -> None:
        self.writer = writer
        self._batcher = Batcher[Page, Filed](self._write, max_batch=max_batch)

    async def file(self, page: Page) -> Filed:
        """Archive and file the page; returns once its rows have committed."""
        return await self._batcher.submit(page)

    async def _write(self, pages: list[Page]) -> list[Filed | Exception]:
        # An exception here (the archive could not be synced) means no page was filed.
        return await self.writer.write(pages)


def write_batch(
    archive: WarcArchive, filer: PageFiler, pages: Sequence[Page]
) -> list[Filed | Exception]:
    """Archive every page, sync the archive once, then file all rows in one transaction.
    A page whose record could not be written gets that error and no rows."""
    earlier = [page.result.url for page in pages if page.fetched_before]
    captures = filer.previous_captures(earlier) if earlier else {}
    archived = [_archived_or_error(archive, page, captures.get(page.result.url)) for page in pages]
    archive.sync()
    filed = iter(filer.file_each([one for one in archived if isinstance(one, PageFiling)]))
    return [next(filed) if isinstance(one, PageFiling) else one for one in archived]


def _archived_or_error(
    archive: WarcArchive, page: Page, capture: Capture | None
) -> PageFiling | Exception:
    try:
        return _archived(archive, page, capture)
    except Exception as exc:  # this page's record could not be written: it is not filed
        return exc


def _archived(archive: WarcArchive, page: Page, capture: Capture | None) -> PageFiling:
    """The page's WARC records written; its filing names where they are."""
    result = page.result
    if result.request is None or result.status is None:
        info = FetchInfo(
            url=result.url,
            fetched_at=result.fetched_at,
            final_url=result.final_url,
            error=_error(result),
            site=page.site,
        )
        return _filing(info, page)
    previous = capture.ref if capture else None
    ref = _archive(archive, result, capture)
    info = FetchInfo(
        url=result.url,
        fetched_at=result.fetched_at,
        status=result.status,
        final_url=result.final_url,
        content_type=result.content_type,
        warc_file=ref.filename,
        warc_offset=ref.offset,
        warc_length=ref.length,
        payload_digest=ref.payload_digest,
        warc_record_id=ref.record_id,
        revisit=_is_revisit(result, previous),
        error=_error(result),
        site=page.site,
    )
    return _filing(info, page)


def _archive(archive: WarcArchive, result: FetchResult, capture: Capture | None) -> WarcRef:
    assert result.request is not None and result.status is not None
    request = HttpRequest(result.request.method, result.request.url, result.request.headers)
    response = HttpResponse(result.status, result.reason, result.headers, result.body)
    previous, refers = (capture.ref, capture.refers) if capture else (None, None)
    return archive.write_fetch(
        request, response, result.fetched_at, previous, ip=result.ip, refers=refers
    )


def _filing(fetch: FetchInfo, page: Page) -> PageFiling:
    return PageFiling(fetch, page.record, page.visit, page.outcome, page.prepared)


def _is_revisit(result: FetchResult, previous: WarcRef | None) -> bool:
    if result.status == 304:
        return True
    return previous is not None and previous.payload_digest == payload_digest(result.body)


def _error(result: FetchResult) -> str | None:
    if result.error_kind is None:
        return None
    return f"{result.error_kind}: {result.error_message or ''}".strip()
