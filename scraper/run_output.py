"""What a person (or a log collector) sees of a run.

On a terminal: one progress bar per site while it fetches, then a table of the report. Off a
terminal or with `--log-format json`: one JSON object per line (a line per finished site,
then one for the run), quiet and machine-readable for cron mail and log shippers.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from scraper.run import RunReport
from scraper.site_report import SiteReport

VERSION_KINDS = ("updated", "date_only", "silent_edit")
REPORT_WIDTH = 120
SHORT_KINDS = ("upd", "date", "silent")  # the table's headings for VERSION_KINDS


class JsonLines:
    """A line per finished site and one for the run; nothing while fetching."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout

    def due(self, site: str, count: int) -> None:
        return None

    def advance(self, site: str) -> None:
        return None

    def site_done(self, report: SiteReport) -> None:
        self._emit("site_done", report.to_dict())

    def run_done(self, report: RunReport) -> None:
        totals = _totals(report)
        self._emit(
            "run_done", {"exit_code": report.exit_code, "sites": len(report.sites), **totals}
        )

    def __enter__(self) -> JsonLines:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _emit(self, event: str, data: dict[str, Any]) -> None:
        line = {"time": datetime.now(UTC).isoformat(), "event": event, **data}
        self.stream.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.stream.flush()


class TerminalOutput:
    """Progress bars per site while the run goes, the report table at the end."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or wide_console()
        self.bars = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=self.console,
            transient=True,
        )
        self.tasks: dict[str, TaskID] = {}

    def due(self, site: str, count: int) -> None:
        self.tasks[site] = self.bars.add_task(site, total=count)

    def advance(self, site: str) -> None:
        if site in self.tasks:
            self.bars.advance(self.tasks[site])

    def site_done(self, report: SiteReport) -> None:
        task = self.tasks.get(report.site)
        if task is not None:
            self.bars.remove_task(task)

    def run_done(self, report: RunReport) -> None:
        self.console.print(report_table(report))
        for line in error_lines(report):
            self.console.print(f"[yellow]{line}[/yellow]", soft_wrap=True)
        failed = [site for site in report.sites if site.failed]
        for site in failed:
            self.console.print(f"[red]{site.site}: {site.failure}[/red]")
        for site in report.sites:
            if site.skipped:
                self.console.print(f"[yellow]{site.site}: skipped, {site.skipped}[/yellow]")

    def __enter__(self) -> TerminalOutput:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()


def wide_console() -> Console:
    """The terminal's width, or 120 columns when writing to a file or pipe (not 80)."""
    console = Console()
    return console if console.is_terminal else Console(width=REPORT_WIDTH)


def report_table(report: RunReport) -> Table:
    """Counts per site; errors are listed under the table (they need the width)."""
    table = Table(
        title="run report",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    table.add_column("site", no_wrap=True)
    for name in ("found", "fetch", "304", "same", "new", *SHORT_KINDS, "err", "secs"):
        table.add_column(name, justify="right", no_wrap=True)
    for site in report.sites:
        table.add_row(
            site.site,
            str(site.discovered),
            str(site.fetched),
            str(site.not_modified),
            str(site.same_payload),
            str(site.new_articles),
            *(str(site.versions.get(kind, 0)) for kind in VERSION_KINDS),
            str(sum(site.errors.values())),
            f"{site.seconds:.1f}",
        )
    return table


def error_lines(report: RunReport) -> list[str]:
    lines = []
    for site in report.sites:
        if site.errors:
            kinds = ", ".join(f"{kind} x{count}" for kind, count in sorted(site.errors.items()))
            lines.append(f"{site.site}: {kinds}")
    return lines


def failure_line(report: RunReport) -> str | None:
    """The run's failed sites in one line (for stderr, which cron mails): sites that failed
    for the same reason (a full disk stops them all) are named together."""
    by_failure: dict[str, list[str]] = {}
    for site in report.sites:
        if site.failure is not None:
            by_failure.setdefault(site.failure, []).append(site.site)
    if not by_failure:
        return None
    parts = [f"{', '.join(sites)} ({failure})" for failure, sites in by_failure.items()]
    count = sum(len(sites) for sites in by_failure.values())
    return f"{count} of {len(report.sites)} sites failed: " + "; ".join(parts)


def _totals(report: RunReport) -> dict[str, Any]:
    versions: dict[str, int] = {}
    for site in report.sites:
        for kind, count in site.versions.items():
            versions[kind] = versions.get(kind, 0) + count
    return {
        "fetched": sum(site.fetched for site in report.sites),
        "not_modified": sum(site.not_modified for site in report.sites),
        "new_articles": sum(site.new_articles for site in report.sites),
        "new_versions": dict(sorted(versions.items())),
        "failed_sites": [site.site for site in report.sites if site.failed],
    }
