"""What a run killed with -9 leaves behind that the next run must get past: the site locks it
held, and sources it read whose links it never stored. tests/reliability/test_kill_points.py
kills real processes; these pin both down in one process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scraper.demo_site import DemoSite, synthetic_data
from scraper.run import run_once
from storage.db import Database
from storage.frontier import Frontier
from storage.locks import SiteLocks
from tests.scraper.crawl_helpers import crawl, demo_config, versions_by_url
from tests.storage.conftest import database, postgres_database, postgres_server

# fixtures of the store tests (SQLite and a private PostgreSQL), imported for pytest
__all__ = ["database", "postgres_database", "postgres_server"]


@pytest.fixture
def site() -> Iterator[DemoSite]:
    with DemoSite(synthetic_data(hosts=2, pages_per_host=5)) as demo:
        yield demo


def dead_pid() -> int:
    """The process id of a process that has exited (and been reaped)."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def lock_every_site(site: DemoSite, database: Database, holder: str) -> None:
    for host in site.hosts:
        assert SiteLocks(database).acquire(host, holder, datetime.now(UTC), 3600)


def test_the_locks_of_a_run_killed_on_this_machine_are_taken_over_at_once(
    site: DemoSite, tmp_path: Path, database: Database
) -> None:
    lock_every_site(site, database, f"{socket.gethostname()}:{dead_pid()}:0badf00d")

    report = crawl(demo_config(site, tmp_path), database)

    assert [one.skipped for one in report.sites] == [None] * len(site.hosts)
    assert set(versions_by_url(database)) == set(site.article_urls())
    assert SiteLocks(database).holders() == {}


@pytest.mark.parametrize("where", ["live-here", "elsewhere"])
def test_the_locks_of_a_live_run_or_one_on_another_machine_are_respected(
    site: DemoSite, tmp_path: Path, database: Database, where: str
) -> None:
    host = socket.gethostname() if where == "live-here" else "another-machine"
    pid = os.getpid() if where == "live-here" else dead_pid()
    holder = f"{host}:{pid}:0badf00d"
    lock_every_site(site, database, holder)

    report = crawl(demo_config(site, tmp_path), database)

    assert all(one.skipped == "another run holds this site" for one in report.sites)
    assert versions_by_url(database) == {}
    assert SiteLocks(database).holders() == dict.fromkeys(site.hosts, holder)


def test_sources_of_a_pass_that_died_before_storing_their_links_are_read_again(
    site: DemoSite, tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("killed between reading the sources and storing their links")

    config = demo_config(site, tmp_path)
    monkeypatch.setattr(Frontier, "add", killed)
    died = run_once(config, (), None, database)
    monkeypatch.undo()
    assert all(one.failed for one in died.sites)

    crawl(config, database)

    assert set(versions_by_url(database)) == set(site.article_urls())
