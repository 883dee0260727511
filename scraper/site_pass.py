"""One pass over one site: read its sources, then fetch, archive, parse and store what is due.

Sources (feeds, sitemaps, section pages) are fetched conditionally like articles, and what
they list goes to the frontier with the dates they show; the frontier then says which
articles are due. An unchanged page costs a 304 or a digest comparison, never a parse.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from parsers import ArticleRecord, parse
from parsers.decoding import decode_html
from scraper.async_frontier import AsyncFrontier
from scraper.config import SiteEntry
from scraper.discovery import (
    DiscoveredLink,
    links_from_feed,
    links_from_section_page,
    read_sitemap,
)
from scraper.exceptions import DiscoveryError
from scraper.fetch import Fetcher, Validators
from scraper.fetch_result import FetchResult
from scraper.recorder import Page, Recorder
from scraper.site_report import SiteReport
from storage.clusters_minhash import SignedVersions, Sketch, sketch_of
from storage.contract import SaveResult
from storage.exceptions import ArchiveFullError
from storage.frontier import Discovered, DueUrl, Outcome, Visit
from storage.page_filing import prepare_save
from storage.saving import Incoming
from storage.warc import payload_digest

if TYPE_CHECKING:
    from scraper.parse_batches import ParseBatches, ParseCall

MAX_SITEMAP_DEPTH = 2
GONE_STATUSES = frozenset({404, 410})
# Fetches the crawler refused itself: not the site's fault, and not worth retrying.
REFUSED_KINDS = frozenset({"robots_disallowed", "unsafe_url"})
Parser = Callable[[bytes, str, str | None, datetime, SiteEntry], ArticleRecord]


def parse_page(
    body: bytes, url: str, charset: str | None, fetched_at: datetime, entry: SiteEntry
) -> ArticleRecord:
    """The HTTP header's charset first, then the page's own (the fetcher's contract)."""
    return parse(decode_html(body, charset), url, fetched_at, site=entry.site_config())


@dataclass(frozen=True, slots=True)
class Parsed:
    """A page's parse and what its save and its clustering derive from it."""

    record: ArticleRecord
    prepared: Incoming | None = None  # `storage.page_filing.prepare_save(record)`
    # The MinHash of the body an article's new version would store (None: too short), for
    # the clustering of what is filed (`scraper.filing_clusters`).
    sketch: Sketch | None = None


def parse_for_filing(
    parser: Parser,
    body: bytes,
    url: str,
    charset: str | None,
    fetched_at: datetime,
    entry: SiteEntry,
) -> Parsed:
    """The parse, what its save derives from it and the body's MinHash sketch: all pure CPU
    work, done together where pages are parsed (a parsing process) rather than in the
    crawler's own process, whose clustering step then need not read and hash the body."""
    record = parser(body, url, charset, fetched_at, entry)
    prepared = prepare_save(record)
    if prepared is None:
        return Parsed(record)
    return Parsed(prepared.record, prepared, sketch_of(prepared.record.text))


class Progress(Protocol):
    """Told how much a site has to fetch and each time one fetch is done (progress bars)."""

    def due(self, site: str, count: int) -> None: ...

    def advance(self, site: str) -> None: ...


class NoProgress:
    def due(self, site: str, count: int) -> None:
        return None

    def advance(self, site: str) -> None:
        return None


@dataclass(slots=True)
class Services:
    fetcher: Fetcher
    frontier: AsyncFrontier
    # Archives every fetch and files its rows (fetch, parse, save, frontier move).
    recorder: Recorder
    parser: Parser = parse_page
    concurrency: int = 16
    # Requests in flight over all sites of a run; made by the run inside its event loop.
    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(16))
    progress: Progress = field(default_factory=NoProgress)
    # Where pages are parsed: None is a thread of this process; a process pool spreads
    # parsing (the CPU-bound part) over cores.
    parse_executor: Executor | None = None
    # When set, pages are parsed by it, in batches (`scraper.parse_batches`), rather than
    # one task of `parse_executor` each.
    parse_batches: ParseBatches | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    stop: threading.Event | None = None  # once set, no further URL is started
    # The run's first "disk full" from the WARC archive: from then on no site starts a URL
    # (every site's records go to the same folder), and a site left with work fails on it.
    archive_full: ArchiveFullError | None = None
    # Sketches of the versions saved, for the clustering step that follows the pass.
    signed: SignedVersions = field(default_factory=SignedVersions)


