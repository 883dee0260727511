"""`newsarchive worker`: one of N processes fetching a shared PostgreSQL archive's frontier."""

from __future__ import annotations

import asyncio
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
from scraper.worker import DEFAULT_BATCH, DEFAULT_LEASE_SECONDS, Worker, WorkerOptions
from scraper.worker_log import log_to, unhook
from scraper.worker_services import checked_worker_id, default_worker_id, require_postgres_url


@click.command("worker")
@config_option
@db_option
@click.option(
    "--id",
    "worker_id",
    default=None,
    help="This worker's name, in its WARC file names and leases (default: host-pid).",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH,
    show_default=True,
    help="URLs claimed at a time; more are claimed when half are done.",
)
@click.option(
    "--lease",
    "lease_seconds",
    type=click.FloatRange(min=1.0),
    default=DEFAULT_LEASE_SECONDS,
    show_default=True,
    help="Seconds a claim lasts unless renewed; a dead worker's URLs return after it.",
)
@click.option("--once", is_flag=True, help="Exit when nothing is due instead of waiting.")
@log_format_option
def worker_command(
    config_path: Path | None,
    database_url: str | None,
    worker_id: str | None,
    batch: int,
    lease_seconds: float,
    once: bool,
    log_format: str,
) -> int:
    """Claim due URLs from the shared frontier, fetch, parse and archive them, until stopped.

    Run one `newsarchive schedule --enqueue-only` to discover what is due and any number of
    workers, on one machine or many, against one PostgreSQL archive (SQLite is refused:
    claims use SELECT ... FOR UPDATE SKIP LOCKED). Each worker claims --batch URLs with a
    lease, renews it while it works and releases each URL once filed; a worker that dies
    leaves its URLs to the others when their leases run out. Per-host politeness (connections,
    delay, Crawl-delay, back-off after 429/503) is kept in the database, across all workers.
    WARC files are named after the worker (newsarchive-ID-...warc.gz) in the config's
    warc_dir, shared or one per worker.

    \b
    Signals:
      SIGTERM, SIGINT  stop claiming; URLs not started go back at once, requests in
                       flight are fetched and filed, then exit
      a second one     cancel the requests in flight too (their URLs go back)

    \b
    Logs go to stdout: text lines on a terminal, JSON lines otherwise (events:
    worker_started, round_done, url_failed, leases_lost, failing, stopping,
    stopping_now, stopped). Exit code 0, 1 when some URL failed, 2 for a usage or
    configuration error.
    """
    name = checked_worker_id(worker_id) if worker_id is not None else default_worker_id()
    config = load(config_path, database_url)
    require_postgres_url(config.settings.database_url, "newsarchive worker")
    database = open_archive(config.settings.database_url)
    handler = log_to(sys.stdout, wants_json(log_format))
    options = WorkerOptions(name, batch=batch, lease_seconds=lease_seconds, once=once)
    try:
        return asyncio.run(Worker(config, database, options).serve())
    finally:
        database.close()
        unhook(handler)
