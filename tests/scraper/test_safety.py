"""Only http(s) to public addresses, unless the site allows private ones; redirects re-checked."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import httpx
import pytest

from scraper.exceptions import ConnectionFailedError, UnsafeURLError
from scraper.fetch import Fetcher
from scraper.safety import AddressGuard, is_public_address
from tests.scraper.http_servers import LocalServer, page, quick_settings, redirect

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakeDNS:
    """Answers from a table and counts the lookups."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        if host not in self.table:
            raise ConnectionFailedError(f"cannot resolve {host}")
        return self.table[host]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
        "ff02::1",
    ],
)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_global_unicast_addresses_are_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


async def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    dns = FakeDNS({"intranet.example": ["10.0.0.5"], "mixed.example": ["8.8.8.8", "10.0.0.5"]})
    guard = AddressGuard(resolver=dns)
    with pytest.raises(UnsafeURLError, match=r"10\.0\.0\.5"):
        await guard.check(httpx.URL("https://intranet.example/"), allow_private=False)
    with pytest.raises(UnsafeURLError):  # every address counts, not just the first
        await guard.check(httpx.URL("https://mixed.example/"), allow_private=False)


async def test_public_names_pass_and_lookups_are_cached() -> None:
    dns = FakeDNS({"news.example": ["93.184.216.34"]})
    guard = AddressGuard(resolver=dns)
    for path in ("/a", "/b"):
        await guard.check(httpx.URL(f"https://news.example{path}"), allow_private=False)
    assert dns.lookups == ["news.example"]


async def test_allowing_private_addresses_skips_the_address_check() -> None:
    dns = FakeDNS({"intranet.example": ["10.0.0.5"]})
    await AddressGuard(resolver=dns).check(
        httpx.URL("http://intranet.example/"), allow_private=True
    )
    assert dns.lookups == []


@pytest.mark.parametrize(
    "url", ["ftp://example.com/file", "file:///etc/passwd", "gopher://example.com/"]
)
async def test_other_schemes_are_refused_even_when_private_is_allowed(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="only http and https"):
        await AddressGuard().check(httpx.URL(url), allow_private=True)


async def test_an_unresolvable_name_is_a_connection_failure() -> None:
    with pytest.raises(ConnectionFailedError):
        await AddressGuard(resolver=FakeDNS({})).check(
            httpx.URL("http://nowhere.example/"), allow_private=False
        )


async def test_the_system_resolver_is_used_by_default() -> None:
    with pytest.raises(UnsafeURLError, match="non-public"):
        await AddressGuard().check(httpx.URL("http://localhost:8080/"), allow_private=False)


async def test_a_local_server_is_only_fetched_when_allowed() -> None:
    with LocalServer({"/": page()}) as server:
        settings = quick_settings(allow_private_addresses=False)
        async with Fetcher(settings) as fetcher:
            refused = await fetcher.fetch(server.url("/"))
            allowed = await fetcher.fetch(server.url("/"), allow_private=True)
        paths = server.paths()
    assert refused.error_kind == "unsafe_url" and refused.attempts == 0
    assert allowed.ok
    assert paths == ["/robots.txt", "/"]  # nothing reached the server for the refused fetch


async def test_a_redirect_to_another_private_host_is_refused() -> None:
    # The allowance is for the site's own host; localhost is another name for another host.
    with LocalServer({"/page": page()}) as target:
        hop = f"http://localhost:{target.port}/page"
        with LocalServer({"/go": redirect(hop)}) as server:
            settings = quick_settings(allow_private_addresses=False)
            async with Fetcher(settings, obey_robots=False) as fetcher:
                result = await fetcher.fetch(server.url("/go"), allow_private=True)
            assert server.paths() == ["/go"]
        assert target.paths() == []
    assert result.error_kind == "unsafe_url" and result.final_url == hop
    assert [hop.status for hop in result.redirects] == [302]


async def test_a_redirect_to_another_scheme_is_refused() -> None:
    with LocalServer({"/go": redirect("file:///etc/passwd")}) as server:
        async with Fetcher(quick_settings(), obey_robots=False) as fetcher:
            result = await fetcher.fetch(server.url("/go"))
    assert result.error_kind == "unsafe_url" and result.final_url.startswith("file:")
    assert result.error_message is not None and "file" in result.error_message
