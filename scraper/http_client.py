"""The one httpx client every fetch goes through, so identity, limits and timeouts are set once.

Redirects are not followed here: the fetcher follows them itself, checking each hop. Content
decoding is not left to httpx either (see `scraper.response_body`), so Accept-Encoding names
exactly the encodings that module can undo within its caps.
"""

from __future__ import annotations

import httpx

from scraper.response_body import SUPPORTED_ENCODINGS
from scraper.settings import Settings

# HTML first; feeds and sitemaps (XML) go through the same client.
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Idle connections to a host are kept this long: a crawl revisits a host every few seconds.
KEEPALIVE_EXPIRY = 30.0


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


def build_client(
    settings: Settings | None = None, *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """HTTP/2 where the server offers it (TLS ALPN), proxies from HTTP(S)_PROXY/NO_PROXY.

    `transport` replaces the network (an `httpx.MockTransport` in unit tests); httpx then
    ignores the limits, HTTP/2 and proxy settings, which belong to its own transport.
    """
    settings = settings or Settings()
    return httpx.AsyncClient(
        headers=default_headers(settings.user_agent),
        timeout=client_timeouts(settings),
        limits=client_limits(settings),
        http2=True,
        trust_env=True,
        follow_redirects=False,
        transport=transport,
    )
