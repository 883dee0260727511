"""`newsarchive status` and `newsarchive health`: how each site is doing, for people and cron.

Sites are the configured ones (so a site with no data yet shows, with zeros) plus any the
archive holds that the configuration no longer names. On a terminal both print tables;
otherwise a JSON object per site per line. `health` exits 1 when any site is flagged, so a
cron job can alert on a layout change.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table

from parsers.urls import site_of
from scraper.cli_options import (
    config_option,
    db_option,
    load,
    log_format_option,
    open_archive,
    wants_json,
)
from scraper.config import Config
from scraper.exceptions import UsageError
from scraper.run_output import wide_console
from storage.db import Database
from storage.health import RECENT_PAGES, SiteHealth, Thresholds, sites_health
from storage.status import SiteStatus, known_sites, site_statuses
from storage.worker_status import WorkerStatus, worker_status

FLAGGED_EXIT = 1
NO_TIME = "-"
FRONTIER_ORDER = ("new", "active", "done", "failed", "gone", "other", "source")


@click.command("status")
@click.argument("sites", nargs=-1)
@config_option
@db_option
@log_format_option
def status_command(
    sites: tuple[str, ...], config_path: Path | None, database_url: str | None, log_format: str
) -> int:
    """Per site: last run, last success, next due, articles, versions, error streak,
    frontier and health flags (default: every configured site and any in the archive)."""
    config = load(config_path, database_url)
    database = open_archive(config.settings.database_url)
    try:
        statuses = site_statuses(database, chosen_sites(config, database, sites))
        workers = worker_status(database)
    finally:
        database.close()
    active = workers is not None and not workers.idle
    if wants_json(log_format):
        _emit_lines("site_status", [status.to_dict() for status in statuses])
        if workers is not None and active:
            _emit_lines("worker_status", [workers.to_dict()])
    else:
        _print_statuses(wide_console(), statuses)
        if workers is not None and active:
            print_workers(wide_console(), workers)
    return 0


@click.command("health")
@click.argument("sites", nargs=-1)
@click.option(
    "--recent",
    type=click.IntRange(min=1),
    default=RECENT_PAGES,
    show_default=True,
    help="How many of each site's latest parses to compare with the ones before.",
)
@config_option
@db_option
@log_format_option
def health_command(
    sites: tuple[str, ...],
    recent: int,
    config_path: Path | None,
    database_url: str | None,
    log_format: str,
) -> int:
    """Field fill rates and article share per site, recent parses against the site's
    baseline. Exit code 1 when any site is flagged (a likely layout change), else 0."""
    config = load(config_path, database_url)
    database = open_archive(config.settings.database_url)
    try:
        names = chosen_sites(config, database, sites)
        healths = sites_health(database, names, Thresholds(recent=recent))
    finally:
        database.close()
    if wants_json(log_format):
        _emit_lines("site_health", [health.to_dict() for health in healths])
    else:
        _print_healths(wide_console(), healths)
    return FLAGGED_EXIT if any(health.flagged for health in healths) else 0


def chosen_sites(config: Config, database: Database, names: Sequence[str]) -> list[str]:
    """The named sites (any spelling of their host), else every configured or archived one."""
    configured = [entry.host for entry in config.sites]
    available = configured + [site for site in known_sites(database) if site not in configured]
    if not names:
        return available
    chosen = [site_of(f"https://{name.strip()}/") for name in names]
    unknown = [name for name, site in zip(names, chosen, strict=True) if site not in available]
    if unknown:
        known = ", ".join(available) or "none"
        raise UsageError(f"no site {unknown[0]!r} in the config or the archive (known: {known})")
    return list(dict.fromkeys(chosen))


def _emit_lines(event: str, objects: list[dict[str, Any]]) -> None:
    now = datetime.now(UTC).isoformat()
    for data in objects:
        line = {"time": now, "event": event, **data}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _print_statuses(console: Console, statuses: Sequence[SiteStatus]) -> None:
    console.print(status_table(statuses))
    for status in statuses:
        if status.last_problem:
            colour = "red" if status.error_streak else "yellow"
            console.print(f"[{colour}]{status.site}: {status.last_problem}[/{colour}]")
        for flag in status.health_flags:
            console.print(f"[bold red]{status.site}: parser health: {flag}[/bold red]")


def status_table(statuses: Sequence[SiteStatus]) -> Table:
    table = _table("site status (UTC)")
    table.add_column("site", no_wrap=True)
    for name in ("last run", "last ok", "next due"):
        table.add_column(name, no_wrap=True)
    for name in ("articles", "versions", "err streak"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("frontier")
    table.add_column("health", no_wrap=True)
    for status in statuses:
        streak = str(status.error_streak)
        table.add_row(
            status.site,
            _when(status.last_run_at),
            _when(status.last_success_at),
            _when(status.next_due_at),
            str(status.articles),
            str(status.versions),
            f"[red]{streak}[/red]" if status.error_streak else streak,
            _frontier_text(status.frontier),
            f"[bold red]{len(status.health_flags)} flagged[/bold red]"
            if status.health_flags
            else "ok",
        )
    return table


def print_workers(console: Console, status: WorkerStatus) -> None:
    """The workers' leases and the hosts they are fetching from or waiting on."""
    if status.workers:
        table = _table("workers (live leases)")
        for name in ("worker", "URLs", "sites", "held until"):
            table.add_column(name, justify="left" if name == "worker" else "right")
        for worker in status.workers:
            until = worker.until.astimezone(UTC).strftime("%H:%M:%S")
            table.add_row(worker.worker, str(worker.urls), str(worker.sites), until)
        console.print(table)
    if status.hosts:
        table = _table("hosts in flight or waited on")
        for name in ("host", "in flight", "back-off s", "next in s"):
            table.add_column(name, justify="left" if name == "host" else "right")
        for host in status.hosts:
            flight = f"{host.in_flight}/{host.max_connections}"
            table.add_row(host.host, flight, f"{host.backoff:.1f}", f"{host.next_in:.1f}")
        console.print(table)
    if status.lapsed_leases:
        console.print(
            f"[yellow]{status.lapsed_leases} leases ran out without being given back "
            "(a worker stopped uncleanly); their URLs are claimable again[/yellow]"
        )


