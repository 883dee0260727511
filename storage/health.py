"""Parser health: is a site still parsing the way it used to?

A site's layout change rarely breaks the crawl; it quietly empties fields (the date block
moved, the byline lost its class) or turns articles into "not an article". Both show in the
parse log (`page_parses`) as a drop between a site's most recent parses and the parses
before them, which is what this module measures and flags.

Field fill rates are taken over the pages classed as articles (a listing page has no byline
to lose); the article share is taken over every parsed page. A drop is flagged only when
both windows hold enough pages to tell a trend from noise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from parsers.record import HEALTH_FIELDS
from storage.db import Database
from storage.models import PageParse

RECENT_PAGES = 50  # the window judged: a site's latest parses
BASELINE_PAGES = 1000  # the parses before those, at most: what "normal" looks like
DROP_THRESHOLD = 0.3  # an absolute fall in a rate (0.95 -> 0.60) worth a flag
MIN_RECENT_PAGES = 10  # fewer pages than this in a window proves nothing either way
MIN_BASELINE_PAGES = 20
_ROUNDING = 9  # digits a rate difference is rounded to, so 1.0 - 0.7 is exactly 0.3
ARTICLE = "article"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How much history is compared and how large a fall counts; the defaults suit cron."""

    recent: int = RECENT_PAGES
    baseline: int = BASELINE_PAGES
    drop: float = DROP_THRESHOLD
    min_recent: int = MIN_RECENT_PAGES
    min_baseline: int = MIN_BASELINE_PAGES


@dataclass(frozen=True, slots=True)
class FieldHealth:
    """How often one field was filled; a rate is None when its window had no article."""

    field: str
    recent_rate: float | None
    baseline_rate: float | None
    dropped: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "recent_rate": _rounded(self.recent_rate),
            "baseline_rate": _rounded(self.baseline_rate),
            "dropped": self.dropped,
        }


@dataclass(frozen=True, slots=True)
class SiteHealth:
    """One site's recent parses against its baseline, and what looks broken (`flags`)."""

    site: str
    recent_pages: int
    baseline_pages: int
    recent_articles: int
    baseline_articles: int
    article_share_recent: float | None
    article_share_baseline: float | None
    article_share_dropped: bool
    fields: tuple[FieldHealth, ...]
    flags: tuple[str, ...]
    comparable: bool  # both windows hold enough pages for the article share to be judged

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    def to_dict(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "recent_pages": self.recent_pages,
            "baseline_pages": self.baseline_pages,
            "recent_articles": self.recent_articles,
            "baseline_articles": self.baseline_articles,
            "article_share_recent": _rounded(self.article_share_recent),
            "article_share_baseline": _rounded(self.article_share_baseline),
            "article_share_dropped": self.article_share_dropped,
            "fields": [field.to_dict() for field in self.fields],
            "flags": list(self.flags),
            "comparable": self.comparable,
        }


@dataclass(frozen=True, slots=True)
class ParseRow:
    """What health needs of one logged parse."""

    page_type: str
    fields_found: frozenset[str]


def site_health(database: Database, site: str, thresholds: Thresholds | None = None) -> SiteHealth:
    """The health of one site from its latest parses (a site never parsed has no flags)."""
    limits = thresholds or Thresholds()
    return assess(site, latest_parses(database, site, limits.recent + limits.baseline), limits)


def sites_health(
    database: Database, sites: Iterable[str], thresholds: Thresholds | None = None
) -> list[SiteHealth]:
    return [site_health(database, site, thresholds) for site in sites]


def latest_parses(database: Database, site: str, limit: int) -> list[ParseRow]:
    """The site's latest parses, newest first: one range read of (site, parsed_at)."""
    query = (
        select(PageParse.page_type, PageParse.fields_found)
        .where(PageParse.site == site)
        .order_by(PageParse.parsed_at.desc(), PageParse.id.desc())
        .limit(limit)
    )
    with database.session() as session:
        rows = session.execute(query).all()
    return [ParseRow(page_type, frozenset(found or ())) for page_type, found in rows]


