"""One save inside one transaction: find the article, apply the version rule, write rows.

The store retries this whole function when it loses a race, so it must read everything it
decides on inside the transaction and never trust what an earlier attempt saw (the cached
site and author ids of `storage.upserts.KnownIds` are of committed rows that never change).
Rows are written with prepared Core statements (`storage.save_queries`) run on the
transaction's DBAPI cursor: no unit of work to flush, no execution context per statement.
The article is found in one round trip; on PostgreSQL a new version's rows are written in
one more (`storage.save_postgres`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection

from parsers.record import ArticleRecord
from parsers.urls import normalize_url, site_of
from storage import save_postgres, upserts
from storage.content_hash import content_hash
from storage.contract import FetchInfo, SaveResult, VersionKind
from storage.exceptions import RecordError
from storage.identity import key_of_normalized, url_key
from storage.save_queries import (
    ALIAS_FETCHED,
    CANONICAL,
    CURRENT_VERSION,
    CURRENT_VERSION_WITH_RECORD,
    FETCH_TIME,
    FETCHED_URL,
    FIND_ARTICLE,
    INSERT_ARTICLE,
    INSERT_AUTHOR_LINKS,
    INSERT_FETCH,
    INSERT_IMAGES,
    INSERT_VERSION,
    OWN_FETCHED,
    SAME_TEXT,
    UPDATE_ARTICLE,
)
from storage.upserts import TransactionIds
from storage.versioning import Snapshot, next_kind


class _StoredArticle(NamedTuple):
    """What a save reads of the article a record leads to."""

    id: int
    url_key: str
    canonical_url: str
    last_seen: datetime
    current_version_id: int | None


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
        declared = record.canonical_url or record.url
        canonical = normalize_url(declared)
        site = record.site or site_of(canonical)
        if not site:
            raise RecordError(f"cannot store a record without an http(s) URL: {record.url!r}")
        snapshot = Snapshot(content_hash(record), record.updated_at, record.to_dict())
        # url_key(record.url), without normalizing the same URL twice
        fetched = key_of_normalized(canonical) if declared == record.url else url_key(record.url)
        return cls(record, site, canonical, url_key(canonical), fetched, snapshot)


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
    fetch_id: int = INSERT_FETCH.execute(connection, row)[0][0]
    return fetch_id


def fetch_time(connection: Connection, fetch_id: int) -> datetime | None:
    """When a stored fetch was made (None for an unknown id)."""
    rows = FETCH_TIME.execute(connection, {"fetch_id": fetch_id})
    found: datetime | None = rows[0][0] if rows else None
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
    last_seen = article.last_seen if reparse else max(article.last_seen, seen_at)
    if kind is None or not found.speaks_for_it:
        _touch_article(connection, article, last_seen)
        return _no_version(article, number, incoming)
    version = _version_row((article.id, number + 1, kind), incoming, fetch_id)
    moved = last_seen if last_seen != article.last_seen else None
    _add_version(connection, ids, version, incoming.record, moved)
    return SaveResult("new_version", article.id, number + 1, kind)


def _find_article(connection: Connection, ids: TransactionIds, incoming: Incoming) -> _Found | None:
    """The article the record belongs to: one of its URLs is the article's own (the declared
    canonical's wins), else an alias of the article, else the article holds the same text
    at another URL of the site (an empty body proves nothing)."""
    site_id = ids.existing_site_id(incoming.site) if incoming.record.body else None
    wanted = {
        "canonical_key": incoming.canonical_key,
        "fetched_key": incoming.fetched_key,
        "content_hash": incoming.snapshot.content_hash if site_id is not None else None,
        "site_id": site_id,
    }
    rows = FIND_ARTICLE.execute(connection, wanted)
    if not rows:
        return None
    *article, rank, reason = rows[0]
    speaks_for_it = rank <= OWN_FETCHED or (rank <= ALIAS_FETCHED and reason != SAME_TEXT)
    return _Found(_StoredArticle(*article), speaks_for_it)


def _current_version(
    connection: Connection, version_id: int | None, reparse: bool
) -> tuple[int, Snapshot]:
    """The current version's number and what the version rule compares it by; the stored
    record (JSON to decode) is read only for a re-parse, the one rule that looks at it."""
    query = CURRENT_VERSION_WITH_RECORD if reparse else CURRENT_VERSION
    (row,) = query.execute(connection, {"version_id": version_id})
    number, hash_, updated_at = row[:3]
    record: dict[str, Any] = row[3] if reparse else {}
    return number, Snapshot(hash_, updated_at, record)


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
    version = _version_row((None, 1, "first"), incoming, fetch_id)
    # A racing writer's article makes this raise; the store retries.
    if connection.dialect.name == "postgresql":
        details = (_byline_ids(ids, incoming.record), incoming.record.images)
        article_id = save_postgres.create_article(connection, article, version, details)
    else:
        article_id = INSERT_ARTICLE.execute(connection, article)[0][0]
        _add_version(connection, ids, {**version, "article_id": article_id}, incoming.record)
    _remember_urls(connection, article_id, incoming.canonical_key, incoming, seen_at, None)
    return SaveResult("new", article_id, 1, "first")


def _no_version(article: _StoredArticle, number: int, incoming: Incoming) -> SaveResult:
    own_url = article.url_key == incoming.canonical_key == incoming.fetched_key
    if own_url:
        return SaveResult("unchanged", article.id, number)
    return SaveResult("duplicate_of", article.id, number, duplicate_of=article.canonical_url)


def _touch_article(connection: Connection, article: _StoredArticle, last_seen: datetime) -> None:
    """Move the article's last-seen time (no statement when it did not move)."""
    if last_seen != article.last_seen:
        UPDATE_ARTICLE.execute(connection, {"article_id": article.id, "last_seen": last_seen})


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
    version: dict[str, Any],
    record: ArticleRecord,
    last_seen: datetime | None = None,
) -> None:
    """Insert the version (`version`: its columns but the id) with its byline and images,
    then point its article at it (and move its last-seen time, unless None).

    The pointer moves last: the search index (migration 0005) indexes the version it
    reaches, once its rows are all in. A racing writer's version of the same number makes
    the insert raise; the store retries.
    """
    if connection.dialect.name == "postgresql":
        details = (_byline_ids(ids, record), record.images)
        save_postgres.add_version(connection, version, details, last_seen)
        return
    version_id: int = INSERT_VERSION.execute(connection, version)[0][0]
    _add_details(connection, ids, version_id, record)
    pointer = {"article_id": version["article_id"], "current_version_id": version_id}
    if last_seen is not None:
        pointer["last_seen"] = last_seen
    UPDATE_ARTICLE.execute(connection, pointer)


