"""Get-or-create for rows that many writers create at once (sites, authors, aliases).

`INSERT ... ON CONFLICT DO NOTHING` then a read: two workers meeting a new author at the
same moment both end with the one row, without either transaction failing. SQLite and
PostgreSQL spell it the same way through their dialects' `insert`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import ArticleAlias, Author, Base, Site


def insert_ignoring_conflicts(
    session: Session, model: type[Base], rows: list[dict[str, Any]], unique: str
) -> None:
    """Insert the rows whose `unique` column value is not taken yet; skip the rest."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(model).values(rows).on_conflict_do_nothing(index_elements=[unique]))


def site_id(session: Session, name: str, now: datetime) -> int:
    """The id of the site called `name`, created on first sight."""
    found = session.scalar(select(Site.id).where(Site.name == name))
    if found is not None:
        return found
    insert_ignoring_conflicts(session, Site, [{"name": name, "created_at": now}], unique="name")
    return session.scalars(select(Site.id).where(Site.name == name)).one()


def existing_site_id(session: Session, name: str) -> int | None:
    return session.scalar(select(Site.id).where(Site.name == name))


def author_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """Ids for the byline names, creating the new ones (in sorted order: no deadlocks)."""
    wanted = sorted(set(names))
    if not wanted:
        return {}
    query = select(Author.name, Author.id).where(Author.name.in_(wanted))
    found: dict[str, int] = dict(session.execute(query).all())
    missing = [{"name": name} for name in wanted if name not in found]
    if missing:
        insert_ignoring_conflicts(session, Author, missing, unique="name")
        found = dict(session.execute(query).all())
    return found


def add_alias(
    session: Session, key: str, url: str, article_id: int, reason: str, now: datetime
) -> None:
    """Remember that `url` leads to the article; the first article to claim a URL keeps it."""
    row = {"url_key": key, "url": url, "article_id": article_id, "reason": reason}
    insert_ignoring_conflicts(session, ArticleAlias, [{**row, "first_seen": now}], unique="url_key")
