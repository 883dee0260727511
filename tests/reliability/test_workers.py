"""`newsarchive worker` processes sharing one PostgreSQL archive, against real local sites.

Three workers and an enqueue-only scheduler archive 2,000 pages over 20 hosts: every page
once, and each host never asked by two requests at once nor twice within the delay, as the
server's own clock sees it. A worker killed with SIGKILL leaves its URLs to another once its
leases run out; a worker stopped with SIGTERM gives back what it had not started at once.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.cli import main
from scraper.config import load_config
from scraper.demo_site import DemoSite, synthetic_data
from scraper.worker_enqueue import enqueue_once
from storage.archive_check import verify_archive
from storage.db import Database, open_database
from storage.leases import live_leases
from tests.reliability.worker_helpers import (
    DELAY,
    host_slots,
    lease_expiries,
    min_start_gaps,
    open_work,
    polite_config,
    wait_for_leases,
    wait_until_done,
    warc_files,
    worker_args,
)
from tests.scraper.crawl_helpers import article_gets, versions_by_url
from tests.scraper.process_helpers import fresh_postgres_url, running
from tests.storage.conftest import postgres_server

__all__ = ["postgres_server"]  # a fixture, imported for pytest

# Bounds on waiting, never expectations: the 2,000 pages take well under a minute unloaded.
CRAWL_SECONDS = 150.0
SMALL_CRAWL_SECONDS = 120.0
SHIPPED_CONFIG = Path(__file__).resolve().parents[2] / "schedules.yaml"
DOOMED = "newsarchive-doomed/1 (+https://example.org/doomed)"


@pytest.fixture
def archive_url(postgres_server: str) -> Iterator[str]:
    """A new PostgreSQL archive, migrated before any process starts."""
    with fresh_postgres_url(postgres_server) as url:
        open_database(url).close()
        yield url


@pytest.fixture
def database(archive_url: str) -> Iterator[Database]:
    database = open_database(archive_url, migrate=False)
    yield database
    database.close()


def assert_each_article_once(site: DemoSite, database: Database) -> None:
    versions = versions_by_url(database)
    assert set(versions) == set(site.article_urls())
    assert all(kinds == ["first"] for kinds in versions.values())


def assert_polite(site: DemoSite) -> None:
    peaks = site.peak_in_flight()
    gaps = min_start_gaps(site.request_log)
    assert max(peaks.values()) <= 1, peaks
    assert min(gaps.values()) >= DELAY, sorted(gaps.items(), key=lambda item: item[1])[:3]


def test_three_workers_archive_every_page_once_and_keep_every_host_polite(
    tmp_path: Path, archive_url: str, database: Database
) -> None:
    with DemoSite.synthetic(hosts=20, pages_per_host=100) as site:
        config = polite_config(site, tmp_path, archive_url)
        scheduler_args = ("schedule", "--enqueue-only", "--run-now", "--config", str(config))
        with (
            running(*scheduler_args, "--log-format", "json") as scheduler,
            running(*worker_args(config, "w0")) as w0,
            running(*worker_args(config, "w1")) as w1,
            running(*worker_args(config, "w2")) as w2,
        ):
            workers = (w0, w1, w2)
            scheduler.wait_for("site_done", count=20)
            wait_until_done(database, (scheduler, *workers), CRAWL_SECONDS)
            for process in (scheduler, *workers):
                process.process.send_signal(signal.SIGTERM)
            codes = [process.finish() for process in (scheduler, *workers)]
        assert codes == [0, 0, 0, 0], [process.stderr_if_done() for process in workers]

        assert_each_article_once(site, database)
        gets = article_gets(site.request_log, site)
        assert set(gets.values()) == {1}, {url: n for url, n in gets.items() if n != 1}
        assert_polite(site)
    assert not scheduler.named("pass_crashed")
    assert all(worker.named("round_done") and worker.named("stopped") for worker in workers)
    names = warc_files(database)
    for prefix in ("newsarchive-w0-", "newsarchive-w1-", "newsarchive-w2-", "newsarchive-enqueue-"):
        assert any(name.startswith(prefix) for name in names), (prefix, names)
    settings = load_config(config, environ={}).settings
    report = verify_archive(database, settings.warc_dir)
    assert report.ok, report.problems[:5]
    assert live_leases(database) == {}
    assert host_slots(database) == 0


def test_a_killed_workers_urls_go_to_another_worker_once_their_leases_run_out(
    tmp_path: Path, archive_url: str, database: Database
) -> None:
    with DemoSite(synthetic_data(hosts=4, pages_per_host=15), latency=0.05) as site:
        config = polite_config(site, tmp_path, archive_url)
        warc_dir = load_config(config, environ={}).settings.warc_dir
        # The doomed worker says who it is, so the server log tells its requests apart.
        (tmp_path / "doomed").mkdir()
        doomed_config = polite_config(
            site, tmp_path / "doomed", archive_url, warc_dir=str(warc_dir), user_agent=DOOMED
        )
        enqueue_once(load_config(config, environ={}), database=database)
        with running(
            *worker_args(doomed_config, "doomed", "--batch", "60", "--lease", "3")
        ) as doomed:
            wait_for_leases(database, "doomed:")
            while not versions_by_url(database):  # under way: some filed, more claimed
                assert doomed.process.poll() is None, doomed.stderr_if_done()
                time.sleep(0.05)
            expiries = lease_expiries(database, wait_for_leases(database, "doomed:"))
            doomed.process.kill()
            doomed.finish()
        with running(*worker_args(config, "rescuer", "--lease", "3")) as rescuer:
            wait_until_done(database, (rescuer,), SMALL_CRAWL_SECONDS)
            rescuer.process.send_signal(signal.SIGTERM)
            assert rescuer.finish() == 0, rescuer.stderr_if_done()

        assert_each_article_once(site, database)
        gets = article_gets(site.request_log, site)
        assert set(gets.values()) <= {1, 2}  # twice: fetched by the doomed, never filed
        rescued = [
            entry
            for entry in site.request_log
            if entry.headers.get("user-agent") != DOOMED
            and f"http://{entry.host}{entry.path}" in expiries
        ]
        assert rescued, "the rescuer fetched none of the doomed worker's URLs"
        for entry in rescued:  # never while the doomed worker's lease still ran
            assert entry.time >= expiries[f"http://{entry.host}{entry.path}"], entry
        assert_polite(site)
    assert live_leases(database) == {}
    report = verify_archive(database, warc_dir)
    assert report.ok, report.problems[:5]


def test_sigterm_gives_back_the_unstarted_batch_at_once_and_a_once_worker_finishes(
    tmp_path: Path, archive_url: str, database: Database
) -> None:
    with DemoSite(synthetic_data(hosts=2, pages_per_host=20), latency=0.1) as site:
        config = polite_config(site, tmp_path, archive_url)
        enqueue_once(load_config(config, environ={}), database=database)
        long_lease = ("--batch", "40", "--lease", "600")
        with running(*worker_args(config, "stopped", *long_lease)) as stopped:
            while not versions_by_url(database):
                assert stopped.process.poll() is None, stopped.stderr_if_done()
                time.sleep(0.05)
            stopped.process.send_signal(signal.SIGTERM)
            assert stopped.finish() == 0, stopped.stderr_if_done()
        assert stopped.named("stopping") and stopped.named("stopped")
        assert live_leases(database) == {}  # not left to run out in ten minutes
        assert open_work(database) > 0

        with running(*worker_args(config, "finisher", "--once")) as finisher:
            assert finisher.finish() == 0, finisher.stderr_if_done()

        assert open_work(database) == 0
        assert_each_article_once(site, database)
        assert set(article_gets(site.request_log, site).values()) == {1}
        assert_polite(site)


@pytest.mark.parametrize(
    "args", [["worker"], ["schedule", "--enqueue-only"]], ids=["worker", "enqueue-only"]
)
def test_sqlite_is_refused_in_one_line_with_exit_2(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"

    assert main([*args, "--config", str(SHIPPED_CONFIG), "--db", url]) == 2

    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "needs PostgreSQL" in error
    assert not (tmp_path / "archive.sqlite3").exists()
