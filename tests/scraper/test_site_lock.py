"""SiteLease: a pass runs under its site's lock, renewed while it works, released after; a
site another live run holds is skipped; a lock left by a dead process here is taken over."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from typing import cast

import pytest

from scraper.site_lock import SKIPPED, SiteLease, lock_holder
from scraper.site_pass import SitePass
from scraper.site_report import SiteReport
from storage.db import Database
from storage.locks import SiteLocks
from tests.storage.conftest import database, postgres_database, postgres_server

__all__ = ["database", "postgres_database", "postgres_server"]  # fixtures for pytest

pytestmark = pytest.mark.anyio
SITE = "navalmonitor.example"
TTL = 600.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakePass:
    """Stands in for a SitePass: runs `work` and reports."""

    def __init__(self, work: object = None) -> None:
        self.report = SiteReport(SITE, datetime.now(UTC))
        self.work = work
        self.ran = False

    async def run(self) -> SiteReport:
        self.ran = True
        if callable(self.work):
            await self.work()
        return self.report


def _lease(database: Database, holder: str | None = None, ttl: float = TTL) -> SiteLease:
    return SiteLease(SiteLocks(database), holder or lock_holder(), lambda: datetime.now(UTC), ttl)


def _hold(database: Database, holder: str) -> None:
    assert SiteLocks(database).acquire(SITE, holder, datetime.now(UTC), TTL)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


async def test_a_pass_runs_locked_and_releases_its_lock(database: Database) -> None:
    lease = _lease(database)
    seen: list[dict[str, str]] = []

    async def work() -> None:
        seen.append(SiteLocks(database).holders())

    site_pass = FakePass(work)
    report = await lease.run(SITE, cast(SitePass, site_pass))

    assert report is site_pass.report and report.skipped is None
    assert seen == [{SITE: lease.holder}]
    assert SiteLocks(database).holders() == {}


@pytest.mark.parametrize("holder", ["elsewhere.example:1:abcd", f"{socket.gethostname()}:self"])
async def test_a_site_a_live_run_holds_is_skipped(database: Database, holder: str) -> None:
    holder = holder.replace("self", f"{os.getpid()}:abcd")
    _hold(database, holder)
    site_pass = FakePass()

    report = await _lease(database).run(SITE, cast(SitePass, site_pass))

    assert report.skipped == SKIPPED and not site_pass.ran
    assert SiteLocks(database).holders() == {SITE: holder}


async def test_a_lock_left_by_a_dead_process_here_is_taken_over(database: Database) -> None:
    _hold(database, f"{socket.gethostname()}:{_dead_pid()}:abcd")
    site_pass = FakePass()

    report = await _lease(database).run(SITE, cast(SitePass, site_pass))

    assert report.skipped is None and site_pass.ran
    assert SiteLocks(database).holders() == {}


async def test_a_long_pass_keeps_its_lock_past_the_lock_time(database: Database) -> None:
    lease = _lease(database, ttl=0.6)
    taken: list[bool] = []

    async def work() -> None:
        await asyncio.sleep(1.5)  # well past the 0.6 s a lock lasts unrenewed
        other = SiteLocks(database).acquire(SITE, "other:1:x", datetime.now(UTC), TTL)
        taken.append(other)

    await lease.run(SITE, cast(SitePass, FakePass(work)))

    assert taken == [False]


async def test_a_pass_that_fails_is_its_report_and_releases_the_lock(database: Database) -> None:
    async def work() -> None:
        raise RuntimeError("the parser blew up")

    report = await _lease(database).run(SITE, cast(SitePass, FakePass(work)))

    assert report.failure == "RuntimeError: the parser blew up"
    assert SiteLocks(database).holders() == {}
