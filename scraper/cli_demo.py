"""`newsarchive demo` (what `make demo` runs): prints each run's report and what changed."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from scraper.cli_options import log_format_option, wants_json
from scraper.demo import DEFAULT_DEMO_DIR, DemoOutcome, run_demo
from scraper.run_output import TerminalOutput, error_lines, report_table, wide_console
from storage.search import split_highlights


@click.command("demo")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DEMO_DIR,
    show_default=True,
    help="Where the demo archive is made (emptied first; only a folder the demo made).",
)
@log_format_option
def demo_command(data_dir: Path, log_format: str) -> int:
    """Crawl the bundled offline demo site twice, with edits in between; show the versions."""
    if wants_json(log_format):
        outcome = run_demo(data_dir)
        click.echo(json.dumps(_as_dict(outcome), ensure_ascii=False))
        return 0 if outcome.proved else 1
    console = wide_console()
    with TerminalOutput(console) as output:
        outcome = run_demo(data_dir, progress=output)
    _print(console, outcome)
    return 0 if outcome.proved else 1


def _print(console: Console, outcome: DemoOutcome) -> None:
    for number, report in enumerate(outcome.runs, start=1):
        table = report_table(report)
        table.title = f"run {number}" + (" (after the site's changes)" if number > 1 else "")
        console.print(table)
        for line in error_lines(report):
            console.print(f"[yellow]{line}[/yellow]", soft_wrap=True)
    console.print(f"\n{outcome.articles} articles archived; versions found:")
    for article in outcome.versioned:
        console.print(f"  {' -> '.join(article.kinds)}: {article.headline}", soft_wrap=True)
        console.print(f"    [dim]{article.url}[/dim]", soft_wrap=True)
    _print_search(console, outcome)
    verdict = "[green]ok[/green]" if outcome.proved else "[red]missing a change[/red]"
    console.print(f"\ndate change and silent edit caught: {verdict}")
    console.print(f"archive: {outcome.database_url}", soft_wrap=True)
    console.print(f"config:  {outcome.config_path}", soft_wrap=True)


def _print_search(console: Console, outcome: DemoOutcome) -> None:
    if outcome.search is None:
        return
    console.print(f'\nsearch "{outcome.search_text}": {outcome.search.total} articles')
    for hit in outcome.search.hits:
        console.print(f"  [bold]{escape(hit.headline or hit.url)}[/bold]", soft_wrap=True)
        console.print(f"    {highlighted(hit.snippet)}", soft_wrap=True)


def highlighted(snippet: str | None) -> str:
    """The snippet as console markup, the matched words in bold yellow."""
    parts = split_highlights(snippet or "")
    return "".join(
        f"[bold yellow]{escape(text)}[/bold yellow]" if hit else escape(text) for text, hit in parts
    )


def _as_dict(outcome: DemoOutcome) -> dict[str, object]:
    return {
        "proved": outcome.proved,
        "articles": outcome.articles,
        "runs": [report.to_dict() for report in outcome.runs],
        "versioned": [
            {"url": a.url, "headline": a.headline, "kinds": list(a.kinds)}
            for a in outcome.versioned
        ],
        "database": outcome.database_url,
        "search": {
            "text": outcome.search_text,
            "total": outcome.search.total if outcome.search else 0,
            "hits": [
                {"url": hit.url, "headline": hit.headline, "snippet": hit.snippet}
                for hit in (outcome.search.hits if outcome.search else [])
            ],
        },
    }
