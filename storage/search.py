"""Full-text search over the archive: each article's current wording, or its wording on a day.

`Search(database).run(SearchQuery(...))` returns one page of hits and the total. The text
goes through `storage.search_syntax` (never into SQL as typed); filters and paging are bound
parameters. Without `as_of` only current versions are searched, indexed apart from replaced
ones (migration 0005); with it, every indexed version, for the version of each article that
was current then: the latest one saved (`created_at`) by that moment. The page is ranked
first (ids and scores); only its rows are then read in full and given snippets, which mark
matches with `HIGHLIGHT_START` / `HIGHLIGHT_END` (`split_highlights` cuts them apart).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Float,
    FromClause,
    Row,
    Select,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from storage.db import Database
from storage.exceptions import SearchQueryError
from storage.models import Article, ArticleVersion, Author, Site, VersionAuthor
from storage.models.search import SEARCH_VERSIONS as _VERSIONS
from storage.search_index import TextMatch, text_match
from storage.search_queue import catch_up
from storage.search_syntax import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    parse_search_text,
    split_highlights,
)

__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "Search",
    "SearchHit",
    "SearchPage",
    "SearchQuery",
    "split_highlights",
]

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000
# Without search words the snippet is the start of the standfirst (else of the body).
LEAD_CHARS = 200
_DATE_FIELDS = (
    "published_from",
    "published_to",
    "updated_from",
    "updated_to",
    "as_of",
)
_NAME_FIELDS = ("site", "section", "author")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to look for; every field narrows the search, None (or "") leaves it open.

    `text` empty lists articles by the filters alone, newest first. `author` and `section`
    match whole names, case aside; dates are timezone-aware and bounds are inclusive.
    `has_versions` asks for articles stored in more than one version (True) or in only one
    (False), whatever `as_of` says.
    """

    text: str = ""
    site: str | None = None
    section: str | None = None
    author: str | None = None
    published_from: datetime | None = None
    published_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    has_versions: bool | None = None
    as_of: datetime | None = None
    limit: int = 20
    offset: int = 0

    def __post_init__(self) -> None:
        for name in _DATE_FIELDS:
            _check_date(name, getattr(self, name))
        for name in _NAME_FIELDS:
            _check_name(name, getattr(self, name))
        if not 1 <= self.limit <= MAX_LIMIT:
            raise SearchQueryError(f"limit must be from 1 to {MAX_LIMIT}, not {self.limit}")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise SearchQueryError(f"offset must be from 0 to {MAX_OFFSET}, not {self.offset}")


