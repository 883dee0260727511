"""Reads a response body within byte caps and undoes its Content-Encoding here, with every
decompression step bounded: a decoder that inflates a whole chunk at once (as httpx's does)
lets a few kilobytes of gzip bomb take gigabytes of memory before any cap can look."""

from __future__ import annotations

import importlib
import zlib
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol

import httpx

from scraper.exceptions import ContentDecodingError, ResponseTooLargeError


def _load_brotli() -> ModuleType | None:
    """Brotli only with a decoder that can bound its output (brotli >= 1.2)."""
    try:
        brotli = importlib.import_module("brotli")
    except ImportError:
        return None
    return brotli if hasattr(brotli.Decompressor(), "can_accept_more_data") else None


_brotli = _load_brotli()
_DECODING_ERRORS: tuple[type[Exception], ...] = (zlib.error,) + (
    (_brotli.error,) if _brotli else ()
)

# What the client advertises in Accept-Encoding: exactly what `read_body` can undo.
SUPPORTED_ENCODINGS: tuple[str, ...] = ("gzip", "deflate", "br") if _brotli else ("gzip", "deflate")


class _Decoder(Protocol):
    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded output of `data`, at most `room + 1` bytes (more than `room` means too big)."""

    def flush(self, room: int) -> bytes: ...


class _Identity:
    def feed(self, data: bytes, room: int) -> bytes:
        return data

    def flush(self, room: int) -> bytes:
        return b""


class _Zlib:
    """gzip (`wbits=31`) or zlib-wrapped deflate; raw deflate when the wrapper is missing."""

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._inflate = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            out = self._inflate.decompress(data, room + 1)
        except zlib.error:
            if self._started or self._wbits != zlib.MAX_WBITS:
                raise
            # Servers send raw deflate under "deflate" about as often as the zlib format.
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inflate.decompress(data, room + 1)
        self._started = True
        return out

    def flush(self, room: int) -> bytes:
        return self._inflate.flush(room + 1)


class _Brotli:
    def __init__(self) -> None:
        assert _brotli is not None
        self._decompressor = _brotli.Decompressor()

    def feed(self, data: bytes, room: int) -> bytes:
        out: bytes = self._decompressor.process(data, output_buffer_limit=room + 1)
        return out

    def flush(self, room: int) -> bytes:
        return b""


def _decoder_for(encoding: str) -> _Decoder:
    if encoding in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if encoding == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if encoding == "br" and _brotli is not None:
        return _Brotli()
    if encoding in ("identity", ""):
        return _Identity()
    raise ContentDecodingError(f"unsupported Content-Encoding {encoding!r}")


def _decoders(content_encoding: str | None) -> list[_Decoder]:
    """Encodings are listed in the order applied, so they are undone last first."""
    names = [part.strip().lower() for part in (content_encoding or "").split(",")]
    return [_decoder_for(name) for name in reversed(names) if name not in ("identity", "")]


@dataclass(frozen=True, slots=True)
class Body:
    raw: bytes
    decoded: bytes
    truncated: bool = False


class _Inflater:
    """Runs the decoder chain with a shared output budget."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        self._chain = _decoders(content_encoding)
        self._limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    @property
    def identity(self) -> bool:
        return not self._chain

    def feed(self, data: bytes) -> bool:
        """False once the decoded size passes the limit."""
        return self._push(data, final=False)

    def finish(self) -> bool:
        return self._push(b"", final=True)

    def _push(self, data: bytes, *, final: bool) -> bool:
        room = self._limit - self.size
        try:
            for decoder in self._chain:
                data = decoder.feed(data, room)
                if final:
                    data += decoder.flush(room)
                if len(data) > room:
                    return self._keep(data[: room + 1])
        except _DECODING_ERRORS as exc:
            raise ContentDecodingError(f"corrupt compressed body: {exc}") from exc
        return self._keep(data)

    def _keep(self, data: bytes) -> bool:
        if self._chain:  # undecoded bodies are kept once, as the raw bytes
            self.parts.append(data)
        self.size += len(data)
        return self.size <= self._limit

    def decoded(self) -> bytes:
        return b"".join(self.parts)[: self._limit]


def _declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


async def read_body(
    response: httpx.Response, *, max_bytes: int, max_decoded_bytes: int, truncate: bool = False
) -> Body:
    """The body as sent and decoded. Over a cap it raises `ResponseTooLargeError`, or with
    `truncate` keeps what fits (robots.txt: only the first part has to be read)."""
    declared = _declared_length(response)
    if declared is not None and declared > max_bytes and not truncate:
        raise ResponseTooLargeError(f"Content-Length {declared} is over the cap of {max_bytes}")
    inflater = _Inflater(response.headers.get("content-encoding"), max_decoded_bytes)
    raw: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        chunk = chunk[: max_bytes - size + 1]
        size += len(chunk)
        raw.append(chunk)
        if size > max_bytes or not inflater.feed(chunk):
            if not truncate:
                kind = "sent" if size > max_bytes else "decompressed"
                raise ResponseTooLargeError(f"body {kind} is over the cap")
            return _truncated(raw, max_bytes, inflater)
    if not inflater.finish() and not truncate:
        raise ResponseTooLargeError("body decompressed is over the cap")
    sent = b"".join(raw)
    return Body(raw=sent, decoded=sent if inflater.identity else inflater.decoded())


def _truncated(raw: list[bytes], max_bytes: int, inflater: _Inflater) -> Body:
    sent = b"".join(raw)[:max_bytes]
    decoded = sent if inflater.identity else inflater.decoded()
    return Body(raw=sent, decoded=decoded, truncated=True)
