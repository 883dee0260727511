"""The fetcher's pacer for worker processes: every turn is taken in the shared pacing table.

`scraper.politeness.HostPacer` keeps a host's pacing in one process; several workers (and
the enqueue-only scheduler's discovery) fetching the same hosts would each keep their own
and together exceed it. This pacer asks `storage.host_pacing` for each request's turn, so
the connections, the gap between starts, robots.txt's Crawl-delay and the back-off after
429/503 hold across every process. Locally it only queues a process's own requests to a
host (at most the host's connections ask the database at once) and remembers the latest
answers, for `ready_in`.

Database calls run in worker threads, never on the event loop. A stop event set by the
worker makes a request still waiting for its turn give up (`StoppedWaiting`): it was never
sent, so its URL can be handed back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from scraper.exceptions import HostDeferredError, StoppedWaiting
from scraper.politeness import (
    BACKOFF_STATUSES,
    FIRST_BACKOFF,
    MAX_BLOCK,
    RECOVERY_FACTOR,
    HostPacer,
    HostPolicy,
)
from storage.host_pacing import BackoffRule, PacingRule, SharedPacing, Turn, Wait

T = TypeVar("T")

# Below this the back-off is dropped (as scraper.politeness does).
RECOVERY_FLOOR = 0.05
# How often a request waiting for a busy host asks again, at most and at least (seconds).
MAX_POLL = 0.25
MIN_POLL = 0.01
# Threads for the pacing table's calls: their own, so a turn never queues behind parsing
# and filing in the event loop's default executor.
PACING_THREADS = 8


@dataclass(slots=True)
class InFlight:
    """The request a task is making under a turn, and how it was answered."""

    turn: Turn
    answered: float | None = None  # time.monotonic() when the response's head arrived
    status: int | None = None
    retry_after: float | None = None

    def elapsed(self) -> float:
        """Seconds since the host surely had the request: its answer began arriving then
        (a server reads a request before it answers). Without an answer, the host may be
        reading it still: no time is counted, the next gap starts at the turn's end."""
        return 0.0 if self.answered is None else time.monotonic() - self.answered


def backoff_rule(cap: float) -> BackoffRule:
    """`HostPacer.record_response`'s back-off, for the shared table."""
    return BackoffRule(FIRST_BACKOFF, cap, RECOVERY_FACTOR, RECOVERY_FLOOR, MAX_BLOCK)


class SharedHostPacer(HostPacer):
    """A `HostPacer` whose turns come from the database; use as the fetcher's `pacer`."""

    def __init__(
        self,
        pacing: SharedPacing,
        default: HostPolicy | None = None,
        *,
        backoff_cap: float = 60.0,
        stop: asyncio.Event | None = None,
        max_wait: float = MAX_BLOCK,
    ) -> None:
        super().__init__(default, backoff_cap=backoff_cap)
        self.pacing = pacing
        self.stop = stop or asyncio.Event()
        self.max_wait = max_wait  # a longer wait defers the request (the fetcher's rule)
        self._crawl_delays: dict[str, float] = {}  # hosts whose robots.txt was read
        self._ready_at: dict[str, float] = {}  # monotonic time the database last named
        self._current: ContextVar[InFlight | None] = ContextVar("in_flight", default=None)
        self._threads = ThreadPoolExecutor(PACING_THREADS, thread_name_prefix="pacing")

    def close(self) -> None:
        """End the pacing threads (after the last request)."""
        self._threads.shutdown(wait=True)

    def set_crawl_delay(self, key: str, delay: float | None) -> None:
        super().set_crawl_delay(key, delay)
        self._crawl_delays[key] = self._state(key).crawl_delay

    def ready_in(self, key: str) -> float:
        return max(0.0, self._ready_at.get(key, 0.0) - time.monotonic())

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        async with self._connection(key):
            in_flight = InFlight(await self._take_turn(key))
            reset = self._current.set(in_flight)
            try:
                yield
            finally:
                self._current.reset(reset)
                await self._end_turn(key, in_flight)

    def started(self, key: str) -> None:
        """Nothing: the gap is measured from the answer (`InFlight.elapsed`)."""

    def record_response(self, key: str, status: int, retry_after: float | None = None) -> None:
        """Noted for the end of the turn, which applies it to the shared back-off."""
        in_flight = self._current.get()
        if in_flight is not None:
            in_flight.answered = time.monotonic()
            in_flight.status, in_flight.retry_after = status, retry_after

    async def _take_turn(self, key: str) -> Turn:
        policy = self._state(key).policy
        rule = PacingRule(policy.connections, policy.min_delay, self._crawl_delays.get(key))
        busy_retry = min(MAX_POLL, max(MIN_POLL, policy.min_delay / 2))
        while True:
            if self.stop.is_set():
                raise StoppedWaiting(f"stopped while waiting for a turn at {key}")
            answer = await self._call(partial(self.pacing.take_turn, key, rule, busy_retry))
            if isinstance(answer, Turn):
                return answer
            if answer.seconds > self.max_wait:
                raise HostDeferredError(f"{key} asked to wait {answer.seconds:.0f} s more")
            self._note_wait(key, answer)
            await self._sleep(min(answer.seconds, MAX_POLL) if answer.busy else answer.seconds)

    async def _end_turn(self, key: str, in_flight: InFlight) -> None:
        overloaded = in_flight.status in BACKOFF_STATUSES
        end = partial(
            self.pacing.end_turn,
            in_flight.turn,
            in_flight.elapsed(),
            overloaded,
            in_flight.retry_after if overloaded else None,
        )
        wait = await self._call(end)
        self._ready_at[key] = time.monotonic() + wait

    async def _call(self, call: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, call)

    def _note_wait(self, key: str, wait: Wait) -> None:
        if not wait.busy:
            self._ready_at[key] = time.monotonic() + wait.seconds

    async def _sleep(self, seconds: float) -> None:
        """Sleep, waking early when the worker stops."""
        try:
            await asyncio.wait_for(self.stop.wait(), timeout=max(seconds, MIN_POLL))
        except TimeoutError:
            return
