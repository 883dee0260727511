"""The discovery documents of a demo site: RSS 2.0 feed, sitemap index, URL sets, Google News
sitemap and robots.txt, each dated the way discovery reads dates (pubDate, lastmod,
news:publication_date)."""

from __future__ import annotations

from datetime import datetime

from scraper.demo_site.formatting import esc, iso, rfc822
from scraper.demo_site.model import PRIVATE_PREFIX, DemoArticle, SiteInfo

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
FEED_PATH = "/feed/"
SITEMAP_INDEX_PATH = "/sitemap_index.xml"
NEWS_SITEMAP_PATH = "/news-sitemap.xml"
ROBOTS_PATH = "/robots.txt"


def post_sitemap_path(number: int) -> str:
    """Yoast's names: post-sitemap.xml, post-sitemap2.xml, ..."""
    return "/post-sitemap.xml" if number == 1 else f"/post-sitemap{number}.xml"


def rss_feed(site: SiteInfo, articles: tuple[DemoArticle, ...]) -> str:
    """`articles` newest first; the feed carries the newest `feed_size`."""
    shown = articles[: site.feed_size]
    items = "\n".join(_rss_item(site, article) for article in shown)
    built = max((article.last_modified for article in shown), default=None)
    last_build = f"<lastBuildDate>{rfc822(built)}</lastBuildDate>" if built else ""
    return f"""{XML_DECLARATION}
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" \
xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{esc(site.name)}</title>
<atom:link href="{esc(site.url(FEED_PATH))}" rel="self" type="application/rss+xml"/>
<link>{esc(site.url("/"))}</link>
<description>Latest news from {esc(site.name)}</description>
{last_build}
<language>{site.language}</language>
{items}
</channel>
</rss>
"""


def _rss_item(site: SiteInfo, article: DemoArticle) -> str:
    url = esc(site.url(site.article_path(article)))
    creators = "".join(f"<dc:creator>{esc(name)}</dc:creator>" for name in article.authors)
    return f"""<item>
<title>{esc(article.headline)}</title>
<link>{url}</link>
<guid isPermaLink="true">{url}</guid>
<pubDate>{rfc822(article.published)}</pubDate>
{creators}
<category>{esc(article.section)}</category>
<description>{esc(article.standfirst)}</description>
</item>"""


def sitemap_index(site: SiteInfo, children: tuple[tuple[str, datetime], ...]) -> str:
    """`children`: (path, lastmod) of each child sitemap."""
    entries = "\n".join(
        f"<sitemap><loc>{esc(site.url(path))}</loc><lastmod>{iso(lastmod)}</lastmod></sitemap>"
        for path, lastmod in children
    )
    return f"""{XML_DECLARATION}
<sitemapindex xmlns="{SITEMAP_NS}">
{entries}
</sitemapindex>
"""


def url_set(entries: tuple[tuple[str, datetime], ...]) -> str:
    """`entries`: (absolute URL, lastmod)."""
    urls = "\n".join(
        f"<url><loc>{esc(url)}</loc><lastmod>{iso(lastmod)}</lastmod></url>"
        for url, lastmod in entries
    )
    return f"""{XML_DECLARATION}
<urlset xmlns="{SITEMAP_NS}">
{urls}
</urlset>
"""


def news_sitemap(site: SiteInfo, articles: tuple[DemoArticle, ...]) -> str:
    """The newest `news_sitemap_size` articles, with Google News publication data."""
    urls = "\n".join(_news_url(site, article) for article in articles[: site.news_sitemap_size])
    return f"""{XML_DECLARATION}
<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">
{urls}
</urlset>
"""


def _news_url(site: SiteInfo, article: DemoArticle) -> str:
    return f"""<url>
<loc>{esc(site.url(site.article_path(article)))}</loc>
<lastmod>{iso(article.last_modified)}</lastmod>
<news:news>
<news:publication><news:name>{esc(site.name)}</news:name>\
<news:language>{site.language}</news:language></news:publication>
<news:publication_date>{iso(article.published)}</news:publication_date>
<news:title>{esc(article.headline)}</news:title>
</news:news>
</url>"""


def robots_txt(site: SiteInfo) -> str:
    return f"""User-agent: *
Disallow: {PRIVATE_PREFIX}
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

Sitemap: {site.url(SITEMAP_INDEX_PATH)}
Sitemap: {site.url(NEWS_SITEMAP_PATH)}
"""