def _check_name(name: str, value: str | None) -> None:
    """Refuse what no database can be asked for: NUL, and lone surrogates (the command line
    makes them of bytes that are not UTF-8), which drivers fail on with an encoding error."""
    if value is None:
        return
    if "\x00" in value:
        raise SearchQueryError(f"{name} holds a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SearchQueryError(f"{name} is not valid text ({exc.reason})") from exc


def _check_date(name: str, when: datetime | None) -> None:
    if when is None:
        return
    if when.utcoffset() is None:
        raise SearchQueryError(f"{name} needs a time zone: {when.isoformat()}")
    try:
        when.astimezone(UTC)
    except OverflowError:
        raise SearchQueryError(f"{name} is out of range: {when.isoformat()}") from None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article found, in the version that was searched; higher scores match better."""

    article_id: int
    version_id: int
    version_no: int
    url: str
    site: str
    headline: str | None
    published_at: datetime | None
    updated_at: datetime | None
    snippet: str
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    """The hits from `offset` on and how many there are in all."""

    total: int
    hits: list[SearchHit]


class Search:
    """Runs searches against one archive database (SQLite or PostgreSQL)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def run(self, query: SearchQuery) -> SearchPage:
        """The page of hits `query` asks for; `SearchQueryError` when it cannot be run."""
        catch_up(self.database)  # SQLite: index the articles saves queued (search_queue)
        terms = parse_search_text(query.text)
        match = None
        if terms:
            match = text_match(self.database.dialect, terms, current=query.as_of is None)
        found = _Found.of(match, query)
        with self.database.session() as session:
            total, ranked = found.ranked(session, query.limit, query.offset)
            version_ids = [row.version_id for row in ranked]
            details = {row.version_id: row for row in session.execute(_details(version_ids))}
            snippets = _snippets(session, match, version_ids)
        hits = [
            _hit(details[row.version_id], row.score, snippets)
            for row in ranked
            if row.version_id in details
        ]
        return SearchPage(total, hits)


class _Ranked(NamedTuple):
    version_id: int
    score: float


@dataclass(frozen=True, slots=True)
class _Found:
    """The versions a query finds: where they come from, what they must pass, their order.

    A text search reads its index alone when nothing else narrows it; filters join
    `search_versions`, narrow rows looked up by version id. Text hits rank by score, ties
    newest saved first; without text, newest published first (an index of current versions
    in that order lets the page stop early). The total is counted by a statement of its own
    where that is cheap (FTS5 counts an index's matches without reading rows; a listing by
    filters reads a narrow index), else alongside the ranking, in the same pass over the hits.
    """

    source: FromClause
    version_id: ColumnElement[int]
    conditions: list[ColumnElement[bool]]
    score: ColumnElement[float]
    order: tuple[ColumnElement[Any], ...]
    counted_apart: bool

    @classmethod
    def of(cls, match: TextMatch | None, query: SearchQuery) -> _Found:
        narrowing = _version_conditions(query)
        if query.as_of is not None:
            narrowing += _current_on(query.as_of)
        if match is None:
            version_id: ColumnElement[int] = _VERSIONS.c.version_id
            newest = (_VERSIONS.c.published_at.desc().nulls_last(), version_id.desc())
            if query.as_of is None:
                narrowing.append(_VERSIONS.c.is_current)
            conditions = [*narrowing, *_byline_conditions(version_id, query)]
            return cls(_VERSIONS, version_id, conditions, literal(0.0, Float), newest, True)
        source = match.source
        if narrowing:
            source = source.join(_VERSIONS, _VERSIONS.c.version_id == match.lookup_id)
        bylined = _byline_conditions(match.lookup_id, query)
        conditions = [match.condition, *narrowing, *bylined]
        order = (match.score.desc(), match.version_id.desc())
        apart = match.counts_alone and not (narrowing or bylined)
        return cls(source, match.version_id, conditions, match.score, order, apart)

    def ranked(self, session: Session, limit: int, offset: int) -> tuple[int, list[_Ranked]]:
        """The total and the page's versions with their scores, best first."""
        if self.counted_apart:
            total = session.scalar(self.count()) or 0
            rows = session.execute(self.page(limit, offset))
            return total, [_Ranked(version_id, score) for version_id, score in rows]
        counted = session.execute(self.page_and_total(limit, offset)).all()
        page = [_Ranked(version_id, score) for version_id, score, _ in counted]
        if counted:
            return counted[0].total, page
        return (session.scalar(self.count()) or 0) if offset else 0, page

    def count(self) -> Select[int]:
        return select(func.count()).select_from(self.source).where(*self.conditions)

    def page(self, limit: int, offset: int) -> Select[int, float]:
        return (
            select(self.version_id.label("version_id"), self.score.label("score"))
            .select_from(self.source)
            .where(*self.conditions)
            .order_by(*self.order)
            .limit(limit)
            .offset(offset)
        )

    def page_and_total(self, limit: int, offset: int) -> Select[int, float, int]:
        """The page of a text search, each row with the count of all hits: the hits are
        scored once, into narrow rows (PostgreSQL would otherwise carry each document into
        the window and score it after)."""
        found = (
            select(self.version_id.label("version_id"), self.score.label("score"))
            .select_from(self.source)
            .where(*self.conditions)
            .cte("found")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        return (
            select(found.c.version_id, found.c.score, func.count().over().label("total"))
            .order_by(found.c.score.desc(), found.c.version_id.desc())
            .limit(limit)
            .offset(offset)
        )


def _details(version_ids: list[int]) -> Select[Any]:
    """What a hit shows of each version found (a page of them: cheap lookups by id)."""
    lead = func.substr(func.coalesce(ArticleVersion.standfirst, ArticleVersion.body), 1, LEAD_CHARS)
    return (
        select(
            ArticleVersion.id.label("version_id"),
            ArticleVersion.article_id,
            ArticleVersion.version_no,
            Article.canonical_url.label("url"),
            Site.name.label("site"),
            ArticleVersion.headline,
            ArticleVersion.published_at,
            ArticleVersion.updated_at,
            lead.label("lead"),
        )
        .join(Article, Article.id == ArticleVersion.article_id)
        .join(Site, Site.id == Article.site_id)
        .where(ArticleVersion.id.in_(version_ids))
    )


def _snippets(session: Session, match: TextMatch | None, version_ids: list[int]) -> dict[int, str]:
    """Highlighted passages of the page's versions (computed for the page only: they cost)."""
    if match is None or not version_ids:
        return {}
    statement = (
        select(match.version_id, match.snippet)
        .select_from(match.source)
        .join(ArticleVersion, ArticleVersion.id == match.version_id)
        .where(match.condition, match.page_id.in_(version_ids))
    )
    return {version_id: snippet or "" for version_id, snippet in session.execute(statement)}


def _hit(row: Row[Any], score: float, snippets: dict[int, str]) -> SearchHit:
    return SearchHit(
        article_id=row.article_id,
        version_id=row.version_id,
        version_no=row.version_no,
        url=row.url,
        site=row.site,
        headline=row.headline,
        published_at=row.published_at,
        updated_at=row.updated_at,
        snippet=" ".join((snippets.get(row.version_id) or row.lead or "").split()),
        score=float(score),
    )


def _version_conditions(query: SearchQuery) -> list[ColumnElement[bool]]:
    """The filters `search_versions` answers: site, section, dates, other versions."""
    conditions = []
    if query.site:
        site = query.site.strip().lower().removeprefix("www.")
        site_id = select(Site.id).where(Site.name == site).scalar_subquery()
        conditions.append(_VERSIONS.c.site_id == site_id)
    if query.section:
        conditions.append(func.lower(_VERSIONS.c.section) == func.lower(query.section.strip()))
    conditions += _between(_VERSIONS.c.published_at, query.published_from, query.published_to)
    conditions += _between(_VERSIONS.c.updated_at, query.updated_from, query.updated_to)
    if query.has_versions is not None:
        conditions.append(_has_later_versions() if query.has_versions else ~_has_later_versions())
    return conditions


def _current_on(as_of: datetime) -> list[ColumnElement[bool]]:
    """The version each article had at `as_of`: the latest one saved by then, that is, saved
    by then and not replaced by a later-numbered one saved by then."""
    replaced_at = _VERSIONS.c.replaced_at
    return [_VERSIONS.c.created_at <= as_of, or_(replaced_at.is_(None), replaced_at > as_of)]


def _byline_conditions(
    match_id: ColumnElement[int], query: SearchQuery
) -> list[ColumnElement[bool]]:
    """Versions bylined `query.author`: few, so their ids are gathered once (an index on the
    author) and each hit is looked up among them."""
    if not query.author:
        return []
    name = query.author.strip()
    authors = select(Author.id).where(func.lower(Author.name) == func.lower(name))
    bylined = select(VersionAuthor.version_id).where(VersionAuthor.author_id.in_(authors))
    return [match_id.in_(bylined)]


def _has_later_versions() -> ColumnElement[bool]:
    """The article has more than one version: this one is not the first, or was replaced."""
    return or_(_VERSIONS.c.version_no > 1, _VERSIONS.c.replaced_at.is_not(None))


def _between(
    column: ColumnElement[datetime | None], start: datetime | None, end: datetime | None
) -> list[ColumnElement[bool]]:
    bounds = []
    if start is not None:
        bounds.append(column >= start)
    if end is not None:
        bounds.append(column <= end)
    return bounds