def parsed_sites(database: Database) -> list[str]:
    """Every site with a logged parse, in name order.

    A loose index scan (each step seeks the next site name in ix_page_parses_site_parsed_at),
    so the cost grows with the number of sites, not with the size of the parse log, on
    SQLite and PostgreSQL alike; a plain DISTINCT would read the whole index.
    """
    first = select(func.min(PageParse.site).label("site"))
    names = first.cte("parsed_site_names", recursive=True)
    following = (
        select(func.min(PageParse.site)).where(PageParse.site > names.c.site).scalar_subquery()
    )
    names = names.union_all(select(following).where(names.c.site.is_not(None)))
    query = select(names.c.site).where(names.c.site.is_not(None))
    with database.session() as session:
        return list(session.scalars(query))


def assess(site: str, newest_first: Sequence[ParseRow], thresholds: Thresholds) -> SiteHealth:
    """Split the parses into the recent and baseline windows and compare them."""
    recent = newest_first[: thresholds.recent]
    baseline = newest_first[thresholds.recent : thresholds.recent + thresholds.baseline]
    recent_articles = [row for row in recent if row.page_type == ARTICLE]
    baseline_articles = [row for row in baseline if row.page_type == ARTICLE]
    fields = tuple(
        _field_health(name, recent_articles, baseline_articles, thresholds)
        for name in HEALTH_FIELDS
    )
    share_recent, share_baseline = _share(recent), _share(baseline)
    share_dropped = _dropped(share_recent, share_baseline, len(recent), len(baseline), thresholds)
    flags = [
        _flag(f"{field.field} fill", field.recent_rate, field.baseline_rate)
        for field in fields
        if field.dropped
    ]
    if share_dropped:
        flags.append(_flag("article share", share_recent, share_baseline))
    return SiteHealth(
        site=site,
        recent_pages=len(recent),
        baseline_pages=len(baseline),
        recent_articles=len(recent_articles),
        baseline_articles=len(baseline_articles),
        article_share_recent=share_recent,
        article_share_baseline=share_baseline,
        article_share_dropped=share_dropped,
        fields=fields,
        flags=tuple(flags),
        comparable=_enough(len(recent), len(baseline), thresholds),
    )


def _field_health(
    name: str, recent: Sequence[ParseRow], baseline: Sequence[ParseRow], thresholds: Thresholds
) -> FieldHealth:
    recent_rate, baseline_rate = _fill_rate(name, recent), _fill_rate(name, baseline)
    dropped = _dropped(recent_rate, baseline_rate, len(recent), len(baseline), thresholds)
    return FieldHealth(name, recent_rate, baseline_rate, dropped)


def _dropped(
    recent: float | None,
    baseline: float | None,
    recent_pages: int,
    baseline_pages: int,
    thresholds: Thresholds,
) -> bool:
    """A fall of more than the threshold, seen on enough pages on both sides."""
    if recent is None or baseline is None or not _enough(recent_pages, baseline_pages, thresholds):
        return False
    return round(baseline - recent, _ROUNDING) > thresholds.drop


def _enough(recent_pages: int, baseline_pages: int, thresholds: Thresholds) -> bool:
    return recent_pages >= thresholds.min_recent and baseline_pages >= thresholds.min_baseline


def _fill_rate(name: str, rows: Sequence[ParseRow]) -> float | None:
    if not rows:
        return None
    return sum(name in row.fields_found for row in rows) / len(rows)


def _share(rows: Sequence[ParseRow]) -> float | None:
    if not rows:
        return None
    return sum(row.page_type == ARTICLE for row in rows) / len(rows)


def _flag(what: str, recent: float | None, baseline: float | None) -> str:
    return f"{what} {baseline or 0:.2f} -> {recent or 0:.2f}"


def _rounded(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)
