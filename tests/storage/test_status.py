"""Site status from the run log, the frontier, the store and the parse log."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from scraper.run import RunReport
from scraper.site_report import SiteReport
from storage.db import Database
from storage.frontier import Discovered, Frontier
from storage.runs import RunLog
from storage.status import SiteStatus, known_sites, site_statuses
from storage.store import Store
from tests.storage.layouts import LOST_IN_CHANGE, SITE, log_parses, page_record

T0 = datetime(2025, 11, 1, 6, 0, tzinfo=UTC)
OTHER = "other.example"
RECHECK = (timedelta(hours=1), timedelta(days=1))


def _run(
    database: Database,
    hours: float,
    *sites: tuple[str, str | None, dict[str, int]],
    skipped: str | None = None,
) -> datetime:
    """Log a run `hours` after T0 with a (site, failure, errors) report per site."""
    started = T0 + timedelta(hours=hours)
    report = RunReport(started, finished_at=started + timedelta(minutes=5))
    for site, failure, errors in sites:
        site_report = SiteReport(site, started, finished_at=started + timedelta(minutes=4))
        site_report.failure, site_report.skipped = failure, skipped
        site_report.errors.update(errors)
        report.sites.append(site_report)
    RunLog(database).record(
        started, report.finished_at or started, report.exit_code, report.to_dict()
    )
    return started


def _status(database: Database, site: str = SITE) -> SiteStatus:
    (status,) = site_statuses(database, [site])
    return status


def test_a_site_with_no_data_is_all_zeros(database: Database) -> None:
    status = _status(database, "new.example")

    assert status.to_dict() == {
        "site": "new.example",
        "last_run_at": None,
        "last_success_at": None,
        "last_problem": None,
        "error_streak": 0,
        "next_due_at": None,
        "articles": 0,
        "versions": 0,
        "frontier": {},
        "health_flags": [],
    }


def test_the_error_streak_counts_back_to_the_last_clean_run(database: Database) -> None:
    _run(database, 0, (SITE, "ConnectError: down", {}))
    _run(database, 1, (SITE, None, {}))
    _run(database, 2, (SITE, None, {"timeout": 2}))
    _run(database, 3, (SITE, "ConnectError: down", {}))
    latest = _run(database, 4, (SITE, None, {"http_500": 1, "timeout": 3}))

    status = _status(database)

    assert status.last_run_at == latest
    assert status.last_success_at == latest
    assert status.error_streak == 3
    assert status.last_problem == "errors: http_500 x1, timeout x3"


def test_a_failed_latest_run_keeps_the_earlier_success(database: Database) -> None:
    success = _run(database, 0, (SITE, None, {}))
    _run(database, 1, (SITE, "ConnectError: down", {}))
    latest = _run(database, 2, (SITE, "ConnectError: still down", {}))

    status = _status(database)

    assert (status.last_run_at, status.last_success_at) == (latest, success)
    assert status.error_streak == 2
    assert status.last_problem == "ConnectError: still down"


def test_skipped_runs_and_other_sites_runs_do_not_count(database: Database) -> None:
    success = _run(database, 0, (SITE, None, {}), (OTHER, "boom", {}))
    _run(database, 1, (SITE, None, {}), skipped="another run holds this site")
    _run(database, 2, (OTHER, "boom", {}))

    mine, other = site_statuses(database, [SITE, OTHER])

    assert (mine.last_run_at, mine.last_success_at, mine.error_streak) == (success, success, 0)
    assert mine.last_problem is None
    assert (other.last_success_at, other.error_streak) == (None, 2)


def test_frontier_counts_and_next_due_leave_sources_out(database: Database) -> None:
    frontier = Frontier(database, RECHECK)
    frontier.add_sources(SITE, ["https://www.borderwatchjournal.example/feed/"], T0)
    urls = [f"https://www.borderwatchjournal.example/land/story-{n}.html" for n in range(3)]
    frontier.add(SITE, [Discovered(url) for url in urls], T0 + timedelta(hours=1))
    frontier.record(urls[0], "changed", T0 + timedelta(hours=2))
    frontier.record(urls[1], "gone", T0 + timedelta(hours=2))
    frontier.add(OTHER, [Discovered("https://other.example/a")], T0)

    status = _status(database)

    assert status.frontier == {"source": 1, "new": 1, "active": 1, "gone": 1}
    assert status.next_due_at == T0 + timedelta(hours=1)


def test_articles_and_versions_are_counted(store: Store, database: Database) -> None:
    record = page_record("healthy")
    assert record.updated_at is not None
    store.save(record, seen_at=T0)
    store.save(replace(record, updated_at=record.updated_at + timedelta(days=1)), seen_at=T0)
    other_url = record.url.replace("-0.html", "-1.html")
    other = replace(record, url=other_url, canonical_url=other_url, body=("Another story.",))
    store.save(other, seen_at=T0)

    status = _status(database)

    assert (status.articles, status.versions) == (2, 3)


def test_health_flags_are_included(store: Store, database: Database) -> None:
    log_parses(store, "healthy", 60)
    log_parses(store, "changed", 50)

    status = _status(database)

    assert set(status.health_flags) == {f"{field} fill 1.00 -> 0.00" for field in LOST_IN_CHANGE}


def test_known_sites_joins_the_sites_table_and_the_parse_log(
    store: Store, database: Database
) -> None:
    Frontier(database, RECHECK).add(OTHER, [Discovered("https://other.example/a")], T0)
    log_parses(store, "healthy", 1)
    log_parses(store, "healthy", 1, site=OTHER)

    assert known_sites(database) == [SITE, OTHER]