def _version_row(
    place: tuple[int | None, int, VersionKind], incoming: Incoming, fetch_id: int | None
) -> dict[str, Any]:
    """The version's columns but its id (and its article's, when the article is new too)."""
    article_id, number, kind = place
    row = {
        "version_no": number,
        "kind": kind,
        "fetch_id": fetch_id,
        "created_at": datetime.now(UTC),
        **_record_columns(incoming),
    }
    if article_id is not None:
        row["article_id"] = article_id
    return row


def _add_details(
    connection: Connection, ids: TransactionIds, version_id: int, record: ArticleRecord
) -> None:
    """The version's byline (authors created on first sight) and images, in printed order."""
    if record.authors:
        links = [
            {"version_id": version_id, "position": position, "author_id": author_id}
            for position, author_id in enumerate(_byline_ids(ids, record))
        ]
        INSERT_AUTHOR_LINKS.execute_many(connection, links)
    if record.images:
        images = [
            {"version_id": version_id, "position": position, **image.to_dict()}
            for position, image in enumerate(record.images)
        ]
        INSERT_IMAGES.execute_many(connection, images)


def _byline_ids(ids: TransactionIds, record: ArticleRecord) -> list[int]:
    """The ids of the record's authors in printed order, created on first sight."""
    if not record.authors:
        return []
    author_ids = ids.author_ids(record.authors)
    return [author_ids[name] for name in record.authors]


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
