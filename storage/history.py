"""An article as the archive holds it: its identity and every version, oldest first.

Researchers name an article by its id or by any URL that leads to it (its canonical URL or
an alias); `load_article` reads it in two queries, whatever the size of the archive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from parsers.record import ArticleRecord, record_from_dict
from storage.db import Database
from storage.exceptions import ArticleNotFoundError, VersionNotFoundError
from storage.models import Article, ArticleVersion
from storage.store import Store


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One version: what the article said from `saved_at` until the next version."""

    version_id: int
    number: int
    kind: str
    saved_at: datetime
    content_hash: str
    fetch_id: int | None
    record: ArticleRecord


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article with its versions (oldest first; the last one is current)."""

    article_id: int
    url: str
    site: str
    first_seen: datetime
    last_seen: datetime
    cluster_id: int | None
    versions: tuple[StoredVersion, ...]

    @property
    def current(self) -> StoredVersion:
        return self.versions[-1]

    def version(self, number: int | None = None) -> StoredVersion:
        """Version `number` (1 is the first), or the current one when None."""
        if number is None:
            return self.current
        for version in self.versions:
            if version.number == number:
                return version
        numbers = ", ".join(str(v.number) for v in self.versions)
        raise VersionNotFoundError(
            f"article {self.article_id} has no version {number} (it has {numbers})"
        )

    def as_of(self, when: datetime) -> StoredVersion | None:
        """The version that was current at `when` (None: not yet archived then)."""
        earlier = [v for v in self.versions if v.saved_at <= when]
        return earlier[-1] if earlier else None


def load_article(database: Database, ref: int | str) -> StoredArticle:
    """The article an id ("42", 42) or a URL names; `ArticleNotFoundError` when none does."""
    article_id = _article_id(database, ref)
    with database.session() as session:
        article = session.scalars(
            select(Article).options(joinedload(Article.site)).where(Article.id == article_id)
        ).first()
        if article is None:
            raise ArticleNotFoundError(f"no article with id {article_id}")
        versions = _versions(session, article.id)
    if not versions:
        raise ArticleNotFoundError(f"article {article_id} has no stored version")
    return StoredArticle(
        article_id=article.id,
        url=article.canonical_url,
        site=article.site.name,
        first_seen=article.first_seen,
        last_seen=article.last_seen,
        cluster_id=article.cluster_id,
        versions=versions,
    )


def _article_id(database: Database, ref: int | str) -> int:
    if isinstance(ref, int):
        return ref
    text = ref.strip()
    if text.isdigit():
        return int(text)
    if not text.lower().startswith(("http://", "https://")):
        raise ArticleNotFoundError(f"not an article id or an http(s) URL: {ref!r}")
    article = Store(database).get_article(text)
    if article is None:
        raise ArticleNotFoundError(f"no article is archived for {text}")
    return article.id


def _versions(session: Session, article_id: int) -> tuple[StoredVersion, ...]:
    rows = session.execute(
        select(
            ArticleVersion.id,
            ArticleVersion.version_no,
            ArticleVersion.kind,
            ArticleVersion.created_at,
            ArticleVersion.content_hash,
            ArticleVersion.fetch_id,
            ArticleVersion.record,
        )
        .where(ArticleVersion.article_id == article_id)
        .order_by(ArticleVersion.version_no)
    )
    return tuple(
        StoredVersion(
            version_id=row.id,
            number=row.version_no,
            kind=row.kind,
            saved_at=row.created_at,
            content_hash=row.content_hash,
            fetch_id=row.fetch_id,
            record=record_from_dict(row.record),
        )
        for row in rows
    )
