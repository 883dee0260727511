"""Bodies read within caps whatever the chunking, and decompression bounded step by step."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest

from scraper.exceptions import ContentDecodingError, ResponseTooLargeError
from scraper.response_body import read_body
from tests.scraper.http_servers import gzip_zeros

pytestmark = pytest.mark.anyio

TEXT = b"<p>Navy buys six frigates.</p>" * 400


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def response(data: bytes, *, chunk: int, headers: dict[str, str] | None = None) -> httpx.Response:
    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(data), chunk):
            yield data[start : start + chunk]

    return httpx.Response(200, headers=headers or {}, content=pieces())


@pytest.mark.parametrize("chunk", [1, 7, 4096, 10**6])
async def test_gzip_is_undone_whatever_the_chunking(chunk: int) -> None:
    sent = gzip.compress(TEXT)
    body = await read_body(
        response(sent, chunk=chunk, headers={"Content-Encoding": "gzip"}),
        max_bytes=10**6,
        max_decoded_bytes=10**6,
    )
    assert body.decoded == TEXT and body.raw == sent and not body.truncated


async def test_layered_encodings_are_undone_last_first() -> None:
    sent = gzip.compress(zlib.compress(TEXT))
    body = await read_body(
        response(sent, chunk=100, headers={"Content-Encoding": "deflate, gzip"}),
        max_bytes=10**6,
        max_decoded_bytes=10**6,
    )
    assert body.decoded == TEXT


async def test_an_unencoded_body_is_kept_once() -> None:
    body = await read_body(response(TEXT, chunk=500), max_bytes=10**6, max_decoded_bytes=10**6)
    assert body.decoded == TEXT and body.decoded is body.raw


async def test_the_decompressed_cap_holds_inside_a_single_chunk() -> None:
    bomb = gzip_zeros(32 * 2**20)
    with pytest.raises(ResponseTooLargeError, match="decompressed"):
        await read_body(
            response(bomb, chunk=len(bomb), headers={"Content-Encoding": "gzip"}),
            max_bytes=10**7,
            max_decoded_bytes=2**20,
        )


async def test_a_body_exactly_at_the_caps_is_accepted() -> None:
    sent = gzip.compress(TEXT)
    body = await read_body(
        response(sent, chunk=3, headers={"Content-Encoding": "gzip"}),
        max_bytes=len(sent),
        max_decoded_bytes=len(TEXT),
    )
    assert body.decoded == TEXT
    with pytest.raises(ResponseTooLargeError):
        await read_body(
            response(sent, chunk=3, headers={"Content-Encoding": "gzip"}),
            max_bytes=len(sent),
            max_decoded_bytes=len(TEXT) - 1,
        )


async def test_truncation_keeps_what_fits() -> None:
    body = await read_body(
        response(TEXT, chunk=1000), max_bytes=2500, max_decoded_bytes=10**6, truncate=True
    )
    assert body.truncated and body.decoded == TEXT[:2500]


async def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    refused = httpx.Response(200, headers={"Content-Length": "999999"}, content=b"x")
    with pytest.raises(ResponseTooLargeError, match="Content-Length"):
        await read_body(refused, max_bytes=1000, max_decoded_bytes=1000)


async def test_corrupt_data_is_a_decoding_error() -> None:
    with pytest.raises(ContentDecodingError):
        await read_body(
            response(b"\x1f\x8b\x08garbage", chunk=4, headers={"Content-Encoding": "gzip"}),
            max_bytes=1000,
            max_decoded_bytes=1000,
        )
