"""robots.txt per origin, read with protego and cached, following RFC 9309: a robots.txt that
is missing (4xx) allows everything; one that cannot be read (5xx, 429, network failure) forbids
everything until a retry a few minutes later, keeping the last good copy when there is one.

The file is fetched through the fetcher, so it gets the same pacing, safety checks and caps.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from protego import Protego

from scraper.exceptions import RedirectError, RedirectLoopError, TooManyRedirectsError
from scraper.fetch_result import FetchResult

# Fetches a robots.txt URL; the flag says whether private addresses are allowed for the site.
RobotsFetch = Callable[[str, bool], Awaitable[FetchResult]]

# RFC 9309: crawlers must read at least 500 KiB; what follows is ignored.
ROBOTS_MAX_BYTES = 512 * 1024
# RFC 9309 2.3.1.2: a robots.txt behind a broken redirect chain may be taken as missing.
_REDIRECT_FAILURES = frozenset(
    {RedirectError.kind, RedirectLoopError.kind, TooManyRedirectsError.kind}
)
# An unreadable robots.txt is asked for again after at most this many seconds.
UNREACHABLE_RETRY = 300.0


class RobotsStatus(Enum):
    PARSED = "parsed"  # rules read from the file
    MISSING = "missing"  # 4xx or too many redirects: no rules, everything allowed
    UNREACHABLE = "unreachable"  # 5xx, 429 or no answer: everything forbidden for now


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: `newsarchive/0.1 (+url)` ->
    `newsarchive` (matching the whole string would let a word in the contact URL match)."""
    return user_agent.split("/", 1)[0].split(None, 1)[0].strip().lower() or user_agent


def robots_url(url: str) -> str:
    """The robots.txt of the URL's origin (scheme, host and port; credentials dropped)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2].lower()}/robots.txt"


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules of one origin for this crawler's agent token."""

    url: str
    status: RobotsStatus
    agent: str
    parser: Protego | None = None
    reason: str = ""  # why an unreachable robots.txt could not be read

    def allows(self, url: str) -> bool:
        if self.status is RobotsStatus.UNREACHABLE:
            return False
        return self.parser is None or bool(self.parser.can_fetch(url, self.agent))

    @property
    def crawl_delay(self) -> float | None:
        """Crawl-delay, or the gap a Request-rate implies, whichever is longer."""
        if self.parser is None:
            return None
        delays: list[float] = []
        delay = self.parser.crawl_delay(self.agent)
        if delay is not None:
            delays.append(float(delay))
        rate = self.parser.request_rate(self.agent)
        if rate is not None and rate.requests > 0:
            delays.append(rate.seconds / rate.requests)
        return max(delays, default=None)

    @property
    def sitemaps(self) -> tuple[str, ...]:
        return tuple(self.parser.sitemaps) if self.parser is not None else ()


def rules_from(result: FetchResult, agent: str) -> RobotsRules:
    """RFC 9309 section 2.3.1: what a robots.txt answer means."""
    url = result.url
    if result.error_kind is not None:
        missing = result.error_kind in _REDIRECT_FAILURES
        status = RobotsStatus.MISSING if missing else RobotsStatus.UNREACHABLE
        return RobotsRules(url, status, agent, reason=result.error_message or "")
    code = result.status or 0
    if 200 <= code < 300:
        text = result.body.decode("utf-8", errors="replace").lstrip("\ufeff")
        return RobotsRules(url, RobotsStatus.PARSED, agent, Protego.parse(text))
    if 400 <= code < 500 and code != 429:
        return RobotsRules(url, RobotsStatus.MISSING, agent)
    return RobotsRules(url, RobotsStatus.UNREACHABLE, agent, reason=f"answered {code}")


@dataclass(frozen=True, slots=True)
class _Entry:
    rules: RobotsRules
    expires: float


class RobotsCache:
    """One robots.txt per origin, refreshed after `ttl` seconds (unreadable ones sooner)."""

    def __init__(
        self,
        fetch: RobotsFetch,
        *,
        user_agent: str,
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._agent = agent_token(user_agent)
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str, *, allow_private: bool = False) -> RobotsRules:
        """The rules of the URL's origin; concurrent callers for one origin share one fetch."""
        target = robots_url(url)
        entry = self._fresh(target)
        if entry is not None:
            return entry.rules
        lock = self._locks.setdefault(target, asyncio.Lock())
        async with lock:
            entry = self._fresh(target)
            if entry is None:
                entry = self._store(target, await self._fetch(target, allow_private))
        return entry.rules

    async def allows(self, url: str, *, allow_private: bool = False) -> bool:
        return (await self.rules_for(url, allow_private=allow_private)).allows(url)

    def _fresh(self, target: str) -> _Entry | None:
        entry = self._entries.get(target)
        return entry if entry is not None and entry.expires > self._clock() else None

    def _store(self, target: str, result: FetchResult) -> _Entry:
        rules = rules_from(result, self._agent)
        ttl = self._ttl
        if rules.status is RobotsStatus.UNREACHABLE:
            ttl = min(ttl, UNREACHABLE_RETRY)
            previous = self._entries.get(target)
            if previous is not None and previous.rules.status is RobotsStatus.PARSED:
                rules = previous.rules  # RFC 9309 2.4: a cached copy may stand in meanwhile
        entry = _Entry(rules, self._clock() + ttl)
        self._entries[target] = entry
        return entry
