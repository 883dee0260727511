"""`newsarchive search`: ranked full-text search over the archive, for researchers."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from scraper.cli_options import config_option, date_value, db_option, load, open_archive
from scraper.exceptions import UsageError
from scraper.run_output import wide_console
from storage.exceptions import SearchQueryError
from storage.search import Search, SearchHit, SearchPage, SearchQuery, split_highlights

FORMATS = ("table", "json", "jsonl", "csv")
CSV_COLUMNS = ("article_id", "version_no", "site", "published_at", "headline", "url", "snippet")


@click.command("search")
@click.argument("text", required=False, default="")
@click.option("--site", help="Only this site (host without www.).")
@click.option("--section", help="Only this section (whole name, any case).")
@click.option("--author", help="Only articles with this byline name (whole name, any case).")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published before this date (YYYY-MM-DD).")
@click.option("--as-of", help="Search what the archive said on this date.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table")
@config_option
@db_option
def search_command(
    text: str,
    site: str | None,
    section: str | None,
    author: str | None,
    since: str | None,
    until: str | None,
    as_of: str | None,
    limit: int,
    output_format: str,
    config_path: Path | None,
    database_url: str | None,
) -> None:
    """Search headlines, standfirsts, bodies, captions and bylines: words must all appear;
    "a phrase" in quotes, -word to exclude, prefix* to match word starts."""
    try:
        query = SearchQuery(
            text=text,
            site=site,
            section=section,
            author=author,
            published_from=date_value("--since", since) if since else None,
            published_to=date_value("--until", until) if until else None,
            as_of=date_value("--as-of", as_of) if as_of else None,
            limit=limit,
        )
    except SearchQueryError as exc:  # a limit over the maximum, a NUL in a filter
        raise UsageError(f"search: {exc}") from exc
    config = load(config_path, database_url)
    database = open_archive(config.settings.database_url)
    try:
        page = Search(database).run(query)
    except SearchQueryError as exc:
        raise UsageError(f"search: {exc}") from exc
    finally:
        database.close()
    _WRITERS[output_format](page)


def _table(page: SearchPage) -> None:
    console = wide_console()
    table = Table(title=f"{page.total} articles", title_justify="left", show_lines=True)
    for name in ("#", "site", "published", "headline and snippet"):
        table.add_column(name, overflow="fold")
    for rank, hit in enumerate(page.hits, start=1):
        published = hit.published_at.strftime("%Y-%m-%d") if hit.published_at else "-"
        text = f"[bold]{escape(hit.headline or '')}[/bold]\n{_marked(hit.snippet)}\n"
        table.add_row(str(rank), hit.site, published, text + f"[dim]{escape(hit.url)}[/dim]")
    console.print(table)


def _marked(snippet: str | None) -> str:
    return "".join(
        f"[bold yellow]{escape(part)}[/bold yellow]" if hit else escape(part)
        for part, hit in split_highlights(snippet or "")
    )


def _row(hit: SearchHit) -> dict[str, object]:
    return {
        "article_id": hit.article_id,
        "version_id": hit.version_id,
        "version_no": hit.version_no,
        "site": hit.site,
        "url": hit.url,
        "headline": hit.headline,
        "published_at": hit.published_at.isoformat() if hit.published_at else None,
        "updated_at": hit.updated_at.isoformat() if hit.updated_at else None,
        "snippet": hit.snippet,
        "score": hit.score,
    }


def _json(page: SearchPage) -> None:
    click.echo(json.dumps({"total": page.total, "hits": [_row(h) for h in page.hits]}))


def _jsonl(page: SearchPage) -> None:
    for hit in page.hits:
        click.echo(json.dumps(_row(hit), ensure_ascii=False))


def _csv(page: SearchPage) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for hit in page.hits:
        writer.writerow(_row(hit))


_WRITERS = {"table": _table, "json": _json, "jsonl": _jsonl, "csv": _csv}
