"""`newsarchive run`: one pass for cron, with a report on the terminal or as JSON lines."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from scraper.backfill import backfill_pass
from scraper.cli_options import (
    config_option,
    date_value,
    db_option,
    load,
    log_format_option,
    open_archive,
    wants_json,
)
from scraper.run import RunOptions, run_once
from scraper.run_output import JsonLines, TerminalOutput, failure_line


@click.command("run")
@click.argument("sites", nargs=-1)
@config_option
@db_option
@log_format_option
def run_command(
    sites: tuple[str, ...], config_path: Path | None, database_url: str | None, log_format: str
) -> int:
    """One pass over SITES (default: every enabled site): discover, fetch, parse, store.

    Exit code 0 when every site went well, 1 when some failed, 2 for a usage or
    configuration error. Sites another run is working on are skipped, not waited for.
    """
    return _pass(sites, config_path, database_url, log_format, None)


@click.command("backfill")
@click.argument("sites", nargs=-1, required=True)
@click.option("--since", required=True, help="Reach back to this date (YYYY-MM-DD).")
@config_option
@db_option
@log_format_option
def backfill_command(
    sites: tuple[str, ...],
    since: str,
    config_path: Path | None,
    database_url: str | None,
    log_format: str,
) -> int:
    """Walk SITES' sitemaps and archive pages back to --since and fetch what they list.

    Child sitemaps older than the date are skipped by their lastmod (or the month or year in
    their name); section pages are followed to older pages until one lists nothing that
    recent. Exit codes as for `run`.
    """
    return _pass(sites, config_path, database_url, log_format, date_value("--since", since))


def _pass(
    sites: tuple[str, ...],
    config_path: Path | None,
    database_url: str | None,
    log_format: str,
    since: datetime | None,
) -> int:
    config = load(config_path, database_url)
    database = open_archive(config.settings.database_url)
    output = JsonLines() if wants_json(log_format) else TerminalOutput()
    try:
        with output:
            options = RunOptions(progress=output, on_site_done=output.site_done)
            if since is not None:
                options.site_pass = backfill_pass(since)
            report = run_once(config, sites, options, database)
        output.run_done(report)
    finally:
        database.close()
    failed = failure_line(report)
    if failed is not None:
        click.echo(f"newsarchive: error: {failed}", err=True)
    return report.exit_code
