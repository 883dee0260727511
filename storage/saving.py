"""One save inside one transaction: find the article, apply the version rule, write rows.

The store retries this whole function when it loses a race, so it must read everything it
decides on inside the transaction and never trust what an earlier attempt saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parsers.record import ArticleRecord
from parsers.urls import normalize_url, site_of
from storage import upserts
from storage.content_hash import content_hash
from storage.contract import FetchInfo, SaveResult, VersionKind
from storage.exceptions import RecordError
from storage.identity import url_key
from storage.models import (
    Article,
    ArticleAlias,
    ArticleVersion,
    Fetch,
    VersionAuthor,
    VersionImage,
)
from storage.versioning import Snapshot, next_kind

# Why a URL leads to an article. Only "same_text" links are guesses: a record reached
# through one may not add versions (a stale copy would flip the article back and forth).
FETCHED_URL = "fetched_url"
CANONICAL = "canonical"
SAME_TEXT = "same_text"


@dataclass(frozen=True, slots=True)
class Incoming:
    """A record with everything the save derives from it, computed once before any retry."""

    record: ArticleRecord
    site: str
    canonical_url: str
    canonical_key: str
    fetched_key: str
    snapshot: Snapshot

    @classmethod
    def of(cls, record: ArticleRecord) -> Incoming:
        canonical = normalize_url(record.canonical_url or record.url)
        site = record.site or site_of(canonical)
        if not site:
            raise RecordError(f"cannot store a record without an http(s) URL: {record.url!r}")
        snapshot = Snapshot(content_hash(record), record.updated_at, record.to_dict())
        return cls(record, site, canonical, url_key(canonical), url_key(record.url), snapshot)


def insert_fetch(session: Session, fetch: FetchInfo) -> int:
    site = fetch.site or site_of(fetch.url)
    row = Fetch(
        site_id=upserts.site_id(session, site, fetch.fetched_at) if site else None,
        url=fetch.url,
        final_url=fetch.final_url,
        status=fetch.status,
        fetched_at=fetch.fetched_at,
        content_type=fetch.content_type,
        warc_file=fetch.warc_file,
        warc_offset=fetch.warc_offset,
        warc_length=fetch.warc_length,
        payload_digest=fetch.payload_digest,
        warc_record_id=fetch.warc_record_id,
        revisit=fetch.revisit,
        error=fetch.error,
    )
    session.add(row)
    session.flush()
    return row.id


def save_in(
    session: Session, incoming: Incoming, fetch_id: int | None, seen_at: datetime, reparse: bool
) -> SaveResult:
    """File the record: a new article, a new version, or only a later last-seen time."""
    found = _find_article(session, incoming)
    if found is None:
        holder = _article_with_same_text(session, incoming)
        if holder is None:
            return _create(session, incoming, fetch_id, seen_at)
        found = (holder, False)
    article, speaks_for_it = found
    if not reparse:
        article.last_seen = max(article.last_seen, seen_at)
    _remember_urls(session, article, incoming, seen_at, SAME_TEXT if not speaks_for_it else None)
    current = session.get_one(ArticleVersion, article.current_version_id)
    kind = next_kind(_snapshot_of(current), incoming.snapshot, reparse=reparse)
    if kind is None or not speaks_for_it:
        return _no_version(article, current, incoming)
    version = _add_version(session, article, current.version_no + 1, kind, incoming, fetch_id)
    return SaveResult("new_version", article.id, version.version_no, kind)


def _find_article(session: Session, incoming: Incoming) -> tuple[Article, bool] | None:
    """The article the record belongs to, locked, and whether the page speaks for it."""
    keys = {incoming.canonical_key, incoming.fetched_key}
    articles = session.scalars(
        select(Article).where(Article.url_key.in_(keys)).with_for_update()
    ).all()
    if articles:  # the declared canonical wins over the fetched URL
        ranked = sorted(articles, key=lambda a: a.url_key != incoming.canonical_key)
        return ranked[0], True
    aliases = session.scalars(select(ArticleAlias).where(ArticleAlias.url_key.in_(keys))).all()
    if not aliases:
        return None
    alias = sorted(aliases, key=lambda a: a.url_key != incoming.canonical_key)[0]
    article = session.scalars(
        select(Article).where(Article.id == alias.article_id).with_for_update()
    ).one()
    return article, alias.reason != SAME_TEXT


def _article_with_same_text(session: Session, incoming: Incoming) -> Article | None:
    """Another URL of the same site already holding this text (an empty body proves nothing)."""
    if not incoming.record.body:
        return None
    site_id = upserts.existing_site_id(session, incoming.site)
    if site_id is None:
        return None
    holder_id = session.scalar(
        select(ArticleVersion.article_id)
        .join(Article, Article.id == ArticleVersion.article_id)
        .where(
            ArticleVersion.content_hash == incoming.snapshot.content_hash,
            Article.site_id == site_id,
        )
        .order_by(ArticleVersion.article_id)
        .limit(1)
    )
    if holder_id is None:
        return None
    return session.scalars(select(Article).where(Article.id == holder_id).with_for_update()).one()


def _create(
    session: Session, incoming: Incoming, fetch_id: int | None, seen_at: datetime
) -> SaveResult:
    article = Article(
        site_id=upserts.site_id(session, incoming.site, seen_at),
        url_key=incoming.canonical_key,
        canonical_url=incoming.canonical_url,
        first_seen=seen_at,
        last_seen=seen_at,
    )
    session.add(article)
    session.flush()  # a racing writer's article makes this raise; the store retries
    _add_version(session, article, 1, "first", incoming, fetch_id)
    _remember_urls(session, article, incoming, seen_at, None)
    return SaveResult("new", article.id, 1, "first")


def _no_version(article: Article, current: ArticleVersion, incoming: Incoming) -> SaveResult:
    own_url = article.url_key == incoming.canonical_key == incoming.fetched_key
    if own_url:
        return SaveResult("unchanged", article.id, current.version_no)
    return SaveResult(
        "duplicate_of", article.id, current.version_no, duplicate_of=article.canonical_url
    )


def _remember_urls(
    session: Session, article: Article, incoming: Incoming, now: datetime, reason: str | None
) -> None:
    """Alias every URL of the record that is not the article's own identity."""
    urls = {
        incoming.canonical_key: (incoming.canonical_url, reason or CANONICAL),
        incoming.fetched_key: (incoming.record.url, reason or FETCHED_URL),
    }
    for key, (url, why) in sorted(urls.items()):
        if key != article.url_key:
            upserts.add_alias(session, key, url, article.id, why, now)


