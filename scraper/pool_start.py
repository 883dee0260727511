"""Starting a process pool's processes without stalling the event loop.

A pool starts a process when a task is submitted and no process is idle, in the submitting
thread, and the first process started by the fork server waits for the server to import the
modules it preloads: seconds, during which an event loop that submitted the task would
fetch nothing. Here the processes are started by a worker thread, at the start of a run,
while the loop goes on fetching; work for the pool waits (without blocking) until they run.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ProcessPoolExecutor


class PoolStart:
    """The start of a pool's processes in the background; `ready()` waits for it."""

    def __init__(self, executor: ProcessPoolExecutor, count: int) -> None:
        self._started = asyncio.Event()
        self._task = asyncio.create_task(self._start(executor, count))

    async def ready(self) -> None:
        """Return once the processes run (or failed to start: the pool's first task says
        why); safe to cancel, and to await from any number of tasks."""
        await self._started.wait()

    async def finish(self) -> None:
        """Wait for the start to end (before the pool is shut down)."""
        await self._task

    async def _start(self, executor: ProcessPoolExecutor, count: int) -> None:
        try:
            await asyncio.to_thread(_start_processes, executor, count)
        finally:
            self._started.set()


def _start_processes(executor: ProcessPoolExecutor, count: int) -> None:
    try:
        for started in [executor.submit(os.getpid) for _ in range(count)]:
            started.result()
    except Exception:  # a pool that cannot start: its first real task raises the error
        return
