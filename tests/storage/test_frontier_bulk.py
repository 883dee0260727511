"""The frontier under load on both databases: thousands of URLs in a few statements, and
workers adding the same URLs at once."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from storage.db import Database
from storage.frontier import CHUNK, Discovered, Frontier
from tests.storage.tables import Rows

HOUR = timedelta(hours=1)
RECHECK = (HOUR, 3 * HOUR, 12 * HOUR)
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SITE = "x.test"


@pytest.fixture
def frontier(database: Database) -> Frontier:
    return Frontier(database, RECHECK)


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    """Every statement sent to the database inside the block (an executemany counts once)."""
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(args[2])

    event.listen(database.write_engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(database.write_engine, "before_cursor_execute", count)


def test_thousands_of_urls_take_a_few_statements_per_chunk(
    database: Database, frontier: Frontier
) -> None:
    """The crawl benchmark's load: 5,000 URLs over 50 hosts, added and then seen again."""
    urls = [f"https://host{n % 50}.test/story/{n}" for n in range(5000)]
    budget = 4 * len(urls) // CHUNK + 10

    with _statements(database) as first:
        assert frontier.add(SITE, [Discovered(url, lastmod=T0) for url in urls], T0) == len(urls)
    for url in urls[:100]:
        frontier.record(url, "changed", T0)
    edited = [Discovered(url, lastmod=T0 + HOUR) for url in urls]
    with _statements(database) as again:
        assert frontier.add(SITE, edited, T0 + 2 * HOUR) == 100

    assert len(first) <= budget
    assert len(again) <= budget
    assert frontier.counts(SITE) == {"new": len(urls) - 100, "active": 100}
    assert len(frontier.due(SITE, T0 + 2 * HOUR)) == len(urls)


def test_workers_adding_the_same_urls_at_once_make_one_row_each(
    database: Database, rows: Rows
) -> None:
    """Each worker adds the URLs in its own order; every URL is counted new exactly once."""
    urls = [f"https://x.test/story/{n}" for n in range(300)]
    workers, added, errors = 4, list[int](), list[Exception]()
    start = threading.Barrier(workers)

    def work(seed: int) -> None:
        mine = random.Random(seed).sample(urls, len(urls))
        start.wait()
        try:
            added.append(Frontier(database, RECHECK).add(SITE, map(Discovered, mine), T0))
        except Exception as exc:  # reported below, with the database's own message
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(added) == len(urls)
    assert sorted(row["url"] for row in rows("frontier_urls")) == sorted(urls)
