"""`newsarchive warc verify` and `newsarchive reparse`: look after the raw archive."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from scraper.cli_options import config_option, date_value, db_option, load, open_archive
from scraper.reparse import reparse
from storage.archive_check import verify_archive

MAX_PROBLEMS_SHOWN = 50


@click.group("warc")
def warc_group() -> None:
    """Check the raw WARC archive."""


@warc_group.command("verify")
@config_option
@db_option
def verify_command(config_path: Path | None, database_url: str | None) -> int:
    """Check every WARC file (framing, digests, revisit targets) and every fetch row's
    reference into them. Exit code 1 when anything is wrong."""
    config = load(config_path, database_url)
    database = open_archive(config.settings.database_url)
    try:
        report = verify_archive(database, Path(config.settings.warc_dir))
    finally:
        database.close()
    for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
        click.echo(f"{problem}", err=True)
    if len(report.problems) > MAX_PROBLEMS_SHOWN:
        click.echo(f"... and {len(report.problems) - MAX_PROBLEMS_SHOWN} more", err=True)
    click.echo(f"{config.settings.warc_dir}: {report.summary}")
    return 0 if report.ok else 1


@click.command("reparse")
@click.option("--site", help="Only this site (its host without www.).")
@click.option("--since", help="Only responses fetched on or after this date (YYYY-MM-DD).")
@config_option
@db_option
def reparse_command(
    site: str | None, since: str | None, config_path: Path | None, database_url: str | None
) -> int:
    """Re-run the current parsers over archived responses; store `reparse` versions only
    where the extraction changed."""
    config = load(config_path, database_url)
    when = date_value("--since", since) if since else None
    database = open_archive(config.settings.database_url)
    try:
        with Progress(
            TextColumn("reparse"), BarColumn(), MofNCompleteColumn(), transient=True
        ) as bar:
            task = bar.add_task("reparse", total=None)
            report = reparse(
                config, database, site=site, since=when, on_page=lambda _: bar.advance(task)
            )
    finally:
        database.close()
    problems = ", ".join(f"{kind} x{n}" for kind, n in sorted(report.problems.items()))
    click.echo(
        f"{report.pages} archived pages reparsed: {report.new_versions} new reparse versions, "
        f"{report.unchanged} unchanged" + (f"; unreadable: {problems}" if problems else "")
    )
    return 1 if report.problems else 0
