"""Frontier leases on PostgreSQL: claims with SKIP LOCKED, expiry, renewal, release.

Workers refuse SQLite, so these run on the PostgreSQL half of the `database` fixture only.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.db import Database, open_database
from storage.exceptions import NeedsPostgresError
from storage.frontier import Discovered, Frontier
from storage.leases import FrontierLeases, LeasedUrl, SiteLeases, live_leases, plan_claim

ON_POSTGRES = pytest.mark.parametrize("database", ["postgresql"], indirect=True)

NOW = datetime.now(UTC)
RECHECK = (timedelta(hours=1),)
LEASE = 60.0
WAIT_SECONDS = 30.0  # an upper bound for a lease to run out, never an expectation


def add_urls(database: Database, site: str, count: int) -> list[str]:
    urls = [f"https://{site}/story-{number}" for number in range(count)]
    Frontier(database, RECHECK).add(site, [Discovered(url) for url in urls], NOW)
    return urls


def urls_of(claimed: list[LeasedUrl]) -> set[str]:
    return {leased.due.url for leased in claimed}


@ON_POSTGRES
def test_a_claim_leases_due_urls_of_the_named_sites_only(database: Database) -> None:
    mine = add_urls(database, "a.example", 3) + add_urls(database, "b.example", 2)
    add_urls(database, "c.example", 2)
    frontier = Frontier(database, RECHECK)
    frontier.record(mine[0], "changed", NOW)  # fetched: due again only in an hour

    claimed = FrontierLeases(database, "w1", LEASE).claim({"a.example", "b.example"}, 10, NOW)

    assert urls_of(claimed) == set(mine[1:])
    assert {leased.site for leased in claimed} == {"a.example", "b.example"}
    assert all(leased.due.state == "new" for leased in claimed)
    assert live_leases(database) == dict.fromkeys(mine[1:], "w1")


@ON_POSTGRES
def test_a_claim_spreads_over_the_sites(database: Database) -> None:
    for site in ("a.example", "b.example", "c.example"):
        add_urls(database, site, 10)

    claimed = FrontierLeases(database, "w1", LEASE).claim(
        {"a.example", "b.example", "c.example"}, 6, NOW
    )

    assert Counter(leased.site for leased in claimed) == {
        "a.example": 2,
        "b.example": 2,
        "c.example": 2,
    }


@ON_POSTGRES
def test_a_leased_url_is_nobody_elses_until_released(database: Database) -> None:
    urls = add_urls(database, "a.example", 3)
    first, second = FrontierLeases(database, "w1", LEASE), FrontierLeases(database, "w2", LEASE)
    claimed = first.claim({"a.example"}, 10, NOW)
    assert urls_of(claimed) == set(urls)

    assert second.claim({"a.example"}, 10, NOW) == []
    second.release([leased.id for leased in claimed])  # not its leases: nothing happens
    assert second.claim({"a.example"}, 10, NOW) == []

    first.release([claimed[0].id])
    assert urls_of(second.claim({"a.example"}, 10, NOW)) == {claimed[0].due.url}
    assert live_leases(database) == {
        claimed[0].due.url: "w2",
        claimed[1].due.url: "w1",
        claimed[2].due.url: "w1",
    }


@ON_POSTGRES
def test_an_expired_lease_goes_to_another_worker_and_the_first_loses_it(
    database: Database,
) -> None:
    [url] = add_urls(database, "a.example", 1)
    brief = FrontierLeases(database, "dead", 0.05)
    [leased] = brief.claim({"a.example"}, 1, NOW)
    deadline = time.monotonic() + WAIT_SECONDS
    while live_leases(database):
        assert time.monotonic() < deadline, "the lease never ran out"
        time.sleep(0.02)

    taker = FrontierLeases(database, "w2", LEASE)
    assert urls_of(taker.claim({"a.example"}, 1, NOW)) == {url}
    assert brief.renew({leased.id}) == set()
    brief.release([leased.id])
    assert live_leases(database) == {url: "w2"}


@ON_POSTGRES
def test_renewing_keeps_a_lease_and_resting_keeps_a_failed_url_from_others(
    database: Database,
) -> None:
    urls = add_urls(database, "a.example", 2)
    leases = FrontierLeases(database, "w1", LEASE)
    claimed = leases.claim({"a.example"}, 2, NOW)
    assert leases.renew({leased.id for leased in claimed}) == {leased.id for leased in claimed}

    leases.rest([claimed[0].id], 3600.0)
    leases.release([claimed[1].id])

    other = FrontierLeases(database, "w2", LEASE)
    assert urls_of(other.claim({"a.example"}, 2, NOW)) == {claimed[1].due.url}
    assert live_leases(database) == {claimed[0].due.url: "w1", claimed[1].due.url: "w2"}
    assert set(live_leases(database)) == set(urls)


@ON_POSTGRES
def test_release_all_gives_back_every_lease_of_the_holder(database: Database) -> None:
    add_urls(database, "a.example", 4)
    first, second = FrontierLeases(database, "w1", LEASE), FrontierLeases(database, "w2", LEASE)
    first.claim({"a.example"}, 2, NOW)
    kept = second.claim({"a.example"}, 2, NOW)

    first.release_all()

    assert live_leases(database) == {leased.due.url: "w2" for leased in kept}


@ON_POSTGRES
def test_workers_claiming_at_once_never_share_a_url(database: Database) -> None:
    sites = {f"s{number}.example" for number in range(4)}
    urls = {url for site in sites for url in add_urls(database, site, 60)}
    claims: list[list[LeasedUrl]] = []
    barrier = threading.Barrier(6)
    errors: list[Exception] = []

    def work(name: str) -> None:
        leases = FrontierLeases(database, name, LEASE)
        barrier.wait()
        try:
            while batch := leases.claim(sites, 7, NOW):
                claims.append(batch)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    claimed = [leased.due.url for batch in claims for leased in batch]
    assert sorted(claimed) == sorted(urls)  # every URL once, none twice


@ON_POSTGRES
def test_sqlite_is_refused_in_one_line(tmp_path: Path, database: Database) -> None:
    sqlite = open_database(f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    try:
        with pytest.raises(NeedsPostgresError, match="needs PostgreSQL") as error:
            FrontierLeases(sqlite, "w1", LEASE)
        assert "\n" not in str(error.value)
    finally:
        sqlite.close()


def test_a_claim_keeps_to_the_workers_own_sites_then_free_ones() -> None:
    mine = [SiteLeases(n, f"mine{n}", mine=True, others=n == 1) for n in range(2)]
    free = [SiteLeases(10 + n, f"free{n}", mine=False, others=False) for n in range(3)]
    taken = [SiteLeases(20 + n, f"taken{n}", mine=False, others=True) for n in range(3)]
    sites = [*taken, *free, *mine]

    plan = plan_claim(sites, limit=10, spread=4, rng=random.Random(1))

    chosen = [site.name for site, _ in plan]
    assert set(chosen[:2]) == {"mine0", "mine1"}
    assert set(chosen[2:]) <= {"free0", "free1", "free2"}
    assert [quota for _, quota in plan] == [3, 3, 3, 3]


def test_a_claim_spreads_over_every_site_it_may() -> None:
    sites = [SiteLeases(n, f"s{n}", mine=False, others=n % 2 == 0) for n in range(5)]

    plan = plan_claim(sites, limit=7, spread=10)

    assert sorted(site.name for site, _ in plan) == [f"s{n}" for n in range(5)]
    assert {quota for _, quota in plan} == {2}
    assert plan_claim([], limit=7, spread=10) == []