class SitePass:
    """A regular pass: sources are fetched conditionally and only what changed is read."""

    conditional_sources = True

    def __init__(self, entry: SiteEntry, services: Services) -> None:
        self.entry = entry
        self.services = services
        self.report = SiteReport(entry.host, services.clock())
        self._sources_tried = 0
        self._sources_ok = 0
        self._cut_short = False  # work left undone because the archive's disk is full
        # Sources read, whose new validators wait until their links are in the frontier.
        self._source_visits: dict[str, Visit] = {}

    async def run(self) -> SiteReport:
        try:
            await self.discover()
            if self._sources_tried and not self._sources_ok:
                self.report.failure = "no source (feed, sitemap, section page) could be read"
            await self.fetch_due()
        except ArchiveFullError as exc:  # met while reading the sources
            self._archive_full(exc)
        finally:
            self.report.finished_at = self.services.clock()
        full = self.services.archive_full
        if full is not None and self._cut_short:
            self.report.failure = f"{ArchiveFullError.kind}: {full}"
        return self.report

    async def discover(self) -> None:
        entry, frontier = self.entry, self.services.frontier
        sources = [
            *((url, "feed") for url in entry.feeds),
            *((url, "sitemap") for url in entry.sitemaps),
            *((section.url, "section") for section in entry.sections),
            *((url, "section") for url in entry.start_urls),
        ]
        sources += [(url, "sitemap") for url in await self._robots_sitemaps(sources)]
        await frontier.add_sources(entry.host, [url for url, _ in sources], self.services.clock())
        links: list[DiscoveredLink] = []
        for url, kind in sources:
            links += await self._read_source(url, kind, depth=0)
        accepted = [
            Discovered(link.url, link.lastmod, link.published)
            for link in links
            if self.entry.accepts(link.url)
        ]
        self.report.discovered += await frontier.add(entry.host, accepted, self.services.clock())
        for url in list(self._source_visits):
            await self._record_source_visit(url)

    async def _record_source_visit(self, url: str) -> None:
        """Keep a source's validators and digest, once what it listed is on file: kept
        before, a pass killed in between would leave the next one a 304 and its links lost."""
        visit = self._source_visits.pop(url, None)
        if visit is not None:
            await self.services.frontier.record(
                url,
                "unchanged",
                visit.now,
                etag=visit.etag,
                last_modified=visit.last_modified,
                digest=visit.digest,
            )

    async def fetch_due(self) -> None:
        due = await self.services.frontier.due(self.entry.host, self.services.clock())
        gate = self.services.gate
        progress = self.services.progress
        progress.due(self.entry.host, len(due))

        first_error: list[Exception] = []

        async def one(url: DueUrl) -> None:
            async with gate:
                if self.stopped:  # never fetched, so still due for the next pass
                    self._cut_short |= self.services.archive_full is not None
                    return
                try:
                    await self.fetch_article(url)
                except ArchiveFullError as exc:  # not filed: still due for the next pass
                    self._archive_full(exc)
                    return
                except Exception as exc:  # the pass fails once every URL had its turn
                    first_error.append(exc)
            progress.advance(self.entry.host)

        # Every task ends before the pass does: none outlives the run's archive and fetcher.
        await asyncio.gather(*(one(url) for url in due))
        if first_error:
            raise first_error[0]

    @property
    def stopped(self) -> bool:
        if self.services.archive_full is not None:
            return True
        return self.services.stop is not None and self.services.stop.is_set()

    def _archive_full(self, exc: ArchiveFullError) -> None:
        """A page could not be archived for want of space: this pass and every other of the
        run stop before their next URL, rather than fetch pages they cannot keep."""
        if self.services.archive_full is None:
            self.services.archive_full = exc
        self.report.error(ArchiveFullError.kind)
        self._cut_short = True

    async def fetch_article(self, due: DueUrl) -> None:
        """Fetch, then file what came back; a page is parsed only when it may have changed."""
        services = self.services
        result = await services.fetcher.fetch(
            due.url,
            validators=Validators(due.etag, due.last_modified),
            allow_private=self.entry.allow_private_addresses,
        )
        page = Page(result, self.entry.host, fetched_before=due.state != "new")
        visit = Visit(due.url, services.clock(), result.etag, result.last_modified)
        outcome = self._outcome_without_parse(result, due)
        if outcome is not None:
            error = _failure(result)
            await services.recorder.file(
                replace(page, visit=replace(visit, error=error), outcome=outcome)
            )
            return
        self.report.fetched += 1
        try:
            parsed = await self._parse(result)
        except Exception:
            await services.recorder.file(page)  # archived and on file; the URL stays due
            raise
        visit = replace(visit, digest=payload_digest(result.body))
        filed = await services.recorder.file(
            replace(
                page,
                record=parsed.record,
                visit=visit,
                prepared=parsed.prepared,
                sketch=parsed.sketch,
            )
        )
        saved = filed.saved
        if saved is not None and saved.kind is not None and parsed.sketch is not None:
            services.signed.add(saved.article_id, saved.version_no, parsed.sketch)
        self._count(parsed.record, saved)

    async def _parse(self, result: FetchResult) -> Parsed:
        services = self.services
        call: ParseCall = (
            services.parser,
            result.body,
            result.final_url,
            result.charset,
            result.fetched_at,
            self.entry,
        )
        if services.parse_batches is not None:
            return await services.parse_batches.parse(call)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(services.parse_executor, parse_for_filing, *call)

    def _outcome_without_parse(self, result: FetchResult, due: DueUrl) -> Outcome | None:
        """What a fetch settles without parsing: a 304, the same bytes, an error, a 404."""
        if result.not_modified:
            self.report.not_modified += 1
            return "unchanged"
        if result.status in GONE_STATUSES:
            self.report.error(f"http_{result.status}")
            return "gone"
        if result.error_kind in REFUSED_KINDS:
            self.report.refused[result.error_kind] += 1
            return "gone"
        if not result.ok:
            self.report.error(result.error_kind or f"http_{result.status}")
            return "error"
        if due.last_digest is not None and payload_digest(result.body) == due.last_digest:
            self.report.same_payload += 1
            return "unchanged"
        return None

    def _count(self, record: ArticleRecord, saved: SaveResult | None) -> None:
        if record.page_type != "article" or saved is None:
            self.report.not_articles += 1
        elif saved.outcome == "new":
            self.report.new_articles += 1
        elif saved.outcome == "new_version":
            self.report.versions[saved.kind or "updated"] += 1
        elif saved.outcome == "duplicate_of":
            self.report.duplicates += 1
        else:
            self.report.unchanged += 1

    async def _robots_sitemaps(self, sources: list[tuple[str, str]]) -> list[str]:
        if not self.entry.robots_sitemaps or not sources:
            return []
        rules = await self.services.fetcher.robots.rules_for(
            sources[0][0], allow_private=self.entry.allow_private_addresses
        )
        listed = {url for url, _ in sources}
        return [url for url in rules.sitemaps if url not in listed and self.entry.owns(url)]

    async def _read_source(self, url: str, kind: str, depth: int) -> list[DiscoveredLink]:
        body = await self._fetch_source(url)
        if body is None:
            return []
        try:
            return await self._links_in(url, kind, body, depth)
        except DiscoveryError as exc:
            self.report.error(f"{kind}_unreadable")
            await self._record_source_visit(url)  # it lists nothing to wait for
            await self.services.frontier.record(url, "error", self.services.clock(), error=str(exc))
            return []

    async def _links_in(self, url: str, kind: str, body: bytes, depth: int) -> list[DiscoveredLink]:
        if kind == "feed":
            return links_from_feed(body, url)
        if kind == "section":
            section = next((s for s in self.entry.sections if s.url == url), None)
            css = section.link_selector if section else None
            pattern = section.link_pattern if section else None
            return links_from_section_page(body, url, css=css, url_pattern=pattern)
        page = read_sitemap(body, url)
        links = list(page.links)
        if depth < MAX_SITEMAP_DEPTH and page.children:
            await self.services.frontier.add_sources(
                self.entry.host, [child.url for child in page.children], self.services.clock()
            )
            for child in page.children:
                links += await self._read_source(child.url, "sitemap", depth + 1)
        return links

    async def _fetch_source(self, url: str) -> bytes | None:
        """The source's body when it changed since the last pass; None when not (or on error)."""
        services = self.services
        known = await services.frontier.source(url)
        ask = known is not None and self.conditional_sources
        validators = Validators(known.etag, known.last_modified) if known and ask else None
        result = await services.fetcher.fetch(
            url,
            validators=validators,
            allow_private=self.entry.allow_private_addresses,
            accept_types=None,
        )
        self.report.sources_read += 1
        self._sources_tried += 1
        page = Page(result, self.entry.host, fetched_before=known is not None)
        now = services.clock()
        if result.ok or result.not_modified:
            self._sources_ok += 1
        if result.not_modified:
            await services.recorder.file(replace(page, visit=Visit(url, now), outcome="unchanged"))
            return None
        if not result.ok:
            self.report.error(f"source_{result.error_kind or result.status}")
            failed = Visit(url, now, error=_failure(result))
            await services.recorder.file(replace(page, visit=failed, outcome="error"))
            return None
        digest = payload_digest(result.body)
        await services.recorder.file(page)
        self._source_visits[url] = Visit(url, now, result.etag, result.last_modified, digest)
        if ask and known is not None and known.last_digest == digest:
            return None
        return result.body


def _failure(result: FetchResult) -> str | None:
    """What the frontier keeps as a URL's last error: a final HTTP status (a 503 storm
    outlasting the retries) has no error message of its own."""
    if result.error_message or result.error_kind:
        return result.error_message or result.error_kind
    return None if result.ok or result.not_modified else f"HTTP {result.status}"
