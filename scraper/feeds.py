"""RSS 2.0, RSS 1.0 and Atom feeds to links with their entry dates.

feedparser reads every feed dialect and its date formats; this module only refuses unsafe
XML first and turns entries into `DiscoveredLink`s. The bytes come from the fetcher.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_etree
import feedparser
from defusedxml import DefusedXmlException
from feedparser.encodings import convert_to_utf8
from selectolax.lexbor import LexborHTMLParser

from scraper.discovery_links import DiscoveredLink, absolute_http_url
from scraper.exceptions import MalformedXmlError, UnsafeXmlError

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# Where an entry's own address may be, best first: FeedBurner's original link (the public
# one, not a redirector), the alternate link, then an id that is itself an address.
_LINK_KEYS = ("feedburner_origlink", "link", "id")


def links_from_feed(body: bytes, base_url: str) -> list[DiscoveredLink]:
    """The entries of a feed, in feed order, one link per address.

    `published` comes from pubDate / atom:published, `lastmod` from atom:updated / dc:date.
    Raises UnsafeXmlError for entity declarations, MalformedXmlError when no feed is found;
    a feed with readable entries despite a syntax error is still read.
    """
    refuse_entity_declarations(body, base_url)
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": base_url},
        resolve_relative_uris=False,
    )
    entries: list[Any] = parsed.get("entries") or []
    if not entries and not parsed.get("version"):
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise MalformedXmlError(f"feed {base_url}: not a readable RSS or Atom feed ({reason})")
    links: dict[str, DiscoveredLink] = {}
    for entry in entries:
        link = _link_of(entry, base_url)
        if link is not None and link.url not in links:
            links[link.url] = link
    return list(links.values())


def refuse_entity_declarations(body: bytes, url: str) -> None:
    """Refuse XML that declares entities before any parser can expand them.

    No feed or sitemap needs its own entities, and declaring them is how billion-laughs
    and external-entity attacks begin. The bytes are first re-encoded as feedparser will
    (UTF-16, EBCDIC, ... to UTF-8), then expat reads the prolog up to the root element, so a
    comment or a processing instruction hides nothing; where expat cannot read the prolog, a
    scan of the whole document stands in.
    """
    data = convert_to_utf8({}, body, {})
    try:
        for _ in safe_etree.iterparse(
            io.BytesIO(data), events=("start",), forbid_entities=True, forbid_external=True
        ):
            return  # the root element opened: the document type is behind us
    except DefusedXmlException as exc:
        raise UnsafeXmlError(f"{url}: XML declares entities; refused") from exc
    except (ParseError, LookupError, UnicodeError, ValueError):
        pass
    if _ENTITY_DECLARATION.search(data):
        raise UnsafeXmlError(f"{url}: XML declares entities; refused")


def _link_of(entry: Any, base_url: str) -> DiscoveredLink | None:
    url = _entry_url(entry, base_url)
    if url is None:
        return None
    # dict.get: feedparser's own get() answers "updated" with the published date.
    return DiscoveredLink(
        url=url,
        source="feed",
        lastmod=_utc(dict.get(entry, "updated_parsed")),
        published=_utc(dict.get(entry, "published_parsed")),
        title=_title_of(entry),
    )


def _title_of(entry: Any) -> str | None:
    """Plain text: an Atom title of type html arrives as markup."""
    title = entry.get("title") or ""
    detail = entry.get("title_detail") or {}
    if "html" in (detail.get("type") or "") and "<" in title:
        title = LexborHTMLParser(title).text(deep=True, separator=" ")
    return _SPACE.sub(" ", title).strip() or None


def _entry_url(entry: Any, base_url: str) -> str | None:
    for key in _LINK_KEYS:
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            url = absolute_http_url(raw, base_url)
            if url is not None and (key != "id" or _looks_absolute(raw)):
                return url
    return None


def _looks_absolute(raw: str) -> bool:
    """An Atom id is an address only when written as one; a tag: or urn: id is not."""
    return raw.strip().lower().startswith(("http://", "https://"))


def _utc(parsed: time.struct_time | None) -> datetime | None:
    """feedparser gives UTC struct_time; out-of-range values from odd feeds become None."""
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
