"""The one httpx client every fetch goes through, so identity, limits and timeouts are set once.

Redirects are not followed here: the fetcher follows them itself, checking each hop. Content
decoding is not left to httpx either (see `scraper.response_body`), so Accept-Encoding names
exactly the encodings that module can undo within its caps.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Mapping

import httpx

from scraper.connection_pools import PoolPerOrigin
from scraper.network_streams import keep_sockets
from scraper.response_body import SUPPORTED_ENCODINGS
from scraper.settings import Settings

# HTML first; feeds and sitemaps (XML) go through the same client.
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Idle connections to a host are kept this long: a crawl revisits a host every few seconds.
KEEPALIVE_EXPIRY = 30.0
# Origins whose idle connections are kept at least (more when `concurrency` is higher).
MIN_POOLS = 64


def default_headers(user_agent: str) -> dict[str, str]:
    return {
        "User-Agent": user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": ", ".join(SUPPORTED_ENCODINGS),
    }


def client_timeouts(settings: Settings) -> httpx.Timeout:
    timeouts = settings.timeouts
    return httpx.Timeout(
        connect=timeouts.connect, read=timeouts.read, write=timeouts.write, pool=timeouts.pool
    )


def client_limits(settings: Settings) -> httpx.Limits:
    """Work in flight is bounded by `concurrency`; per-host limits are the pacer's job."""
    return httpx.Limits(
        max_connections=settings.concurrency,
        max_keepalive_connections=settings.concurrency,
        keepalive_expiry=KEEPALIVE_EXPIRY,
    )


def proxies_from_environment() -> bool:
    """Whether the environment names a proxy (httpx reads them only when it makes the
    transport itself)."""
    return any(scheme != "no" for scheme in urllib.request.getproxies())


def network_transport(
    settings: Settings,
    wrap: Callable[[httpx.AsyncBaseTransport, bool], httpx.AsyncBaseTransport] | None = None,
    resolve: Mapping[str, tuple[str, int]] | None = None,
) -> PoolPerOrigin:
    """The network: a pool per origin (`scraper.connection_pools`), HTTP/2 where the server
    offers it (TLS ALPN), its streams keeping their sockets and connecting the names
    `resolve` maps to their address (`scraper.network_streams`); `wrap(pool, resolved)` is
    put around each origin's pool (host overrides), told whether `resolve` took effect."""
    ssl_context = httpx.create_ssl_context()  # once: reading the CA bundle takes milliseconds
    limits = client_limits(settings)

    def make_pool() -> httpx.AsyncBaseTransport:
        pool = httpx.AsyncHTTPTransport(verify=ssl_context, http2=True, limits=limits)
        resolved = keep_sockets(pool, resolve)
        return wrap(pool, resolved) if wrap is not None else pool

    return PoolPerOrigin(make_pool, max_pools=max(settings.concurrency, MIN_POOLS))


def build_sender(
    settings: Settings, transport: httpx.AsyncBaseTransport | None = None
) -> RequestSender:
    """The client `build_client` makes, with the transport its requests go straight to (none
    when proxies from the environment apply: the client picks their transports)."""
    proxied = proxies_from_environment()
    if transport is None and not proxied:
        transport = network_transport(settings)
    client = build_client(settings, transport=transport)
    return RequestSender(client, None if proxied else transport)


class RequestSender:
    """Builds and sends the crawler's requests, straight through `transport` when given.

    httpx's client layer (merging each request with the client's settings, auth and
    redirect hooks, cookie bookkeeping, logging) costs a crawl about as much CPU as the
    exchange itself; the fetcher needs none of it but the cookies, which are still kept and
    sent: a response's cookies go to the client's jar, and while the jar holds any,
    requests are built by the client, which adds them.
    """

    def __init__(
        self, client: httpx.AsyncClient, transport: httpx.AsyncBaseTransport | None
    ) -> None:
        self.client = client
        self.transport = transport
        self._headers = list(client.headers.multi_items())
        self._timeout = client.timeout.as_dict()

    def build(self, url: httpx.URL, headers: dict[str, str]) -> httpx.Request:
        """A GET of `url` with the client's headers, then `headers`, as the client builds it."""
        if self.transport is None or self.client.cookies:
            return self.client.build_request("GET", url, headers=headers)
        merged = [*self._headers, *headers.items()]
        return httpx.Request("GET", url, headers=merged, extensions={"timeout": self._timeout})

    async def send(self, request: httpx.Request) -> httpx.Response:
        """The response, its body not read yet."""
        if self.transport is None:
            return await self.client.send(request, stream=True)
        response = await self.transport.handle_async_request(request)
        response.request = request
        if "set-cookie" in response.headers:
            self.client.cookies.extract_cookies(response)
        return response


def build_client(
    settings: Settings | None = None, *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """Over `network_transport`, or through the proxies HTTP(S)_PROXY/ALL_PROXY/NO_PROXY name
    (httpx's own transports, with these limits: all connections then go to the proxy).

    `transport` replaces the network (an `httpx.MockTransport` in unit tests).
    """
    settings = settings or Settings()
    if transport is None and not proxies_from_environment():
        transport = network_transport(settings)
    return httpx.AsyncClient(
        headers=default_headers(settings.user_agent),
        timeout=client_timeouts(settings),
        limits=client_limits(settings),
        http2=True,
        trust_env=True,
        follow_redirects=False,
        transport=transport,
    )
