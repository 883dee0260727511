"""Keeps the crawler off places a feed, a link or a redirect must not steer it to: schemes other
than http(s), URLs carrying credentials or too long to be real, and internal addresses (the
machine itself, the LAN, cloud metadata endpoints) behind a public-looking name. Every hop of a
redirect chain is checked again.

Hosts are resolved here and the addresses checked; httpx resolves again when it connects, so a
DNS answer that changes in between (rebinding) is not caught.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable, Sequence

import httpx

from scraper.exceptions import ConnectionFailedError, UnsafeURLError

ALLOWED_SCHEMES = frozenset({"http", "https"})
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

# Path and query longer than this are refused: most servers answer 414 beyond 8 KB anyway.
MAX_URL_CHARS = 8192
# Name lookups are cached this long (seconds): a crawl resolves the same few hosts all day.
RESOLVE_CACHE_TTL = 60.0
_RESOLVE_CACHE_SIZE = 4096
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """IPv6 forms that carry an IPv4 address the packets really go to."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """Globally routable unicast: not private, loopback, link-local, shared, reserved, multicast."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return is_public_address(inner)
    return address.is_global and not address.is_multicast


def check_form(url: httpx.URL) -> None:
    """http(s) with a host and a usable port; no credentials (httpx would send them as a
    Basic login, and the archive would keep them); not longer than servers take."""
    if url.scheme not in ALLOWED_SCHEMES:
        raise UnsafeURLError(f"only http and https are fetched, not {url.scheme or 'no'} scheme")
    try:
        host = url.host  # decoded (IDNA) when first read
    except ValueError as exc:
        raise UnsafeURLError(f"unreadable host {url.raw_host!r}: {exc}") from exc
    if not host:
        raise UnsafeURLError(f"no host in {url}")
    if url.port is not None and not 0 < url.port < 65536:
        raise UnsafeURLError(f"port out of range: {url.port}")
    if url.userinfo:
        raise UnsafeURLError(f"URL carries credentials (user:password@): {host}")
    if len(url.raw_path) > MAX_URL_CHARS:
        raise UnsafeURLError(f"URL longer than {MAX_URL_CHARS} characters: {host}")


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for the host (what a connect may pick)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectionFailedError(f"cannot resolve {host}: {exc}") from exc
    return [str(info[4][0]) for info in infos]


class AddressGuard:
    """Checks a URL's scheme and the addresses its host resolves to, with a small cache."""

    def __init__(
        self,
        *,
        resolver: Resolver = system_resolve,
        cache_ttl: float = RESOLVE_CACHE_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._resolver = resolver
        self._cache_ttl = cache_ttl
        self._clock = clock
        self._cache: dict[tuple[str, int], tuple[float, tuple[IPAddress, ...]]] = {}

    async def check(self, url: httpx.URL, *, allow_private: bool) -> None:
        """Raises `UnsafeURLError` (or `ConnectionFailedError` when the name does not resolve)."""
        check_form(url)
        if allow_private:
            return
        host = url.raw_host.decode("ascii")
        for address in await self._addresses(host, url.port or _default_port(url.scheme)):
            if not is_public_address(address):
                raise UnsafeURLError(
                    f"{url.host} resolves to {address}, a non-public address; "
                    "allow private addresses for this site to fetch it"
                )

    async def _addresses(self, host: str, port: int) -> tuple[IPAddress, ...]:
        literal = _literal_address(host)
        if literal is not None:
            return (literal,)
        key = (host.lower(), port)
        cached = self._cache.get(key)
        now = self._clock()
        if cached is not None and cached[0] > now:
            return cached[1]
        answers = await self._resolver(host, port)
        # A scope (`fe80::1%eth0`) is not part of the address.
        resolved = tuple(ipaddress.ip_address(answer.split("%", 1)[0]) for answer in answers)
        if not resolved:
            raise ConnectionFailedError(f"cannot resolve {host}: no addresses")
        if len(self._cache) >= _RESOLVE_CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = (now + self._cache_ttl, resolved)
        return resolved


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80
