"""Get-or-create for rows that many writers create at once (sites, authors, aliases).

`INSERT ... ON CONFLICT DO NOTHING` then a read: two workers meeting a new author at the
same moment both end with the one row, without either transaction failing. SQLite and
PostgreSQL spell it the same way through their dialects' `insert`.

Site and author rows are never changed or deleted, so once a transaction that saw one has
committed, its id holds for good, whichever process made the row: `KnownIds` keeps those ids
so a save of a known site and byline asks the database nothing about them. Ids learned
inside a transaction are only kept after it commits (`TransactionIds.keep`); a rolled-back
insert's id is forgotten with it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Insert, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import ArticleAlias, Author, Base, Site
from storage.prepared import Prepared

# Bylines are many more than sites; past this many cached names the author cache starts over.
KNOWN_AUTHORS_LIMIT = 100_000

Executor = Session | Connection

_SITE_ID = select(Site.id).where(Site.name == bindparam("name"))
_AUTHOR_IDS = select(Author.name, Author.id).where(
    Author.name.in_(bindparam("names", expanding=True))
)


def insert_ignoring_conflicts(
    executor: Executor, model: type[Base], rows: list[dict[str, Any]], unique: str
) -> None:
    """Insert the rows whose `unique` column value is not taken yet; skip the rest."""
    if not rows:
        return
    executor.execute(_insert_ignoring(_dialect(executor), model, unique), rows)


def site_id(executor: Executor, name: str, now: datetime) -> int:
    """The id of the site called `name`, created on first sight."""
    found = existing_site_id(executor, name)
    if found is not None:
        return found
    insert_ignoring_conflicts(executor, Site, [{"name": name, "created_at": now}], unique="name")
    return executor.execute(_SITE_ID, {"name": name}).scalar_one()


def existing_site_id(executor: Executor, name: str) -> int | None:
    found: int | None = executor.execute(_SITE_ID, {"name": name}).scalar()
    return found


def author_ids(executor: Executor, names: Iterable[str]) -> dict[str, int]:
    """Ids for the byline names, creating the new ones (in sorted order: no deadlocks)."""
    wanted = sorted(set(names))
    if not wanted:
        return {}
    found: dict[str, int] = dict(executor.execute(_AUTHOR_IDS, {"names": wanted}).all())
    missing = [{"name": name} for name in wanted if name not in found]
    if missing:
        insert_ignoring_conflicts(executor, Author, missing, unique="name")
        found = dict(executor.execute(_AUTHOR_IDS, {"names": wanted}).all())
    return found


def add_alias(
    connection: Connection, key: str, url: str, article_id: int, reason: str, now: datetime
) -> None:
    """Remember that `url` leads to the article; the first article to claim a URL keeps it."""
    row = {"url_key": key, "url": url, "article_id": article_id, "reason": reason}
    statement = _prepared_insert_ignoring(connection.dialect.name, ArticleAlias, "url_key")
    statement.execute(connection, {**row, "first_seen": now})


class KnownIds:
    """Site and author ids seen in committed transactions; safe to share between threads."""

    def __init__(self) -> None:
        self.sites: dict[str, int] = {}
        self.authors: dict[str, int] = {}
        self._lock = threading.Lock()

    def transaction(self, connection: Connection) -> TransactionIds:
        """The lookups of one transaction on `connection`."""
        return TransactionIds(self, connection)

    def add(self, sites: dict[str, int], authors: dict[str, int]) -> None:
        with self._lock:
            self.sites.update(sites)
            if len(self.authors) + len(authors) > KNOWN_AUTHORS_LIMIT:
                self.authors.clear()
            self.authors.update(authors)


class TransactionIds:
    """Site and author ids for one transaction: the cache first, then the database."""

    def __init__(self, known: KnownIds, connection: Connection) -> None:
        self.known = known
        self.connection = connection
        self.sites: dict[str, int] = {}
        self.authors: dict[str, int] = {}

    def site_id(self, name: str, now: datetime) -> int:
        """The site's id, created on first sight."""
        found = self._cached_site_id(name)
        if found is None:
            found = self.sites[name] = site_id(self.connection, name, now)
        return found

    def existing_site_id(self, name: str) -> int | None:
        found = self._cached_site_id(name)
        if found is None:
            found = existing_site_id(self.connection, name)
            if found is not None:
                self.sites[name] = found
        return found

    def author_ids(self, names: Iterable[str]) -> dict[str, int]:
        """Ids for the byline names, asking the database only about names not seen yet."""
        wanted = set(names)
        known = self.known.authors
        found = {name: known[name] for name in wanted if name in known}
        if len(found) < len(wanted):
            learned = author_ids(self.connection, wanted - found.keys())
            self.authors.update(learned)
            found.update(learned)
        return found

    def _cached_site_id(self, name: str) -> int | None:
        found = self.known.sites.get(name)
        return found if found is not None else self.sites.get(name)

    def keep(self) -> None:
        """Call once the transaction has committed: its ids are then valid for good."""
        if self.sites or self.authors:
            self.known.add(self.sites, self.authors)


@cache
def _insert_ignoring(dialect: str, model: type[Base], unique: str) -> Insert:
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(model).on_conflict_do_nothing(index_elements=[unique])


@cache
def _prepared_insert_ignoring(dialect: str, model: type[Base], unique: str) -> Prepared:
    return Prepared(_insert_ignoring(dialect, model, unique))


def _dialect(executor: Executor) -> str:
    if isinstance(executor, Session):
        return executor.get_bind().dialect.name
    return executor.dialect.name
