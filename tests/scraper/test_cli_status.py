"""`newsarchive status` and `newsarchive health` on an archive filled through the real APIs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from scraper.cli import main
from scraper.run import RunReport
from scraper.settings import CONFIG_ENV, DATABASE_ENV
from scraper.site_report import SiteReport
from storage.db import Database
from storage.frontier import Discovered, Frontier
from storage.leases import FrontierLeases
from storage.runs import RunLog
from storage.store import Store
from tests.storage.conftest import database, postgres_database, postgres_server, store
from tests.storage.layouts import LOST_IN_CHANGE, SITE, log_parses

__all__ = ["database", "postgres_database", "postgres_server", "store"]  # fixtures for pytest

QUIET = "quiet.example"  # configured, never crawled
RETIRED = "retired.example"  # in the archive, no longer configured
CONFIG = f"""\
sites:
  {SITE}:
    parser: generic
    timezone: Europe/London
    language: en
    feeds: [https://www.{SITE}/feed/]
  {QUIET}:
    parser: generic
    timezone: UTC
    language: en
    feeds: [https://{QUIET}/rss]
"""
STARTED = datetime(2025, 11, 1, 6, 0, tzinfo=UTC)
FLAGS = {f"{field} fill 1.00 -> 0.00" for field in LOST_IN_CHANGE}


@pytest.fixture(autouse=True)
def _no_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    monkeypatch.delenv(CONFIG_ENV, raising=False)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "schedules.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _cli(
    capsys: pytest.CaptureFixture[str], database: Database, config: Path, *argv: str
) -> tuple[int, str, str]:
    url = database.url.render_as_string(hide_password=False)
    code = main([*argv, "--config", str(config), "--db", url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def _layout_change(store: Store, healthy: int = 30, changed: int = 10) -> None:
    log_parses(store, "healthy", healthy)
    log_parses(store, "changed", changed)
    log_parses(store, "healthy", 5, site=RETIRED)


def _failed_run(database: Database) -> None:
    report = RunReport(STARTED, finished_at=STARTED + timedelta(minutes=1))
    site = SiteReport(SITE, STARTED, finished_at=STARTED + timedelta(minutes=1))
    site.failure = "ConnectError: unreachable"
    report.sites.append(site)
    RunLog(database).record(STARTED, STARTED + timedelta(minutes=1), 1, report.to_dict())


def test_status_json_lists_configured_then_archived_sites(
    capsys: pytest.CaptureFixture[str], store: Store, database: Database, config: Path
) -> None:
    _layout_change(store, healthy=60, changed=50)
    _failed_run(database)

    code, out, err = _cli(capsys, database, config, "status", "--log-format", "json")

    assert (code, err) == (0, "")
    lines = _lines(out)
    assert [line["site"] for line in lines] == [SITE, QUIET, RETIRED]
    assert {line["event"] for line in lines} == {"site_status"}
    crawled, quiet, retired = lines
    assert set(crawled["health_flags"]) == FLAGS
    assert crawled["error_streak"] == 1
    assert crawled["last_run_at"] == STARTED.isoformat()
    assert crawled["last_success_at"] is None
    assert crawled["last_problem"] == "ConnectError: unreachable"
    assert quiet["articles"] == quiet["versions"] == quiet["error_streak"] == 0
    assert (quiet["frontier"], quiet["health_flags"], quiet["last_run_at"]) == ({}, [], None)
    assert retired["health_flags"] == []


def test_status_table_names_every_site_and_its_flags(
    capsys: pytest.CaptureFixture[str], store: Store, database: Database, config: Path
) -> None:
    _layout_change(store, healthy=60, changed=50)
    _failed_run(database)

    code, out, _ = _cli(capsys, database, config, "status", "--log-format", "text")

    assert code == 0
    assert all(site in out for site in (SITE, QUIET, RETIRED))
    assert f"{SITE}: ConnectError: unreachable" in out
    for flag in FLAGS:
        assert f"{SITE}: parser health: {flag}" in out


def test_health_flags_a_layout_change_and_exits_1(
    capsys: pytest.CaptureFixture[str], store: Store, database: Database, config: Path
) -> None:
    _layout_change(store)

    code, out, err = _cli(
        capsys, database, config, "health", "--recent", "10", "--log-format", "json"
    )

    assert (code, err) == (1, "")
    by_site = {line["site"]: line for line in _lines(out)}
    assert list(by_site) == [SITE, QUIET, RETIRED]
    assert set(by_site[SITE]["flags"]) == FLAGS
    assert (by_site[SITE]["recent_pages"], by_site[SITE]["baseline_pages"]) == (10, 30)
    assert by_site[QUIET]["flags"] == by_site[RETIRED]["flags"] == []


def test_health_exits_0_when_no_site_is_flagged(
    capsys: pytest.CaptureFixture[str], store: Store, database: Database, config: Path
) -> None:
    _layout_change(store)

    # With the default window all 40 parses are recent: no baseline, nothing to compare.
    code, out, _ = _cli(capsys, database, config, "health", "--log-format", "json")
    assert code == 0
    assert all(line["flags"] == [] for line in _lines(out))

    code, out, _ = _cli(capsys, database, config, "health", QUIET, "--recent", "10")
    assert code == 0
    assert [line["site"] for line in _lines(out)] == [QUIET]


def test_health_table_marks_the_dropped_fields(
    capsys: pytest.CaptureFixture[str], store: Store, database: Database, config: Path
) -> None:
    _layout_change(store)

    code, out, _ = _cli(
        capsys, database, config, "health", "www.BorderWatchJournal.example", "--recent", "10",
        "--log-format", "text",
    )  # fmt: skip

    assert code == 1
    assert f"{SITE}: recent 10 pages (10 articles) vs baseline 30 (30 articles)" in out
    dropped = [line.split()[0] for line in out.splitlines() if "DROPPED" in line]
    assert set(dropped) == LOST_IN_CHANGE
    assert f"1 of 1 sites flagged: {SITE}" in out

    code, out, _ = _cli(capsys, database, config, "health", "--log-format", "text")
    assert code == 0
    assert f"{QUIET}: no parses yet" in out
    assert f"{RETIRED}: recent 5 pages (5 articles) vs baseline 0 (0 articles), too few" in out
    assert "0 of 3 sites flagged" in out


def test_an_unknown_site_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], database: Database, config: Path
) -> None:
    for command in ("status", "health"):
        code, out, err = _cli(capsys, database, config, command, "nowhere.example")

        assert (code, out) == (2, "")
        assert err.startswith("newsarchive: error: no site 'nowhere.example'")
        assert len(err.splitlines()) == 1


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_status_shows_the_workers_leases(
    capsys: pytest.CaptureFixture[str], database: Database, config: Path
) -> None:
    urls = [Discovered(f"https://www.{SITE}/story-{n}") for n in range(3)]
    Frontier(database, (timedelta(hours=1),)).add(SITE, urls, STARTED)
    FrontierLeases(database, "crawl1-a", 600).claim({SITE}, 10, datetime.now(UTC))

    code, out, _ = _cli(capsys, database, config, "status", "--log-format", "json")
    (workers,) = [line for line in _lines(out) if line["event"] == "worker_status"]
    assert code == 0
    assert [(w["worker"], w["urls"], w["sites"]) for w in workers["workers"]] == [
        ("crawl1-a", 3, 1)
    ]

    code, out, _ = _cli(capsys, database, config, "status", "--log-format", "text")
    assert code == 0 and "workers (live leases)" in out and "crawl1-a" in out
