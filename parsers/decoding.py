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
# The encodings a web page may declare (the WHATWG Encoding Standard's list, by Python's
# codec names). Anything else a page names (base64, rot13, punycode, utf-7...) is ignored.
WEB_ENCODINGS = frozenset(
    {
        "utf-8", "ibm866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6",
        "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15",
        "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250",
        "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gbk",
        "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
    }
)  # fmt: skip
# A page that declares a UTF-16 or latin-1 family name in its own markup is read as the
# standard says: ASCII-compatible bytes cannot be UTF-16, and latin-1 means windows-1252.
DECLARED_ALIASES = {
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
}
_SNIFF_BYTES = 4096
_DETECT_BYTES = 200_000
# How much mess (charset_normalizer's 0..1 "chaos") a windows-1252 reading may show and
# still be preferred: its typographic punctuation costs it about 0.01 on English prose.
_CLEAN_CHAOS = 0.1


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
    return data.decode(_detected_encoding(data[:_DETECT_BYTES]), errors="replace")


def _detected_encoding(sample: bytes) -> str:
    """The web encoding the bytes read best in, leaning to windows-1252 as browsers do.

    Left free, the detector reads a few curly quotes in English as DOS code page 852
    letters: a page can't be in a code page no browser supports, and where windows-1252
    reads as cleanly as the winner it is the likelier encoding of an undeclared page.
    """
    matches = from_bytes(sample, cp_isolation=sorted(WEB_ENCODINGS))
    best = matches.best()
    if best is None:
        return "cp1252"
    for match in matches:
        clean = match.chaos <= _CLEAN_CHAOS and match.coherence >= best.coherence
        if clean and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return best.encoding


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _known_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        encoding = codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):  # unknown name, or one with a NUL in it
        return None
    encoding = DECLARED_ALIASES.get(encoding, encoding)
    return encoding if encoding in WEB_ENCODINGS else None
