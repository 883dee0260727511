"""The frontier: which URLs to fetch, when, and with which validators.

Articles are rechecked on a schedule that starts frequent and backs off with age (a story is
most often corrected in its first hours), reset whenever a change is found. Discovery can
make a URL due at once: a feed entry or sitemap lastmod newer than what the last fetch saw
means the page changed, so the update is caught without refetching everything.
Feeds, sitemaps and section pages live here too (state `source`), so they are fetched
conditionally like articles, but `due` never hands them out as articles.

Discovery re-reports every URL of a sitemap on every pass, so `add` works in bulk: a few
statements per chunk of URLs, never one round-trip per URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Row, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.db import Database
from storage.frontier_visits import (
    ERROR_RETRY,
    MAX_FAILURES,
    MAX_LAST_MODIFIED,
    Outcome,
    Visit,
    record_visit,
)
from storage.identity import url_key
from storage.models import FrontierUrl, Site
from storage.upserts import site_id as site_id_in

__all__ = [
    "CHUNK",
    "DUE_STATES",
    "ERROR_RETRY",
    "MAX_FAILURES",
    "MAX_LAST_MODIFIED",
    "Discovered",
    "DueUrl",
    "Frontier",
    "Outcome",
    "State",
    "Visit",
]

# new: never fetched; active: rechecked on the schedule; done: past the last recheck step;
# gone: 404/410; failed: too many errors in a row; other: not an article page; source: a
# feed, sitemap or section page.
State = Literal["new", "active", "done", "gone", "failed", "other", "source"]
DUE_STATES = ("new", "active")
# States a newer discovery date sends back to the fetcher at once.
_RECHECKED = ("active", "done", "failed")
CHUNK = 500  # keys per IN list: well under every database's limit on bound parameters
_KNOWN_COLUMNS = (
    FrontierUrl.id,
    FrontierUrl.url_key,
    FrontierUrl.state,
    FrontierUrl.lastmod_seen,
    FrontierUrl.published_seen,
    FrontierUrl.last_fetched_at,
)
Known = Row[int, str, str, datetime | None, datetime | None, datetime | None]


@dataclass(frozen=True, slots=True)
class Discovered:
    """A URL discovery saw, with the dates it saw beside it (either may be unknown)."""

    url: str
    lastmod: datetime | None = None
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class DueUrl:
    """What the fetcher needs to make the next request conditional."""

    url: str
    etag: str | None
    last_modified: str | None
    last_digest: str | None
    state: str


class Frontier:
    """The to-do list of one archive; every method is one short transaction."""

    def __init__(self, database: Database, recheck: Sequence[timedelta]) -> None:
        self.database = database
        self.recheck = tuple(recheck)

    def add(self, site: str, links: Iterable[Discovered], now: datetime) -> int:
        """Record discovered URLs; new ones are due now, known ones when discovery saw a newer
        date than their last fetch. Returns how many URLs became due."""
        return self._add(site, _unique(links), now, as_source=False)

    def add_sources(self, site: str, urls: Iterable[str], now: datetime) -> None:
        """Feeds, sitemaps and section pages: fetched every discovery pass, conditionally.
        A URL known as an article becomes a source: the configuration says what it is."""
        self._add(site, _unique(Discovered(url) for url in urls), now, as_source=True)

    def _add(
        self, site: str, links: dict[str, Discovered], now: datetime, *, as_source: bool
    ) -> int:
        """Known URLs are updated, the rest inserted; a URL another worker inserted meanwhile
        is skipped by the unique key, never duplicated nor counted. Rows are written in key
        order, so two workers adding the same URLs wait for each other instead of deadlocking."""
        with self.database.transaction() as session:
            site_id = site_id_in(session, site, now)
            known = _known_rows(session, list(links))
            fresh = [
                _new_row(site_id, key, link, now, "source" if as_source else "new")
                for key, link in sorted(links.items())
                if key not in known
            ]
            inserted = _insert_new(session, fresh)
            ordered = sorted(known.values(), key=lambda row: row.id)
            changes = [_rediscovered(row, links[row.url_key], now, as_source) for row in ordered]
            _touch(session, [row.id for row in ordered], now)
            _update_by_id(session, [change for change, _ in changes if len(change) > 1])
        return inserted + sum(due for _, due in changes)

    def source(self, url: str) -> DueUrl | None:
        """The validators of a feed, sitemap or section page; None when it is not a source."""
        with self.database.session() as session:
            row = _row(session, url)
            return _due(row) if row is not None and row.state == "source" else None

    def due(self, site: str, now: datetime, limit: int | None = None) -> list[DueUrl]:
        """Article URLs of `site` whose time has come, longest waiting first."""
        query = (
            select(FrontierUrl)
            .join(Site, Site.id == FrontierUrl.site_id)
            .where(Site.name == site)
            .where(FrontierUrl.state.in_(DUE_STATES), FrontierUrl.next_due_at <= now)
            .order_by(FrontierUrl.next_due_at, FrontierUrl.id)
            .limit(limit)
        )
        with self.database.session() as session:
            return [_due(row) for row in session.scalars(query)]

    def record(
        self,
        url: str,
        outcome: Outcome,
        now: datetime,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        digest: str | None = None,
        error: str | None = None,
    ) -> None:
        """Move a URL on after a fetch: when it is due next and what to send then (see
        `storage.frontier_visits`, which files it inside a page's own transaction)."""
        visit = Visit(url, now, etag, last_modified, digest, error)
        with self.database.transaction() as session:
            record_visit(session.connection(), visit, outcome, self.recheck)

    def counts(self, site: str | None = None) -> dict[str, int]:
        """URLs per state: what `status` shows."""
        query = select(FrontierUrl.state, func.count()).group_by(FrontierUrl.state)
        if site is not None:
            query = query.join(Site, Site.id == FrontierUrl.site_id).where(Site.name == site)
        with self.database.session() as session:
            return dict(session.execute(query).all())


def _unique(links: Iterable[Discovered]) -> dict[str, Discovered]:
    """One entry per identity, keeping the first spelling and the newest dates of any."""
    merged: dict[str, Discovered] = {}
    for link in links:
        key = url_key(link.url)
        known = merged.get(key)
        merged[key] = (
            link
            if known is None
            else Discovered(
                known.url,
                _latest(known.lastmod, link.lastmod),
                _latest(known.published, link.published),
            )
        )
    return merged


def _latest(one: datetime | None, other: datetime | None) -> datetime | None:
    present = [value for value in (one, other) if value is not None]
    return max(present) if present else None


def _later(value: datetime | None, than: datetime | None) -> bool:
    """Whether `value` is a date after `than` (any date is later than none)."""
    return value is not None and (than is None or value > than)


def _row(session: Session, url: str) -> FrontierUrl | None:
    return session.scalars(select(FrontierUrl).where(FrontierUrl.url_key == url_key(url))).first()


def _known_rows(session: Session, keys: list[str]) -> dict[str, Known]:
    """What a rediscovery decides on, for the keys already in the frontier."""
    known: dict[str, Known] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        query = select(*_KNOWN_COLUMNS).where(FrontierUrl.url_key.in_(chunk))
        known.update((row.url_key, row) for row in session.execute(query))
    return known


def _insert_new(session: Session, rows: list[dict[str, object]]) -> int:
    """Insert in one batched statement (the driver pages it); how many rows were new."""
    if not rows:
        return 0
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(FrontierUrl)
        .on_conflict_do_nothing(index_elements=["url_key"])
        .returning(FrontierUrl.id)
    )
    return len(session.scalars(statement, rows).all())


