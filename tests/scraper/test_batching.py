"""Batcher: items handed in one at a time come out in batches, each with its own result or
error, and an item handed in just as a sender finishes is never left waiting."""

from __future__ import annotations

import asyncio

import pytest

from scraper.batching import Batcher

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Doubler:
    def __init__(self, fail_on: int | None = None) -> None:
        self.batches: list[list[int]] = []
        self.fail_on = fail_on

    async def __call__(self, items: list[int]) -> list[int | Exception]:
        self.batches.append(items)
        await asyncio.sleep(0)
        return [ValueError(f"bad {n}") if n == self.fail_on else 2 * n for n in items]


async def test_items_handed_in_together_share_batches() -> None:
    process = Doubler()
    batcher = Batcher[int, int](process, max_batch=3)

    results = await asyncio.gather(*(batcher.submit(n) for n in range(7)))

    assert results == [2 * n for n in range(7)]
    assert process.batches == [[0, 1, 2], [3, 4, 5], [6]]


async def test_each_item_gets_its_own_error() -> None:
    batcher = Batcher[int, int](Doubler(fail_on=2), max_batch=8)

    outcomes = await asyncio.gather(*(batcher.submit(n) for n in range(4)), return_exceptions=True)

    assert outcomes[:2] == [0, 2] and outcomes[3] == 6
    assert isinstance(outcomes[2], ValueError)


async def test_a_batch_that_raises_fails_each_of_its_items() -> None:
    async def broken(items: list[int]) -> list[int | Exception]:
        raise OSError("the pool died")

    batcher = Batcher[int, int](broken, max_batch=8)

    with pytest.raises(OSError, match="pool died"):
        await batcher.submit(1)


@pytest.mark.parametrize("in_flight", [1, 2, 4])
async def test_items_handed_in_one_after_another_never_wait_for_nothing(in_flight: int) -> None:
    # Each result wakes its caller before the finished sender's task is cleaned up: the next
    # item, handed in at that moment, must still find a sender.
    async def at_once(items: list[int]) -> list[int | Exception]:
        return list(items)

    batcher = Batcher[int, int](at_once, max_batch=8, in_flight=in_flight)

    async def one_by_one() -> list[int]:
        return [await batcher.submit(n) for n in range(200)]

    assert await asyncio.wait_for(one_by_one(), timeout=10) == list(range(200))


async def test_processing_waits_until_ready() -> None:
    started = asyncio.Event()
    process = Doubler()
    batcher = Batcher[int, int](process, max_batch=8, ready=started.wait)

    pending = asyncio.ensure_future(batcher.submit(5))
    await asyncio.sleep(0.01)
    assert process.batches == [] and not pending.done()
    started.set()

    assert await pending == 10
