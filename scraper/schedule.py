"""`newsarchive schedule`: the long-running daemon, one APScheduler job per enabled site.

Each job runs `run_once` for its site in the scheduler's thread pool (run_once starts its own
event loop, so it needs a thread of its own); the site lock still makes a pass skip a site
that a cron `newsarchive run` is working on. Jobs live in the archive database (table
`apscheduler_jobs`), so a restart keeps each site's next run time when its schedule did not
change, and a run missed while the daemon was down happens once at start (coalesced).

Signals: SIGHUP reloads schedules.yaml (a bad file is logged and the old jobs kept). The
first SIGTERM or SIGINT stops new passes and lets running ones finish; a second one makes
running passes stop before their next URL (what was not fetched stays due for next time).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from queue import Empty, SimpleQueue
from types import FrameType
from typing import Any

from apscheduler.executors.pool import (  # type: ignore[import-untyped, unused-ignore]
    ThreadPoolExecutor,
)
from apscheduler.jobstores.sqlalchemy import (  # type: ignore[import-untyped, unused-ignore]
    SQLAlchemyJobStore,
)
from apscheduler.schedulers.background import (  # type: ignore[import-untyped, unused-ignore]
    BackgroundScheduler,
)

from scraper.config import Config, SiteEntry
from scraper.exceptions import ScraperError
from scraper.run import RunOptions, RunReport, run_once
from scraper.schedule_log import event, failure
from scraper.schedule_triggers import trigger_for
from scraper.site_report import SiteReport
from storage.db import Database, open_database

JOB_TABLE = "apscheduler_jobs"
JOB_ID_PREFIX = "site:"
# A run missed by less than this (daemon down or every worker busy) still happens, once.
MISFIRE_GRACE = timedelta(days=1)
SITE_WORKERS = 4  # site passes at once; each has its own `concurrency` fetches in flight
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
RELOAD_SIGNAL = getattr(signal, "SIGHUP", None)
PASS_DONE = "pass_done"  # what a finished pass posts to the main thread's inbox
# A signal the kernel hands to another thread does not wake the main thread's wait; Python
# runs its handler when the main thread next runs, so the wait is cut into short ones.
SIGNAL_POLL_SECONDS = 0.5

# What a job calls for a site's pass (`run_once`'s signature).
PassRunner = Callable[[Config, Sequence[str], RunOptions | None, Database | None], RunReport]

_active: ScheduleDaemon | None = None  # the daemon whose passes the stored jobs run


def job_id(host: str) -> str:
    return f"{JOB_ID_PREFIX}{host}"


def job_name(entry: SiteEntry) -> str:
    """The site and its schedule: an unchanged name means an unchanged schedule."""
    return f"{entry.host} ({entry.schedule.describe()})"


def run_site_job(host: str) -> None:
    """What each stored job calls, by name (a job store keeps references, not objects)."""
    if _active is None:
        raise RuntimeError(f"no scheduler daemon is running to make {host}'s pass")
    _active.run_site(host)


@dataclass(frozen=True, slots=True)
class JobChanges:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    rescheduled: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, list[str]]:
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "rescheduled": list(self.rescheduled),
            "kept": list(self.kept),
        }

    def summary(self) -> str:
        """E.g. "1 added (a.example), 2 kept"; the sites are named where something changed."""
        parts = []
        for kind, hosts in self.to_dict().items():
            if hosts:
                names = f" ({', '.join(hosts)})" if kind != "kept" else ""
                parts.append(f"{len(hosts)} {kind}{names}")
        return ", ".join(parts) or "no sites"


def sync_jobs(scheduler: Any, config: Config) -> JobChanges:
    """Make the site jobs match the config's enabled sites, replacing each stored job.

    A job whose schedule is unchanged keeps its next run time, so neither a restart nor a
    reload delays or repeats a site's pass.
    """
    wanted = {job_id(entry.host): entry for entry in config.enabled_sites()}
    stored = {job.id: job for job in scheduler.get_jobs() if job.id.startswith(JOB_ID_PREFIX)}
    removed = sorted(stored.keys() - wanted.keys())
    for identifier in removed:
        scheduler.remove_job(identifier)
    done: dict[str, list[str]] = {"added": [], "rescheduled": [], "kept": []}
    for identifier, entry in wanted.items():
        done[_put_site_job(scheduler, entry, stored.get(identifier))].append(entry.host)
    return JobChanges(
        added=tuple(done["added"]),
        removed=tuple(identifier.removeprefix(JOB_ID_PREFIX) for identifier in removed),
        rescheduled=tuple(done["rescheduled"]),
        kept=tuple(done["kept"]),
    )


def _put_site_job(scheduler: Any, entry: SiteEntry, old: Any) -> str:
    """Add or replace the site's job; says which: "added", "rescheduled" or "kept"."""
    unchanged = old is not None and old.name == job_name(entry)
    timing = {"next_run_time": old.next_run_time} if unchanged else {}
    scheduler.add_job(
        run_site_job,
        trigger_for(entry.schedule),
        args=[entry.host],
        id=job_id(entry.host),
        name=job_name(entry),
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(MISFIRE_GRACE.total_seconds()),
        **timing,
    )
    return "added" if old is None else "kept" if unchanged else "rescheduled"