def _new_row(
    site_id: int, key: str, link: Discovered, now: datetime, state: State
) -> dict[str, object]:
    return {
        "site_id": site_id,
        "url_key": key,
        "url": link.url,
        "state": state,
        "next_due_at": now,
        "failure_count": 0,
        "recheck_step": 0,
        "lastmod_seen": link.lastmod,
        "published_seen": link.published,
        "first_seen": now,
        "last_seen": now,
    }


def _rediscovered(
    row: Known, link: Discovered, now: datetime, as_source: bool
) -> tuple[dict[str, object], bool]:
    """What changes for a URL discovery saw again (by id, only the columns that move), and
    whether it became due at once.

    Due when discovery vouches for a date newer than any it saw before (or, for a first date,
    than the last fetch); a date seen before never counts twice, so a URL whose fetch keeps
    failing is not made due on every pass. A URL never fetched is already waiting, gone and
    non-article pages stay put, and a failed URL gets a fresh set of tries.
    """
    change: dict[str, object] = {"id": row.id}
    if as_source or row.state == "source":
        if row.state != "source":
            change["state"] = "source"
        return change, False
    seen = _latest(link.lastmod, link.published)
    before = _latest(row.lastmod_seen, row.published_seen)
    if _later(link.lastmod, row.lastmod_seen):
        change["lastmod_seen"] = link.lastmod
    if _later(link.published, row.published_seen):
        change["published_seen"] = link.published
    fetched = row.last_fetched_at
    # A date moving past the one discovery showed before is the site saying "changed",
    # whatever our clock says (lastmods run on the site's clock, often to the day); a first
    # date can only be compared with our last fetch.
    moved = _later(seen, before) if before is not None else _later(seen, fetched)
    if row.state not in _RECHECKED or not moved:
        return change, False
    state = "active" if fetched is not None else "new"
    change.update(state=state, recheck_step=0, next_due_at=now, failure_count=0)
    return change, True


def _touch(session: Session, ids: list[int], now: datetime) -> None:
    """Discovery saw these URLs now: one statement per chunk, whatever else changes."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        session.execute(update(FrontierUrl).where(FrontierUrl.id.in_(chunk)).values(last_seen=now))


def _update_by_id(session: Session, changes: list[dict[str, object]]) -> None:
    """One executemany per set of columns: the ORM batches only neighbours that match."""
    if changes:
        session.execute(update(FrontierUrl), sorted(changes, key=lambda change: sorted(change)))


def _due(row: FrontierUrl) -> DueUrl:
    return DueUrl(row.url, row.etag, row.last_modified, row.last_digest, row.state)
