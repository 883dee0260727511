"""DemoSite: the bundled offline news sites on one local socket, for the demo, the crawl tests
and the crawl benchmark.

One threaded HTTP server serves every demo host by name (the Host header), so the pages keep
their real addresses (http://rnamedia.in/...) while a crawler connects to 127.0.0.1:port
through a host-to-address override.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import NamedTuple

from scraper.demo_site.host_content import HostContent
from scraper.demo_site.http_handler import DemoHTTPServer, LoggedRequest, RequestLog
from scraper.demo_site.listing import PRIVATE_ARTICLE_PATH, TEASER_LINK_SELECTOR
from scraper.demo_site.loading import load_demo_data
from scraper.demo_site.model import DemoArticle, SiteChange, SiteData, SiteInfo
from scraper.demo_site.synthetic import synthetic_data
from scraper.demo_site.xml_documents import FEED_PATH, NEWS_SITEMAP_PATH, SITEMAP_INDEX_PATH

LOOPBACK = "127.0.0.1"
SHUTDOWN_POLL_SECONDS = 0.05  # how soon stop() is noticed


class DemoSources(NamedTuple):
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    sections: tuple[str, ...]
    section_link_selector: str


class DemoSite:
    """Start it, point a crawler at its hosts, change it with `apply_changes()`, look at what
    was asked in `request_log`. Usable as a context manager (starts and stops)."""

    def __init__(
        self, data: SiteData | None = None, *, port: int = 0, latency: float = 0.0
    ) -> None:
        self._original = data if data is not None else load_demo_data()
        self._data = self._original
        self._requested_port = port
        self._latency = latency  # seconds each answer waits: lets tests see overlap
        self._contents = _build(self._data, self._data.sites)
        self._log = RequestLog()
        self._server: DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._change_lock = threading.Lock()

    @classmethod
    def synthetic(
        cls, hosts: int = 50, pages_per_host: int = 100, seed: int = 1, *, port: int = 0
    ) -> DemoSite:
        """Deterministic generated sites (synth-01.example, ...) for benchmarks."""
        return cls(synthetic_data(hosts, pages_per_host, seed), port=port)

    def start(self) -> DemoSite:
        if self._server is None:
            address = (LOOPBACK, self._requested_port)
            server = DemoHTTPServer(
                address, self._lookup, self._log, list(self.hosts), self._latency
            )
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever, args=(SHUTDOWN_POLL_SECONDS,), daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the demo site is not started")
        return int(self._server.server_address[1])

    @property
    def address(self) -> tuple[str, int]:
        """Where every demo host resolves to."""
        return (LOOPBACK, self.port)

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(site.host for site in self._data.sites)

    @property
    def data(self) -> SiteData:
        """The sites and articles as currently served (after changes, once applied)."""
        return self._data

    @property
    def articles(self) -> tuple[DemoArticle, ...]:
        return self._data.articles

    def site(self, host: str) -> SiteInfo:
        return self._data.site(host)

    def url_for(self, host: str, path: str = "/") -> str:
        """The public address of `path` on `host`: http://host/path (no port)."""
        return self.site(host).url(path)

    def url_of(self, article: DemoArticle) -> str:
        site = self.site(article.host)
        return site.url(site.article_path(article))

    def article_urls(self, host: str | None = None) -> tuple[str, ...]:
        return tuple(
            self.url_of(article)
            for article in self._data.articles
            if host is None or article.host == host
        )

    def sources(self, host: str) -> DemoSources:
        """Where discovery starts on `host`, for a schedules.yaml entry."""
        site = self.site(host)
        sections = sorted({article.section for article in self._data.articles_of(host)})
        return DemoSources(
            feeds=(site.url(FEED_PATH),),
            sitemaps=(site.url(SITEMAP_INDEX_PATH), site.url(NEWS_SITEMAP_PATH)),
            sections=tuple(site.url(site.section_path(name)) for name in sections),
            section_link_selector=TEASER_LINK_SELECTOR,
        )

    @property
    def disallowed_urls(self) -> tuple[str, ...]:
        """Pages robots.txt forbids; they exist and are linked, and must never be fetched."""
        return tuple(site.url(PRIVATE_ARTICLE_PATH) for site in self._data.sites)

    @property
    def request_log(self) -> list[LoggedRequest]:
        """A snapshot of every request so far, oldest first."""
        return self._log.snapshot()

    def peak_in_flight(self) -> dict[str, int]:
        """Per host, the most requests answered at once since the log was last cleared."""
        return self._log.peak_in_flight()

    def clear_log(self) -> None:
        self._log.clear()

    @property
    def pending_changes(self) -> tuple[SiteChange, ...]:
        return self._data.changes

    def apply_changes(self) -> tuple[SiteChange, ...]:
        """Make the site's edits (date bump, silent edit, update, new article) and return them;
        nothing happens on a second call until `reset()`."""
        with self._change_lock:
            changes = self._data.changes
            if not changes:
                return ()
            changed = {change.after.host for change in changes}
            after = self._data.with_changes()
            sites = tuple(site for site in after.sites if site.host in changed)
            self._contents = {**self._contents, **_build(after, sites)}
            self._data = after
            return changes

    def reset(self) -> None:
        """Back to the site as first served, changes pending again; the log is kept."""
        with self._change_lock:
            self._data = self._original
            self._contents = _build(self._data, self._data.sites)

    def _lookup(self, host: str) -> HostContent | None:
        return self._contents.get(host)


def _build(data: SiteData, sites: tuple[SiteInfo, ...]) -> dict[str, HostContent]:
    return {
        site.host: HostContent(site, tuple(a for a in data.articles if a.host == site.host))
        for site in sites
    }
