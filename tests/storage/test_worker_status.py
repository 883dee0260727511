"""What `status` shows of workers: live leases per worker, leases that ran out without
being given back, and the hosts in flight or waited on, all by the server's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from storage.db import Database
from storage.frontier import Discovered, Frontier
from storage.host_pacing import PacingRule, SharedPacing, Turn
from storage.leases import FrontierLeases
from storage.worker_status import HostWait, worker_status

ON_POSTGRES = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
NOW = datetime.now(UTC)
RECHECK = (timedelta(hours=1),)


def _add(database: Database, site: str, count: int) -> None:
    urls = [Discovered(f"https://{site}/story-{n}") for n in range(count)]
    Frontier(database, RECHECK).add(site, urls, NOW)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_an_archive_without_workers_has_no_worker_status(database: Database) -> None:
    assert worker_status(database) is None


@ON_POSTGRES
def test_a_quiet_archive_is_idle(database: Database) -> None:
    _add(database, "a.example", 2)

    status = worker_status(database)

    assert status is not None and status.idle
    assert status.to_dict() == {"workers": [], "lapsed_leases": 0, "hosts": []}


@ON_POSTGRES
def test_leases_are_counted_per_worker_and_lapsed_ones_apart(database: Database) -> None:
    _add(database, "a.example", 3)
    _add(database, "b.example", 2)
    _add(database, "c.example", 1)
    FrontierLeases(database, "w1", 600).claim({"a.example", "c.example"}, 10, NOW)
    FrontierLeases(database, "w2", 600).claim({"b.example"}, 10, NOW)
    with database.transaction() as session:  # one of w2's leases ran out: w2 was killed
        session.execute(
            text(
                "UPDATE frontier_urls SET lease_expires_at = now() - interval '1 minute' "
                "WHERE url = 'https://b.example/story-0'"
            )
        )

    status = worker_status(database)

    assert status is not None and not status.idle
    assert [(w.worker, w.urls, w.sites) for w in status.workers] == [("w1", 4, 2), ("w2", 1, 1)]
    assert all(w.until > datetime.now(UTC) + timedelta(minutes=5) for w in status.workers)
    assert status.lapsed_leases == 1
    assert status.to_dict()["workers"][0]["worker"] == "w1"


@ON_POSTGRES
def test_hosts_in_flight_and_backed_off_are_listed(database: Database) -> None:
    pacing = SharedPacing(database, "w1", slot_lease_seconds=60)
    try:
        turn = pacing.take_turn("slow.example", PacingRule(2, min_delay=30.0), 0.1)
        assert isinstance(turn, Turn)

        (host,) = _hosts(database)
        assert (host.host, host.in_flight, host.max_connections) == ("slow.example", 1, 2)
        assert 0 < host.next_in <= 30

        pacing.end_turn(turn, elapsed=0.0, overloaded=True, retry_after=120)
        (host,) = _hosts(database)
        assert host.in_flight == 0 and host.backoff > 0 and host.next_in > 60
    finally:
        pacing.close()


def _hosts(database: Database) -> list[HostWait]:
    status = worker_status(database)
    assert status is not None
    return status.hosts
