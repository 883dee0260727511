"""`newsarchive backfill SITE --since DATE`: reach the site's older articles.

A regular pass reads what the sources list now; a backfill walks further back: every child
sitemap that may hold links changed since the date (by its lastmod, or the period its name
gives), the section pages' older pages (following "next" links until a page lists nothing
that recent), and reads every source in full instead of conditionally. What it finds goes
to the frontier like any discovery, and the due articles are fetched in the same pass.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from scraper.config import SiteEntry
from scraper.discovery import (
    DiscoveredLink,
    links_from_section_page,
    links_since,
    next_page_url,
    read_sitemap,
    sitemap_children_since,
)
from scraper.site_pass import Services, SitePass

MAX_SITEMAP_DEPTH = 4
MAX_ARCHIVE_PAGES = 500  # pages followed per section page: a loop in "next" links ends here


class BackfillPass(SitePass):
    conditional_sources = False

    def __init__(self, entry: SiteEntry, services: Services, since: datetime) -> None:
        super().__init__(entry, services)
        self.since = since

    async def _links_in(self, url: str, kind: str, body: bytes, depth: int) -> list[DiscoveredLink]:
        if kind == "section":
            return await self._archive_pages(url, body)
        if kind != "sitemap":
            return links_since(await super()._links_in(url, kind, body, depth), self.since)
        page = read_sitemap(body, url)
        links = links_since(page.links, self.since)
        children = sitemap_children_since(page, self.since)
        if depth < MAX_SITEMAP_DEPTH and children:
            now = self.services.clock()
            await self.services.frontier.add_sources(
                self.entry.host, [c.url for c in children], now
            )
            for child in children:
                links += await self._read_source(child.url, "sitemap", depth + 1)
        return links

    async def _archive_pages(self, first_url: str, body: bytes) -> list[DiscoveredLink]:
        """The section page and its older pages, until one lists nothing since the date."""
        section = next((s for s in self.entry.sections if s.url == first_url), None)
        css = section.link_selector if section else None
        pattern = section.link_pattern if section else None
        found: list[DiscoveredLink] = []
        seen, url, page = {first_url}, first_url, body
        for _ in range(MAX_ARCHIVE_PAGES):
            links = links_from_section_page(page, url, css=css, url_pattern=pattern)
            recent = links_since(links, self.since)
            found += recent
            following = next_page_url(page, url)
            if not recent or following is None or following in seen or self.stopped:
                break
            seen.add(following)
            fetched = await self._fetch_source(following)
            if fetched is None:
                break
            url, page = following, fetched
        return found


def backfill_pass(since: datetime) -> Callable[[SiteEntry, Services], SitePass]:
    """The `site_pass` factory of RunOptions for a backfill since `since`."""

    def make(entry: SiteEntry, services: Services) -> SitePass:
        return BackfillPass(entry, services, since)

    return make
