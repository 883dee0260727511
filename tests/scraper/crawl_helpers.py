"""Running the real pipeline against the demo site: config, runs, and what the server saw."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from scraper.config import Config, load_config
from scraper.demo_config import demo_config_text
from scraper.demo_site import DemoSite
from scraper.demo_site.http_handler import LoggedRequest
from scraper.run import RunOptions, RunReport, run_once
from storage.db import Database
from storage.models import Article, ArticleVersion

ROBOTS = "/robots.txt"


def demo_config(site: DemoSite, tmp_path: Path, **settings: Any) -> Config:
    path = tmp_path / "schedules.yaml"
    path.write_text(demo_config_text(site, tmp_path / "data", **settings), encoding="utf-8")
    return load_config(path, environ={})


def crawl(
    config: Config, database: Database, clock: Callable[[], datetime] | None = None
) -> RunReport:
    options = RunOptions(clock=clock) if clock else RunOptions()
    report = run_once(config, (), options, database)
    assert all(not site.failed for site in report.sites), [s.to_dict() for s in report.sites]
    return report


def later(hours: float) -> Callable[[], datetime]:
    """A clock running `hours` ahead: every article is due for its first recheck."""
    from datetime import timedelta

    offset = timedelta(hours=hours)
    return lambda: datetime.now(UTC) + offset


def article_gets(log: list[LoggedRequest], site: DemoSite) -> dict[str, int]:
    """GET requests per article URL (http://host/path) in the log."""
    articles = set(site.article_urls())
    counts = dict.fromkeys(articles, 0)
    for entry in log:
        url = f"http://{entry.host}{entry.path}"
        if entry.method == "GET" and url in articles:
            counts[url] += 1
    return counts


def conditional(entry: LoggedRequest) -> bool:
    return "if-none-match" in entry.headers or "if-modified-since" in entry.headers


def versions_by_url(database: Database) -> dict[str, list[str]]:
    """Every article's version kinds in order, keyed by canonical URL."""
    with database.session() as session:
        rows = session.execute(
            select(Article.canonical_url, ArticleVersion.kind)
            .join(ArticleVersion, ArticleVersion.article_id == Article.id)
            .order_by(Article.id, ArticleVersion.version_no)
        ).all()
    found: dict[str, list[str]] = {}
    for url, kind in rows:
        found.setdefault(url, []).append(kind)
    return found


def count(database: Database, model: type[Any]) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)
