"""`newsarchive run`: one pass for cron, with a report on the terminal or as JSON lines."""

from __future__ import annotations

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
from scraper.run import RunOptions, run_once
from scraper.run_output import JsonLines, TerminalOutput


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
    config = load(config_path, database_url)
    database = open_archive(config.settings.database_url)
    output = JsonLines() if wants_json(log_format) else TerminalOutput()
    try:
        with output:
            options = RunOptions(progress=output, on_site_done=output.site_done)
            report = run_once(config, sites, options, database)
        output.run_done(report)
    finally:
        database.close()
    return report.exit_code
