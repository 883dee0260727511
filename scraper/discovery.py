"""Discovery: where the crawler learns which article addresses exist and when they changed.

Pure functions over fetched bytes (the fetcher fetches, the frontier stores): feeds, sitemaps
and section pages each give `DiscoveredLink`s with the dates their source vouched for. The
`since` filters serve backfill: skip the parts of an archive older than the date asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import urlsplit

from scraper.discovery_links import (
    ChildSitemap,
    DiscoveredLink,
    LinkSource,
    SitemapKind,
    SitemapPage,
    parse_w3c_datetime,
    utc,
)
from scraper.feeds import links_from_feed
from scraper.section_pages import is_article_like, links_from_section_page, next_page_url
from scraper.sitemaps import MAX_SITEMAP_BYTES, inflate, read_sitemap

__all__ = [
    "MAX_SITEMAP_BYTES",
    "ChildSitemap",
    "DiscoveredLink",
    "LinkSource",
    "SitemapKind",
    "SitemapPage",
    "inflate",
    "is_article_like",
    "links_from_feed",
    "links_from_section_page",
    "links_since",
    "next_page_url",
    "parse_w3c_datetime",
    "read_sitemap",
    "sitemap_children_since",
]

# A child sitemap named for a month or a year (sitemap-2023-05.xml, /sitemap/2023/05.xml,
# posts-2019.xml) lists the stories of that period.
_YEAR_MONTH_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_/]?(0[1-9]|1[0-2])(?!\d)")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def sitemap_children_since(index: SitemapPage, since: datetime | date) -> list[ChildSitemap]:
    """The child sitemaps of an index that may hold links changed on or after `since`.

    A child whose lastmod is older is skipped: nothing in it changed since. A child without a
    lastmod is skipped only when its name dates it to a month or year that ended before.
    """
    cutoff = utc(since)
    return [child for child in index.children if _child_may_be_newer(child, cutoff)]


def links_since(links: Iterable[DiscoveredLink], since: datetime | date) -> list[DiscoveredLink]:
    """The links whose newest date (lastmod or published) is on or after `since`.

    Undated links are kept: only the article itself can say how old it is.
    """
    cutoff = utc(since)
    return [link for link in links if link.newest_date is None or link.newest_date >= cutoff]


def _child_may_be_newer(child: ChildSitemap, cutoff: datetime) -> bool:
    if child.lastmod is not None:
        return child.lastmod >= cutoff
    return _named_period_open(child, cutoff)


def _named_period_open(child: ChildSitemap, cutoff: datetime) -> bool:
    """False when the child's name dates it to a period that ended before `cutoff`."""
    path = urlsplit(child.url).path
    month = _YEAR_MONTH_IN_NAME.search(path)
    if month is not None:
        year, number = int(month[1]), int(month[2])
        period_end = date(year + number // 12, number % 12 + 1, 1)
        return utc(period_end) > cutoff
    year_match = _YEAR_IN_NAME.search(path)
    if year_match is not None:
        return utc(date(int(year_match[1]) + 1, 1, 1)) > cutoff
    return True
