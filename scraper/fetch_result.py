"""What a fetch hands on: the exchanges as sent and received, for the parser, the frontier and
the WARC writer alike, so nobody has to go back to the network to learn what happened."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

Headers = tuple[tuple[str, str], ...]

_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def header_value(headers: Headers, name: str) -> str | None:
    """The first value of a header, by case-insensitive name."""
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


def media_type(content_type: str | None) -> str | None:
    """`text/html; charset=utf-8` -> `text/html`; None when the header is absent or empty."""
    if not content_type:
        return None
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind or None


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type, lower-cased; parsers decode with it."""
    match = _CHARSET.search(content_type or "")
    return match.group(1).lower() if match else None


@dataclass(frozen=True, slots=True)
class Validators:
    """What the last response said about its version; sent back so an unchanged page is a 304."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class SentRequest:
    """The request line and headers as they went out (the WARC request record)."""

    method: str
    url: str
    headers: Headers


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its response. `raw_body` is as transferred (still content-encoded),
    `body` has the Content-Encoding undone; they are the same object when nothing was encoded."""

    request: SentRequest
    status: int
    reason: str
    http_version: str
    headers: Headers
    raw_body: bytes
    body: bytes
    fetched_at: datetime
    elapsed: float
    ip: str | None = None

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of `Fetcher.fetch`. A page or network problem is `error_kind` (the `kind` of
    a `scraper.exceptions.FetchError` class) with `error_message`; HTTP statuses are `status`.

    `status`, `headers`, `body` and `request` describe the response the fetch ended on, also when
    it was refused (type, size); they are None/empty when it ended without one (a network error,
    robots.txt, an unsafe or looping redirect). `redirects` are the exchanges before it, in
    order. `fetched_at` is when that last request was sent; `elapsed` is the whole fetch in
    seconds, pacing waits, retries and redirects included.
    """

    url: str
    final_url: str
    status: int | None
    reason: str
    headers: Headers
    request: SentRequest | None
    body: bytes
    raw_body: bytes
    http_version: str | None
    fetched_at: datetime
    elapsed: float
    redirects: tuple[Exchange, ...]
    attempts: int
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    ip: str | None = None
    error_kind: str | None = None
    error_message: str | None = None

    @property
    def ok(self) -> bool:
        """A complete 2xx response that the caller accepted; a 304 is `not_modified` instead."""
        return self.error_kind is None and self.status is not None and 200 <= self.status < 300

    @property
    def validators(self) -> Validators:
        return Validators(etag=self.etag, last_modified=self.last_modified)

    @property
    def content_type(self) -> str | None:
        return media_type(self.header("content-type"))

    @property
    def charset(self) -> str | None:
        return charset_of(self.header("content-type"))

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)
