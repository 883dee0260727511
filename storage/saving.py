"""One save inside one transaction: find the article, apply the version rule, write rows.

The store retries this whole function when it loses a race, so it must read everything it
decides on inside the transaction and never trust what an earlier attempt saw (the cached
site and author ids of `storage.upserts.KnownIds` are of committed rows that never change).
Rows are written with Core statements on the transaction's connection: one round trip each,
no unit of work to flush.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, insert, literal, null, select, union_all, update

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
from storage.upserts import TransactionIds
from storage.versioning import Snapshot, next_kind

# Why a URL leads to an article. Only "same_text" links are guesses: a record reached
# through one may not add versions (a stale copy would flip the article back and forth).
FETCHED_URL = "fetched_url"
CANONICAL = "canonical"
SAME_TEXT = "same_text"


class _StoredArticle(NamedTuple):
    """What a save reads of the article a record leads to."""

    id: int
    url_key: str
    canonical_url: str
    last_seen: datetime
    current_version_id: int | None


# The statements, built once: each call then only binds its values (no statement to build
# and no cache key to compute on every save).
_ARTICLE_COLUMNS = select(
    Article.id,
    Article.url_key,
    Article.canonical_url,
    Article.last_seen,
    Article.current_version_id,
)
_ARTICLES_BY_KEY = _ARTICLE_COLUMNS.where(
    Article.url_key.in_(bindparam("keys", expanding=True))
).with_for_update()
_ARTICLE_BY_ID = _ARTICLE_COLUMNS.where(Article.id == bindparam("article_id")).with_for_update()
_SAME_TEXT_HOLDER = (
    select(ArticleVersion.article_id)
    .join(Article, Article.id == ArticleVersion.article_id)
    .where(
        ArticleVersion.content_hash == bindparam("content_hash"),
        Article.site_id == bindparam("site_id"),
    )
    .order_by(ArticleVersion.article_id)
    .limit(1)
    .subquery()
)
# When no article has one of the record's URLs as its own: the aliases of those URLs, and
# (url_key NULL) the first article of the site holding the same text; one round trip.
_OTHER_LEADS = union_all(
    select(ArticleAlias.url_key, ArticleAlias.article_id, ArticleAlias.reason).where(
        ArticleAlias.url_key.in_(bindparam("keys", expanding=True))
    ),
    select(null(), _SAME_TEXT_HOLDER.c.article_id, literal(SAME_TEXT)),
)
_VERSION_RULE_COLUMNS = (
    ArticleVersion.version_no,
    ArticleVersion.content_hash,
    ArticleVersion.updated_at,
)
_CURRENT_VERSION = select(*_VERSION_RULE_COLUMNS).where(
    ArticleVersion.id == bindparam("version_id")
)
_CURRENT_VERSION_WITH_RECORD = select(*_VERSION_RULE_COLUMNS, ArticleVersion.record).where(
    ArticleVersion.id == bindparam("version_id")
)
_FETCH_TIME = select(Fetch.fetched_at).where(Fetch.id == bindparam("fetch_id"))
_INSERT_FETCH = insert(Fetch).returning(Fetch.id)
_INSERT_ARTICLE = insert(Article).returning(Article.id)
_UPDATE_ARTICLE = update(Article).where(Article.id == bindparam("article_id"))
_NO_WORDING: dict[str, Any] = {"headline": None, "standfirst": None, "body": ""}
_WORDING_COLUMNS = tuple(_NO_WORDING)
_SET_WORDING = update(ArticleVersion).where(ArticleVersion.id == bindparam("version_id"))
_INSERT_VERSION_RETURNING_ID = insert(ArticleVersion).returning(ArticleVersion.id)
_INSERT_AUTHOR_LINKS = insert(VersionAuthor)
_INSERT_IMAGES = insert(VersionImage)


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


@dataclass(frozen=True, slots=True)
class _Found:
    """The stored article a record leads to (its row locked), and whether the page speaks
    for it (reached by one of its own URLs, not by a same-text guess)."""

    article: _StoredArticle
    speaks_for_it: bool


def insert_fetch(connection: Connection, ids: TransactionIds, fetch: FetchInfo) -> int:
    site = fetch.site or site_of(fetch.url)
    row = {
        "site_id": ids.site_id(site, fetch.fetched_at) if site else None,
        "url": fetch.url,
        "final_url": fetch.final_url,
        "status": fetch.status,
        "fetched_at": fetch.fetched_at,
        "content_type": fetch.content_type,
        "warc_file": fetch.warc_file,
        "warc_offset": fetch.warc_offset,
        "warc_length": fetch.warc_length,
        "payload_digest": fetch.payload_digest,
        "warc_record_id": fetch.warc_record_id,
        "revisit": fetch.revisit,
        "error": fetch.error,
    }
    return connection.execute(_INSERT_FETCH, row).scalar_one()


def fetch_time(connection: Connection, fetch_id: int) -> datetime | None:
    """When a stored fetch was made (None for an unknown id)."""
    found: datetime | None = connection.execute(_FETCH_TIME, {"fetch_id": fetch_id}).scalar()
    return found


def save_in(
    connection: Connection,
    ids: TransactionIds,
    incoming: Incoming,
    fetch_id: int | None,
    seen_at: datetime,
    reparse: bool,
) -> SaveResult:
    """File the record: a new article, a new version, or only a later last-seen time."""
    found = _find_article(connection, ids, incoming)
    if found is None:
        return _create(connection, ids, incoming, fetch_id, seen_at)
    article = found.article
    reason = None if found.speaks_for_it else SAME_TEXT
    _remember_urls(connection, article.id, article.url_key, incoming, seen_at, reason)
    number, current = _current_version(connection, article.current_version_id, reparse)
    kind = next_kind(current, incoming.snapshot, reparse=reparse)
    version_id = None
    if kind is not None and found.speaks_for_it:
        version_id = _add_version(
            connection, ids, (article.id, number + 1, kind), incoming, fetch_id
        )
    last_seen = article.last_seen if reparse else max(article.last_seen, seen_at)
    _touch_article(connection, article, last_seen, version_id)
    if version_id is None:
        return _no_version(article, number, incoming)
    return SaveResult("new_version", article.id, number + 1, kind)


def _find_article(connection: Connection, ids: TransactionIds, incoming: Incoming) -> _Found | None:
    """The article the record belongs to: one of its URLs is the article's own (the declared
    canonical's wins), else an alias of the article, else the article holds the same text
    at another URL of the site (an empty body proves nothing)."""
    keys = sorted({incoming.canonical_key, incoming.fetched_key})
    articles = connection.execute(_ARTICLES_BY_KEY, {"keys": keys}).all()
    if articles:
        ranked = min(articles, key=lambda row: row.url_key != incoming.canonical_key)
        return _Found(_StoredArticle(*ranked), speaks_for_it=True)
    site_id = ids.existing_site_id(incoming.site) if incoming.record.body else None
    same_text = incoming.snapshot.content_hash if site_id is not None else None  # NULL: none
    wanted = {"keys": keys, "content_hash": same_text, "site_id": site_id}
    leads = connection.execute(_OTHER_LEADS, wanted).all()
    aliases = [lead for lead in leads if lead.url_key is not None]
    if aliases:
        alias = min(aliases, key=lambda row: row.url_key != incoming.canonical_key)
        return _Found(_locked_article(connection, alias.article_id), alias.reason != SAME_TEXT)
    if leads:
        return _Found(_locked_article(connection, leads[0].article_id), speaks_for_it=False)
    return None


def _locked_article(connection: Connection, article_id: int) -> _StoredArticle:
    row = connection.execute(_ARTICLE_BY_ID, {"article_id": article_id}).one()
    return _StoredArticle(*row)


def _current_version(
    connection: Connection, version_id: int | None, reparse: bool
) -> tuple[int, Snapshot]:
    """The current version's number and what the version rule compares it by; the stored
    record (JSON to decode) is read only for a re-parse, the one rule that looks at it."""
    query = _CURRENT_VERSION_WITH_RECORD if reparse else _CURRENT_VERSION
    row = connection.execute(query, {"version_id": version_id}).one()
    record: dict[str, Any] = row[3] if reparse else {}
    return row.version_no, Snapshot(row.content_hash, row.updated_at, record)


def _create(
    connection: Connection,
    ids: TransactionIds,
    incoming: Incoming,
    fetch_id: int | None,
    seen_at: datetime,
) -> SaveResult:
    article = {
        "site_id": ids.site_id(incoming.site, seen_at),
        "url_key": incoming.canonical_key,
        "canonical_url": incoming.canonical_url,
        "first_seen": seen_at,
        "last_seen": seen_at,
    }
    # A racing writer's article makes this raise; the store retries.
    article_id: int = connection.execute(_INSERT_ARTICLE, article).scalar_one()
    version_id = _add_version(connection, ids, (article_id, 1, "first"), incoming, fetch_id)
    _point_at(connection, article_id, version_id)
    _remember_urls(connection, article_id, incoming.canonical_key, incoming, seen_at, None)
    return SaveResult("new", article_id, 1, "first")


def _no_version(article: _StoredArticle, number: int, incoming: Incoming) -> SaveResult:
    own_url = article.url_key == incoming.canonical_key == incoming.fetched_key
    if own_url:
        return SaveResult("unchanged", article.id, number)
    return SaveResult("duplicate_of", article.id, number, duplicate_of=article.canonical_url)


def _touch_article(
    connection: Connection, article: _StoredArticle, last_seen: datetime, version_id: int | None
) -> None:
    """Move the article's last-seen time and current version; no statement when neither moved."""
    changes: dict[str, Any] = {}
    if last_seen != article.last_seen:
        changes["last_seen"] = last_seen
    if version_id is not None:
        changes["current_version_id"] = version_id
    if changes:
        connection.execute(_UPDATE_ARTICLE, {"article_id": article.id, **changes})


