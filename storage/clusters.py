"""Story clusters: the same story republished on several sites shares `articles.cluster_id`.

A cluster is a connected group of near-duplicates (`storage.clusters_minhash.Sketch.near`)
and its id is its smallest article id, so ids stay put as articles join. `Clusters.update()`
works through the articles that are new, or whose current version changed since they were
last signed, a batch per transaction: it stores their signatures and band keys, regroups
the clusters they were in (an edit can split one), then links the batch to the
near-duplicates its band keys find in the database (a new article can bridge, and so merge,
two clusters). Signatures are made outside the write transaction, so savers are held up
only by writes; a crawl hands over the sketches its parsing processes made
(`SignedVersions`), so only the bodies it did not sign are read back and hashed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, or_, select, text, update
from sqlalchemy.orm import Session

from storage.clusters_minhash import SignedVersions, Sketch, method, sketch_of
from storage.clusters_rows import IN_LIST_SIZE, chunks, link, regroup, store_signatures
from storage.db import Database
from storage.models import Article, ArticleVersion, ClusterSignature, Site

__all__ = ["BATCH_SIZE", "ClusterMember", "Clusters", "SignedVersions"]

BATCH_SIZE = 500
# Serializes `update()` runs on PostgreSQL ("clusters" in ASCII); SQLite writers queue anyway.
CLUSTER_LOCK_ID = 0x636C757374657273


@dataclass(frozen=True, slots=True)
class ClusterMember:
    """An article of a cluster, as a list of where the story appeared shows it."""

    article_id: int
    url: str
    site: str
    headline: str | None
    first_seen: datetime


@dataclass(frozen=True, slots=True)
class _Due:
    """An article to (re)cluster and the version it is signed at."""

    article_id: int
    version_id: int
    version_no: int


class Clusters:
    """Near-duplicate story clusters of one archive database."""

    def __init__(self, database: Database, batch_size: int = BATCH_SIZE) -> None:
        self.database = database
        self.batch_size = batch_size

    def update(
        self, signed: SignedVersions | None = None, only: Collection[int] | None = None
    ) -> int:
        """Cluster every article not clustered at its current version (of `only`, when
        given); how many were.

        `signed` holds sketches already made of versions' bodies (by a crawl's parsing
        processes); the other bodies are read and hashed here. One pass in article id
        order; an article saved again while its batch was being hashed is left for the
        next run.
        """
        done = 0
        for due in self._batches(only):
            sketches = self._sketches(due, signed or SignedVersions())
            with self.database.transaction() as session:
                self._lock(session)
                fresh = _still_due(session, due)
                _assign(session, fresh, sketches)
            done += len(fresh)
        return done

    def members(self, article_id: int) -> list[ClusterMember]:
        """The articles clustered with `article_id` (itself included), first seen first."""
        cluster = select(Article.cluster_id).where(Article.id == article_id).scalar_subquery()
        query = (
            select(
                Article.id,
                Article.canonical_url,
                Site.name,
                ArticleVersion.headline,
                Article.first_seen,
            )
            .join(Site, Site.id == Article.site_id)
            .outerjoin(ArticleVersion, ArticleVersion.id == Article.current_version_id)
            .where(or_(Article.id == article_id, Article.cluster_id == cluster))
            .order_by(Article.first_seen, Article.id)
        )
        with self.database.session() as session:
            return [ClusterMember(*row) for row in session.execute(query)]

    def _lock(self, session: Session) -> None:
        if self.database.dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": CLUSTER_LOCK_ID})

    def _batches(self, only: Collection[int] | None) -> Iterator[list[_Due]]:
        """The articles to (re)cluster, a batch at a time in id order (one pass)."""
        if only is not None:
            for chunk in chunks(sorted(set(only)), self.batch_size):
                if due := self._due(Article.id.in_(chunk)):
                    yield due
            return
        after = 0
        while due := self._due(Article.id > after):
            yield due
            after = due[-1].article_id

    def _due(self, which: ColumnElement[bool]) -> list[_Due]:
        query = _due_query().where(which).order_by(Article.id).limit(self.batch_size)
        with self.database.session() as session:
            rows = session.execute(query).all()
            return [_Due(a, v, n) for a, v, n in rows if v is not None]

    def _sketches(self, due: list[_Due], signed: SignedVersions) -> dict[int, Sketch | None]:
        """Each article's sketch at its due version: handed over, else hashed from its body."""
        sketches: dict[int, Sketch | None] = {}
        unsigned: dict[int, int] = {}  # version id -> article id
        for item in due:
            if (item.article_id, item.version_no) in signed:
                sketches[item.article_id] = signed.get(item.article_id, item.version_no)
            else:
                unsigned[item.version_id] = item.article_id
        with self.database.session() as session:
            for chunk in chunks(list(unsigned), IN_LIST_SIZE):
                bodies = session.execute(
                    select(ArticleVersion.id, ArticleVersion.body).where(
                        ArticleVersion.id.in_(chunk)
                    )
                )
                for version_id, body in bodies:
                    sketches[unsigned[version_id]] = sketch_of(body)
        return sketches


def _still_due(session: Session, due: list[_Due]) -> list[_Due]:
    """The batch's articles still due at the version read (another run may have done some)."""
    current = dict(
        session.execute(
            _due_query()
            .with_only_columns(Article.id, Article.current_version_id)
            .where(Article.id.in_([item.article_id for item in due]))
        ).all()
    )
    return [item for item in due if current.get(item.article_id) == item.version_id]


def _due_query() -> Select[int, int | None, int]:
    """Articles never clustered, or clustered at another version or by another method."""
    signed = ClusterSignature
    return (
        select(Article.id, Article.current_version_id, ArticleVersion.version_no)
        .join(ArticleVersion, ArticleVersion.id == Article.current_version_id)
        .outerjoin(signed, signed.article_id == Article.id)
        .where(
            or_(
                signed.article_id.is_(None),
                signed.version_id != Article.current_version_id,
                signed.method != method(),
                Article.cluster_id.is_(None),
            )
        )
    )


def _assign(session: Session, due: list[_Due], sketches: dict[int, Sketch | None]) -> None:
    if not due:
        return
    ids = [item.article_id for item in due]
    old_clusters = {
        cluster_id
        for cluster_id in session.scalars(select(Article.cluster_id).where(Article.id.in_(ids)))
        if cluster_id is not None
    }
    store_signatures(session, due, sketches)
    for cluster_id in sorted(old_clusters):
        regroup(session, cluster_id)
    session.execute(
        update(Article)
        .where(Article.id.in_(ids), Article.cluster_id.is_(None))
        .values(cluster_id=Article.id)
    )
    signed = {item.article_id: s for item in due if (s := sketches[item.article_id]) is not None}
    link(session, signed)
