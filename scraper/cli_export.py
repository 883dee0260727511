"""`export` and `stats`: the archive as files for analysis, and counts at a glance."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from scraper.cli_options import config_option, db_option
from scraper.cli_research import opened_archive
from scraper.run_output import wide_console
from storage.archive import export_filter
from storage.export import EXPORT_FORMATS, ExportFormat, count_rows, write_export
from storage.stats import ArchiveStats, Period

SPARK = "▁▂▃▄▅▆▇█"
CHART_WIDTH = 40


def _filter_options(function: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(
        [
            click.option("--site", help="Only this site (host without www.)."),
            click.option("--section", help="Only this section (whole name, any case)."),
            click.option("--author", help="Only articles with this byline name."),
            click.option("--since", help="Published on or after this date (YYYY-MM-DD)."),
            click.option("--until", help="Published on or before this date (YYYY-MM-DD)."),
        ]
    ):
        function = option(function)
    return function


@click.command("export")
@click.option(
    "--format",
    "export_format",
    type=click.Choice(EXPORT_FORMATS),
    default="jsonl",
    show_default=True,
)
@click.option("--all-versions", is_flag=True, help="Every version, not only the current one.")
@_filter_options
@click.option(
    "-o",
    "--output",
    required=True,
    help="File to write ('-' for standard output; not for parquet).",
)
@config_option
@db_option
def export_command(
    export_format: ExportFormat,
    all_versions: bool,
    site: str | None,
    section: str | None,
    author: str | None,
    since: str | None,
    until: str | None,
    output: str,
    config_path: Path | None,
    database_url: str | None,
) -> None:
    """Write articles (one row each, or one per version) as JSON lines, CSV or Parquet.

    Rows are streamed: memory stays flat on any archive. The columns are listed in the
    README ("Export columns") and only ever grow at the end.
    """
    destination = None if output == "-" else Path(output)
    with opened_archive(config_path, database_url) as archive:
        filters = export_filter(
            site=site,
            section=section,
            author=author,
            since=since,
            until=until,
            all_versions=all_versions,
        )
        stderr = Console(stderr=True)
        if stderr.is_terminal and destination is not None:
            total = count_rows(archive.database, filters)
            with _progress(stderr) as progress:
                task = progress.add_task("export", total=total)
                written = write_export(
                    archive.database,
                    destination,
                    export_format,
                    filters,
                    lambda done: progress.update(task, completed=done),
                )
        else:
            written = write_export(archive.database, destination, export_format, filters)
    if destination is not None:
        click.echo(f"wrote {written} rows to {destination}", err=True)


@click.command("stats")
@click.option(
    "--by", "period", type=click.Choice(["day", "week"]), default="day", show_default=True
)
@click.option("--site", help="Only this site.")
@click.option("--since", help="Articles published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Articles published on or before this date (YYYY-MM-DD).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@config_option
@db_option
def stats_command(
    period: Period,
    site: str | None,
    since: str | None,
    until: str | None,
    output_format: str,
    config_path: Path | None,
    database_url: str | None,
) -> None:
    """Articles per site per day or week, versions per site, with a small chart."""
    with opened_archive(config_path, database_url) as archive:
        stats = archive.stats(period, site=site, since=since, until=until)
    if output_format == "json":
        click.echo(json.dumps(stats.to_dict()))
        return
    console = wide_console()
    console.print(_stats_table(stats))
    for line in chart_lines(stats):
        console.print(line, highlight=False)


def _stats_table(stats: ArchiveStats) -> Table:
    first, last = (stats.periods[0], stats.periods[-1]) if stats.periods else ("", "")
    table = Table(
        title=f"{stats.articles} articles, {stats.versions} versions",
        title_justify="left",
        caption=f"per {stats.period}, {first} .. {last}" if first else None,
    )
    for name in ("site", "articles", "versions", "updated", f"per {stats.period}"):
        table.add_column(
            name, justify="right" if name in ("articles", "versions", "updated") else "left"
        )
    for counts in stats.sites:
        series = [counts.per_period.get(key, 0) for key in stats.periods]
        table.add_row(
            counts.site,
            str(counts.articles),
            str(counts.versions),
            str(counts.updated_articles),
            sparkline(series),
        )
    return table


def chart_lines(stats: ArchiveStats, limit: int = 14) -> list[str]:
    """The archive's articles per period, the latest `limit` periods, as horizontal bars."""
    totals = [
        (key, sum(site.per_period.get(key, 0) for site in stats.sites))
        for key in stats.periods[-limit:]
    ]
    peak = max((count for _, count in totals), default=0)
    return [
        f"{key:>10} {'█' * max(1, round(CHART_WIDTH * count / peak)) if count else ''} {count}"
        for key, count in totals
    ]


def sparkline(values: list[int]) -> str:
    """One block character per value, the tallest for the peak; a blank for zero."""
    peak = max(values, default=0)
    top = len(SPARK) - 1
    return "".join(SPARK[round(top * value / peak)] if value else " " for value in values)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