def new_scheduler(jobs_engine: Any, workers: int = SITE_WORKERS) -> Any:
    """A background scheduler keeping its jobs in the archive database."""
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=jobs_engine, tablename=JOB_TABLE)},
        executors={"default": ThreadPoolExecutor(workers)},
        timezone=UTC,
    )


class ScheduleDaemon:
    """Runs each enabled site's pass on its schedule until `serve` is told to stop.

    `reload_config` re-reads schedules.yaml (with the same --config/--db) on SIGHUP.
    """

    def __init__(
        self,
        config: Config,
        database: Database,
        reload_config: Callable[[], Config],
        workers: int = SITE_WORKERS,
        runner: PassRunner = run_once,
    ) -> None:
        self.config = config
        self.database = database
        self.reload_config = reload_config
        self.runner = runner  # a site's pass: run_once, or discovery only (workers fetch)
        self.stopping = threading.Event()  # no pass starts any more
        self.stop_now = threading.Event()  # running passes stop before their next URL
        self._jobs_database = open_database(config.settings.database_url, migrate=False)
        self.scheduler = new_scheduler(self._jobs_database.engine, workers)
        self._inbox: SimpleQueue[int | str] = SimpleQueue()
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._previous_handlers: dict[int, Any] = {}

    def start(self, run_now: bool = False) -> None:
        """Catch signals, start paused, bring the jobs in line with the config, let them run.

        Call from the main thread (signal handlers can only be set there).
        """
        global _active
        if _active is not None and _active is not self:
            raise RuntimeError("another scheduler daemon is running in this process")
        _active = self
        self._previous_handlers = self._handle_signals()  # queued until `serve` reads them
        self.scheduler.start(paused=True)
        changes = sync_jobs(self.scheduler, self.config)
        if run_now:
            now = datetime.now(UTC)
            for job in self.site_jobs():
                job.modify(next_run_time=now)
        event(
            "scheduler_started",
            f"scheduling {len(self.site_jobs())} sites ({changes.summary()})"
            + (", running each now" if run_now else ""),
            run_now=run_now,
            changes=changes.to_dict(),
            jobs=self.job_table(),
        )
        self.scheduler.resume()

    def site_jobs(self) -> list[Any]:
        jobs = self.scheduler.get_jobs()
        return [job for job in jobs if job.id.startswith(JOB_ID_PREFIX)]

    def job_table(self) -> list[dict[str, str | None]]:
        """Each site's job: its schedule and next run time (what the logs show)."""
        return [
            {
                "site": job.args[0],
                "job": job.name,
                "next_run_time": job.next_run_time.isoformat() if job.next_run_time else None,
            }
            for job in self.site_jobs()
        ]

    def reload(self) -> bool:
        """Re-read schedules.yaml and add, remove or reschedule jobs; a bad file changes nothing."""
        try:
            config = self.reload_config()
        except ScraperError as exc:
            event(
                "reload_failed",
                f"reload failed, old schedules kept: {exc}",
                level=logging.ERROR,
                error=str(exc),
            )
            return False
        if config.settings.database_url != self.config.settings.database_url:
            event(
                "reload_database_ignored",
                "a new database takes effect on restart",
                level=logging.WARNING,
            )
            config = config.with_database(self.config.settings.database_url)
        self.config = config
        changes = sync_jobs(self.scheduler, config)
        event(
            "reloaded",
            f"reloaded {config.path}: {changes.summary()}",
            changes=changes.to_dict(),
            jobs=self.job_table(),
        )
        return True

    def run_site(self, host: str) -> None:
        """One pass over `host` (in a worker thread); never raises, the daemon carries on."""
        config = self.config  # a reload during the pass applies to the next one
        with self._pass(host) as admitted:
            enabled = any(entry.host == host for entry in config.enabled_sites())
            if not (admitted and enabled):
                why = "shutting down" if not admitted else "no longer an enabled site"
                event("pass_not_started", f"{host}: not started, {why}", site=host, reason=why)
                return
            event("pass_started", f"{host}: pass started", site=host)
            options = RunOptions(stop=self.stop_now, on_site_done=self._site_done)
            try:
                self.runner(config, [host], options, self.database)
            except Exception:  # one failed pass must not end the daemon
                failure("pass_crashed", f"{host}: pass crashed", site=host)

    @contextmanager
    def _pass(self, host: str) -> Iterator[bool]:
        """Admit a pass unless stopping (atomically, so `serve` never misses one)."""
        with self._lock:
            admitted = not self.stopping.is_set()
            if admitted:
                self._running.add(host)
        try:
            yield admitted
        finally:
            if admitted:
                with self._lock:
                    self._running.discard(host)
                self._inbox.put(PASS_DONE)

    def _site_done(self, report: SiteReport) -> None:
        summary = (
            f"skipped ({report.skipped})"
            if report.skipped
            else f"{report.fetched} fetched, {report.new_articles} new, "
            f"{sum(report.versions.values())} new versions, {sum(report.errors.values())} errors"
        )
        if self.stop_now.is_set():
            summary += ", stopped early"
        level = logging.ERROR if report.failed else logging.INFO
        event("site_done", f"{report.site}: {summary}", level=level, **report.to_dict())

    def serve(self) -> int:
        """Handle signals until stopped and every running pass has ended; the exit code."""
        while not self._finished():
            try:
                message = self._inbox.get(timeout=SIGNAL_POLL_SECONDS)
            except Empty:
                continue  # lets the main thread run handlers for signals other threads took
            if message != PASS_DONE:
                self._on_signal(int(message))
        event("stopped", "scheduler stopped")
        return 0

    def request_stop(self) -> None:
        """First call: no new passes. Second: running passes stop before their next URL."""
        with self._lock:
            first = not self.stopping.is_set()
            self.stopping.set()
            running = sorted(self._running)
        if first:
            self.scheduler.shutdown(wait=False)
            event("stopping", "stopping: waiting for running passes", running=running)
        elif not self.stop_now.is_set():
            self.stop_now.set()
            event("stopping_now", "stopping now: passes end before their next URL", running=running)

    def close(self) -> None:
        """Shut the scheduler down and give the signals back (a late signal is only queued)."""
        global _active
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for number, handler in self._previous_handlers.items():
            signal.signal(number, handler)
        self._previous_handlers = {}
        self._jobs_database.close()
        if _active is self:
            _active = None

    def _finished(self) -> bool:
        with self._lock:
            return self.stopping.is_set() and not self._running

    def _on_signal(self, number: int) -> None:
        if number == RELOAD_SIGNAL and not self.stopping.is_set():
            self.reload()
        elif number != RELOAD_SIGNAL:
            self.request_stop()

    def _handle_signals(self) -> dict[int, Any]:
        """Handlers only queue the signal: the main loop acts on it, outside the handler."""

        def queue(number: int, _frame: FrameType | None) -> None:
            self._inbox.put(number)  # SimpleQueue.put is safe in a signal handler

        numbers = [*STOP_SIGNALS, *([RELOAD_SIGNAL] if RELOAD_SIGNAL is not None else [])]
        return {number: signal.signal(number, queue) for number in numbers}
