"""A connection pool per origin, so picking a connection costs the same for 1 host or 500.

httpcore's pool walks every connection it holds (asking each idle one whether its socket is
still open) on every request and again when each response is closed; one pool shared by a
crawl of hundreds of hosts with a few connections each spent more of the crawler's time on
that walk than on HTTP itself. Here each origin has its own small pool. Pools no request is
using are closed, least recently used first, once there are more than `max_pools`, which
bounds the idle connections a long crawl keeps open.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx

Origin = tuple[str, str, int | None]


@dataclass(slots=True, eq=False)
class _Pool:
    transport: httpx.AsyncBaseTransport
    in_flight: int = 0  # requests sent whose response has not been closed yet


class _ReleasingStream(httpx.AsyncByteStream):
    """A response body that gives its pool's request slot back when it is closed."""

    def __init__(self, inner: httpx.AsyncByteStream, pool: _Pool) -> None:
        self._inner = inner
        self._pool: _Pool | None = pool

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            if self._pool is not None:
                self._pool.in_flight -= 1
                self._pool = None


class PoolPerOrigin(httpx.AsyncBaseTransport):
    """Sends each request through the pool of its origin (scheme, host, port), made by
    `make_pool` on first use."""

    def __init__(
        self, make_pool: Callable[[], httpx.AsyncBaseTransport], *, max_pools: int
    ) -> None:
        if max_pools < 1:
            raise ValueError(f"max_pools must be at least 1, not {max_pools}")
        self._make_pool = make_pool
        self.max_pools = max_pools
        # The first pool is made now: making it loads modules (the HTTP/2 stack, tens of
        # milliseconds), which must not delay a request whose pacing turn has begun.
        self._spare: httpx.AsyncBaseTransport | None = make_pool()
        # Least recently used first: a used pool moves to the end.
        self._pools: dict[Origin, _Pool] = {}

    @property
    def origins(self) -> list[Origin]:
        """The origins with an open pool, least recently used first."""
        return list(self._pools)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = (request.url.scheme, request.url.host, request.url.port)
        pool = self._pools.pop(origin, None) or _Pool(self._new_pool())
        self._pools[origin] = pool
        await self._close_unused(keep=pool)
        pool.in_flight += 1
        try:
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.in_flight -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _ReleasingStream(response.stream, pool)
        return response

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.transport.aclose()

    def _new_pool(self) -> httpx.AsyncBaseTransport:
        spare, self._spare = self._spare, None
        return spare if spare is not None else self._make_pool()

    async def _close_unused(self, keep: _Pool) -> None:
        """Close the least recently used idle pools beyond `max_pools` (chosen before any
        await, so a request arriving meanwhile never gets a pool being closed)."""
        surplus = len(self._pools) - self.max_pools
        if surplus <= 0:
            return
        unused = [
            origin
            for origin, pool in self._pools.items()
            if pool.in_flight == 0 and pool is not keep
        ][:surplus]
        closing = [self._pools.pop(origin) for origin in unused]
        for pool in closing:
            await pool.transport.aclose()
