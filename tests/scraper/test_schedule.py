"""The scheduler daemon in-process: triggers from schedules, the jobs it keeps in the archive
database, reloads, and the stop event that ends a pass between URLs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from alembic import command
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, text

from scraper.config import SiteEntry, load_config
from scraper.demo_site import DemoSite
from scraper.run import RunOptions, run_once
from scraper.schedule import JOB_TABLE, MISFIRE_GRACE, ScheduleDaemon, run_site_job
from scraper.schedule_log import LOGGER_NAME
from scraper.schedule_triggers import crontab_weekdays, trigger_for
from scraper.settings import Schedule
from scraper.site_pass import parse_page
from storage.db import Database, alembic_config, open_database
from storage.locks import SiteLocks
from storage.models import Article, Run
from tests.scraper.crawl_helpers import article_gets, versions_by_url
from tests.scraper.process_helpers import fresh_postgres_url, write_demo_config
from tests.storage.conftest import postgres_server

__all__ = ["postgres_server"]  # a fixture, imported for pytest

KOLKATA = ZoneInfo("Asia/Kolkata")
ALPHA = {"schedule": {"interval": "30m", "jitter": "2m"}}
BETA = {"schedule": {"cron": "0 6 * * 1-5", "timezone": "Asia/Kolkata", "jitter": "1s"}}
GAMMA_DISABLED = {"enabled": False}
SITES = {"alpha.example": ALPHA, "beta.example": BETA, "gamma.example": GAMMA_DISABLED}


# --- triggers -----------------------------------------------------------------------------


def test_an_interval_schedule_becomes_an_interval_trigger_with_zone_and_jitter() -> None:
    schedule = Schedule(
        interval=timedelta(minutes=30), timezone="Asia/Kolkata", jitter=timedelta(minutes=2)
    )
    trigger = trigger_for(schedule)
    assert isinstance(trigger, IntervalTrigger)
    assert trigger.interval == timedelta(minutes=30)
    assert trigger.jitter == 120
    assert str(trigger.timezone) == "Asia/Kolkata"


@pytest.mark.parametrize(
    ("cron", "expected"),
    [
        ("0 6 * * 1-5", datetime(2025, 12, 8, 6, 0, tzinfo=KOLKATA)),  # Monday
        ("30 2 * * 0", datetime(2025, 12, 7, 2, 30, tzinfo=KOLKATA)),  # Sunday
        ("15 23 * * *", datetime(2025, 12, 6, 23, 15, tzinfo=KOLKATA)),  # the same evening
    ],
)
def test_a_cron_schedule_fires_in_its_timezone_on_crontab_weekdays(
    cron: str, expected: datetime
) -> None:
    schedule = Schedule(interval=None, cron=cron, timezone="Asia/Kolkata", jitter=timedelta(0))
    trigger = trigger_for(schedule)
    saturday_noon = datetime(2025, 12, 6, 12, 0, tzinfo=KOLKATA)
    assert isinstance(trigger, CronTrigger)
    assert trigger.jitter is None
    assert trigger.get_next_fire_time(None, saturday_noon) == expected


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("0", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("0,6", "sun,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("1-5/2", "mon,wed,fri"),
        ("5/2", "fri,sun"),
        ("*", "*"),
        ("mon-fri", "mon-fri"),
    ],
)
def test_crontab_weekday_numbers_count_from_sunday(field: str, names: str) -> None:
    assert crontab_weekdays(field) == names


# --- jobs kept in the archive database ----------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty archive of each kind (fresh, so the job table starts empty)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.sqlite3'}"
        return
    with fresh_postgres_url(request.getfixturevalue("postgres_server")) as url:
        yield url


def write_config(tmp_path: Path, database_url: str, sites: dict[str, dict[str, Any]]) -> Path:
    entries = {
        host: {
            "parser": "generic",
            "timezone": "UTC",
            "language": "en",
            "feeds": [f"https://{host}/feed/"],
            **body,
        }
        for host, body in sites.items()
    }
    settings = {"data_dir": str(tmp_path / "data"), "database": database_url}
    path = tmp_path / "schedules.yaml"
    path.write_text(yaml.safe_dump({"settings": settings, "sites": entries}), encoding="utf-8")
    return path


@contextmanager
def daemon_for(path: Path) -> Iterator[ScheduleDaemon]:
    config = load_config(path, environ={})
    database = open_database(config.settings.database_url)
    daemon = ScheduleDaemon(config, database, reload_config=lambda: load_config(path, environ={}))
    try:
        yield daemon
    finally:
        daemon.close()
        database.close()


def stored_job_ids(url: str) -> set[str]:
    database = open_database(url, migrate=False)
    try:
        with database.engine.connect() as connection:
            return set(connection.execute(text(f"SELECT id FROM {JOB_TABLE}")).scalars())
    finally:
        database.close()


def next_runs(daemon: ScheduleDaemon) -> dict[str, datetime]:
    return {job.args[0]: job.next_run_time for job in daemon.site_jobs()}


def logged(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    """The data of each daemon event called `name`, in order."""
    return [
        record.data  # type: ignore[attr-defined]
        for record in caplog.records
        if record.name == LOGGER_NAME and getattr(record, "event", None) == name
    ]


def test_each_enabled_site_gets_one_stored_job_with_its_trigger(
    tmp_path: Path, archive_url: str
) -> None:
    with daemon_for(write_config(tmp_path, archive_url, SITES)) as daemon:
        daemon.start()
        jobs = {job.id: job for job in daemon.site_jobs()}

    assert set(jobs) == {"site:alpha.example", "site:beta.example"}
    assert stored_job_ids(archive_url) == set(jobs)
    alpha, beta = jobs["site:alpha.example"], jobs["site:beta.example"]
    assert isinstance(alpha.trigger, IntervalTrigger)
    assert (alpha.trigger.interval, alpha.trigger.jitter) == (timedelta(minutes=30), 120)
    assert isinstance(beta.trigger, CronTrigger)
    assert str(beta.trigger.timezone) == "Asia/Kolkata"
    assert beta.next_run_time.astimezone(KOLKATA).hour == 6
    for job in jobs.values():
        assert job.func_ref == "scraper.schedule:run_site_job"
        assert job.args == (job.id.removeprefix("site:"),)
        assert (job.coalesce, job.max_instances) == (True, 1)
        assert job.misfire_grace_time == MISFIRE_GRACE.total_seconds()


def test_the_job_table_does_not_make_the_schema_differ_from_the_models(
    tmp_path: Path, archive_url: str
) -> None:
    with daemon_for(write_config(tmp_path, archive_url, SITES)) as daemon:
        daemon.start()
        assert stored_job_ids(archive_url)
        with daemon.database.engine.connect() as connection:
            command.check(alembic_config(connection))  # raises if autogenerate finds changes


def test_a_restart_keeps_the_next_run_of_unchanged_schedules_only(
    tmp_path: Path, archive_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER_NAME)
    path = write_config(tmp_path, archive_url, SITES)
    with daemon_for(path) as first:
        first.start()
        before = next_runs(first)
    later_beta = {"schedule": {**BETA["schedule"], "cron": "0 7 * * 1-5"}}
    write_config(tmp_path, archive_url, {**SITES, "beta.example": later_beta})

    with daemon_for(path) as second:
        second.start()
        after = next_runs(second)

    assert after["alpha.example"] == before["alpha.example"]
    hours = [runs["beta.example"].astimezone(KOLKATA).hour for runs in (before, after)]
    assert hours == [6, 7]
    changes = logged(caplog, "scheduler_started")[-1]["changes"]
    assert (changes["kept"], changes["rescheduled"]) == (["alpha.example"], ["beta.example"])


def test_a_reload_adds_removes_and_reschedules_jobs(
    tmp_path: Path, archive_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER_NAME)
    path = write_config(tmp_path, archive_url, SITES)
    with daemon_for(path) as daemon:
        daemon.start()
        new_beta = {"schedule": {"interval": "2h"}}
        write_config(tmp_path, archive_url, {"beta.example": new_beta, "delta.example": {}})

        assert daemon.reload()

        jobs = {job.id: job for job in daemon.site_jobs()}
        assert set(jobs) == {"site:beta.example", "site:delta.example"}
        assert stored_job_ids(archive_url) == set(jobs)
        assert jobs["site:beta.example"].trigger.interval == timedelta(hours=2)
    assert logged(caplog, "reloaded")[-1]["changes"] == {
        "added": ["delta.example"],
        "removed": ["alpha.example"],
        "rescheduled": ["beta.example"],
        "kept": [],
    }
    assert "1 added (delta.example), 1 removed (alpha.example), 1 rescheduled" in caplog.text


@pytest.mark.parametrize(
    "broken",
    [
        "sites: [\n",
        "sites:\n  alpha.example:\n    parser: generic\n    schedule: {interval: soon}\n",
    ],
)
def test_a_broken_file_on_reload_keeps_the_old_jobs(
    tmp_path: Path, archive_url: str, caplog: pytest.LogCaptureFixture, broken: str
) -> None:
    caplog.set_level(logging.INFO, LOGGER_NAME)
    path = write_config(tmp_path, archive_url, SITES)
    with daemon_for(path) as daemon:
        daemon.start()
        before = daemon.job_table()
        path.write_text(broken, encoding="utf-8")

        assert not daemon.reload()

        assert daemon.job_table() == before
        assert stored_job_ids(archive_url) == {"site:alpha.example", "site:beta.example"}
    [failed] = logged(caplog, "reload_failed")
    assert str(path) in failed["error"]


# --- passes -------------------------------------------------------------------------------


def stored_urls(database: Database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(Article.canonical_url)))


def test_a_site_job_makes_one_pass_over_its_site(
    tmp_path: Path, archive_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER_NAME)
    with DemoSite() as site, daemon_for(write_demo_config(site, tmp_path, archive_url)) as daemon:
        daemon.start()
        run_site_job("rnamedia.in")  # what the stored job calls

        assert stored_urls(daemon.database) == set(site.article_urls("rnamedia.in"))
        assert SiteLocks(daemon.database).holders() == {}
    [done] = logged(caplog, "site_done")
    assert (done["site"], done["new_articles"]) == (
        "rnamedia.in",
        len(site.article_urls("rnamedia.in")),
    )


def test_once_stopping_no_pass_starts(
    tmp_path: Path, archive_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER_NAME)
    with DemoSite() as site, daemon_for(write_demo_config(site, tmp_path, archive_url)) as daemon:
        daemon.start()
        daemon.request_stop()
        run_site_job("rnamedia.in")

        assert site.request_log == []
        with daemon.database.session() as session:
            assert session.scalars(select(Run)).all() == []
    assert [data["site"] for data in logged(caplog, "pass_not_started")] == ["rnamedia.in"]
    assert not daemon.scheduler.running


def test_a_job_left_over_from_a_removed_site_makes_no_pass(
    tmp_path: Path, archive_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, LOGGER_NAME)
    with daemon_for(write_config(tmp_path, archive_url, SITES)) as daemon:
        daemon.start()
        run_site_job("gamma.example")  # disabled: a job queued before a reload removed it

    [skipped] = logged(caplog, "pass_not_started")
    assert (skipped["site"], skipped["reason"]) == ("gamma.example", "no longer an enabled site")
    assert not logged(caplog, "pass_crashed")


def test_a_stopped_pass_leaves_the_rest_due_for_the_next_one(
    tmp_path: Path, archive_url: str
) -> None:
    stop = threading.Event()

    def parse_then_stop(
        body: bytes, url: str, charset: str | None, at: datetime, entry: SiteEntry
    ) -> Any:
        stop.set()  # the first page parsed stops every site before its next URL
        return parse_page(body, url, charset, at, entry)

    with DemoSite() as site:
        config = load_config(
            write_demo_config(site, tmp_path, archive_url, concurrency=1), environ={}
        )
        database = open_database(config.settings.database_url)
        try:
            first = run_once(config, (), RunOptions(parser=parse_then_stop, stop=stop), database)
            stored_first = sum(report.new_articles for report in first.sites)
            second = run_once(config, (), RunOptions(), database)
            kinds = versions_by_url(database)
        finally:
            database.close()
        gets = article_gets(site.request_log, site)

    # One page per site may be in flight when the stop comes; everything else waits.
    assert 1 <= stored_first <= len(site.hosts) < len(site.article_urls())
    assert stored_first + sum(report.new_articles for report in second.sites) == len(kinds)
    assert set(kinds) == set(site.article_urls())
    assert all(versions == ["first"] for versions in kinds.values())
    assert all(count == 1 for count in gets.values()), gets
