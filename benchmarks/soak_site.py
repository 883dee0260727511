"""The soak's news site: generated demo hosts on 127.0.0.1 that keep publishing and updating.

Served by the demo site's own HTTP server (`scraper.demo_site`: name-based hosts, ETag and
Last-Modified, feeds and sitemaps), with the content swapped host by host as the site
changes. A publisher thread makes changes at steady rates from a seeded random generator:
a new article goes to the top of the feed, the news sitemap and its section; an update
gives an article a new closing paragraph, a new dateModified and a later sitemap lastmod.

Every version the site serves is kept as ground truth (`SiteVersion`): its URL, when it
went live, and a marker word only that version's body holds, so an archived version can be
matched to exactly the version it caught.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Literal

from scraper.demo_site import BodyBlock, DemoArticle, DemoSite, SiteData, synthetic_data
from scraper.demo_site.host_content import HostContent
from scraper.demo_site.http_handler import DemoHTTPServer, LoggedRequest, RequestLog
from scraper.demo_site.synthetic import ACTORS, ADJUNCTS, COMMENTS, THINGS, VERBS

LOOPBACK = "127.0.0.1"
TICK_SECONDS = 0.5  # how often the publisher makes the changes that have come due
SHUTDOWN_POLL_SECONDS = 0.05
MARKER_PREFIX = "Soakrev"

VersionKind = Literal["initial", "new", "update"]


@dataclass(frozen=True, slots=True)
class SiteVersion:
    """One version the site served: `marker` (None for an article's first text) is a word
    only this version's body holds; `made_at` is when the site began serving it."""

    url: str
    kind: VersionKind
    marker: str | None
    made_at: datetime


class CountingLog(RequestLog):
    """Counts requests by status instead of keeping them: a soak makes too many to keep."""

    def __init__(self) -> None:
        super().__init__()
        self._statuses: Counter[int] = Counter()
        self._count_lock = threading.Lock()

    def add(self, entry: LoggedRequest) -> None:
        with self._count_lock:
            self._statuses[entry.status] += 1

    def statuses(self) -> dict[int, int]:
        with self._count_lock:
            return dict(self._statuses)


@dataclass(frozen=True, slots=True)
class ChangeRates:
    """Changes per minute, over all hosts."""

    publish_per_minute: float
    update_per_minute: float


class ChangingSite:
    """Start it, point workers at `config_site` and `address`, then `start_changes()`;
    `versions()` is the ground truth so far. A context manager (starts and stops)."""

    def __init__(
        self, hosts: int, pages_per_host: int, rates: ChangeRates, minutes: float, seed: int = 1
    ) -> None:
        reserve = math.ceil(rates.publish_per_minute * minutes / hosts) + 2
        everything = synthetic_data(hosts, pages_per_host + reserve, seed)
        self.rates = rates
        self._rng = random.Random(seed)
        self._articles: dict[str, list[DemoArticle]] = {site.host: [] for site in everything.sites}
        self._unpublished: dict[str, list[DemoArticle]] = {host: [] for host in self._articles}
        for article in everything.articles:
            shelf = self._articles[article.host]
            target = shelf if len(shelf) < pages_per_host else self._unpublished[article.host]
            target.append(article)
        self._sites = {site.host: site for site in everything.sites}
        self._bodies = {a.key: a.body for shelf in self._articles.values() for a in shelf}
        initial = tuple(a for shelf in self._articles.values() for a in shelf)
        self.config_site = DemoSite(SiteData(everything.sites, initial))  # never started
        self._contents = {host: self._content(host) for host in self._articles}
        self._versions: list[SiteVersion] = []
        self._versions_lock = threading.Lock()
        self._serial = 0
        self._pending: list[tuple[str, DemoArticle, VersionKind, str | None]] = []
        self.log = CountingLog()
        self._server: DemoHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._stop_changes = threading.Event()

    def __enter__(self) -> ChangingSite:
        server = DemoHTTPServer((LOOPBACK, 0), self._contents.get, self.log, list(self._sites))
        self._server = server
        thread = threading.Thread(
            target=server.serve_forever, args=(SHUTDOWN_POLL_SECONDS,), daemon=True
        )
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop_changes()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
        for thread in self._threads:
            thread.join()

    @property
    def address(self) -> tuple[str, int]:
        if self._server is None:
            raise RuntimeError("the soak site is not started")
        return (LOOPBACK, int(self._server.server_address[1]))

    def start_changes(self) -> None:
        """The initial articles count as made now; changes follow at the set rates."""
        now = _now()
        with self._versions_lock:
            for host, shelf in self._articles.items():
                self._versions += [
                    SiteVersion(self._url(host, a), "initial", None, now) for a in shelf
                ]
        thread = threading.Thread(target=self._publish, args=(time.monotonic(),), daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop_changes(self) -> None:
        self._stop_changes.set()

    def versions(self) -> list[SiteVersion]:
        with self._versions_lock:
            return list(self._versions)

    def article_count(self) -> int:
        return sum(len(shelf) for shelf in self._articles.values())

    def _publish(self, started: float) -> None:
        made = {"publish": 0, "update": 0}
        per_second = {
            "publish": self.rates.publish_per_minute / 60,
            "update": self.rates.update_per_minute / 60,
        }
        while not self._stop_changes.wait(TICK_SECONDS):
            elapsed = time.monotonic() - started
            due = {kind: int(rate * elapsed) - made[kind] for kind, rate in per_second.items()}
            changed = {self._new_article() for _ in range(due["publish"])}
            changed |= {self._update() for _ in range(due["update"])}
            changed.discard(None)
            made = {kind: made[kind] + due[kind] for kind in made}
            self._serve(changed)

    def _new_article(self) -> str | None:
        """The next held-back article of a host with some left, published now."""
        hosts = [host for host, held in self._unpublished.items() if held]
        if not hosts:
            return None
        host = self._rng.choice(hosts)
        article = self._unpublished[host].pop(0)
        zone = self._sites[host].zone
        article = replace(article, published=_now().astimezone(zone), updated=None, modified=None)
        self._articles[host].append(article)
        self._bodies[article.key] = article.body
        self._pending.append((host, article, "new", None))
        return host

    def _update(self) -> str | None:
        """A new closing paragraph, with a marker word, and a new dateModified."""
        host = self._rng.choice(list(self._articles))
        shelf = self._articles[host]
        index = self._rng.randrange(len(shelf))
        self._serial += 1
        marker = f"{MARKER_PREFIX}{self._serial:06d}"
        moment = _now().astimezone(self._sites[host].zone)
        if moment <= shelf[index].last_modified:  # two edits in one second: keep dates rising
            return None
        body = (*self._bodies[shelf[index].key], BodyBlock(f"{marker}: {_paragraph(self._rng)}"))
        shelf[index] = replace(shelf[index], body=body, updated=moment, modified=moment)
        self._pending.append((host, shelf[index], "update", marker))
        return host

    def _serve(self, hosts: set[str | None]) -> None:
        """Swap in each changed host's pages, then record the versions now served."""
        for host in hosts:
            if host is not None:
                self._contents[host] = self._content(host)
        now = _now()
        made = [
            SiteVersion(self._url(host, article), kind, marker, now)
            for host, article, kind, marker in self._pending
        ]
        self._pending.clear()
        with self._versions_lock:
            self._versions += made

    def _content(self, host: str) -> HostContent:
        return HostContent(self._sites[host], tuple(self._articles[host]))

    def _url(self, host: str, article: DemoArticle) -> str:
        site = self._sites[host]
        return site.url(site.article_path(article))


def _now() -> datetime:
    """Whole seconds: pages and sitemaps print dates to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def _paragraph(rng: random.Random) -> str:
    sentences = [
        f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.randint(2, 40)} {rng.choice(THINGS)} "
        f"{rng.choice(ADJUNCTS)}."
        for _ in range(2)
    ]
    return " ".join([*sentences, rng.choice(COMMENTS)])
