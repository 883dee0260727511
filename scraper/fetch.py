"""The fetcher: one GET as a well-behaved crawler does it. Each hop is checked (scheme, address,
robots.txt), paced per host, retried with back-off on timeouts, resets and 5xx, sent with the
caller's validators (so an unchanged page is a 304), read within size caps and refused when
its content type is not wanted. Redirects are followed here, hop by hop.

Page and network problems come back in `FetchResult.error_kind`; only a misuse (a URL that is
not absolute http(s)) raises.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType

import httpx

from scraper.exceptions import (
    ConnectionFailedError,
    ContentTypeRefusedError,
    FetchError,
    FetchTimeoutError,
    HostDeferredError,
    InvalidURLError,
    ProtocolViolationError,
    RedirectError,
    RedirectLoopError,
    RobotsDisallowedError,
    RobotsUnreachableError,
    TooManyRedirectsError,
    UnsafeURLError,
)
from scraper.fetch_result import Exchange, FetchResult, SentRequest, Validators, media_type
from scraper.http_client import RequestSender, build_sender
from scraper.politeness import HostPacer, HostPolicy, host_key, parse_retry_after
from scraper.response_body import Body, read_body
from scraper.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsStatus
from scraper.safety import ALLOWED_SCHEMES, AddressGuard
from scraper.settings import Settings

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES = frozenset(
    {"application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
     "application/rdf+xml"}
)  # fmt: skip
# Gzipped sitemaps arrive under any of these.
GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip", "application/octet-stream"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_NO_BODY_STATUSES = frozenset({204, 304})
# 501 and 505 say the server will never do it: not worth a retry.
_FINAL_SERVER_ERRORS = frozenset({501, 505})

__all__ = ["GZIP_TYPES", "HTML_TYPES", "XML_TYPES", "FetchResult", "Fetcher", "Validators"]


def _start_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
        host = parsed.host  # decoded here: a bad IDNA label ("xn--a") is a ValueError
    except (httpx.InvalidURL, ValueError) as exc:
        raise InvalidURLError(f"not a usable URL: {url!r} ({exc})") from exc
    if parsed.scheme not in ALLOWED_SCHEMES or not host:
        raise InvalidURLError(f"not an absolute http(s) URL: {url!r}")
    return parsed


def _retryable(status: int) -> bool:
    return status == 429 or (500 <= status < 600 and status not in _FINAL_SERVER_ERRORS)


def _network_error(exc: httpx.TransportError, url: httpx.URL) -> FetchError:
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    message = f"{reason} ({url})"
    if isinstance(exc, httpx.TimeoutException):
        return FetchTimeoutError(message)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return UnsafeURLError(message)
    if isinstance(exc, httpx.LocalProtocolError):
        return ProtocolViolationError(message)
    # Resets, refusals, proxies failing, a server closing without answering: worth a retry.
    return ConnectionFailedError(message)


def _peer_ip(response: httpx.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    address = stream.get_extra_info("server_addr") if stream is not None else None
    return str(address[0]) if isinstance(address, tuple) and address else None


def _headers(headers: httpx.Headers) -> tuple[tuple[str, str], ...]:
    """As sent on the wire (original case, repeats kept): the WARC records replay them."""
    return tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in headers.raw)


def _redirect_target(exchange: Exchange, base: httpx.URL) -> httpx.URL | None:
    location = exchange.header("location")
    if exchange.status not in REDIRECT_STATUSES or not location:
        return None
    try:
        return base.join(location.strip()).copy_with(fragment=None)
    except httpx.InvalidURL as exc:
        raise RedirectError(f"unusable Location {location!r}: {exc}") from exc


@dataclass(slots=True)
class _Run:
    """One call of `fetch`: what was asked and what has happened so far."""

    url: httpx.URL
    validators: Validators | None
    allow_private: bool
    accept_types: frozenset[str] | None
    check_robots: bool
    max_bytes: int
    truncate: bool = False
    current: httpx.URL = field(init=False)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    started: float = field(default_factory=time.monotonic)
    redirects: list[Exchange] = field(default_factory=list)
    attempts: int = 0
    response: Exchange | None = None  # the latest response of the current hop, even refused

    def __post_init__(self) -> None:
        self.current = self.url


class Fetcher:
    """Fetches pages politely. Share one per process: it holds the connection pool, the per-host
    pacing and the robots.txt cache. Use `async with Fetcher(...) as fetcher:`."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        pacer: HostPacer | None = None,
        guard: AddressGuard | None = None,
        obey_robots: bool = True,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._owns_client = client is None
        if client is None:
            self.sender = build_sender(self.settings, transport)
        else:
            self.sender = RequestSender(client, None)
        self.client = self.sender.client
        policy = HostPolicy(self.settings.connections_per_host, self.settings.min_delay)
        self.pacer = pacer or HostPacer(policy, backoff_cap=self.settings.retries.backoff_cap)
        self.guard = guard or AddressGuard()
        self.obey_robots = obey_robots
        self.robots = RobotsCache(
            self._fetch_robots_txt,
            user_agent=self.settings.user_agent,
            ttl=self.settings.robots_cache_ttl,
        )
        self._rng = rng or random.Random()

    async def fetch(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        allow_private: bool = False,
        accept_types: Collection[str] | None = HTML_TYPES,
    ) -> FetchResult:
        """GET `url`. `allow_private` lets this URL's host (the site's own) be on a private
        address; `accept_types` are the media types taken from a 2xx (None takes any)."""
        run = _Run(
            url=_start_url(url),
            validators=validators,
            allow_private=allow_private,
            accept_types=None if accept_types is None else frozenset(map(str.lower, accept_types)),
            check_robots=self.obey_robots,
            max_bytes=self.settings.max_response_bytes,
        )
        return await self._execute(run)

    async def aclose(self) -> None:
        if self._owns_client:
            await self.client.aclose()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _fetch_robots_txt(self, url: str, allow_private: bool) -> FetchResult:
        run = _Run(
            url=_start_url(url),
            validators=None,
            allow_private=allow_private,
            accept_types=None,
            check_robots=False,
            max_bytes=ROBOTS_MAX_BYTES,
            truncate=True,
        )
        return await self._execute(run)

    async def _execute(self, run: _Run) -> FetchResult:
        try:
            final = await self._follow_redirects(run)
        except FetchError as error:
            return _result(run, run.response, error)
        return _result(run, final, None)

    async def _follow_redirects(self, run: _Run) -> Exchange:
        seen = {str(run.url)}
        for _ in range(self.settings.max_redirects + 1):
            await self._check_hop(run)
            exchange = await self._exchange_with_retries(run)
            target = _redirect_target(exchange, run.current)
            if target is None:
                return exchange
            run.redirects.append(exchange)
            run.response = None
            if str(target) in seen:
                raise RedirectLoopError(f"redirect loop: {run.current} leads back to {target}")
            seen.add(str(target))
            run.current = target
        raise TooManyRedirectsError(f"more than {self.settings.max_redirects} redirects")

    async def _check_hop(self, run: _Run) -> None:
        url = run.current
        try:
            url.host  # noqa: B018 (decoded on access: a redirect may name a bad IDNA host)
        except ValueError as exc:
            raise UnsafeURLError(f"unusable host in {url.raw_host!r}: {exc}") from exc
        allow = self.settings.allow_private_addresses or (
            run.allow_private and url.host == run.url.host
        )
        await self.guard.check(url, allow_private=allow)
        if not run.check_robots:
            return
        rules = await self.robots.rules_for(str(url), allow_private=allow)
        self.pacer.set_crawl_delay(host_key(url), rules.crawl_delay)
        if rules.status is RobotsStatus.UNREACHABLE:
            raise RobotsUnreachableError(f"robots.txt of {url.host} unreadable: {rules.reason}")
        if not rules.allows(str(url)):
            raise RobotsDisallowedError(f"robots.txt disallows {url}")

    async def _exchange_with_retries(self, run: _Run) -> Exchange:
        retries = self.settings.retries.attempts
        retry = 0
        while True:
            run.attempts += 1
            try:
                exchange = await self._exchange(run)
            except (FetchTimeoutError, ConnectionFailedError):
                if retry >= retries:
                    raise
                delay = self._backoff(retry)
            else:
                wait = None if retry >= retries else self._retry_delay(exchange, retry)
                if wait is None:
                    return exchange
                delay = wait
            await asyncio.sleep(delay)
            retry += 1

    def _retry_delay(self, exchange: Exchange, retry: int) -> float | None:
        """None when the answer is final, or when its Retry-After is longer than we wait."""
        if not _retryable(exchange.status):
            return None
        retry_after = parse_retry_after(exchange.header("retry-after"))
        if retry_after is None:
            return self._backoff(retry)
        if retry_after > self.settings.max_retry_after:
            return None
        return max(retry_after, self._backoff(retry))

    def _backoff(self, retry: int) -> float:
        """Exponential, capped, with jitter so many clients do not come back in step."""
        policy = self.settings.retries
        step = min(policy.backoff_cap, policy.backoff_base * 2.0**retry)
        return step / 2 + self._rng.uniform(0, step / 2)

    async def _exchange(self, run: _Run) -> Exchange:
        key = host_key(run.current)
        wait = self.pacer.ready_in(key)
        if wait > self.settings.max_retry_after:
            raise HostDeferredError(f"{key} asked to wait {wait:.0f} s more (Retry-After)")
        run.response = None
        total = self.settings.timeouts.total
        async with self.pacer.slot(key):
            try:
                async with asyncio.timeout(total):
                    return await self._send(run, key)
            except TimeoutError as exc:
                message = f"no complete response in {total} s ({run.current})"
                raise FetchTimeoutError(message) from exc
            except httpx.TransportError as exc:
                raise _network_error(exc, run.current) from exc

    async def _send(self, run: _Run, key: str) -> Exchange:
        headers = run.validators.request_headers() if run.validators else {}
        request = self.sender.build(run.current, headers)
        fetched_at = datetime.now(UTC)
        started = time.perf_counter()
        self.pacer.started(key)
        response = await self.sender.send(request)
        try:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            self.pacer.record_response(key, response.status_code, retry_after)
            partial = run.response = _exchange_of(request, response, fetched_at)
            _check_type(response, run.accept_types)
            body = await self._read(response, run)
        finally:
            await response.aclose()
        elapsed = time.perf_counter() - started
        run.response = replace(partial, raw_body=body.raw, body=body.decoded, elapsed=elapsed)
        return run.response

    async def _read(self, response: httpx.Response, run: _Run) -> Body:
        if response.status_code in _NO_BODY_STATUSES:
            # HTTP gives these no body; reading to its end hands the connection back to the
            # pool (closing a response before its end closes the connection).
            async for _ in response.aiter_raw():
                break
            return Body(b"", b"")
        return await read_body(
            response,
            max_bytes=run.max_bytes,
            max_decoded_bytes=self.settings.max_decompressed_bytes,
            truncate=run.truncate,
        )


