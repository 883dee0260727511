"""XML sitemaps, sitemap indexes, gzipped and Google News sitemaps, read safely and leniently.

Sitemaps come from strangers: defusedxml refuses entity declarations and external
references, gzip is inflated under a cap, and the real-world faults that are not attacks
(namespace variants, white space in <loc>, a bare '&', a truncated file) still yield links.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import replace
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_etree
from defusedxml import DefusedXmlException

from scraper.discovery_links import (
    ChildSitemap,
    DiscoveredLink,
    SitemapKind,
    SitemapPage,
    absolute_http_url,
    parse_w3c_datetime,
)
from scraper.exceptions import DocumentTooLargeError, MalformedXmlError, UnsafeXmlError
from scraper.feeds import links_from_feed

# The protocol's own limit on an uncompressed sitemap (50 MiB); also the cap on inflation.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ROOT_KINDS: dict[str, SitemapKind] = {"urlset": "urlset", "sitemapindex": "sitemapindex"}
_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
_BARE_AMPERSAND = re.compile(rb"&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][\w.-]*;)")
_LOC_BREAKS = re.compile(r"\s*[\r\n]\s*|\t")
_SPACE = re.compile(r"\s+")
_ABSOLUTE = re.compile(r"https?://", re.IGNORECASE)
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_sitemap(body: bytes, url: str, *, max_bytes: int = MAX_SITEMAP_BYTES) -> SitemapPage:
    """Read one sitemap document: a urlset's links or a sitemap index's children.

    Also takes the protocol's other forms: a gzipped file (by its magic bytes), a plain-text
    list of URLs, and an RSS/Atom feed. Raises UnsafeXmlError, DocumentTooLargeError, or
    MalformedXmlError when nothing could be read.
    """
    data = inflate(body, url, max_bytes) if body.startswith(GZIP_MAGIC) else body
    if len(data) > max_bytes:
        raise DocumentTooLargeError(f"sitemap {url}: {len(data)} bytes, over {max_bytes}")
    if not _looks_like_xml(data):
        return _read_text_sitemap(data, url)
    try:
        return _read_xml(data, url)
    except _BrokenXml as broken:
        if not _BARE_AMPERSAND.search(data):
            return broken.salvage()
        try:
            return _read_xml(_BARE_AMPERSAND.sub(b"&amp;", data), url)
        except _BrokenXml as still_broken:
            return still_broken.salvage()


def inflate(body: bytes, url: str, max_bytes: int = MAX_SITEMAP_BYTES) -> bytes:
    """Gunzip with a cap on the output, so a gzip bomb costs at most `max_bytes` of memory.

    Concatenated gzip members are read in turn; a truncated stream yields what it holds.
    """
    out = bytearray()
    rest = body
    while rest.startswith(GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=_GZIP_WBITS)
        try:
            out += inflater.decompress(rest, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise MalformedXmlError(f"sitemap {url}: corrupt gzip data ({exc})") from exc
        if len(out) > max_bytes:
            raise DocumentTooLargeError(f"sitemap {url}: inflates to over {max_bytes} bytes")
        rest = inflater.unused_data
    return bytes(out)


class _BrokenXml(Exception):
    """Not well-formed after `page` was read: salvaged when entries came before the fault."""

    def __init__(self, page: SitemapPage, reason: str) -> None:
        super().__init__(reason)
        self.page = page
        self.reason = reason

    def salvage(self) -> SitemapPage:
        if not (self.page.links or self.page.children):
            raise MalformedXmlError(f"sitemap {self.page.url}: not well-formed XML ({self.reason})")
        return replace(self.page, error=f"not well-formed XML ({self.reason})")


class _Collector:
    """Entries gathered as the parser streams, so a fault keeps what came before it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.links: dict[str, DiscoveredLink] = {}
        self.children: dict[str, ChildSitemap] = {}
        self.skipped = 0

    def add(self, entry: Element) -> None:
        kind = _local(entry.tag)
        if kind not in ("url", "sitemap"):
            return
        address = absolute_http_url(_clean_loc(_child_text(entry, "loc")), self.url)
        if address is None:
            self.skipped += 1
        elif kind == "sitemap":
            self.children.setdefault(address, _child_sitemap(entry, address))
        else:
            self.links.setdefault(address, _link(entry, address))

    def page(self, kind: SitemapKind) -> SitemapPage:
        return SitemapPage(
            url=self.url,
            kind=kind,
            links=tuple(self.links.values()),
            children=tuple(self.children.values()),
            skipped=self.skipped,
        )


