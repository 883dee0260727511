"""Site locks on both databases: one holder at a time, renewals, expiry and take-over."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from storage.db import Database
from storage.locks import SiteLocks
from tests.storage.tables import Rows

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
TTL = 600.0
SITE = "x.test"


@pytest.fixture
def locks(database: Database) -> SiteLocks:
    return SiteLocks(database)


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_free_site_is_taken_and_a_held_one_refused(locks: SiteLocks, rows: Rows) -> None:
    assert locks.acquire(SITE, "run-a", T0, TTL)
    assert not locks.acquire(SITE, "run-b", _at(1), TTL)

    assert locks.holders() == {SITE: "run-a"}
    assert rows("site_locks") == [
        {"site": SITE, "holder": "run-a", "acquired_at": T0, "expires_at": _at(TTL)}
    ]


def test_locks_are_per_site(locks: SiteLocks) -> None:
    assert locks.acquire(SITE, "run-a", T0, TTL)
    assert locks.acquire("y.test", "run-b", T0, TTL)
    assert locks.holders() == {SITE: "run-a", "y.test": "run-b"}


def test_the_holder_renews_its_lock(locks: SiteLocks, rows: Rows) -> None:
    locks.acquire(SITE, "run-a", T0, TTL)

    assert locks.acquire(SITE, "run-a", _at(TTL - 10), TTL)

    assert not locks.acquire(SITE, "run-b", _at(TTL + 10), TTL)
    assert rows("site_locks") == [
        {
            "site": SITE,
            "holder": "run-a",
            "acquired_at": _at(TTL - 10),
            "expires_at": _at(2 * TTL - 10),
        }
    ]


def test_an_expired_lock_is_taken_over(locks: SiteLocks, rows: Rows) -> None:
    locks.acquire(SITE, "run-a", T0, TTL)
    assert not locks.acquire(SITE, "run-b", _at(TTL), TTL)  # expires at, not before

    assert locks.acquire(SITE, "run-b", _at(TTL + 1), TTL)

    assert locks.holders() == {SITE: "run-b"}
    assert not locks.acquire(SITE, "run-a", _at(TTL + 2), TTL)
    assert rows("site_locks") == [
        {
            "site": SITE,
            "holder": "run-b",
            "acquired_at": _at(TTL + 1),
            "expires_at": _at(2 * TTL + 1),
        }
    ]


def test_only_the_holder_releases(locks: SiteLocks) -> None:
    locks.acquire(SITE, "run-a", T0, TTL)

    locks.release(SITE, "run-b")
    assert locks.holders() == {SITE: "run-a"}

    locks.release(SITE, "run-a")
    assert locks.holders() == {}
    assert locks.acquire(SITE, "run-b", _at(1), TTL)


def test_a_holder_whose_lock_was_taken_over_cannot_release_it(locks: SiteLocks) -> None:
    locks.acquire(SITE, "run-a", T0, TTL)
    locks.acquire(SITE, "run-b", _at(TTL + 1), TTL)

    locks.release(SITE, "run-a")  # the killed run's cleanup, late

    assert locks.holders() == {SITE: "run-b"}


def test_expired_locks_are_still_listed_until_taken(locks: SiteLocks) -> None:
    locks.acquire(SITE, "run-a", T0, 1)
    assert locks.holders() == {SITE: "run-a"}


def _race(database: Database, site: str, now: datetime, runners: int) -> list[str]:
    """`runners` threads, each with its own SiteLocks, asking for the site at one moment."""
    won: list[str] = []
    errors: list[Exception] = []
    start = threading.Barrier(runners)

    def run(name: str) -> None:
        start.wait()
        try:
            if SiteLocks(database).acquire(site, name, now, TTL):
                won.append(name)
        except Exception as exc:  # reported below with the database's message
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f"run-{n}",)) for n in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return won


@pytest.mark.parametrize("site", [f"race-{n}.test" for n in range(3)])
def test_runners_racing_for_a_free_site_leave_exactly_one_holder(
    database: Database, locks: SiteLocks, site: str
) -> None:
    won = _race(database, site, T0, runners=8)

    assert len(won) == 1
    assert locks.holders() == {site: won[0]}


def test_runners_racing_for_an_expired_lock_leave_exactly_one_holder(
    database: Database, locks: SiteLocks
) -> None:
    locks.acquire(SITE, "killed-run", T0, TTL)

    won = _race(database, SITE, _at(TTL + 1), runners=8)

    assert len(won) == 1
    assert locks.holders() == {SITE: won[0]}
