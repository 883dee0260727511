"""Counts over the archive for researchers: articles per site per day or week, versions per site.

An article is counted on its publication day (UTC) as its current version gives it, or on
the day the archive first saw it when the page printed no date. Days are grouped in SQL (one
row per site and day), weeks are ISO weeks made from the days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, String, case, cast, func, select

from storage.db import Database
from storage.models import Article, ArticleVersion, Site

Period = Literal["day", "week"]


@dataclass(frozen=True, slots=True)
class SiteCounts:
    """One site's figures; `per_period` maps "2025-12-06" / "2025-W49" to articles."""

    site: str
    articles: int
    versions: int
    updated_articles: int
    per_period: dict[str, int]


@dataclass(frozen=True, slots=True)
class ArchiveStats:
    period: Period
    periods: tuple[str, ...]
    sites: tuple[SiteCounts, ...]

    @property
    def articles(self) -> int:
        return sum(site.articles for site in self.sites)

    @property
    def versions(self) -> int:
        return sum(site.versions for site in self.sites)

    def to_dict(self) -> dict[str, Any]:
        """The counts as JSON-ready data (the CLI's and the web API's `stats`)."""
        return {
            "period": self.period,
            "periods": list(self.periods),
            "articles": self.articles,
            "versions": self.versions,
            "sites": [
                {
                    "site": site.site,
                    "articles": site.articles,
                    "versions": site.versions,
                    "updated_articles": site.updated_articles,
                    "per_period": site.per_period,
                }
                for site in self.sites
            ],
        }


def archive_stats(
    database: Database,
    period: Period = "day",
    *,
    site: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> ArchiveStats:
    """Counts per site; `since` / `until` (aware, inclusive) bound the articles' days."""
    per_day = _articles_per_day(database, site, since, until)
    versions = _versions_per_site(database, site)
    per_site: dict[str, dict[str, int]] = defaultdict(dict)
    for (name, day), count in per_day.items():
        key = _period_key(day, period)
        per_site[name][key] = per_site[name].get(key, 0) + count
    names = sorted(set(per_site) | set(versions))
    periods = tuple(sorted({key for counts in per_site.values() for key in counts}))
    return ArchiveStats(
        period=period,
        periods=periods,
        sites=tuple(
            SiteCounts(
                site=name,
                articles=sum(per_site[name].values()),
                versions=versions.get(name, (0, 0))[0],
                updated_articles=versions.get(name, (0, 0))[1],
                per_period=dict(per_site[name]),
            )
            for name in names
        ),
    )


def _articles_per_day(
    database: Database, site: str | None, since: datetime | None, until: datetime | None
) -> dict[tuple[str, str], int]:
    when = func.coalesce(ArticleVersion.published_at, Article.first_seen)
    day = _day_of(database, when)
    query = (
        select(Site.name, day.label("day"), func.count())
        .select_from(Article)
        .join(ArticleVersion, ArticleVersion.id == Article.current_version_id)
        .join(Site, Site.id == Article.site_id)
        .group_by(Site.name, day)
    )
    if site:
        query = query.where(Site.name == site.lower().removeprefix("www."))
    if since:
        query = query.where(when >= since)
    if until:
        query = query.where(when <= until)
    with database.engine.connect() as connection:
        return {(name, str(day)): int(count) for name, day, count in connection.execute(query)}


def _versions_per_site(database: Database, site: str | None) -> dict[str, tuple[int, int]]:
    """Per site: stored versions, and articles with more than their first version."""
    updated = case((func.max(ArticleVersion.version_no) > 1, 1), else_=0)
    per_article = (
        select(Article.site_id, func.count().label("versions"), updated.label("updated"))
        .join(ArticleVersion, ArticleVersion.article_id == Article.id)
        .group_by(Article.id, Article.site_id)
        .subquery()
    )
    query = (
        select(Site.name, func.sum(per_article.c.versions), func.sum(per_article.c.updated))
        .join(per_article, per_article.c.site_id == Site.id)
        .group_by(Site.name)
    )
    if site:
        query = query.where(Site.name == site.lower().removeprefix("www."))
    with database.engine.connect() as connection:
        return {
            name: (int(versions or 0), int(changed or 0))
            for name, versions, changed in connection.execute(query)
        }


def _day_of(database: Database, when: Any) -> ColumnElement[str]:
    if database.dialect == "postgresql":
        return func.to_char(func.timezone("UTC", when), "YYYY-MM-DD")
    return func.substr(cast(when, String), 1, 10)


def _period_key(day: str, period: Period) -> str:
    if period == "day":
        return day
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"
