"""The store: files records as articles and versions, and reads them back.

Identity is the canonical URL's key (`storage.identity.url_key`); versions follow
`storage.versioning.next_kind`; every save is one transaction. Concurrent writers are made
safe by the schema, not by luck: one article per key and one version per number are unique
constraints, the article row is locked while its next version is decided, and a save that
still loses a race (two workers creating the same article at once) is retried from the
start, when it sees the winner's rows and ends as `unchanged` or `duplicate_of`.

Writes are prepared Core statements run on the write transaction's DBAPI cursor
(`storage.prepared`: no ORM session, no flush, no execution context per statement); the
ids of sites and authors seen in committed transactions, and the times of the fetches this
store recorded, are remembered so a save does not ask for them again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload, selectinload

from parsers.record import ArticleRecord, record_from_dict
from storage.contract import FetchInfo, SaveResult
from storage.db import Database
from storage.exceptions import SaveConflictError
from storage.identity import url_key
from storage.models import (
    Article,
    ArticleAlias,
    ArticleVersion,
    Fetch,
    PageParse,
    VersionAuthor,
)
from storage.prepared import Prepared, written_limit
from storage.saving import Incoming, fetch_time, insert_fetch, save_in
from storage.search_queue import catch_up, index_due
from storage.settings import SAVE_ATTEMPTS
from storage.upserts import KnownIds, TransactionIds
from storage.warc import WarcRef
from storage.write_retries import lost_a_race

T = TypeVar("T")

# Fetch times remembered from `record_fetch`, so the save that follows need not read them.
FETCH_TIMES_KEPT = 4096

# Statements built once (each call only binds its values).
_INSERT_PAGE_PARSE = Prepared(insert(PageParse))
_LAST_CAPTURE = (
    select(
        Fetch.warc_file,
        Fetch.warc_offset,
        Fetch.warc_length,
        Fetch.payload_digest,
        Fetch.warc_record_id,
    )
    .where(
        Fetch.url == bindparam("url"),
        Fetch.revisit.is_(False),
        Fetch.warc_record_id.is_not(None),
        Fetch.status.is_not(None),
    )
    .order_by(Fetch.fetched_at.desc(), Fetch.id.desc())
    .limit(written_limit(1))
)
_ARTICLE_BY_URL_KEY = (
    select(Article)
    .options(joinedload(Article.site))
    .where(
        Article.id
        == func.coalesce(
            select(Article.id).where(Article.url_key == bindparam("key")).scalar_subquery(),
            select(ArticleAlias.article_id)
            .where(ArticleAlias.url_key == bindparam("key"))
            .scalar_subquery(),
        )
    )
)


class Store:
    """Articles and their versions in one database; safe to share between threads."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._known_ids = KnownIds()
        self._fetch_times: dict[int, datetime] = {}
        self._fetch_times_lock = threading.Lock()

    def save(
        self,
        record: ArticleRecord,
        fetch: FetchInfo | None = None,
        *,
        fetch_id: int | None = None,
        reparse: bool = False,
        seen_at: datetime | None = None,
    ) -> SaveResult:
        """File a parsed record; `fetch` is stored with it (or name a stored one by `fetch_id`).

        `seen_at` (default: the fetch's time, else now) moves the article's last-seen time;
        `reparse=True` compares extractions instead of applying the edit rule and never
        moves last-seen, for re-running parsers over the archive.
        """
        incoming = Incoming.of(record)

        def attempt(connection: Connection, ids: TransactionIds) -> SaveResult:
            linked, fetched_at = fetch_id, None
            if fetch is not None:
                linked, fetched_at = insert_fetch(connection, ids, fetch), fetch.fetched_at
            elif fetch_id is not None and seen_at is None:
                fetched_at = self._fetch_time(connection, fetch_id)
            when = seen_at or fetched_at or datetime.now(UTC)
            return save_in(connection, ids, incoming, linked, _aware(when), reparse)

        return self._write(attempt, what=record.url)

    def save_many(self, records: Sequence[tuple[ArticleRecord, int | None]]) -> list[SaveResult]:
        """File (record, fetch id) pairs in one transaction, as `save(record, fetch_id=...)`
        would one by one: a batch shares one commit. A lost race retries the whole batch."""
        batch = [(Incoming.of(record), fetch_id) for record, fetch_id in records]

        def attempt(connection: Connection, ids: TransactionIds) -> list[SaveResult]:
            results = []
            for incoming, fetch_id in batch:
                fetched_at = None if fetch_id is None else self._fetch_time(connection, fetch_id)
                when = _aware(fetched_at or datetime.now(UTC))
                results.append(save_in(connection, ids, incoming, fetch_id, when, False))
            return results

        return self._write(attempt, what=f"a batch of {len(batch)} records") if batch else []

    def index_queued(self) -> int:
        """Index for search every article saves queued (SQLite: `storage.search_queue`); how
        many. Saves index the queue in batches and searches catch up first, but a read-only
        opening cannot: a writer calls this when it is done, as a crawl run's end does."""
        return catch_up(self.database)

    def record_fetch(self, fetch: FetchInfo) -> int:
        """Store a fetch that made no record (a 304, an error, a page not parsed); its id."""
        fetch_id = self._write(
            lambda connection, ids: insert_fetch(connection, ids, fetch), what=fetch.url
        )
        with self._fetch_times_lock:
            if len(self._fetch_times) >= FETCH_TIMES_KEPT:
                del self._fetch_times[next(iter(self._fetch_times))]
            self._fetch_times[fetch_id] = fetch.fetched_at
        return fetch_id

    def record_parse(self, record: ArticleRecord, fetch_id: int | None, site: str) -> None:
        """Log which fields a parse filled (every parsed page, saved or not): parser health."""
        row = {
            "site": site,
            "url": record.url,
            "fetch_id": fetch_id,
            "parsed_at": datetime.now(UTC),
            "parser": record.parser.name,
            "page_type": record.page_type,
            "fields_found": list(record.fields_found()),
        }

        def add(connection: Connection, _ids: TransactionIds) -> None:
            _INSERT_PAGE_PARSE.execute(connection, row)

        self._write(add, what=record.url)

    def last_capture(self, url: str) -> WarcRef | None:
        """The latest archived full response for the URL: what a revisit record refers to."""
        with self.database.engine.connect() as connection:
            fetch = connection.execute(_LAST_CAPTURE, {"url": url}).first()
        if fetch is None or fetch.warc_file is None or fetch.warc_record_id is None:
            return None
        return WarcRef(
            fetch.warc_file,
            fetch.warc_offset or 0,
            fetch.warc_length or 0,
            fetch.payload_digest,
            fetch.warc_record_id,
        )

    def get_article(self, url: str) -> Article | None:
        """The article any of its URLs leads to (its site loaded), or None.

        Its own key first, else an alias's article: two index lookups, whatever the size of
        the archive.
        """
        with self.database.session() as session:
            found = session.scalars(_ARTICLE_BY_URL_KEY, {"key": url_key(url)})
            return found.first()

    def versions(self, article_id: int) -> list[ArticleVersion]:
        """Every version of the article, oldest first, with authors and images loaded."""
        with self.database.session() as session:
            return list(
                session.scalars(
                    select(ArticleVersion)
                    .options(
                        selectinload(ArticleVersion.images),
                        selectinload(ArticleVersion.author_links).joinedload(VersionAuthor.author),
                    )
                    .where(ArticleVersion.article_id == article_id)
                    .order_by(ArticleVersion.version_no)
                )
            )

    @staticmethod
    def record_of(version: ArticleVersion) -> ArticleRecord:
        """The record a version was made from, as the parser returned it."""
        return record_from_dict(version.record)

    def _fetch_time(self, connection: Connection, fetch_id: int) -> datetime | None:
        known = self._fetch_times.get(fetch_id)
        return known if known is not None else fetch_time(connection, fetch_id)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """`Database.transaction()` without the ORM session the store's Core writes never use:
        the same write lock and `BEGIN IMMEDIATE` engine, committed when the block ends."""
        with self.database.write_lock, self.database.write_engine.begin() as connection:
            yield connection

    def _write(self, work: Callable[[Connection, TransactionIds], T], *, what: str) -> T:
        """Run `work` in a write transaction, again from the start when it loses a race."""
        lost: Exception | None = None
        for _ in range(SAVE_ATTEMPTS):
            try:
                with self._transaction() as connection:
                    ids = self._known_ids.transaction(connection)
                    result = work(connection, ids)
                    index_due(connection)
            except (IntegrityError, OperationalError) as exc:
                if not lost_a_race(exc):
                    raise
                lost = exc
                continue
            ids.keep()
            return result
        message = f"gave up writing {what} after {SAVE_ATTEMPTS} conflicting writes"
        raise SaveConflictError(message) from lost


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
