"""Items handed in one at a time from the event loop, processed a batch at a time.

Pages parsed in another process and pages filed in a database transaction both pay a fixed
cost per call that a batch shares. An item is sent at once while fewer than `in_flight`
batches are out, so an idle crawl waits for nothing; under load the items that arrive
meanwhile make the next batch. Each item gets its own result or its own error, as if sent
alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

# Processes a batch: one result or error per item, in order. An exception raised instead
# (a pool that died, an archive that could not sync) is every item's error.
BatchCall = Callable[[list[In]], Awaitable[Sequence[Out | Exception]]]


class Batcher(Generic[In, Out]):
    """Feeds `process` batches of up to `max_batch` items, at most `in_flight` at once."""

    def __init__(
        self,
        process: BatchCall[In, Out],
        *,
        max_batch: int,
        in_flight: int = 1,
        ready: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.process = process
        self.max_batch = max_batch
        self.in_flight = in_flight
        self.ready = ready  # awaited before the first batch (processes still starting)
        self._pending: list[tuple[In, asyncio.Future[Out]]] = []
        # Counted down by the sender itself as it finds nothing left (a done-callback would
        # come a loop step later, when an item handed in meanwhile could find no sender).
        self._sending = 0
        self._senders: set[asyncio.Task[None]] = set()  # referenced while they run

    async def submit(self, item: In) -> Out:
        """The item's result; raises the item's error."""
        future: asyncio.Future[Out] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._sending < self.in_flight:
            self._sending += 1
            sender = asyncio.create_task(self._send_pending())
            self._senders.add(sender)
            sender.add_done_callback(self._senders.discard)
        return await future

    async def _send_pending(self) -> None:
        """Send batches until nothing waits; the next `submit` starts sending again."""
        try:
            await self._send_batches()
        finally:
            self._sending -= 1

    async def _send_batches(self) -> None:
        if self.ready is not None:
            await self.ready()
        while self._pending:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
            try:
                outcomes = await self.process([item for item, _ in batch])
            except Exception as exc:
                outcomes = [exc] * len(batch)
            except BaseException:
                for _, future in (*batch, *self._pending):
                    future.cancel()
                self._pending.clear()
                raise
            _settle(batch, outcomes)


def _settle(
    batch: list[tuple[In, asyncio.Future[Out]]], outcomes: Sequence[Out | Exception]
) -> None:
    for (_, future), outcome in zip(batch, outcomes, strict=True):
        if future.done():  # its item was given up on meanwhile
            continue
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
