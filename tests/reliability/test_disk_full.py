"""A full disk under the WARC folder mid-crawl: the run stops cleanly, says so, keeps
everything it stored, and the next run (once there is space) completes the archive.

The disk is a real tmpfs of a few pages' worth mounted as `warc_dir` (root only: the tests
skip otherwise); the database lives on the ordinary disk. One `warc_dir` serves every site
of a config, so a full disk stops every site's pass (each would fail on its next record): a
site left with work reports `disk_full`, a site that had finished does not. A quota run out
(EDQUOT) is simulated without root by a byte budget on the archive's writes.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from scraper.config import Config, load_config
from scraper.demo_site import DemoSite
from scraper.run import RunOptions, RunReport, run_once
from scraper.site_report import SiteReport
from storage.archive_check import verify_archive
from storage.db import Database, open_database
from storage.models import Article, ArticleVersion, Fetch
from storage.runs import RunLog
from storage.status import site_statuses
from storage.warc_files import OPEN_SUFFIX
from tests.reliability.archive_checks import sqlite_problems
from tests.scraper.crawl_helpers import article_gets
from tests.scraper.process_helpers import ROOT, WAIT_SECONDS, running, write_demo_config

HOSTS = 2
PAGES = 60  # per host; a page's records take about 3.3 kB gzipped
FULL_SIZE = "160k"  # room for about 45 pages of the 120: the disk fills mid-run
DISCOVERY_SIZE = "32k"  # full while the sites still read their feeds and sitemaps
ROOMY_SIZE = "4m"
CONCURRENCY = 4  # requests in flight over the run: what may still be fetched once it is full
DISK_FULL = "disk_full"


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=10)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of FULL_SIZE, unmounted (whatever happened) when the test ends."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount_point = tmp_path / "warc"
    mount_point.mkdir()
    mounted = _mount("-t", "tmpfs", "-o", f"size={FULL_SIZE},mode=0755", "tmpfs", str(mount_point))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def resize(mount_point: Path, size: str = ROOMY_SIZE) -> None:
    """Free space the way an operator would (the tmpfs grows, its files stay), or shrink it
    while empty."""
    resized = _mount("-o", f"remount,size={size}", str(mount_point))
    assert resized.returncode == 0, resized.stderr


@pytest.fixture
def site() -> Iterator[DemoSite]:
    with DemoSite.synthetic(hosts=HOSTS, pages_per_host=PAGES) as served:
        yield served


def newsarchive(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scraper.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
    )


def count(database: Database, model: type[object]) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def versions_without_record(database: Database) -> int:
    """Article versions whose fetch names no WARC record (each must name one)."""
    query = (
        select(func.count())
        .select_from(ArticleVersion)
        .join(Fetch, Fetch.id == ArticleVersion.fetch_id, isouter=True)
        .where(Fetch.warc_file.is_(None))
    )
    with database.session() as session:
        return int(session.scalar(query) or 0)


def assert_stopped_for_disk_full(
    site: DemoSite, sites: Sequence[SiteReport | Mapping[str, Any]]
) -> None:
    """Every site that did not store all its pages failed with `disk_full`; at least one did;
    a site that stored everything did not fail."""
    assert len(sites) == HOSTS, sites
    stored = dict.fromkeys(site.hosts, 0)
    for report in sites:
        data = report.to_dict() if isinstance(report, SiteReport) else report
        host, failure = str(data["site"]), data["failure"]
        stored[host] = int(str(data["new_articles"]))
        if stored[host] < PAGES:
            assert str(failure).startswith(f"{DISK_FULL}: "), data
            assert "No space left on device" in str(failure) or "quota" in str(failure), data
        else:
            assert failure is None, data
    assert min(stored.values()) < PAGES, stored


def assert_fetching_stopped(site: DemoSite, stored: int) -> None:
    """No URL was started once the disk was found full: only what was in flight then (at
    most CONCURRENCY requests) was fetched beyond what could be stored."""
    fetched = sum(article_gets(site.request_log, site).values())
    assert stored <= fetched <= stored + CONCURRENCY, (stored, fetched)


def assert_archive_whole(database: Database, warc_dir: Path) -> int:
    """Every WARC file finished and made of complete records, every fetch row's record there,
    every version backed by one, the database sound. Returns the records checked."""
    assert not list(warc_dir.glob(f"*{OPEN_SUFFIX}")), sorted(p.name for p in warc_dir.iterdir())
    report = verify_archive(database, warc_dir)
    assert report.ok, report.problems[:5]
    assert versions_without_record(database) == 0
    assert sqlite_problems(database) == []
    return report.records


def test_a_full_warc_disk_stops_the_run_cleanly_and_the_next_run_completes_it(
    tmp_path: Path, small_disk: Path, site: DemoSite
) -> None:
    url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    open_database(url).close()
    config = write_demo_config(
        site, tmp_path, url, warc_dir=str(small_disk), concurrency=CONCURRENCY
    )
    args = ("--config", str(config))

    with running("run", *args, "--log-format", "json") as run:
        assert run.finish() == 1, run.stderr_if_done()
    stderr = "".join(run.stderr)
    assert stderr.count("\n") == 1 and stderr.startswith("newsarchive: error: "), stderr
    assert f"({DISK_FULL}: " in stderr and "Traceback" not in stderr, stderr
    assert_stopped_for_disk_full(site, run.named("site_done"))
    assert run.named("run_done")[0]["exit_code"] == 1

    database = open_database(url)
    try:
        stored = count(database, Article)
        assert 0 < stored < HOSTS * PAGES
        assert count(database, ArticleVersion) == stored
        assert_fetching_stopped(site, stored)
        records_when_full = assert_archive_whole(database, small_disk)  # read while full
        logged = RunLog(database).recent(1)[0]
        assert logged.exit_code == 1
        assert_stopped_for_disk_full(site, list(logged.report["sites"]))

        problems = [status.last_problem for status in site_statuses(database, site.hosts)]
        assert any(str(p).startswith(f"{DISK_FULL}: ") for p in problems), problems

        resize(small_disk)
        verified = newsarchive("warc", "verify", *args)
        assert verified.returncode == 0, verified.stderr
        assert f"{records_when_full} records" in verified.stdout, verified.stdout

        site.clear_log()
        with running("run", *args, "--log-format", "json") as again:
            assert again.finish() == 0, again.stderr_if_done()
        assert "".join(again.stderr) == ""
        assert count(database, Article) == HOSTS * PAGES
        assert count(database, ArticleVersion) == HOSTS * PAGES  # nothing stored twice
        gets = article_gets(site.request_log, site)
        assert sum(gets.values()) == HOSTS * PAGES - stored  # only what was missing
        assert assert_archive_whole(database, small_disk) > records_when_full
    finally:
        database.close()


def test_a_full_disk_in_the_filing_process_stops_every_site(
    tmp_path: Path, small_disk: Path, site: DemoSite
) -> None:
    """The same with pages filed by a process of their own: its error reaches the passes."""
    config, database = in_process_config(tmp_path, site, small_disk)
    report = crawl(config, database, filing_process=True)
    try:
        assert report.exit_code == 1
        assert_stopped_for_disk_full(site, report.sites)
        stored = count(database, Article)
        assert_fetching_stopped(site, stored)
        assert_archive_whole(database, small_disk)
    finally:
        database.close()


def test_a_quota_run_out_mid_run_stops_it_without_root(
    tmp_path: Path, site: DemoSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EDQUOT from a byte budget on writes into the WARC folder, the archive written in a
    thread of this process (a real tmpfs needs root; this runs anywhere)."""
    warc_dir = tmp_path / "warc"
    monkeypatch.setattr(os, "write", quota(warc_dir, budget=150_000, write=os.write))
    config, database = in_process_config(tmp_path, site, warc_dir)
    report = crawl(config, database, filing_process=False)
    monkeypatch.undo()
    try:
        assert report.exit_code == 1
        assert_stopped_for_disk_full(site, report.sites)
        assert_fetching_stopped(site, count(database, Article))
        assert_archive_whole(database, warc_dir)
    finally:
        database.close()


