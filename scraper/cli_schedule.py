"""`newsarchive schedule`: the daemon that runs each site's pass on its schedule."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli_options import (
    config_option,
    db_option,
    load,
    log_format_option,
    open_archive,
    wants_json,
)
from scraper.run import run_once
from scraper.schedule import ScheduleDaemon
from scraper.schedule_log import log_to, unhook
from scraper.worker_enqueue import enqueue_once
from scraper.worker_services import require_postgres_url


@click.command("schedule")
@config_option
@db_option
@log_format_option
@click.option(
    "--run-now",
    is_flag=True,
    help="Make every enabled site's pass once at start, then follow the schedules.",
)
@click.option(
    "--enqueue-only",
    is_flag=True,
    help="Passes only discover (fill the frontier); `newsarchive worker` processes fetch. "
    "PostgreSQL only.",
)
def schedule_command(
    config_path: Path | None,
    database_url: str | None,
    log_format: str,
    run_now: bool,
    enqueue_only: bool,
) -> int:
    """Run every enabled site's pass on its schedule until stopped (the long-running daemon).

    Each site's `schedule:` in schedules.yaml (an interval, or a crontab line in a timezone
    with weekdays counted from Sunday = 0, plus jitter) becomes a job kept in the archive
    database (table apscheduler_jobs). A restart keeps each site's next run time unless its
    schedule changed; a run missed by less than a day (the daemon was down) happens once at
    start. Up to 4 sites' passes run at once; a pass still running when its next run comes
    is not started twice, and a site that a `newsarchive run` is working on is skipped.

    \b
    Signals:
      SIGHUP           re-read schedules.yaml: add, remove and reschedule sites
                       (a file with errors is logged and the current schedules kept)
      SIGTERM, SIGINT  stop: no new passes, running passes finish, exit 0
      a second one     running passes stop before their next URL; what was not
                       fetched stays due for the next pass

    \b
    Logs go to stdout: text lines on a terminal, JSON lines with --log-format json
    (events: scheduler_started, pass_started, site_done, reloaded, reload_failed,
    stopping, stopping_now, stopped). Exit code 0 after a stop, 2 for a usage or
    configuration error at start. Under systemd, KillMode=mixed sends the stop signal to
    the daemon alone and TimeoutStopSec bounds the wait for running passes.

    With --enqueue-only a pass reads the site's feeds, sitemaps and section pages and
    marks what is due in the frontier, and fetches no article: `newsarchive worker`
    processes (any number, on any machine) claim and fetch those. The archive must be
    PostgreSQL; discovery's requests share the workers' per-host pacing.
    """
    config = load(config_path, database_url)
    if enqueue_only:
        require_postgres_url(config.settings.database_url, "schedule --enqueue-only")
    database = open_archive(config.settings.database_url)
    handler = log_to(sys.stdout, wants_json(log_format))
    daemon = ScheduleDaemon(
        config,
        database,
        reload_config=lambda: load(config_path, database_url),
        runner=enqueue_once if enqueue_only else run_once,
    )
    try:
        daemon.start(run_now=run_now)
        return daemon.serve()
    finally:
        daemon.close()
        database.close()
        unhook(handler)
