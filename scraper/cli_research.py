"""`show`, `history`, `diff` and `cluster`: one article as the archive holds it, for researchers.

An article is named by its id or any URL that leads to it. The archive is opened read-only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from scraper.cli_options import config_option, db_option, load
from scraper.exceptions import UsageError
from scraper.research_render import render_diff, show_html, show_text, version_json
from scraper.run_output import wide_console
from storage.archive import Archive
from storage.exceptions import StorageError

ARTICLE = click.argument("ref", metavar="ID|URL")


@contextmanager
def opened_archive(config_path: Path | None, database_url: str | None) -> Iterator[Archive]:
    """The configured archive, read-only; storage errors become one-line usage errors."""
    config = load(config_path, database_url)
    try:
        archive = Archive.open(config.settings.database_url)
    except StorageError as exc:
        raise UsageError(str(exc)) from exc
    try:
        yield archive
    except StorageError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        archive.close()


@click.command("show")
@ARTICLE
@click.option(
    "--version", "number", type=click.IntRange(1), help="This version (default: current)."
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "html"]), default="text"
)
@config_option
@db_option
def show_command(
    ref: str,
    number: int | None,
    output_format: str,
    config_path: Path | None,
    database_url: str | None,
) -> None:
    """Print an article as archived: metadata, body, images with captions."""
    with opened_archive(config_path, database_url) as archive:
        article = archive.article(ref)
        version = article.version(number)
    if output_format == "json":
        click.echo(json.dumps(version_json(article, version), ensure_ascii=False, indent=2))
    elif output_format == "html":
        click.echo(show_html(article, version))
    else:
        click.echo(show_text(article, version))


@click.command("history")
@ARTICLE
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@config_option
@db_option
def history_command(
    ref: str, output_format: str, config_path: Path | None, database_url: str | None
) -> None:
    """List an article's versions: kind, dates and what changed in each."""
    with opened_archive(config_path, database_url) as archive:
        article = archive.article(ref)
        entries = archive.history(article.article_id)
    if output_format == "json":
        rows = [
            {
                "version": entry.version.number,
                "kind": entry.version.kind,
                "saved_at": entry.version.saved_at.isoformat(),
                "published_at": _iso(entry.version.record.published_at),
                "updated_at": _iso(entry.version.record.updated_at),
                "summary": entry.summary,
            }
            for entry in entries
        ]
        click.echo(
            json.dumps({"article_id": article.article_id, "url": article.url, "versions": rows})
        )
        return
    table = Table(title=f"{article.current.record.headline or article.url}", title_justify="left")
    for name in ("version", "kind", "saved", "published", "updated", "what changed"):
        table.add_column(name, overflow="fold")
    for entry in entries:
        record = entry.version.record
        table.add_row(
            str(entry.version.number),
            entry.version.kind,
            entry.version.saved_at.strftime("%Y-%m-%d %H:%M"),
            _short(record.published_at),
            _short(record.updated_at),
            escape(entry.summary),
        )
    console = wide_console()
    console.print(f"article {article.article_id}: {escape(article.url)}", soft_wrap=True)
    console.print(table)


@click.command("diff")
@ARTICLE
@click.option(
    "--from",
    "from_version",
    type=click.IntRange(1),
    help="Older version (default: the one before --to).",
)
@click.option(
    "--to", "to_version", type=click.IntRange(1), help="Newer version (default: current)."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["auto", "color", "unified", "json"]),
    default="auto",
    show_default=True,
    help="auto: coloured on a terminal, unified text otherwise.",
)
@config_option
@db_option
def diff_command(
    ref: str,
    from_version: int | None,
    to_version: int | None,
    output_format: str,
    config_path: Path | None,
    database_url: str | None,
) -> None:
    """Show what changed between two versions, by paragraph and by word."""
    with opened_archive(config_path, database_url) as archive:
        diff = archive.diff(ref, from_version, to_version)
    if output_format == "json":
        click.echo(json.dumps(diff.to_dict(), ensure_ascii=False))
        return
    console = wide_console()
    if output_format == "color" or (output_format == "auto" and console.is_terminal):
        render_diff(console, diff)
        return
    for line in diff.unified():
        click.echo(line)


@click.command("cluster")
@ARTICLE
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@config_option
@db_option
def cluster_command(
    ref: str, output_format: str, config_path: Path | None, database_url: str | None
) -> None:
    """List the same story on other sites (the article's near-duplicate cluster)."""
    with opened_archive(config_path, database_url) as archive:
        article = archive.article(ref)
        members = archive.cluster(article.article_id)
    rows = [
        {
            "article_id": member.article_id,
            "site": member.site,
            "first_seen": member.first_seen.isoformat(),
            "headline": member.headline,
            "url": member.url,
        }
        for member in members
    ]
    if output_format == "json":
        click.echo(json.dumps({"cluster_id": article.cluster_id, "members": rows}))
        return
    title = "1 article carries" if len(rows) == 1 else f"{len(rows)} articles carry"
    table = Table(title=f"{title} this story", title_justify="left")
    for name in ("article", "site", "first seen", "headline"):
        table.add_column(name, overflow="fold")
    for row in rows:
        marker = " *" if row["article_id"] == article.article_id else ""
        table.add_row(
            f"{row['article_id']}{marker}",
            str(row["site"]),
            str(row["first_seen"])[:16].replace("T", " "),
            escape(str(row["headline"] or row["url"])),
        )
    wide_console().print(table)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _short(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"