def test_a_disk_full_while_reading_sources_loses_no_link(
    tmp_path: Path, small_disk: Path, site: DemoSite
) -> None:
    """Full before discovery is done: a source whose links never reached the frontier is
    not taken as read, so the next run (with space) still finds every article."""
    resize(small_disk, DISCOVERY_SIZE)
    config, database = in_process_config(tmp_path, site, small_disk)
    try:
        report = crawl(config, database, filing_process=False)
        assert report.exit_code == 1
        assert_stopped_for_disk_full(site, report.sites)
        assert count(database, Article) == 0
        assert_archive_whole(database, small_disk)

        resize(small_disk)
        again = crawl(config, database, filing_process=False)
        assert again.exit_code == 0, [one.to_dict() for one in again.sites]
        assert count(database, Article) == count(database, ArticleVersion) == HOSTS * PAGES
        assert_archive_whole(database, small_disk)
    finally:
        database.close()


def in_process_config(tmp_path: Path, site: DemoSite, warc_dir: Path) -> tuple[Config, Database]:
    url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    path = write_demo_config(site, tmp_path, url, warc_dir=str(warc_dir), concurrency=CONCURRENCY)
    return load_config(path, environ={}), open_database(url)


def crawl(config: Config, database: Database, *, filing_process: bool) -> RunReport:
    return run_once(config, (), RunOptions(filing_process=filing_process), database)


def quota(
    folder: Path, budget: int, write: Callable[[int, bytes | memoryview], int]
) -> Callable[[int, bytes | memoryview], int]:
    """`os.write` with a quota on the files in `folder`: writes a part, then EDQUOT."""
    folder, left = folder.resolve(), [budget]

    def limited(fd: int, data: bytes | memoryview) -> int:
        try:
            target = Path(f"/proc/self/fd/{fd}").readlink()
        except OSError:
            return write(fd, data)
        if target.parent != folder:
            return write(fd, data)
        if left[0] <= 0:
            raise OSError(errno.EDQUOT, "Disk quota exceeded")
        allowed = min(len(data), left[0])
        left[0] -= allowed
        return write(fd, bytes(data)[:allowed])

    return limited
