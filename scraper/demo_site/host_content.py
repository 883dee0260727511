"""Every address one demo host serves, rendered on first request and kept.

Rendering lazily keeps a 5,000-page synthetic site quick to start; a change to the site builds
a new HostContent, so a page's bytes (and its ETag) never change under a reader's feet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from scraper.demo_site import listing, template_arc, template_plain, template_wordpress
from scraper.demo_site import xml_documents as xml
from scraper.demo_site.model import PRIVATE_PREFIX, DemoArticle, SiteInfo
from scraper.demo_site.page_context import PageContext

HTML = "text/html; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
TEXT = "text/plain; charset=UTF-8"
HOME_PAGE_SIZE = 10
HOME_TITLES = {"en": "Latest news", "fr": "Dernières nouvelles"}

ArticleRenderer = Callable[[SiteInfo, DemoArticle, PageContext], str]
RENDERERS: dict[str, ArticleRenderer] = {
    "wordpress": template_wordpress.render_article,
    "arc": template_arc.render_article,
    "plain": template_plain.render_article,
}


@dataclass(frozen=True, slots=True)
class Resource:
    """A response body with its validators: the ETag is the body's digest, so any change to
    the bytes changes it; Last-Modified is the site's own edit time."""

    body: bytes
    content_type: str
    last_modified: datetime
    etag: str

    @classmethod
    def of(cls, text: str, content_type: str, last_modified: datetime) -> Resource:
        body = text.encode("utf-8")
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        return cls(body, content_type, last_modified, f'"{digest}"')


class HostContent:
    """One host's pages; `articles` are this host's, in any order."""

    def __init__(self, site: SiteInfo, articles: tuple[DemoArticle, ...]) -> None:
        self.site = site
        self.articles = tuple(sorted(articles, key=lambda item: item.published, reverse=True))
        self.context = PageContext.of(site, self.articles)
        self.oldest = min((article.published for article in self.articles), default=None)
        self._routes: dict[str, Callable[[], Resource]] = {}
        self._cache: dict[str, Resource] = {}
        self._add_articles()
        self._add_listings()
        self._add_discovery()

    def get(self, path: str) -> Resource | None:
        """The resource at `path` (no query string), or None for a 404."""
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        render = self._routes.get(path)
        if render is None:
            return None
        resource = self._cache[path] = render()  # two threads may race: same bytes either way
        return resource

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self._routes)

    def article_url(self, article: DemoArticle) -> str:
        return self.site.url(self.site.article_path(article))

    def _add_articles(self) -> None:
        render = RENDERERS[self.site.template]
        for article in self.articles:
            page = partial(render, self.site, article, self.context)
            self._add(self.site.article_path(article), page, HTML, article.last_modified)

    def _add_listings(self) -> None:
        home_title = HOME_TITLES.get(self.site.language, HOME_TITLES["en"])
        self._add_listing(home_title, self.articles[:HOME_PAGE_SIZE], ("/",), 1)
        for section in sorted({article.section for article in self.articles}):
            members = tuple(article for article in self.articles if article.section == section)
            size = self.site.section_page_size
            chunks = [members[start : start + size] for start in range(0, len(members), size)]
            paths = tuple(self.site.section_path(section, n) for n in range(1, len(chunks) + 1))
            for number, chunk in enumerate(chunks, start=1):
                self._add_listing(section, chunk, paths, number)
        private = partial(listing.render_private_page, self.site)
        for path in (PRIVATE_PREFIX, listing.PRIVATE_ARTICLE_PATH):
            self._add(path, private, HTML, self._oldest())

    def _add_listing(
        self, heading: str, articles: tuple[DemoArticle, ...], paths: tuple[str, ...], page: int
    ) -> None:
        render = partial(
            listing.render_listing, self.site, self.context, heading, articles, page, paths
        )
        self._add(paths[page - 1], render, HTML, _newest(articles, self._oldest()))

    def _add_discovery(self) -> None:
        site, articles, oldest = self.site, self.articles, self._oldest()
        newest = _newest(articles, oldest)
        self._add(xml.FEED_PATH, partial(xml.rss_feed, site, articles), RSS, newest)
        self._add(xml.NEWS_SITEMAP_PATH, partial(xml.news_sitemap, site, articles), XML, newest)
        self._add(xml.ROBOTS_PATH, partial(xml.robots_txt, site), TEXT, oldest)
        entries = [(self.article_url(article), article.last_modified) for article in articles]
        entries.append((site.url(listing.PRIVATE_ARTICLE_PATH), oldest))
        size = site.sitemap_size
        children: list[tuple[str, datetime]] = []
        for start in range(0, len(entries), size):
            chunk = tuple(entries[start : start + size])
            path = xml.post_sitemap_path(len(children) + 1)
            lastmod = max(moment for _, moment in chunk)
            self._add(path, partial(xml.url_set, chunk), XML, lastmod)
            children.append((path, lastmod))
        index = partial(xml.sitemap_index, site, tuple(children))
        self._add(xml.SITEMAP_INDEX_PATH, index, XML, newest)

    def _add(
        self, path: str, render: Callable[[], str], content_type: str, modified: datetime
    ) -> None:
        self._routes[path] = lambda: Resource.of(render(), content_type, modified)

    def _oldest(self) -> datetime:
        if self.oldest is None:
            raise ValueError(f"demo site {self.site.host} has no articles")
        return self.oldest


def _newest(articles: tuple[DemoArticle, ...], default: datetime) -> datetime:
    return max((article.last_modified for article in articles), default=default)
