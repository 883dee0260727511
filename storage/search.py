"""Full-text search over the archive: each article's current wording, or its wording on a day.

`Search(database).run(SearchQuery(...))` returns one page of hits and the total. The text
goes through `storage.search_syntax` (never into SQL as typed); filters and paging are bound
parameters. The index (migration 0003) holds every version, so `as_of` searches the version
of each article that was current then: the latest one saved (`created_at`) by that moment.
Without `as_of` only current versions are searched. Snippets mark matches with
`HIGHLIGHT_START` / `HIGHLIGHT_END` (`split_highlights` cuts them apart).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Float,
    Row,
    Select,
    SQLColumnExpression,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from storage.db import Database
from storage.exceptions import SearchQueryError
from storage.models import Article, ArticleVersion, Author, Site, VersionAuthor
from storage.search_index import TextMatch, text_match
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
            if "\x00" in (getattr(self, name) or ""):
                raise SearchQueryError(f"{name} holds a NUL character")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise SearchQueryError(f"limit must be from 1 to {MAX_LIMIT}, not {self.limit}")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise SearchQueryError(f"offset must be from 0 to {MAX_OFFSET}, not {self.offset}")


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
        terms = parse_search_text(query.text)
        match = text_match(self.database.dialect, terms) if terms else None
        conditions = _conditions(query)
        with self.database.session() as session:
            total = session.scalar(_matching([func.count()], match, conditions)) or 0
            rows = session.execute(_page(match, conditions, query)).all()
            snippets = _snippets(session, match, [row.version_id for row in rows])
        return SearchPage(total, [_hit(row, snippets) for row in rows])


def _matching(
    columns: Sequence[SQLColumnExpression[Any]],
    match: TextMatch | None,
    conditions: list[ColumnElement[bool]],
) -> Select[Any]:
    """`columns` of the versions that match and pass the filters, with article and site."""
    if match is None:
        statement = select(*columns).select_from(ArticleVersion)
    else:
        statement = (
            select(*columns)
            .select_from(match.source)
            .join(ArticleVersion, ArticleVersion.id == match.version_id)
        )
        conditions = [match.condition, *conditions]
    return (
        statement.join(Article, Article.id == ArticleVersion.article_id)
        .join(Site, Site.id == Article.site_id)
        .where(*conditions)
    )


def _page(
    match: TextMatch | None, conditions: list[ColumnElement[bool]], query: SearchQuery
) -> Select[Any]:
    score = match.score if match is not None else literal(0.0, Float)
    lead = func.substr(func.coalesce(ArticleVersion.standfirst, ArticleVersion.body), 1, LEAD_CHARS)
    columns: list[SQLColumnExpression[Any]] = [
        ArticleVersion.article_id,
        ArticleVersion.id.label("version_id"),
        ArticleVersion.version_no,
        Article.canonical_url.label("url"),
        Site.name.label("site"),
        ArticleVersion.headline,
        ArticleVersion.published_at,
        ArticleVersion.updated_at,
        lead.label("lead"),
        score.label("score"),
    ]
    newest_first = (ArticleVersion.published_at.desc().nulls_last(), ArticleVersion.id.desc())
    order = newest_first if match is None else (score.desc(), *newest_first)
    return (
        _matching(columns, match, conditions)
        .order_by(*order)
        .limit(query.limit)
        .offset(query.offset)
    )


def _snippets(session: Session, match: TextMatch | None, version_ids: list[int]) -> dict[int, str]:
    """Highlighted passages of the page's versions (computed for the page only: they cost)."""
    if match is None or not version_ids:
        return {}
    statement = (
        select(match.version_id, match.snippet)
        .select_from(match.source)
        .join(ArticleVersion, ArticleVersion.id == match.version_id)
        .where(match.condition, match.version_id.in_(version_ids))
    )
    return {version_id: snippet or "" for version_id, snippet in session.execute(statement)}


def _hit(row: Row[Any], snippets: dict[int, str]) -> SearchHit:
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
        score=float(row.score),
    )


def _conditions(query: SearchQuery) -> list[ColumnElement[bool]]:
    conditions = [ArticleVersion.id == _searched_version_id(query.as_of)]
    if query.site:
        conditions.append(Site.name == query.site.strip().lower().removeprefix("www."))
    if query.section:
        conditions.append(func.lower(ArticleVersion.section) == func.lower(query.section.strip()))
    if query.author:
        conditions.append(_bylined(query.author.strip()))
    conditions += _between(ArticleVersion.published_at, query.published_from, query.published_to)
    conditions += _between(ArticleVersion.updated_at, query.updated_from, query.updated_to)
    if query.has_versions is not None:
        conditions.append(_has_later_versions() if query.has_versions else ~_has_later_versions())
    return conditions


def _searched_version_id(as_of: datetime | None) -> ColumnExpressionArgument[int | None]:
    """The article's current version, or the one it had at `as_of` (None if it had none)."""
    if as_of is None:
        return Article.current_version_id
    earlier = aliased(ArticleVersion)
    return (
        select(earlier.id)
        .where(earlier.article_id == Article.id, earlier.created_at <= as_of)
        .order_by(earlier.version_no.desc())
        .limit(1)
        .scalar_subquery()
    )


def _bylined(name: str) -> ColumnElement[bool]:
    return exists().where(
        VersionAuthor.version_id == ArticleVersion.id,
        Author.id == VersionAuthor.author_id,
        func.lower(Author.name) == func.lower(name),
    )


def _has_later_versions() -> ColumnElement[bool]:
    later = aliased(ArticleVersion)
    return exists().where(later.article_id == Article.id, later.version_no > 1)


def _between(
    column: InstrumentedAttribute[datetime | None], start: datetime | None, end: datetime | None
) -> list[ColumnElement[bool]]:
    bounds = []
    if start is not None:
        bounds.append(column >= start)
    if end is not None:
        bounds.append(column <= end)
    return bounds
