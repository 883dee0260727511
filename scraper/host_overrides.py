"""Send a host's requests to another address, the way `curl --resolve` does.

The demo and the crawl tests serve real host names (rnamedia.in, ...) from one local server:
URLs, Host headers, site parsers and the archive all see the real name, and only the
connection goes to 127.0.0.1:port. The address guard resolves overridden names the same way,
so a site that does not allow private addresses is still refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import httpx

from scraper.http_client import network_transport
from scraper.safety import AddressGuard, system_resolve
from scraper.settings import Settings


class HostOverrides:
    """host name -> (address, port); an empty mapping changes nothing."""

    def __init__(self, mapping: Mapping[str, tuple[str, int]] | None = None) -> None:
        self.mapping = {host.lower(): target for host, target in (mapping or {}).items()}

    def __bool__(self) -> bool:
        return bool(self.mapping)

    def transport(self, settings: Settings) -> httpx.AsyncBaseTransport | None:
        if not self.mapping:
            return None
        mapping = self.mapping

        def wrap(pool: httpx.AsyncBaseTransport, resolved: bool) -> httpx.AsyncBaseTransport:
            return _OverridingTransport(pool, mapping, connects_by_name=resolved)

        return network_transport(settings, wrap, resolve=mapping)

    def guard(self) -> AddressGuard | None:
        if not self.mapping:
            return None
        mapping = self.mapping

        async def resolve(host: str, port: int) -> Sequence[str]:
            target = mapping.get(host.lower())
            return [target[0]] if target else await system_resolve(host, port)

        return AddressGuard(resolver=resolve)


class _OverridingTransport(httpx.AsyncBaseTransport):
    """Plain HTTP to an overridden name goes out unchanged when the pool's network backend
    connects the name to its address (`connects_by_name`); anything else (HTTPS, which the
    local address does not speak, or a pool without that backend) is rerouted by its URL."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        mapping: Mapping[str, tuple[str, int]],
        *,
        connects_by_name: bool = False,
    ) -> None:
        self.inner = inner
        self.mapping = mapping
        self.connects_by_name = connects_by_name

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        target = self.mapping.get(url.host.lower())
        if target is None or (self.connects_by_name and url.scheme == "http"):
            return await self.inner.handle_async_request(request)
        # A copy goes to the address; the caller's request (and so the response's URL, the
        # final URL the archive records) keeps the real name.
        rerouted = httpx.Request(
            request.method,
            request.url.copy_with(scheme="http", host=target[0], port=target[1]),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return await self.inner.handle_async_request(rerouted)

    async def aclose(self) -> None:
        await self.inner.aclose()
