"""What goes into the raw archive: the exchange types and their WARC records as gzip members.

Records are built with warcio; each one is compressed as its own gzip member so that a
(file, offset, length) reference can be read back without the rest of the file.
"""

from __future__ import annotations

import http
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from io import BytesIO
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from storage.warc_settings import WARC_VERSION

# Pairs keep repeated headers (Set-Cookie) and the server's spelling; bytes are decoded latin-1.
Headers = Mapping[str, str] | Iterable[tuple[str, str]] | Iterable[tuple[bytes, bytes]]

PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# Headers that no longer describe the stored body keep their value under this prefix.
ORIGINAL_PREFIX = "X-Archive-Orig-"


class HttpRequest(NamedTuple):
    method: str
    url: str
    headers: Headers
    body: bytes = b""


class HttpResponse(NamedTuple):
    """A response as the fetcher got it.

    `decoded` says the body already had its Content-Encoding undone (what httpx's `.content`
    gives); the archive then stores it without that header so replay tools do not decode twice.
    """

    status: int
    reason: str
    headers: Headers
    body: bytes
    decoded: bool = True


class WarcRef(NamedTuple):
    """Where one response or revisit record lives: what a fetch row keeps."""

    filename: str
    offset: int
    length: int
    payload_digest: str | None
    record_id: str


class RefersTo(NamedTuple):
    """The original capture a revisit points at."""

    uri: str
    date: str
    record_id: str


class Member(NamedTuple):
    """One record compressed as a gzip member, ready to append to a file."""

    data: bytes
    record_id: str
    payload_digest: str | None


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of a body, to compare a new fetch with the archived one."""
    digester = Digester("sha1")
    digester.update(body)
    return str(digester)


def _text(value: str | bytes) -> str:
    # HTTP header bytes are ISO-8859-1 by definition; httpx's `headers.raw` gives bytes.
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def header_pairs(headers: Headers) -> list[tuple[str, str]]:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return [(_text(name), _text(value)) for name, value in pairs]


def warc_date(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"fetch time needs a timezone: {moment.isoformat()}")
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(utc, use_micros=True))


def archived_response_headers(
    headers: Headers, body_length: int | None, decoded: bool
) -> list[tuple[str, str]]:
    """Make the headers describe the stored body: de-chunked, maybe decoded, its real length.

    A body_length of None (a 304 carries no body) leaves Content-Length as the server sent it.
    """
    stale = {"transfer-encoding"} | ({"content-encoding"} if decoded else set())
    if body_length is not None:
        stale.add("content-length")
    kept: list[tuple[str, str]] = []
    for name, value in header_pairs(headers):
        lowered = name.lower()
        if lowered == "content-length" and value == str(body_length):
            continue
        kept.append((ORIGINAL_PREFIX + name, value) if lowered in stale else (name, value))
    if body_length is not None:
        kept.append(("Content-Length", str(body_length)))
    return kept


def status_line(status: int, reason: str) -> str:
    if not reason:
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    return f"{status} {reason}".rstrip()


def _response_http_headers(response: HttpResponse, body_length: int | None) -> Any:
    headers = archived_response_headers(response.headers, body_length, response.decoded)
    return StatusAndHeaders(
        status_line(response.status, response.reason), headers, protocol="HTTP/1.1"
    )


def _request_http_headers(request: HttpRequest) -> Any:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = header_pairs(request.headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(
        f"{request.method.upper()} {target} HTTP/1.1", headers, is_http_request=True
    )


def _writer(out: BytesIO) -> Any:
    return WARCWriter(out, gzip=True, warc_version=WARC_VERSION)


def _compress(record: Any) -> Member:
    out = BytesIO()
    _writer(out).write_record(record)
    headers = record.rec_headers
    return Member(
        out.getvalue(),
        headers.get_header("WARC-Record-ID"),
        headers.get_header("WARC-Payload-Digest"),
    )


def _warc_headers(record_type: str, uri: str, date: str, ip: str | None = None) -> dict[str, str]:
    """The common WARC headers, in the order readers expect to see them."""
    headers = {
        "WARC-Type": record_type,
        "WARC-Record-ID": StatusAndHeadersParser.make_warc_id(),
        "WARC-Date": date,
        "WARC-Target-URI": uri,
    }
    if ip:
        headers["WARC-IP-Address"] = ip
    return headers


def request_member(request: HttpRequest, date: str, concurrent_to: str) -> Member:
    builder = _writer(BytesIO())
    warc_headers = _warc_headers("request", request.url, date)
    warc_headers["WARC-Concurrent-To"] = concurrent_to
    record = builder.create_warc_record(
        request.url,
        "request",
        payload=BytesIO(request.body),
        length=len(request.body),
        http_headers=_request_http_headers(request),
        warc_headers_dict=warc_headers,
    )
    return _compress(record)


def response_member(response: HttpResponse, url: str, date: str, ip: str | None) -> Member:
    builder = _writer(BytesIO())
    record = builder.create_warc_record(
        url,
        "response",
        payload=BytesIO(response.body),
        length=len(response.body),
        http_headers=_response_http_headers(response, len(response.body)),
        warc_headers_dict=_warc_headers("response", url, date, ip),
    )
    return _compress(record)


def revisit_member(
    response: HttpResponse,
    url: str,
    date: str,
    ip: str | None,
    *,
    profile: str,
    refers_to: RefersTo | None,
    digest: str | None,
) -> Member:
    """A revisit record: the response's status and headers, no body, pointing at the original."""
    builder = _writer(BytesIO())
    warc_headers = _warc_headers("revisit", url, date, ip)
    warc_headers["WARC-Profile"] = profile
    if refers_to is not None:
        warc_headers["WARC-Refers-To"] = refers_to.record_id
        warc_headers["WARC-Refers-To-Target-URI"] = refers_to.uri
        warc_headers["WARC-Refers-To-Date"] = refers_to.date
    if digest is not None:
        warc_headers["WARC-Payload-Digest"] = digest
    body_length = len(response.body) if profile == PROFILE_IDENTICAL else None
    record = builder.create_warc_record(
        url,
        "revisit",
        http_headers=_response_http_headers(response, body_length),
        warc_headers_dict=warc_headers,
    )
    return _compress(record)


def warcinfo_member(filename: str, software: str) -> Member:
    info = {
        "software": software,
        "format": f"WARC File Format {WARC_VERSION}",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
        f"warc-format/warc-{WARC_VERSION}/",
    }
    builder = _writer(BytesIO())
    return _compress(builder.create_warcinfo_record(filename, info))