def _check_type(response: httpx.Response, accepted: frozenset[str] | None) -> None:
    """Only a 2xx body is judged by type; a missing Content-Type is given the benefit."""
    if accepted is None or not 200 <= response.status_code < 300:
        return
    kind = media_type(response.headers.get("content-type"))
    if kind is not None and kind not in accepted:
        raise ContentTypeRefusedError(f"content type {kind} refused (wanted {sorted(accepted)})")


def _exchange_of(request: httpx.Request, response: httpx.Response, at: datetime) -> Exchange:
    sent = SentRequest(request.method, str(request.url), _headers(request.headers))
    return Exchange(
        request=sent,
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        headers=_headers(response.headers),
        raw_body=b"",
        body=b"",
        fetched_at=at,
        elapsed=0.0,
        ip=_peer_ip(response),
    )


def _result(run: _Run, final: Exchange | None, error: FetchError | None) -> FetchResult:
    not_modified = error is None and final is not None and final.status == 304
    sent = run.validators or Validators()
    etag = final.header("etag") if final else None
    last_modified = final.header("last-modified") if final else None
    return FetchResult(
        url=str(run.url),
        final_url=final.request.url if final else str(run.current),
        status=final.status if final else None,
        reason=final.reason if final else "",
        headers=final.headers if final else (),
        request=final.request if final else None,
        body=final.body if final else b"",
        raw_body=final.raw_body if final else b"",
        http_version=final.http_version if final else None,
        fetched_at=final.fetched_at if final else run.started_at,
        elapsed=time.monotonic() - run.started,
        redirects=tuple(run.redirects),
        attempts=run.attempts,
        not_modified=not_modified,
        etag=etag or (sent.etag if not_modified else None),
        last_modified=last_modified or (sent.last_modified if not_modified else None),
        ip=final.ip if final else None,
        error_kind=error.kind if error else None,
        error_message=str(error) if error else None,
    )
