"""What `newsarchive status` shows per site: runs, schedule, holdings, frontier and health.

A run "succeeded" for a site when its site report carries no `failure` (the site could be
read at all); page errors (a timeout here and there) do not undo that, but they do extend
the error streak, which counts the site's latest runs that had a failure or any error. Runs
that skipped the site (another run held it) are not runs of that site.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.frontier import DUE_STATES
from storage.health import Thresholds, parsed_sites, sites_health
from storage.models import Article, ArticleVersion, FrontierUrl, Run, Site

RUN_PAGE = 100  # runs read per query while looking back through the run log
MAX_RUNS_READ = 2000  # how far back a streak or last success is looked for


@dataclass(slots=True)
class SiteStatus:
    """One site at a glance; times are UTC, None when it never happened."""

    site: str
    last_run_at: datetime | None = None
    last_success_at: datetime | None = None
    last_problem: str | None = None
    error_streak: int = 0
    next_due_at: datetime | None = None
    articles: int = 0
    versions: int = 0
    frontier: dict[str, int] = field(default_factory=dict)
    health_flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "last_run_at": _iso(self.last_run_at),
            "last_success_at": _iso(self.last_success_at),
            "last_problem": self.last_problem,
            "error_streak": self.error_streak,
            "next_due_at": _iso(self.next_due_at),
            "articles": self.articles,
            "versions": self.versions,
            "frontier": dict(sorted(self.frontier.items())),
            "health_flags": list(self.health_flags),
        }


def known_sites(database: Database) -> list[str]:
    """Every site the archive holds anything of (frontier, fetches, articles or parses)."""
    with database.session() as session:
        named = set(session.scalars(select(Site.name)))
    return sorted(named | set(parsed_sites(database)))


def site_statuses(
    database: Database, sites: Sequence[str], thresholds: Thresholds | None = None
) -> list[SiteStatus]:
    """The status of each named site, in the order given; unknown sites come back empty."""
    statuses = {site: SiteStatus(site) for site in sites}
    with database.session() as session:
        _add_holdings(session, statuses)
        _add_frontier(session, statuses)
    _add_runs(database, statuses)
    for health in sites_health(database, sites, thresholds):
        statuses[health.site].health_flags = health.flags
    return list(statuses.values())


def _add_holdings(session: Session, statuses: dict[str, SiteStatus]) -> None:
    names = list(statuses)
    articles = (
        select(Site.name, func.count(Article.id))
        .join(Article, Article.site_id == Site.id)
        .where(Site.name.in_(names))
        .group_by(Site.name)
    )
    for name, count in session.execute(articles):
        statuses[name].articles = count
    versions = (
        select(Site.name, func.count(ArticleVersion.id))
        .join(Article, Article.site_id == Site.id)
        .join(ArticleVersion, ArticleVersion.article_id == Article.id)
        .where(Site.name.in_(names))
        .group_by(Site.name)
    )
    for name, count in session.execute(versions):
        statuses[name].versions = count


def _add_frontier(session: Session, statuses: dict[str, SiteStatus]) -> None:
    """URLs per state, and when the next article URL falls due (sources are not articles)."""
    names = list(statuses)
    by_state = (
        select(Site.name, FrontierUrl.state, func.count(FrontierUrl.id))
        .join(FrontierUrl, FrontierUrl.site_id == Site.id)
        .where(Site.name.in_(names))
        .group_by(Site.name, FrontierUrl.state)
    )
    for name, state, count in session.execute(by_state):
        statuses[name].frontier[state] = count
    next_due = (
        select(Site.name, func.min(FrontierUrl.next_due_at))
        .join(FrontierUrl, FrontierUrl.site_id == Site.id)
        .where(Site.name.in_(names), FrontierUrl.state.in_(DUE_STATES))
        .group_by(Site.name)
    )
    for name, due in session.execute(next_due):
        statuses[name].next_due_at = due


def _add_runs(database: Database, statuses: dict[str, SiteStatus]) -> None:
    """Walk the run log back from the newest run until every site's streak has ended and
    its last success is found (or the look-back limit is reached)."""
    counting = set(statuses)  # sites whose error streak is still unbroken
    finished: set[str] = set()
    for started_at, report in _site_reports(database):
        status = statuses.get(str(report.get("site")))
        if status is None or report.get("skipped") or status.site in finished:
            continue
        _take_run(status, started_at, report, counting)
        if status.last_success_at is not None and status.site not in counting:
            finished.add(status.site)
            if len(finished) == len(statuses):
                return


def _take_run(
    status: SiteStatus, started_at: datetime, report: dict[str, Any], counting: set[str]
) -> None:
    """Fold one of the site's runs (older than any seen so far) into its status."""
    failure = report.get("failure")
    errors = {kind: count for kind, count in (report.get("errors") or {}).items() if count}
    if status.last_run_at is None:
        status.last_run_at, status.last_problem = started_at, _problem(failure, errors)
    if status.site in counting:
        if failure is not None or errors:
            status.error_streak += 1
        else:
            counting.discard(status.site)
    if failure is None and status.last_success_at is None:
        status.last_success_at = started_at


def _problem(failure: str | None, errors: dict[str, int]) -> str | None:
    """What went wrong in a run: the failure, else its page errors by kind."""
    if failure is not None:
        return str(failure)
    if not errors:
        return None
    return "errors: " + ", ".join(f"{kind} x{count}" for kind, count in sorted(errors.items()))


def _site_reports(database: Database) -> Iterator[tuple[datetime, dict[str, Any]]]:
    """(run start, site report) pairs, newest run first, read a page of runs at a time."""
    query = select(Run.started_at, Run.report).order_by(Run.started_at.desc(), Run.id.desc())
    for offset in range(0, MAX_RUNS_READ, RUN_PAGE):
        with database.session() as session:
            page = session.execute(query.offset(offset).limit(RUN_PAGE)).all()
        for started_at, report in page:
            for site_report in report.get("sites") or ():
                if isinstance(site_report, dict):
                    yield started_at, site_report
        if len(page) < RUN_PAGE:
            return


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
