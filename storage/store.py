"""The store: files records as articles and versions, and reads them back.

Identity is the canonical URL's key (`storage.identity.url_key`); versions follow
`storage.versioning.next_kind`; every save is one transaction. Concurrent writers are made
safe by the schema, not by luck: one article per key and one version per number are unique
constraints, the article row is locked while its next version is decided, and a save that
still loses a race (two workers creating the same article at once) is retried from the
start, when it sees the winner's rows and ends as `unchanged` or `duplicate_of`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, joinedload, selectinload

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
from storage.saving import Incoming, insert_fetch, save_in
from storage.settings import SAVE_ATTEMPTS
from storage.warc import WarcRef

T = TypeVar("T")

# PostgreSQL's "serialization failure" and "deadlock detected": the transaction may succeed
# when run again.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
_UNIQUE_VIOLATIONS = frozenset(
    {"23505", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}
)


class Store:
    """Articles and their versions in one database; safe to share between threads."""

    def __init__(self, database: Database) -> None:
        self.database = database

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

        def attempt(session: Session) -> SaveResult:
            linked = insert_fetch(session, fetch) if fetch is not None else fetch_id
            fetched = session.get(Fetch, linked) if linked is not None else None
            when = seen_at or (fetched.fetched_at if fetched else None) or datetime.now(UTC)
            return save_in(session, incoming, linked, _aware(when), reparse)

        return self._write(attempt, what=record.url)

    def record_fetch(self, fetch: FetchInfo) -> int:
        """Store a fetch that made no record (a 304, an error, a page not parsed); its id."""
        return self._write(lambda session: insert_fetch(session, fetch), what=fetch.url)

    def record_parse(self, record: ArticleRecord, fetch_id: int | None, site: str) -> None:
        """Log which fields a parse filled (every parsed page, saved or not): parser health."""
        row = PageParse(
            site=site,
            url=record.url,
            fetch_id=fetch_id,
            parsed_at=datetime.now(UTC),
            parser=record.parser.name,
            page_type=record.page_type,
            fields_found=list(record.fields_found()),
        )

        def add(session: Session) -> None:
            session.add(row)

        self._write(add, what=record.url)

    def last_capture(self, url: str) -> WarcRef | None:
        """The latest archived full response for the URL: what a revisit record refers to."""
        query = (
            select(Fetch)
            .where(
                Fetch.url == url,
                Fetch.revisit.is_(False),
                Fetch.warc_record_id.is_not(None),
                Fetch.status.is_not(None),
            )
            .order_by(Fetch.fetched_at.desc(), Fetch.id.desc())
            .limit(1)
        )
        with self.database.session() as session:
            fetch = session.scalars(query).first()
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
        """The article any of its URLs leads to (its site loaded), or None."""
        key = url_key(url)
        with self.database.session() as session:
            by_alias = select(ArticleAlias.article_id).where(ArticleAlias.url_key == key)
            return session.scalars(
                select(Article)
                .options(joinedload(Article.site))
                .where((Article.url_key == key) | Article.id.in_(by_alias))
                .order_by(Article.url_key != key)
                .limit(1)
            ).first()

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

    def _write(self, work: Callable[[Session], T], *, what: str) -> T:
        lost: Exception | None = None
        for _ in range(SAVE_ATTEMPTS):
            try:
                with self.database.transaction() as session:
                    return work(session)
            except (IntegrityError, OperationalError) as exc:
                if not _lost_a_race(exc):
                    raise
                lost = exc
        message = f"gave up writing {what} after {SAVE_ATTEMPTS} conflicting writes"
        raise SaveConflictError(message) from lost


def _lost_a_race(exc: IntegrityError | OperationalError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "sqlite_errorname", None)
    if isinstance(exc, IntegrityError):
        return code in _UNIQUE_VIOLATIONS
    return code in _RETRYABLE_SQLSTATES


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