def _print_healths(console: Console, healths: Sequence[SiteHealth]) -> None:
    for health in healths:
        console.print(_health_heading(health), highlight=False)
        if health.recent_pages:
            console.print(health_table(health))
        for flag in health.flags:
            console.print(f"[bold red]{health.site}: {flag}[/bold red]")
    flagged = [health.site for health in healths if health.flagged]
    summary = f"{len(flagged)} of {len(healths)} sites flagged"
    console.print(f"[bold red]{summary}: {', '.join(flagged)}[/bold red]" if flagged else summary)


def _health_heading(health: SiteHealth) -> str:
    if not health.recent_pages:
        return f"[bold]{health.site}[/bold]: no parses yet"
    heading = (
        f"[bold]{health.site}[/bold]: recent {health.recent_pages} pages"
        f" ({health.recent_articles} articles) vs baseline {health.baseline_pages}"
        f" ({health.baseline_articles} articles)"
    )
    return heading if health.comparable else f"{heading}, too few pages to compare yet"


def health_table(health: SiteHealth) -> Table:
    table = _table(None)
    table.add_column("fill rate", no_wrap=True)
    table.add_column("recent", justify="right", no_wrap=True)
    table.add_column("baseline", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    share = ("article share", health.article_share_recent, health.article_share_baseline)
    for name, recent, baseline, dropped in (
        (*share, health.article_share_dropped),
        *((f.field, f.recent_rate, f.baseline_rate, f.dropped) for f in health.fields),
    ):
        mark = "[bold red]DROPPED[/bold red]" if dropped else ""
        style = "bold red" if dropped else None
        table.add_row(name, _rate(recent), _rate(baseline), mark, style=style)
    return table


def _table(title: str | None) -> Table:
    return Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )


def _frontier_text(counts: dict[str, int]) -> str:
    ordered = [state for state in FRONTIER_ORDER if state in counts]
    ordered += sorted(state for state in counts if state not in FRONTIER_ORDER)
    return " ".join(f"{state} {counts[state]}" for state in ordered) or "empty"


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value is not None else NO_TIME


def _rate(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else NO_TIME