def _point_at(connection: Connection, article_id: int, version_id: int) -> None:
    connection.execute(
        _UPDATE_ARTICLE, {"article_id": article_id, "current_version_id": version_id}
    )


def _remember_urls(
    connection: Connection,
    article_id: int,
    article_key: str,
    incoming: Incoming,
    now: datetime,
    reason: str | None,
) -> None:
    """Alias every URL of the record that is not the article's own identity."""
    urls = {
        incoming.canonical_key: (incoming.canonical_url, reason or CANONICAL),
        incoming.fetched_key: (incoming.record.url, reason or FETCHED_URL),
    }
    for key, (url, why) in sorted(urls.items()):
        if key != article_key:
            upserts.add_alias(connection, key, url, article_id, why, now)


def _add_version(
    connection: Connection,
    ids: TransactionIds,
    place: tuple[int, int, VersionKind],
    incoming: Incoming,
    fetch_id: int | None,
) -> int:
    """Insert the version (article id, number, kind) with its byline and images; its id."""
    article_id, number, kind = place
    row = {
        "article_id": article_id,
        "version_no": number,
        "kind": kind,
        "fetch_id": fetch_id,
        "created_at": datetime.now(UTC),
        **_record_columns(incoming),
    }
    wording = _wording_held_back(connection, incoming.record, row)
    # A racing writer's version of the same number raises here.
    version_id: int = connection.execute(_INSERT_VERSION_RETURNING_ID, row).scalar_one()
    _add_details(connection, ids, version_id, incoming.record)
    if wording:
        connection.execute(_SET_WORDING, {"version_id": version_id, **wording})
    return version_id


