"""`newsarchive reparse`: run today's parsers over the archived responses of stored articles.

For each article, the response its current version was parsed from is read back from the
WARC files and parsed again; the store keeps a `reparse` version only when the extraction
differs, apart from real edits. Comparing each response with the version made from that
same response (not with a later one) is what keeps an unchanged archive free of versions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from pathlib import Path

from sqlalchemy import select

from parsers import parse
from parsers.decoding import decode_html
from scraper.config import Config
from storage.db import Database
from storage.exceptions import WarcError
from storage.models import Article, ArticleVersion, Fetch, Site
from storage.store import Store
from storage.warc import WarcRef, read_response

BATCH = 500


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    article_id: int
    url: str
    fetch_id: int
    fetched_at: datetime
    ref: WarcRef


@dataclass(slots=True)
class ReparseReport:
    pages: int = 0
    new_versions: int = 0
    unchanged: int = 0
    problems: Counter[str] = field(default_factory=Counter)


def archived_pages(
    database: Database, site: str | None = None, since: datetime | None = None
) -> Iterator[ArchivedPage]:
    """The fetch each article's current version came from, when its response is archived."""
    query = (
        select(Article.id, ArticleVersion.url, Fetch)
        .join(ArticleVersion, ArticleVersion.id == Article.current_version_id)
        .join(Fetch, Fetch.id == ArticleVersion.fetch_id)
        .where(Fetch.warc_record_id.is_not(None), Fetch.revisit.is_(False))
        .order_by(Article.id)
        .execution_options(yield_per=BATCH)
    )
    if site is not None:
        query = query.join(Site, Site.id == Article.site_id).where(Site.name == site)
    if since is not None:
        query = query.where(Fetch.fetched_at >= since)
    with database.session() as session:
        for article_id, url, fetch in session.execute(query):
            ref = WarcRef(
                fetch.warc_file or "",
                fetch.warc_offset or 0,
                fetch.warc_length or 0,
                fetch.payload_digest,
                fetch.warc_record_id or "",
            )
            yield ArchivedPage(article_id, url, fetch.id, fetch.fetched_at, ref)


def reparse(
    config: Config,
    database: Database,
    *,
    site: str | None = None,
    since: datetime | None = None,
    on_page: Callable[[ArchivedPage], None] | None = None,
) -> ReparseReport:
    store, report = Store(database), ReparseReport()
    warc_root = Path(config.settings.warc_dir)
    for page in archived_pages(database, site, since):
        report.pages += 1
        if on_page is not None:
            on_page(page)
        try:
            response = read_response(warc_root, page.ref)
        except (WarcError, OSError) as exc:
            report.problems[type(exc).__name__] += 1
            continue
        entry = config.site_for_url(page.url)
        html = decode_html(response.body, _charset(response.headers))
        record = parse(html, page.url, page.fetched_at, site=entry.site_config() if entry else None)
        saved = store.save(record, fetch_id=page.fetch_id, reparse=True)
        if saved.outcome == "new_version":
            report.new_versions += 1
        else:
            report.unchanged += 1
    store.index_queued()
    return report


def _charset(headers: tuple[tuple[str, str], ...]) -> str | None:
    for name, value in headers:
        if name.lower() == "content-type":
            message = Message()
            message["content-type"] = value
            charset = message.get_param("charset")
            return charset if isinstance(charset, str) else None
    return None
