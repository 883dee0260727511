"""`newsarchive schedule` and `newsarchive run` as real processes against the demo site:
stopped by signals mid-crawl, reloaded by SIGHUP, and two runs started at once."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select, text

from scraper.config import load_config
from scraper.demo_site import DemoSite
from scraper.schedule import JOB_TABLE
from storage.archive_check import verify_archive
from storage.db import Database, open_database
from storage.locks import SiteLocks
from storage.models import Article
from tests.scraper.crawl_helpers import article_gets, versions_by_url
from tests.scraper.process_helpers import (
    WAIT_SECONDS,
    Newsarchive,
    fresh_postgres_url,
    running,
    write_demo_config,
)
from tests.storage.conftest import postgres_server

__all__ = ["postgres_server"]  # a fixture, imported for pytest

POLL_SECONDS = 0.05
# Slow answers, one at a time per site: a pass lasts seconds, long enough to be interrupted
# or overlapped by a second process (the tests' outcomes do not depend on how long).
LATENCY = 0.3
ONE_AT_A_TIME = {"connections_per_host": 1, "concurrency": 1}


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new archive database of each kind, migrated before any process starts."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
        open_database(url).close()
        yield url
        return
    with fresh_postgres_url(request.getfixturevalue("postgres_server")) as url:
        open_database(url).close()
        yield url


@pytest.fixture
def slow_site() -> Iterator[DemoSite]:
    with DemoSite(latency=LATENCY) as site:
        yield site


def article_count(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(Article)) or 0)


def wait_for_articles(database: Database, process: Newsarchive) -> None:
    """Until the crawl has stored something (it is then under way, not finished)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while article_count(database) == 0:
        assert process.process.poll() is None, process.stderr_if_done()
        assert time.monotonic() < deadline, "no article was stored"
        time.sleep(POLL_SECONDS)


def assert_complete_archive(site: DemoSite, config: Path, database: Database) -> None:
    """Every demo article once, fetched once, each fetch row's WARC record there, no lock."""
    kinds = versions_by_url(database)
    assert set(kinds) == set(site.article_urls())
    assert all(versions == ["first"] for versions in kinds.values()), kinds
    gets = article_gets(site.request_log, site)
    assert all(count == 1 for count in gets.values()), gets
    report = verify_archive(database, load_config(config, environ={}).settings.warc_dir)
    assert report.ok, report.problems
    assert SiteLocks(database).holders() == {}


def run_to_the_end(config: Path) -> list[dict[str, object]]:
    with running("run", "--config", str(config), "--log-format", "json") as run:
        assert run.finish() == 0, run.stderr_if_done()
    return run.events


@pytest.mark.parametrize("signals", [1, 2], ids=["finish-passes", "stop-between-urls"])
def test_sigterm_mid_crawl_exits_cleanly_and_the_next_run_completes_the_archive(
    tmp_path: Path, slow_site: DemoSite, signals: int
) -> None:
    url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    config = write_demo_config(slow_site, tmp_path, url, **ONE_AT_A_TIME)
    database = open_database(url)
    try:
        args = ("schedule", "--run-now", "--config", str(config), "--log-format", "json")
        with running(*args) as daemon:
            wait_for_articles(database, daemon)
            daemon.process.send_signal(signal.SIGTERM)
            daemon.wait_for("stopping")
            if signals == 2:
                daemon.process.send_signal(signal.SIGTERM)
                daemon.wait_for("stopping_now")

            assert daemon.finish() == 0, daemon.stderr_if_done()
        assert daemon.named("stopped")
        crashed = daemon.named("pass_crashed")
        assert not crashed, [event.get("traceback") for event in crashed]
        assert SiteLocks(database).holders() == {}
        if signals == 1:  # the passes under way were let finish
            assert article_count(database) == len(slow_site.article_urls())

        run_to_the_end(config)

        assert_complete_archive(slow_site, config, database)
    finally:
        database.close()


def test_sighup_reloads_the_jobs_and_a_broken_file_keeps_them(
    tmp_path: Path, slow_site: DemoSite
) -> None:
    url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    config = write_demo_config(slow_site, tmp_path, url)
    hosts = set(slow_site.hosts)
    document = yaml.safe_load(config.read_text())
    with running("schedule", "--config", str(config), "--log-format", "json") as daemon:
        daemon.wait_for("scheduler_started")
        document["sites"]["rnamedia.in"]["enabled"] = False
        document["sites"]["defensewire.example"]["schedule"] = {"cron": "0 */3 * * *"}
        config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        daemon.process.send_signal(signal.SIGHUP)
        [reloaded] = daemon.wait_for("reloaded")
        jobs_after_reload = stored_job_ids(url)

        config.write_text("sites: [\n", encoding="utf-8")
        daemon.process.send_signal(signal.SIGHUP)
        daemon.wait_for("reload_failed")
        jobs_after_failure = stored_job_ids(url)

        daemon.process.send_signal(signal.SIGTERM)
        assert daemon.finish() == 0, daemon.stderr_if_done()

    assert reloaded["changes"]["removed"] == ["rnamedia.in"]
    assert reloaded["changes"]["rescheduled"] == ["defensewire.example"]
    expected = {f"site:{host}" for host in hosts - {"rnamedia.in"}}
    assert jobs_after_reload == jobs_after_failure == expected
    assert slow_site.request_log == []  # no --run-now, and no site is due within the hour


def stored_job_ids(url: str) -> set[str]:
    database = open_database(url, migrate=False)
    try:
        with database.engine.connect() as connection:
            return set(connection.execute(text(f"SELECT id FROM {JOB_TABLE}")).scalars())
    finally:
        database.close()


def test_two_runs_at_once_share_the_sites_and_fetch_each_article_once(
    tmp_path: Path, slow_site: DemoSite, archive_url: str
) -> None:
    config = write_demo_config(slow_site, tmp_path, archive_url, **ONE_AT_A_TIME)
    args = ("run", "--config", str(config), "--log-format", "json")
    with running(*args) as first, running(*args) as second:
        codes = (first.finish(), second.finish())
    assert codes == (0, 0), (first.stderr_if_done(), second.stderr_if_done())

    reports = [event for run in (first, second) for event in run.named("site_done")]
    for host in slow_site.hosts:
        mine = [report for report in reports if report["site"] == host]
        assert sorted(report["skipped"] is None for report in mine) == [False, True], mine
    database = open_database(archive_url)
    try:
        assert_complete_archive(slow_site, config, database)
    finally:
        database.close()