def _add_version(
    session: Session,
    article: Article,
    number: int,
    kind: VersionKind,
    incoming: Incoming,
    fetch_id: int | None,
) -> ArticleVersion:
    record = incoming.record
    version = ArticleVersion(
        article_id=article.id,
        version_no=number,
        kind=kind,
        fetch_id=fetch_id,
        created_at=datetime.now(UTC),
        **_record_columns(record, incoming),
    )
    session.add(version)
    session.flush()  # a racing writer's version of the same number raises here
    ids = upserts.author_ids(session, record.authors)
    session.add_all(
        VersionAuthor(version_id=version.id, position=position, author_id=ids[name])
        for position, name in enumerate(record.authors)
    )
    session.add_all(
        VersionImage(
            version_id=version.id,
            position=position,
            url=image.url,
            caption=image.caption,
            credit=image.credit,
            alt=image.alt,
        )
        for position, image in enumerate(record.images)
    )
    article.current_version_id = version.id
    return version


def _record_columns(record: ArticleRecord, incoming: Incoming) -> dict[str, Any]:
    """The version's columns; a page that names no canonical URL gets its own (normalized)."""
    snapshot = incoming.snapshot
    return {
        "content_hash": snapshot.content_hash,
        "url": record.url,
        "canonical_url": incoming.canonical_url,
        "page_type": record.page_type,
        "headline": record.headline,
        "standfirst": record.standfirst,
        "section": record.section,
        "language": record.language,
        "published_at": record.published_at,
        "published_raw": record.published_raw,
        "published_precision": record.published_precision,
        "updated_at": record.updated_at,
        "updated_raw": record.updated_raw,
        "updated_precision": record.updated_precision,
        "body": record.text,
        "tags": list(record.tags),
        "record": snapshot.record,
        "parser_name": record.parser.name,
        "parser_version": record.parser.version,
        "fields_found": list(record.fields_found()),
    }


def _snapshot_of(version: ArticleVersion) -> Snapshot:
    return Snapshot(version.content_hash, version.updated_at, version.record)
