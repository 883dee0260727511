"""Story clusters: the same story republished on several sites shares `articles.cluster_id`.

A cluster is a connected group of near-duplicates (`storage.clusters_minhash.near`) and its
id is its smallest article id, so ids stay put as articles join. `Clusters.update()` works
through the articles that are new, or whose current version changed since they were last
signed, a batch per transaction: it stores their signatures and band keys, regroups the
clusters they were in (an edit can split one), then links each to the near-duplicates its
band keys find in the database (a new article can bridge, and so merge, two clusters).
Signatures are hashed outside the write transaction, so savers are held up only by writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, insert, or_, select, text, update
from sqlalchemy.orm import Session

from storage.clusters_minhash import Sketch, method, sketches
from storage.db import Database
from storage.models import Article, ArticleVersion, ClusterBand, ClusterSignature, Site

BATCH_SIZE = 200
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
    """An article to (re)cluster and the version whose body is hashed."""

    article_id: int
    version_id: int
    body: str


class Clusters:
    """Near-duplicate story clusters of one archive database."""

    def __init__(self, database: Database, batch_size: int = BATCH_SIZE) -> None:
        self.database = database
        self.batch_size = batch_size

    def update(self) -> int:
        """Cluster every article not clustered at its current version; how many were.

        One pass in article id order; an article saved again while its batch was being
        hashed is left for the next run.
        """
        done, after = 0, 0
        while due := self._due(after):
            after = due[-1].article_id
            bodies = sketches([item.body for item in due])
            signed = {item.article_id: sketch for item, sketch in zip(due, bodies, strict=True)}
            with self.database.transaction() as session:
                self._lock(session)
                fresh = _still_due(session, due)
                _assign(session, fresh, signed)
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

    def _due(self, after: int) -> list[_Due]:
        """The next batch of articles to (re)cluster, by id from `after` on (one pass)."""
        query = _due_query().where(Article.id > after).order_by(Article.id).limit(self.batch_size)
        with self.database.session() as session:
            rows = session.execute(query).all()
            return [_Due(a, v, body) for a, v, body in rows if v is not None]


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


def _due_query() -> Select[int, int | None, str]:
    """Articles never clustered, or clustered at another version or by another method."""
    signed = ClusterSignature
    return (
        select(Article.id, Article.current_version_id, ArticleVersion.body)
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


def _assign(session: Session, due: list[_Due], signed: dict[int, Sketch | None]) -> None:
    if not due:
        return
    ids = [item.article_id for item in due]
    old_clusters = {
        cluster_id
        for cluster_id in session.scalars(select(Article.cluster_id).where(Article.id.in_(ids)))
        if cluster_id is not None
    }
    _store_signatures(session, due, signed)
    for cluster_id in sorted(old_clusters):
        _regroup(session, cluster_id)
    session.execute(
        update(Article)
        .where(Article.id.in_(ids), Article.cluster_id.is_(None))
        .values(cluster_id=Article.id)
    )
    for article_id in ids:
        sketch = signed[article_id]
        if sketch is not None:
            _link(session, article_id, sketch)


def _store_signatures(session: Session, due: list[_Due], signed: dict[int, Sketch | None]) -> None:
    ids = [item.article_id for item in due]
    session.execute(delete(ClusterBand).where(ClusterBand.article_id.in_(ids)))
    session.execute(delete(ClusterSignature).where(ClusterSignature.article_id.in_(ids)))
    session.execute(
        insert(ClusterSignature),
        [
            {
                "article_id": item.article_id,
                "version_id": item.version_id,
                "method": method(),
                "signature": _encoded(signed[item.article_id]),
            }
            for item in due
        ],
    )
    bands = [
        {"article_id": article_id, "band": band, "key": key}
        for article_id, sketch in ((item.article_id, signed[item.article_id]) for item in due)
        if sketch is not None
        for band, key in enumerate(sketch.keys)
    ]
    if bands:
        session.execute(insert(ClusterBand), bands)


def _encoded(sketch: Sketch | None) -> bytes | None:
    return None if sketch is None else sketch.encode()


def _regroup(session: Session, cluster_id: int) -> None:
    """Split a cluster into the groups its members' current signatures still connect."""
    rows = session.execute(
        select(Article.id, ClusterSignature.signature, ClusterSignature.method)
        .outerjoin(ClusterSignature, ClusterSignature.article_id == Article.id)
        .where(Article.cluster_id == cluster_id)
    ).all()
    comparable = {
        article_id: Sketch.decode(stored)
        for article_id, stored, made_by in rows
        if stored is not None and made_by == method()
    }
    pairs = [
        (one, other)
        for one in comparable
        for other in comparable
        if one < other and comparable[one].near(comparable[other])
    ]
    for group in _connected([row[0] for row in rows], pairs):
        _move(session, Article.id.in_(group), min(group))


def _link(session: Session, article_id: int, sketch: Sketch) -> None:
    """Merge the article's cluster with the clusters of the near-duplicates it has."""
    # Two plain index lookups (keys, then primary keys) rather than one join: the planner
    # cannot pick a bad plan for them even before the new rows have statistics.
    sharing_a_key = set(
        session.scalars(select(ClusterBand.article_id).where(ClusterBand.key.in_(sketch.keys)))
    )
    sharing_a_key.discard(article_id)
    if not sharing_a_key:
        return
    candidates = session.execute(
        select(ClusterSignature.article_id, ClusterSignature.signature, Article.cluster_id)
        .join(Article, Article.id == ClusterSignature.article_id)
        .where(
            ClusterSignature.article_id.in_(sharing_a_key),
            ClusterSignature.method == method(),
        )
    ).all()
    neighbours = [
        (other_id, cluster_id or other_id)
        for other_id, stored, cluster_id in candidates
        if stored is not None and sketch.near(Sketch.decode(stored))
    ]
    if not neighbours:
        return
    own = session.scalar(select(Article.cluster_id).where(Article.id == article_id)) or article_id
    clusters = {own, *(cluster_id for _, cluster_id in neighbours)}
    others = [other_id for other_id, _ in neighbours]
    joined = or_(Article.cluster_id.in_(clusters), Article.id.in_([*others, article_id]))
    _move(session, joined, min(clusters))


def _move(session: Session, which: ColumnElement[bool], cluster_id: int) -> None:
    """Put the articles `which` selects into the cluster (writing only rows that change)."""
    session.execute(
        update(Article)
        .where(which, Article.cluster_id.is_distinct_from(cluster_id))
        .values(cluster_id=cluster_id)
    )


def _connected(nodes: Iterable[int], pairs: list[tuple[int, int]]) -> list[list[int]]:
    """The connected groups of `nodes` under the `pairs` (a small union-find)."""
    parent = {node: node for node in nodes}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for one, other in pairs:
        parent[root(one)] = root(other)
    groups: dict[int, list[int]] = {}
    for node in parent:
        groups.setdefault(root(node), []).append(node)
    return list(groups.values())