def _wording_held_back(
    connection: Connection, record: ArticleRecord, row: dict[str, Any]
) -> dict[str, Any]:
    """On SQLite, take the headline, standfirst and body out of the version's row, to be set
    once its byline and images are in; what was taken out (nothing elsewhere).

    SQLite's search index triggers (migration 0003) rebuild a version's whole FTS5 row, body
    included, for each author and captioned image inserted. With the wording written last,
    those rebuilds index a few words each and the body is tokenized once, by the update.
    (Writing the byline before the version instead would need deferred foreign keys, and
    SQLite then scans `articles` for each new version: no index on `current_version_id`.)
    PostgreSQL's triggers refresh only the byline and captions part: nothing to do there.
    """
    if connection.dialect.name != "sqlite":
        return {}
    if not record.authors and all(image.caption is None for image in record.images):
        return {}
    wording = {name: row[name] for name in _WORDING_COLUMNS}
    row.update(_NO_WORDING)
    return wording


def _add_details(
    connection: Connection, ids: TransactionIds, version_id: int, record: ArticleRecord
) -> None:
    """The version's byline (authors created on first sight) and images, in printed order."""
    if record.authors:
        author_ids = ids.author_ids(record.authors)
        links = [
            {"version_id": version_id, "position": position, "author_id": author_ids[name]}
            for position, name in enumerate(record.authors)
        ]
        connection.execute(_INSERT_AUTHOR_LINKS, links)
    if record.images:
        images = [
            {"version_id": version_id, "position": position, **image.to_dict()}
            for position, image in enumerate(record.images)
        ]
        connection.execute(_INSERT_IMAGES, images)


def _record_columns(incoming: Incoming) -> dict[str, Any]:
    """The version's columns; a page that names no canonical URL gets its own (normalized)."""
    record, snapshot = incoming.record, incoming.snapshot
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