def _read_xml(data: bytes, url: str) -> SitemapPage:
    collector = _Collector(url)
    kind: SitemapKind = "urlset"
    try:
        for root, entry in _entries(data):
            if entry is None:
                kind = _root_kind(root, url)
                if kind == "feed":
                    return SitemapPage(
                        url=url, kind="feed", links=tuple(links_from_feed(data, url))
                    )
                continue
            collector.add(entry)
            root.clear()  # entries already read need no memory
    except DefusedXmlException as exc:
        reason = "XML declares entities or external references; refused"
        raise UnsafeXmlError(f"sitemap {url}: {reason}") from exc
    # LookupError: an unknown encoding; ValueError: one expat cannot take (UTF-16-LE named)
    except (ParseError, LookupError, ValueError) as exc:
        raise _BrokenXml(collector.page(kind), str(exc)) from exc
    return collector.page(kind)


def _entries(data: bytes) -> Iterator[tuple[Element, Element | None]]:
    """(root, None) once the root opens, then (root, entry) as each direct child closes."""
    events = safe_etree.iterparse(
        io.BytesIO(data), events=("start", "end"), forbid_entities=True, forbid_external=True
    )
    root: Element | None = None
    depth = 0
    for event, element in events:
        if event == "start":
            depth += 1
            if root is None:
                root = element
                yield root, None
            continue
        depth -= 1
        if depth == 1 and root is not None:
            yield root, element


def _root_kind(root: Element, url: str) -> SitemapKind:
    name = _local(root.tag)
    if name in _FEED_ROOTS:
        return "feed"
    if name not in _ROOT_KINDS:
        raise MalformedXmlError(f"sitemap {url}: not a sitemap (root element <{name}>)")
    return _ROOT_KINDS[name]


def _link(entry: Element, address: str) -> DiscoveredLink:
    news = _child(entry, "news")
    if news is None:
        lastmod = parse_w3c_datetime(_child_text(entry, "lastmod"))
        return DiscoveredLink(url=address, source="sitemap", lastmod=lastmod)
    title = _SPACE.sub(" ", _child_text(news, "title")).strip()
    return DiscoveredLink(
        url=address,
        source="news-sitemap",
        lastmod=parse_w3c_datetime(_child_text(entry, "lastmod")),
        published=parse_w3c_datetime(_child_text(news, "publication_date")),
        title=title or None,
    )


def _child_sitemap(entry: Element, address: str) -> ChildSitemap:
    return ChildSitemap(url=address, lastmod=parse_w3c_datetime(_child_text(entry, "lastmod")))


def _looks_like_xml(data: bytes) -> bool:
    return data.startswith(_UTF16_BOMS) or data.removeprefix(_UTF8_BOM).lstrip().startswith(b"<")


def _read_text_sitemap(data: bytes, url: str) -> SitemapPage:
    """The protocol's plain-text form: one absolute URL a line, UTF-8."""
    text = data.removeprefix(_UTF8_BOM).decode("utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = [absolute_http_url(line, url) for line in lines if _ABSOLUTE.match(line)]
    addresses = list(dict.fromkeys(address for address in found if address is not None))
    if not addresses:
        raise MalformedXmlError(f"sitemap {url}: neither XML nor a list of URLs")
    links = tuple(DiscoveredLink(url=address, source="sitemap") for address in addresses)
    skipped = len(lines) - len([address for address in found if address is not None])
    return SitemapPage(url=url, kind="text", links=links, skipped=skipped)


def _local(tag: str) -> str:
    """The element name without its namespace: sitemaps use several namespace spellings."""
    return tag.rpartition("}")[2].lower()


def _child(element: Element, name: str) -> Element | None:
    """A direct child by local name: an image:loc inside image:image is not the url's loc."""
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _child_text(element: Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "") if child is not None else ""


def _clean_loc(text: str) -> str:
    """Pretty-printers break <loc> across lines: drop breaks, indents and tabs; escape spaces."""
    return _LOC_BREAKS.sub("", text).strip().replace(" ", "%20")
