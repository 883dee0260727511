"""Pages handed to the parsing processes a few at a time.

A task of a process pool costs the crawler's process a fixed fraction of a millisecond
(queues, a feeder and a management thread, wake-ups, the future's round trip), about as
much as fetching the page over a kept-alive connection; pages sent together share it
(`scraper.batching`).
"""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Sequence
from concurrent.futures import Executor
from datetime import datetime

from scraper.batching import Batcher
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
        self.start = start  # work waits until the processes run
        ready = start.ready if start is not None else None
        self._batcher = Batcher[ParseCall, Parsed](
            self._parse_batch, max_batch=max_batch, in_flight=in_flight, ready=ready
        )

    async def parse(self, call: ParseCall) -> Parsed:
        """The page's parse (`parse_for_filing(*call)`); raises what its parse raised."""
        return await self._batcher.submit(call)

    async def _parse_batch(self, calls: list[ParseCall]) -> list[Parsed | Exception]:
        # An exception here (the pool failed: a process died) is every page's error.
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, parse_each, calls)


def _sendable(error: Exception) -> Exception:
    """The error as the crawler's process can receive it (not every error survives pickling,
    and one that does not would fail the whole batch): its type and message otherwise."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
