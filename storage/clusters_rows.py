"""The rows behind story clusters (`storage.clusters`): signatures and band keys stored, the
candidates a batch's band keys find, clusters merged along near pairs and split when an
edit leaves a member apart.

Band keys are 25 rows an article: they are inserted, and looked up, through the driver's
own parameters, where SQLAlchemy's per-row and per-value processing would cost more than
the statements themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlalchemy import ColumnElement, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from storage.clusters_minhash import Sketch, method
from storage.models import Article, ClusterBand, ClusterSignature

# Values bound in one IN list at most (SQLite allows 32,766 per statement).
IN_LIST_SIZE = 2000


class Due(Protocol):
    """An article being clustered, at the version its signature is of."""

    @property
    def article_id(self) -> int: ...

    @property
    def version_id(self) -> int: ...


def store_signatures(
    session: Session, due: Sequence[Due], sketches: dict[int, Sketch | None]
) -> None:
    """Replace the articles' signatures and band keys (inserted through the connection:
    Core's executemany, not the ORM's bulk insert, which costs several times more a row)."""
    ids = [item.article_id for item in due]
    connection = session.connection()
    session.execute(delete(ClusterBand).where(ClusterBand.article_id.in_(ids)))
    session.execute(delete(ClusterSignature).where(ClusterSignature.article_id.in_(ids)))
    connection.execute(
        insert(ClusterSignature),
        [
            {
                "article_id": item.article_id,
                "version_id": item.version_id,
                "method": method(),
                "signature": _encoded(sketches[item.article_id]),
            }
            for item in due
        ],
    )
    bands = [
        (article_id, band, key)
        for article_id, sketch in ((item.article_id, sketches[item.article_id]) for item in due)
        if sketch is not None
        for band, key in enumerate(sketch.keys)
    ]
    if bands:
        # Straight to the driver's executemany: 25 rows an article, where SQLAlchemy's
        # per-row parameter processing would cost more than the insert itself.
        connection.exec_driver_sql(_insert_bands_sql(connection.dialect.paramstyle), bands)


def _insert_bands_sql(paramstyle: str | None) -> str:
    marks = _placeholders(paramstyle, 3)
    return f"INSERT INTO {ClusterBand.__tablename__} (article_id, band, key) VALUES ({marks})"


def _shared_keys_sql(paramstyle: str | None, count: int) -> str:
    """Which of `count` keys more than one row holds (the keys bound as driver parameters:
    SQLAlchemy's expansion of a long IN list costs more than the lookups)."""
    table, marks = ClusterBand.__tablename__, _placeholders(paramstyle, count)
    return f"SELECT key FROM {table} WHERE key IN ({marks}) GROUP BY key HAVING count(*) > 1"


def _placeholders(paramstyle: str | None, count: int) -> str:
    """`count` positional placeholders in the driver's style (sqlite3: qmark, psycopg:
    format)."""
    if paramstyle == "qmark":
        return ", ".join("?" * count)
    if paramstyle == "numeric":
        return ", ".join(f":{number}" for number in range(1, count + 1))
    return ", ".join(["%s"] * count)


def _encoded(sketch: Sketch | None) -> bytes | None:
    return None if sketch is None else sketch.encode()


def regroup(session: Session, cluster_id: int) -> None:
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


def link(session: Session, signed: dict[int, Sketch]) -> None:
    """Merge the clusters of the batch's articles with those of their near-duplicates: each
    group of articles the near pairs connect ends in the smallest of its clusters."""
    candidates = _sharing_a_key(session, signed)
    others = set().union(*candidates.values()) if candidates else set()
    stored = _stored_sketches(session, others - signed.keys())
    known = {**stored, **signed}
    pairs = [
        (article_id, other_id)
        for article_id, sharing in candidates.items()
        for other_id in sharing
        if other_id in known and signed[article_id].near(known[other_id])
    ]
    if not pairs:
        return
    linked = {node for pair in pairs for node in pair}
    stored_cluster = _cluster_ids(session, linked)
    cluster_of = {node: stored_cluster.get(node) or node for node in linked}
    members: dict[int, list[int]] = {}
    for node, cluster_id in cluster_of.items():
        members.setdefault(cluster_id, []).append(node)
    edges = [(cluster_of[one], cluster_of[other]) for one, other in pairs]
    for group in _connected(members, edges):
        articles = [node for cluster_id in group for node in members[cluster_id]]
        if len(group) == 1 and all(stored_cluster.get(node) for node in articles):
            continue  # already one cluster, every member in it
        joined = or_(Article.cluster_id.in_(group), Article.id.in_(articles))
        _move(session, joined, min(group))


def _sharing_a_key(session: Session, signed: dict[int, Sketch]) -> dict[int, set[int]]:
    """For each article, the other articles with one of its band keys (LSH candidates)."""
    # Plain index lookups on the keys rather than a self-join: the planner cannot pick a bad
    # plan for them even before the new rows have statistics. Most keys are held by their
    # own article alone (the batch's rows are in): only keys held twice are read back.
    keys = sorted({key for sketch in signed.values() for key in sketch.keys})
    connection = session.connection()
    paramstyle = connection.dialect.paramstyle
    shared = [
        key
        for chunk in chunks(keys, IN_LIST_SIZE)
        for (key,) in connection.exec_driver_sql(
            _shared_keys_sql(paramstyle, len(chunk)), tuple(chunk)
        )
    ]
    holders: dict[int, set[int]] = {}
    for chunk in chunks(shared, IN_LIST_SIZE):
        rows = session.execute(
            select(ClusterBand.key, ClusterBand.article_id).where(ClusterBand.key.in_(chunk))
        )
        for key, article_id in rows:
            holders.setdefault(key, set()).add(article_id)
    candidates: dict[int, set[int]] = {}
    for article_id, sketch in signed.items():
        sharing = {other for key in sketch.keys for other in holders.get(key, ())}
        sharing.discard(article_id)
        if sharing:
            candidates[article_id] = sharing
    return candidates


def _stored_sketches(session: Session, ids: Iterable[int]) -> dict[int, Sketch]:
    """The stored sketches of these articles that were made by the current method."""
    found: dict[int, Sketch] = {}
    for chunk in chunks(sorted(ids), IN_LIST_SIZE):
        rows = session.execute(
            select(ClusterSignature.article_id, ClusterSignature.signature).where(
                ClusterSignature.article_id.in_(chunk), ClusterSignature.method == method()
            )
        )
        found.update((article_id, Sketch.decode(stored)) for article_id, stored in rows if stored)
    return found


def _cluster_ids(session: Session, ids: Iterable[int]) -> dict[int, int | None]:
    found: dict[int, int | None] = {}
    for chunk in chunks(sorted(ids), IN_LIST_SIZE):
        rows = session.execute(select(Article.id, Article.cluster_id).where(Article.id.in_(chunk)))
        found.update((article_id, cluster_id) for article_id, cluster_id in rows)
    return found


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


def chunks(values: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    return (values[start : start + size] for start in range(0, len(values), size))
