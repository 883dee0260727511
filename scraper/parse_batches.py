"""Pages handed to the parsing processes a few at a time.

A task of a process pool costs the crawler's process a fixed fraction of a millisecond
(queues, a feeder and a management thread, wake-ups, the future's round trip), about as
much as fetching the page over a kept-alive connection; pages sent together share it. A
page is sent at once while fewer than `in_flight` batches are out, so an idle crawl waits
for nothing; under load the pages that arrive meanwhile make the next batch. Each page gets
its own parse or its own error, as if sent alone.
"""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Sequence
from concurrent.futures import Executor
from datetime import datetime

from scraper.config import SiteEntry
from scraper.pool_start import PoolStart
from scraper.site_pass import Parsed, Parser, parse_for_filing

# Pages a batch holds at most: enough to share the overhead, few enough that a batch does
# not keep pages from the other process while it has nothing to do.
MAX_BATCH = 8

ParseCall = tuple[Parser, bytes, str, str | None, datetime, SiteEntry]


def parse_each(calls: Sequence[ParseCall]) -> list[Parsed | Exception]:
    """Each page's parse (`parse_for_filing`), or the error that stopped it, in order (run
    in a parsing process)."""
    outcomes: list[Parsed | Exception] = []
    for call in calls:
        try:
            outcomes.append(parse_for_filing(*call))
        except Exception as exc:  # this page's error alone, raised by its caller
            outcomes.append(_sendable(exc))
    return outcomes


class ParseBatches:
    """Parses pages in `executor`, a batch of up to `max_batch` per task."""

    def __init__(
        self,
        executor: Executor,
        *,
        in_flight: int,
        max_batch: int = MAX_BATCH,
        start: PoolStart | None = None,
    ) -> None:
        self.executor = executor
        self.in_flight = in_flight
        self.max_batch = max_batch
        self.start = start  # work waits until the processes run
        self._pending: list[tuple[ParseCall, asyncio.Future[Parsed]]] = []
        self._senders: set[asyncio.Task[None]] = set()

    async def parse(self, call: ParseCall) -> Parsed:
        """The page's parse (`parse_for_filing(*call)`); raises what its parse raised."""
        future: asyncio.Future[Parsed] = asyncio.get_running_loop().create_future()
        self._pending.append((call, future))
        if len(self._senders) < self.in_flight:
            sender = asyncio.create_task(self._send_pending())
            self._senders.add(sender)
            sender.add_done_callback(self._senders.discard)
        return await future

    async def _send_pending(self) -> None:
        """Send batches until nothing waits; the next `parse` starts sending again."""
        if self.start is not None:
            await self.start.ready()
        loop = asyncio.get_running_loop()
        while self._pending:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
            calls = [call for call, _ in batch]
            try:
                outcomes = await loop.run_in_executor(self.executor, parse_each, calls)
            except Exception as exc:  # the pool failed (a process died): so did every page
                outcomes = [exc] * len(batch)
            except BaseException:
                for _, future in (*batch, *self._pending):
                    future.cancel()
                self._pending.clear()
                raise
            _settle(batch, outcomes)


def _settle(
    batch: list[tuple[ParseCall, asyncio.Future[Parsed]]], outcomes: Sequence[Parsed | Exception]
) -> None:
    for (_, future), outcome in zip(batch, outcomes, strict=True):
        if future.done():  # its page was given up on meanwhile
            continue
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


def _sendable(error: Exception) -> Exception:
    """The error as the crawler's process can receive it (not every error survives pickling,
    and one that does not would fail the whole batch): its type and message otherwise."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
