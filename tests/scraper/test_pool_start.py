"""A pool's processes start in a worker thread: the event loop goes on meanwhile, work for
the pool waits until they run, and a pool that cannot start still lets that work through
(to fail with the pool's own error)."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, cast

import pytest

from scraper.pool_start import PoolStart


class _BlockingPool:
    """Submitting blocks the caller until `go` is set, as a pool whose first process waits
    for the fork server does; records what happened in order."""

    def __init__(self, error: Exception | None = None) -> None:
        self.go = threading.Event()
        self.error = error
        self.events: list[str] = []
        self.threads: list[int] = []

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        self.threads.append(threading.get_ident())
        if not self.go.wait(timeout=10):
            raise AssertionError("the loop could not run while a process started")
        self.events.append("submitted")
        if self.error is not None:
            raise self.error
        done: Future[Any] = Future()
        done.set_result(fn(*args))
        return done


def _start(pool: _BlockingPool, count: int) -> PoolStart:
    return PoolStart(cast(ProcessPoolExecutor, pool), count)


def test_the_loop_goes_on_while_the_processes_start_and_work_waits_for_them() -> None:
    pool = _BlockingPool()

    async def run() -> None:
        start = _start(pool, 2)

        async def waiting_work() -> None:
            await start.ready()
            pool.events.append("work")

        async def other_work() -> None:
            await asyncio.sleep(0.05)  # the start is under way, blocked
            pool.events.append("loop ran")
            pool.go.set()

        await asyncio.gather(waiting_work(), other_work())
        await start.finish()

    asyncio.run(run())

    assert pool.events == ["loop ran", "submitted", "submitted", "work"]
    assert threading.get_ident() not in pool.threads


@pytest.mark.parametrize("error", [BrokenProcessPool("gone"), OSError("no fork server")])
def test_a_pool_that_cannot_start_is_ready_for_its_tasks_to_fail(error: Exception) -> None:
    pool = _BlockingPool(error)
    pool.go.set()

    async def run() -> None:
        start = _start(pool, 2)
        await asyncio.wait_for(start.ready(), timeout=10)
        await start.finish()

    asyncio.run(run())
    assert pool.events == ["submitted"]


def test_waiting_for_the_start_can_be_cancelled_without_stopping_it() -> None:
    pool = _BlockingPool()

    async def run() -> None:
        start = _start(pool, 1)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(start.ready(), timeout=0.05)
        pool.go.set()
        await asyncio.wait_for(start.ready(), timeout=10)
        await start.finish()

    asyncio.run(run())
    assert pool.events == ["submitted"]
