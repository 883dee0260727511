"""Per-host pacing, so the crawler never hurts a site: at most N requests in flight to a host,
a minimum gap between the starts of two requests (raised by robots.txt Crawl-delay), and an
adaptive back-off when the host answers 429 or 503 (Retry-After honoured), undone gradually
as normal answers come back.

Hosts are keyed by name, plus the port when it is not the scheme's default (`host_key`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

# Statuses that mean "slow down".
BACKOFF_STATUSES = frozenset({429, 503})
# After each normal answer the back-off shrinks by this factor; below the floor it is dropped.
RECOVERY_FACTOR = 0.75
_RECOVERY_FLOOR = 0.05
# The first back-off step when the host's own gap is zero (seconds).
FIRST_BACKOFF = 1.0
# A robots.txt Crawl-delay above this is taken as this (seconds).
MAX_CRAWL_DELAY = 60.0
# No Retry-After blocks a host for longer than a day.
MAX_BLOCK = 86400.0


def host_key(url: httpx.URL | str) -> str:
    """`example.com`, or `127.0.0.1:8080` when the port is not the scheme's default."""
    url = httpx.URL(url) if isinstance(url, str) else url
    host = url.host.lower()
    return host if url.port is None else f"{host}:{url.port}"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent
    or unreadable, 0 for a date in the past."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True, slots=True)
class HostPolicy:
    """`connections` in flight at once and `min_delay` seconds between request starts."""

    connections: int = 1
    min_delay: float = 2.0

    def __post_init__(self) -> None:
        if self.connections < 1 or self.min_delay < 0:
            raise ValueError(f"a host policy needs connections >= 1 and min_delay >= 0: {self}")


@dataclass(slots=True)
class _HostState:
    policy: HostPolicy
    crawl_delay: float = 0.0
    backoff: float = 0.0
    not_before: float = 0.0
    active: int = 0
    waiters: asyncio.Condition = field(default_factory=asyncio.Condition)

    def gap(self) -> float:
        return max(self.policy.min_delay, self.crawl_delay, self.backoff)


class HostPacer:
    """Hands out request slots per host. Use `async with pacer.slot(key):` around one request
    (including reading its body), then `record_response(key, status, retry_after)`."""

    def __init__(
        self,
        default: HostPolicy | None = None,
        *,
        backoff_cap: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._default = default or HostPolicy()
        self._policies: dict[str, HostPolicy] = {}
        self._hosts: dict[str, _HostState] = {}
        self._backoff_cap = backoff_cap
        self._clock = clock

    def configure(self, key: str, policy: HostPolicy) -> None:
        """A site's own connections and delay (a site entry, or 0 delay for a benchmark)."""
        self._policies[key] = policy
        if key in self._hosts:
            self._hosts[key].policy = policy

    def set_crawl_delay(self, key: str, delay: float | None) -> None:
        self._state(key).crawl_delay = min(max(delay or 0.0, 0.0), MAX_CRAWL_DELAY)

    def gap(self, key: str) -> float:
        """Seconds between request starts to the host right now, back-off included."""
        return self._state(key).gap()

    def ready_in(self, key: str) -> float:
        """Seconds until the host may be asked again (a scheduler can do other hosts meanwhile)."""
        return max(0.0, self._state(key).not_before - self._clock())

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        async with self._connection(key) as state:
            await self._wait_turn(state)
            yield

    @asynccontextmanager
    async def _connection(self, key: str) -> AsyncIterator[_HostState]:
        """One of the host's `connections`, waited for while all are in use."""
        state = self._state(key)
        async with state.waiters:
            await state.waiters.wait_for(lambda: state.active < state.policy.connections)
            state.active += 1
        try:
            yield state
        finally:
            async with state.waiters:
                state.active -= 1
                state.waiters.notify()

    def started(self, key: str) -> None:
        """The request is being sent now: the next start waits a full gap from here, so time
        lost between taking the turn and sending (a busy event loop) never shortens it."""
        state = self._state(key)
        state.not_before = max(state.not_before, self._clock() + state.gap())

    def record_response(self, key: str, status: int, retry_after: float | None = None) -> None:
        """429/503 doubles the back-off and blocks the host for Retry-After; anything else
        shrinks the back-off a step and starts the gap to the next request again."""
        state = self._state(key)
        if status in BACKOFF_STATUSES:
            first = max(FIRST_BACKOFF, 2 * max(state.policy.min_delay, state.crawl_delay))
            state.backoff = min(self._backoff_cap, max(first, 2 * state.backoff))
            block = min(retry_after if retry_after is not None else state.backoff, MAX_BLOCK)
            state.not_before = max(state.not_before, self._clock() + block)
            return
        state.backoff *= RECOVERY_FACTOR
        if state.backoff < _RECOVERY_FLOOR:
            state.backoff = 0.0
        # The server had the request by the time its answer arrived, but maybe not much
        # earlier (a loaded sender is slow to get it out): a gap counted from here holds as
        # the server sees it, not only as this process does.
        state.not_before = max(state.not_before, self._clock() + state.gap())

    async def _wait_turn(self, state: _HostState) -> None:
        """Sleeps until the host's next start time, then takes it; re-checks after each sleep
        because a back-off may have pushed the time later meanwhile."""
        while (wait := state.not_before - self._clock()) > 0:
            await asyncio.sleep(wait)
        state.not_before = self._clock() + state.gap()

    def _state(self, key: str) -> _HostState:
        state = self._hosts.get(key)
        if state is None:
            state = _HostState(self._policies.get(key, self._default))
            self._hosts[key] = state
        return state
