"""Bytes to text without HTTP headers: BOM, then the page's own meta charset, then detection.

The fetcher passes the header charset when it has one; saved pages have only these rules.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_SNIFF_BYTES = 4096
_DETECT_BYTES = 200_000


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode a page; never raises (undecodable bytes become U+FFFD)."""
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_encoding, errors="replace")
    for candidate in (declared, _meta_charset(data[:_SNIFF_BYTES])):
        encoding = _known_encoding(candidate)
        if encoding:
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:_DETECT_BYTES]).best()
    encoding = best.encoding if best is not None else "windows-1252"
    return data.decode(encoding, errors="replace")


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _known_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        encoding = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    # Pages declaring latin-1 are nearly always windows-1252 in practice (WHATWG rule).
    return "cp1252" if encoding in ("latin-1", "iso8859-1", "ascii") else encoding
