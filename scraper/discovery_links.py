"""What discovery hands the frontier: a link and the dates its source vouched for.

The dates matter more than the links: a feed entry or sitemap lastmod newer than the stored
version is what triggers a recheck without refetching everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from parsers.urls import normalize_url

LinkSource = Literal["feed", "sitemap", "news-sitemap", "section"]
SitemapKind = Literal["urlset", "sitemapindex", "feed", "text"]

# W3C datetime forms that `datetime.fromisoformat` does not take: a year, a year and month.
_YEAR_OR_MONTH = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
_HTTP_SCHEMES = ("http", "https")
_ABSOLUTE_HTTP = re.compile(r"https?://[^/?#]", re.IGNORECASE)
_PLAIN_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*")
# The sitemaps protocol's limit on a URL; a longer link is junk or an attack on the crawler.
MAX_URL_CHARS = 2048


@dataclass(frozen=True, slots=True)
class DiscoveredLink:
    """One address found by discovery; dates are aware UTC, None when the source gave none."""

    url: str
    source: LinkSource
    lastmod: datetime | None = None
    published: datetime | None = None
    title: str | None = None

    @property
    def newest_date(self) -> datetime | None:
        """The latest date the source vouched for: what a since-filter or recheck compares."""
        dates = [moment for moment in (self.lastmod, self.published) if moment is not None]
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class ChildSitemap:
    """A sitemap listed by a sitemap index, with the lastmod the index gave it."""

    url: str
    lastmod: datetime | None = None


@dataclass(frozen=True, slots=True)
class SitemapPage:
    """One sitemap document read: article links (urlset) or child sitemaps (index).

    `error` is set when the document broke off after some entries were read: what was read is
    kept (a truncated sitemap still names thousands of articles) and the reason is reported.
    `skipped` counts entries without a usable http(s) address.
    """

    url: str
    kind: SitemapKind
    links: tuple[DiscoveredLink, ...] = ()
    children: tuple[ChildSitemap, ...] = ()
    skipped: int = 0
    error: str | None = None


def absolute_http_url(raw: str, base_url: str) -> str | None:
    """The normalized absolute address of a link, or None when it is not a web page address
    the fetcher can request.

    Normalized (fragment and tracking parameters dropped) so that one article found by
    several sources is one frontier entry.
    """
    raw = raw.strip()
    if not raw:
        return None
    try:
        absolute = raw if _ABSOLUTE_HTTP.match(raw) else urljoin(base_url, raw)
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return None
    if parts.scheme.lower() not in _HTTP_SCHEMES or not parts.hostname:
        return None
    url = normalize_url(absolute)
    return url if _fetchable(url, parts.hostname) else None


def _fetchable(url: str, host: str) -> bool:
    """Short enough, and an address the fetcher can request: a host that is not plain
    lower-case ASCII (non-ASCII, punycode, a numeric spelling) is read by httpx to be sure."""
    if len(url) > MAX_URL_CHARS:
        return False
    plain = url.isascii() and url.isprintable() and _PLAIN_HOST.fullmatch(host) is not None
    if plain and "xn--" not in host and not host.replace(".", "").isdigit():
        return True
    try:
        return bool(httpx.URL(url).host)  # the host is decoded (IDNA) when first read
    except (httpx.InvalidURL, ValueError):  # IDNA errors are ValueErrors
        return False


def parse_w3c_datetime(text: str | None) -> datetime | None:
    """A sitemap or markup date as aware UTC; None when unreadable rather than a guess.

    W3C datetime (ISO 8601 profile) first, then RFC 822 which some sitemaps emit. A date
    with no zone is taken as UTC, the protocol's only sensible reading.
    """
    if not text or not (text := text.strip()):
        return None
    moment = _read_iso(text) or _read_rfc822(text)
    if moment is None:
        return None
    return utc(moment)


def utc(moment: datetime | date) -> datetime:
    """Aware UTC; a naive datetime or a bare date is read as UTC."""
    if not isinstance(moment, datetime):
        return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _read_iso(text: str) -> datetime | None:
    partial = _YEAR_OR_MONTH.match(text)
    try:
        if partial:
            return datetime(int(partial[1]), int(partial[2] or 1), 1)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _read_rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
