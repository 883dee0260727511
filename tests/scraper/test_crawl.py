"""The whole pipeline against the demo site on 127.0.0.1: discovery, conditional rechecks,
updates caught as versions, politeness and robots.txt, and the raw archive verified."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scraper.demo_site import DemoSite
from storage.archive_check import verify_archive
from storage.db import Database, open_database
from storage.models import Article, ArticleVersion, Fetch
from storage.search_queue import queued
from storage.warc import iter_responses
from tests.scraper.crawl_helpers import (
    ROBOTS,
    article_gets,
    conditional,
    count,
    crawl,
    demo_config,
    later,
    versions_by_url,
)
from tests.storage.conftest import database, postgres_database, postgres_server

# fixtures of the store tests (SQLite and a private PostgreSQL), imported for pytest
__all__ = ["database", "postgres_database", "postgres_server"]


@pytest.fixture
def site() -> Iterator[DemoSite]:
    with DemoSite() as demo:
        yield demo


def test_a_run_discovers_and_fetches_every_article_once(
    site: DemoSite, tmp_path: Path, database: Database
) -> None:
    report = crawl(demo_config(site, tmp_path), database)

    gets = article_gets(site.request_log, site)
    assert gets and all(n == 1 for n in gets.values()), gets
    assert set(versions_by_url(database)) == set(site.article_urls())
    assert all(kinds == ["first"] for kinds in versions_by_url(database).values())
    assert sum(s.new_articles for s in report.sites) == len(site.article_urls())
    assert sum(s.discovered - sum(s.refused.values()) for s in report.sites) == len(gets)
    assert queued(database) == 0  # the run's end indexed what its saves queued for search


def test_a_second_run_only_asks_conditionally_and_stores_nothing_new(
    site: DemoSite, tmp_path: Path, database: Database
) -> None:
    config = demo_config(site, tmp_path)
    crawl(config, database)
    articles, versions = count(database, Article), count(database, ArticleVersion)
    site.clear_log()

    report = crawl(config, database, clock=later(hours=2))  # past the first recheck (1 h)

    log = [entry for entry in site.request_log if entry.path != ROBOTS]
    assert log, "the second run made no request"
    assert [e for e in log if not conditional(e)] == []
    assert {e.status for e in log} == {304}
    assert sum(article_gets(log, site).values()) == len(site.article_urls())
    assert (count(database, Article), count(database, ArticleVersion)) == (articles, versions)
    assert sum(s.not_modified for s in report.sites) == len(site.article_urls())
    assert sum(s.fetched + s.new_articles for s in report.sites) == 0


def test_changes_on_the_site_are_caught_in_the_next_run(
    site: DemoSite, tmp_path: Path, database: Database
) -> None:
    config = demo_config(site, tmp_path)
    crawl(config, database)
    changes = site.apply_changes()
    site.clear_log()

    crawl(config, database)  # no clock change: discovery's new dates make the pages due

    kinds = versions_by_url(database)
    for change in changes:
        url = site.url_of(change.after)
        expected = ["first"] if change.kind == "new" else ["first", change.kind]
        assert kinds[url] == expected, (change.kind, url)
    changed = {site.url_of(change.after) for change in changes}
    assert all(kinds[url] == ["first"] for url in set(kinds) - changed)
    refetched = {url for url, n in article_gets(site.request_log, site).items() if n}
    assert refetched == changed


def test_politeness_delay_and_robots_hold(site: DemoSite, tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'polite.sqlite3'}")
    delay, jitter = 0.3, 0.06  # the server logs arrivals: allow the network's jitter
    config = demo_config(site, tmp_path, min_delay=f"{int(delay * 1000)}ms", connections_per_host=1)
    crawl(config, database)

    starts: dict[str, list[float]] = defaultdict(list)
    for entry in site.request_log:
        starts[entry.host].append(entry.time.timestamp())
    for host, times in starts.items():
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= delay - jitter, (host, min(gaps))
    fetched = {f"http://{e.host}{e.path}" for e in site.request_log}
    assert not fetched & set(site.disallowed_urls)
    assert max(site.peak_in_flight().values()) == 1


@pytest.mark.parametrize("connections", [2, 3])
def test_connections_per_host_are_never_exceeded(tmp_path: Path, connections: int) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'conns.sqlite3'}")
    with DemoSite(latency=0.05) as site:
        crawl(demo_config(site, tmp_path, connections_per_host=connections), database)
        peaks = site.peak_in_flight()
    assert max(peaks.values()) == connections, peaks


def test_the_raw_archive_verifies_and_reads_back(
    site: DemoSite, tmp_path: Path, database: Database
) -> None:
    config = demo_config(site, tmp_path)
    crawl(config, database)
    site.apply_changes()
    crawl(config, database, clock=later(hours=2))

    report = verify_archive(database, config.settings.warc_dir)
    assert report.ok, report.problems
    assert report.refs == count(database, Fetch) - _unanswered(database)
    with database.session() as session:
        revisits = session.scalars(select(Fetch).where(Fetch.revisit.is_(True))).all()
    assert revisits, "304s and identical payloads are archived as revisits"
    archived = {response.target_uri for _, response in iter_responses(config.settings.warc_dir)}
    assert set(site.article_urls()) <= archived


def _unanswered(database: Database) -> int:
    with database.session() as session:
        query = select(func.count()).select_from(Fetch).where(Fetch.status.is_(None))
        return int(session.scalar(query) or 0)


def test_delay_between_runs_is_not_needed(site: DemoSite, tmp_path: Path) -> None:
    """Two runs back to back with no clock change: nothing is due, only sources are read."""
    database = open_database(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    config = demo_config(site, tmp_path)
    crawl(config, database)
    site.clear_log()
    report = crawl(config, database)
    assert sum(article_gets(site.request_log, site).values()) == 0
    assert sum(s.sources_read for s in report.sites) > 0
    assert timedelta(0) <= timedelta(seconds=sum(s.seconds for s in report.sites))
