"""A small news site served by `tests.scraper.http_servers.LocalServer`, crawled for real.

The site is `SITE` and its subdomains, all resolved to the one local server (like `curl
--resolve`), so a misbehaving page can sit on a host of its own: the pacer, robots.txt and
Retry-After then act on that host only. Only the site may use private addresses; any other
host a feed names is refused by the address guard like on the open web.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from scraper.config import Config, load_config
from scraper.run import RunOptions, RunReport, run_once
from storage.db import Database
from storage.models import Article, Fetch, FrontierUrl
from tests.scraper.http_servers import LocalServer

SITE = "wire.example"
FEED_PATH = "/feed.xml"
START = datetime(2025, 12, 6, 9, 0, tzinfo=UTC)

PARAGRAPH = (
    "The ministry confirmed on Monday that the contract covers {n} units, spares and "
    "training, with deliveries due to start next year and to end within three years."
)


def article_html(slug: str) -> bytes:
    """An article page the generic extractor reads as one: headline, date, author, body."""
    title = slug.replace("-", " ").capitalize()
    body = "".join(f"<p>{PARAGRAPH.format(n=n)}</p>" for n in range(2, 8))
    jsonld = json.dumps(
        {
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": "2025-12-01T10:00:00Z",
            "author": {"@type": "Person", "name": "Ana Silva"},
        }
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title} | Wire</title>"
        '<meta property="og:type" content="article">'
        f'<script type="application/ld+json">{jsonld}</script></head>'
        f'<body><article><h1>{title}</h1><p class="byline">By Ana Silva</p>'
        '<time datetime="2025-12-01T10:00:00Z">1 December 2025</time>'
        f'<div class="entry-content">{body}</div></article></body></html>'
    ).encode()


def feed_xml(urls: Iterable[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{url}</link>"
        "<pubDate>Mon, 01 Dec 2025 10:00:00 GMT</pubDate></item>"
        for n, url in enumerate(urls)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"{items}</channel></rss>"
    ).encode()


def site_config(
    tmp_path: Path, server: LocalServer, hosts: Sequence[str], **settings: Any
) -> Config:
    """schedules.yaml for `SITE` (fed by FEED_PATH on its own host), every host in `hosts`
    (the site's subdomains) sent to `server`; `settings` override the quick defaults."""
    address = f"127.0.0.1:{server.port}"
    values: dict[str, Any] = {
        "data_dir": str(tmp_path / "data"),
        "min_delay": "0s",
        "connections_per_host": 2,
        "retries": {"attempts": 1, "backoff_base": "50ms", "backoff_cap": "200ms"},
        "timeouts": {"connect": "2s", "read": "500ms", "write": "2s", "pool": "2s", "total": "2s"},
        "max_retry_after": "2s",
        "resolve": dict.fromkeys([SITE, *hosts], address),
    } | settings
    entry = {
        "parser": "generic",
        "timezone": "UTC",
        "language": "en",
        "feeds": [f"http://{SITE}{FEED_PATH}"],
        "allow_private_addresses": True,
        "robots_sitemaps": False,
    }
    path = tmp_path / "schedules.yaml"
    path.write_text(yaml.safe_dump({"settings": values, "sites": {SITE: entry}}), "utf-8")
    return load_config(path, environ={})


def crawl(config: Config, database: Database, at: datetime = START) -> RunReport:
    """One real run (`newsarchive run`), its clock fixed at `at`."""
    return run_once(config, (), RunOptions(clock=lambda: at), database)


def later(moment: datetime, **delta: float) -> datetime:
    return moment + timedelta(**delta)


def frontier_rows(database: Database) -> dict[str, FrontierUrl]:
    with database.session() as session:
        rows = session.scalars(select(FrontierUrl)).all()
        session.expunge_all()
    return {row.url: row for row in rows}


def fetch_rows(database: Database, url: str) -> list[Fetch]:
    with database.session() as session:
        rows = session.scalars(select(Fetch).where(Fetch.url == url).order_by(Fetch.id)).all()
        session.expunge_all()
    return list(rows)


def archived_urls(database: Database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(Article.canonical_url)).all())
