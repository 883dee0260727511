"""What the worker reliability tests share: a polite demo config, the frontier's progress,
and what the server saw of each host (concurrency, gaps between request starts)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from scraper.demo_site import DemoSite, LoggedRequest
from storage.db import Database
from storage.leases import live_leases
from tests.scraper.process_helpers import WAIT_SECONDS, Newsarchive, write_demo_config

# One connection per host, 50 ms between request starts: small, so tests stay short, and
# long enough that a breach would show in the server's clock.
DELAY = 0.05
POLITE = {
    "min_delay": DELAY,
    "connections_per_host": 1,
    "concurrency": 8,
    "timeouts": {"total": 10.0},
}
POLL_SECONDS = 0.2

_OPEN_WORK = text(
    """
SELECT count(*) FROM frontier_urls
WHERE (state IN ('new', 'active') AND next_due_at <= now()) OR lease_expires_at > now()
"""
)


def polite_config(site: DemoSite, tmp_path: Path, url: str, **settings: Any) -> Path:
    return write_demo_config(site, tmp_path, url, **(POLITE | settings))


def worker_args(config: Path, name: str, *extra: str) -> tuple[str, ...]:
    return ("worker", "--config", str(config), "--id", name, "--log-format", "json", *extra)


def open_work(database: Database) -> int:
    """URLs due now or under a live lease: zero once the workers have done everything (a
    killed worker's lease on a URL it filed just runs out: the URL is not due)."""
    with database.engine.connect() as connection:
        return int(connection.execute(_OPEN_WORK).scalar_one())


def wait_until_done(database: Database, processes: Iterable[Newsarchive], seconds: float) -> None:
    """Until nothing is due or leased; fails if a process exits or time runs out."""
    deadline = time.monotonic() + seconds
    while open_work(database):
        for process in processes:
            assert process.process.poll() is None, process.stderr_if_done()
        if time.monotonic() > deadline:
            raise AssertionError(_stuck(database, processes))
        time.sleep(POLL_SECONDS)


def _stuck(database: Database, processes: Iterable[Newsarchive]) -> str:
    """What is left and what the processes said, for a test that timed out."""
    query = text(
        "SELECT url, state, next_due_at, lease_holder, lease_expires_at, last_error"
        " FROM frontier_urls WHERE next_due_at <= now() OR lease_expires_at > now()"
    )
    with database.engine.connect() as connection:
        left = [tuple(row) for row in connection.execute(query).all()[:10]]
        pacing = [tuple(row) for row in connection.execute(text("SELECT * FROM host_pacing"))]
    said = [event for process in processes for event in process.events if event["event"] != "log"]
    return f"still to do: {left}\npacing: {pacing}\nevents: {said[-20:]}"


def wait_for_leases(database: Database, holder_prefix: str) -> dict[str, str]:
    """The URLs leased by a worker whose holder name starts with the prefix, once it has
    some (fails after WAIT_SECONDS)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        mine = {url: h for url, h in live_leases(database).items() if h.startswith(holder_prefix)}
        if mine:
            return mine
        assert time.monotonic() < deadline, f"{holder_prefix} never held a lease"
        time.sleep(0.02)


def lease_expiries(database: Database, urls: Iterable[str]) -> dict[str, datetime]:
    query = text("SELECT url, lease_expires_at FROM frontier_urls WHERE url = ANY(:urls)")
    with database.engine.connect() as connection:
        rows = connection.execute(query, {"urls": list(urls)}).all()
    return {str(row.url): row.lease_expires_at for row in rows}


def by_host(log: Iterable[LoggedRequest]) -> dict[str, list[LoggedRequest]]:
    hosts: dict[str, list[LoggedRequest]] = {}
    for entry in sorted(log, key=lambda entry: entry.time):
        hosts.setdefault(entry.host, []).append(entry)
    return hosts


def min_start_gaps(log: Iterable[LoggedRequest]) -> dict[str, float]:
    """Per host, the shortest time between the starts of two requests, in seconds."""
    return {
        host: min(
            (later.time - earlier.time).total_seconds()
            for earlier, later in itertools.pairwise(entries)
        )
        for host, entries in by_host(log).items()
        if len(entries) > 1
    }


def warc_files(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        query = text("SELECT DISTINCT warc_file FROM fetches WHERE warc_file IS NOT NULL")
        return set(connection.execute(query).scalars())


def host_slots(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM host_slots")).scalar_one())
